//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// The gateway over HTTPS, on the real binary: its CA from `gatehouse ca`,
// HTTPS straight to the TLS listener by SNI and through the proxy's
// CONNECT tunnels as a chosen network, the instances' HTTPS policies, a
// custom domain's uploaded certificate, and the API's protocols.

// caPool is the pool of the CA `gatehouse ca` prints for srv's database.
func caPool(t *testing.T, srv *gatehouse) (*x509.CertPool, string) {
	t.Helper()
	if srv == nil {
		srv = sharedServer()
	}
	out, err := exec.Command(env.bin, "ca", "--db", srv.db).Output()
	if err != nil {
		t.Fatalf("gatehouse ca: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(out) {
		t.Fatalf("gatehouse ca printed no certificate: %q", out)
	}
	return pool, string(out)
}

// straightTLS calls every https:// URL on srv's TLS listener (what the
// Internet sees of the name), trusting roots.
func straightTLS(srv *gatehouse, roots *x509.CertPool) *http.Client {
	if srv == nil {
		srv = sharedServer()
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		Proxy:             nil,
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, srv.gatewayTLS)
		},
	}}
}

// viaProxyTLS calls https:// URLs through proxyURL, as HTTPS_PROXY would.
func viaProxyTLS(t *testing.T, proxyURL string, roots *x509.CertPool) *http.Client {
	t.Helper()
	u, err := url.Parse(proxyURL)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		Proxy:             http.ProxyURL(u),
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
	}}
}

// handshakeWith makes a TLS handshake with srv's TLS listener for name.
func handshakeWith(srv *gatehouse, name string, cfg *tls.Config) (tls.ConnectionState, error) {
	cfg = cfg.Clone()
	cfg.ServerName = name
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", srv.gatewayTLS, cfg)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer conn.Close()
	return conn.ConnectionState(), nil
}

// rawConnect asks srv's proxy for a tunnel to hostport as the network of
// proxyURL and reads the proxy's answer.
func rawConnect(t *testing.T, srv *gatehouse, proxyURL, hostport string) answer {
	t.Helper()
	u, err := url.Parse(proxyURL)
	if err != nil {
		t.Fatal(err)
	}
	c, err := net.DialTimeout("tcp", srv.gateway, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	req := "CONNECT " + hostport + " HTTP/1.1\r\nHost: " + hostport + "\r\n"
	if pw, ok := u.User.Password(); ok {
		req += "Proxy-Authorization: Basic " + basicAuth(u.User.Username(), pw) + "\r\n"
	}
	if _, err := io.WriteString(c, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), &http.Request{Method: "CONNECT"})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(body)}
}

// basicAuth is the base64 of user:password, as Basic credentials carry it.
func basicAuth(user, password string) string {
	return base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
}

// selfSignedFor makes a certificate and key for name, as an operator's CA
// would issue them.
func selfSignedFor(t *testing.T, name string) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(90 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
}

func getAnswer(t *testing.T, c *http.Client, rawURL string) (answer, *http.Response) {
	t.Helper()
	resp, err := c.Get(rawURL)
	if err != nil {
		t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("X-Ca-Request-Id") == "" {
		t.Errorf("GET %s: no X-Ca-Request-Id", rawURL)
	}
	return answer{resp.StatusCode, resp.Header, string(body)}, resp
}

// Through the proxy's CONNECT, HTTPS verified against `gatehouse ca`:
// a shared instance's VPC domain answers a VPC of its region, of another
// account too (R3), over h2; a VPC of another region is refused with the
// rule (502, X-Gatehouse-Refused), and the client's TLS never starts; a
// host outside Gatehouse is never tunnelled to.
func TestGatewayHTTPSThroughConnect(t *testing.T) {
	w := newWorld(t)
	roots, _ := caPool(t, nil)
	g := w.a.group("https_connect", "cn-hangzhou", "")
	vpcDomain := w.a.enableVpcDomain(g)
	w.a.deploy(g, apiSpec{name: "hello", method: "GET", path: "/hello", protocols: "HTTP,HTTPS", mockBody: `{"over":"https"}`})

	for _, c := range []struct {
		what string
		vpc  string
	}{{"A's own VPC", w.a1}, {"account B's VPC", w.b1}} {
		a, resp := getAnswer(t, viaProxyTLS(t, networkURL(t, nil, "--vpc", c.vpc), roots), "https://"+vpcDomain+"/hello")
		expectServed(t, c.what+" over HTTPS through CONNECT", a, `{"over":"https"}`)
		if resp.ProtoMajor != 2 || resp.TLS == nil || len(resp.TLS.VerifiedChains) == 0 {
			t.Errorf("%s: %s, verified chains %v", c.what, resp.Proto, resp.TLS != nil && len(resp.TLS.VerifiedChains) > 0)
		}
	}
	if _, err := viaProxyTLS(t, networkURL(t, nil, "--vpc", w.b2), roots).Get("https://" + vpcDomain + "/hello"); err == nil {
		t.Error("B's VPC in cn-shanghai got a tunnel to a cn-hangzhou VPC domain")
	}
	expectNetworkRefused(t, "CONNECT from B's VPC in cn-shanghai", rawConnect(t, sharedServer(), networkURL(t, nil, "--vpc", w.b2), vpcDomain+":443"), "R3")
	expectNetworkRefused(t, "CONNECT from the Internet", rawConnect(t, sharedServer(), networkURL(t, nil, "--internet"), vpcDomain+":443"), "R11")
	for _, host := range []string{"www.example.org:443", sharedServer().gatewayTLS, sharedServer().console} {
		a := rawConnect(t, sharedServer(), networkURL(t, nil, "--vpc", w.a1), host)
		if a.status != http.StatusForbidden || a.header.Get("X-Gatehouse-Refused") != "not-gatehouse" {
			t.Errorf("CONNECT %s: %s, want 403 not-gatehouse", host, a)
		}
	}
}

// Straight to the TLS listener, by SNI: the public domain with the CA's
// certificate; an API that answers HTTP only says I403PT over HTTPS.
func TestGatewayHTTPSDirect(t *testing.T) {
	w := newWorld(t)
	roots, _ := caPool(t, nil)
	g := w.a.group("https_direct", "cn-hangzhou", "")
	w.a.deploy(g, apiSpec{name: "both", method: "GET", path: "/both", protocols: "HTTP,HTTPS", mockBody: "both"})
	w.a.deploy(g, apiSpec{name: "plain", method: "GET", path: "/plain", mockBody: "plain"})
	w.a.deploy(g, apiSpec{name: "secure", method: "GET", path: "/secure", protocols: "HTTPS", mockBody: "secure"})
	public := rules.PublicDomain(g, "cn-hangzhou")
	c := straightTLS(nil, roots)
	a, resp := getAnswer(t, c, "https://"+public+"/both")
	expectServed(t, "the public domain over HTTPS", a, "both")
	if resp.TLS.PeerCertificates[0].Subject.CommonName != public {
		t.Errorf("served the certificate of %q", resp.TLS.PeerCertificates[0].Subject.CommonName)
	}
	a, _ = getAnswer(t, c, "https://"+public+"/plain")
	expectCode(t, "an HTTP-only API over HTTPS", a, http.StatusForbidden, "I403PT")
	expectCode(t, "an HTTPS-only API over HTTP", send(t, w.directly, "GET", at(public, "/secure")), http.StatusForbidden, "I403PT")
	a, _ = getAnswer(t, c, "https://"+public+"/secure")
	expectServed(t, "an HTTPS-only API over HTTPS", a, "secure")
	if _, err := handshakeWith(sharedServer(), "www.example.org", &tls.Config{RootCAs: roots}); err == nil {
		t.Error("the TLS listener shook hands for a name that is none of Gatehouse's")
	}
}

// The instance's HTTPS policy, per name: HTTPS2_TLS1_2 refuses TLS 1.1
// and offers h2; HTTPS1_1_TLS1_0 takes TLS 1.0 and offers no h2.
func TestGatewayHTTPSPolicies(t *testing.T) {
	w := newWorld(t)
	roots, _ := caPool(t, nil)
	strict := w.a.group("https_strict", "cn-hangzhou", w.dedicated) // HTTPS2_TLS1_2
	legacy := w.a.group("https_legacy", "cn-hangzhou", w.a.instance("cn-hangzhou", "HTTPS1_1_TLS1_0"))
	w.a.deploy(legacy, apiSpec{name: "legacy", method: "GET", path: "/legacy", protocols: "HTTPS", mockBody: "old client"})
	srv := sharedServer()
	offer := []string{"h2", "http/1.1"}

	if _, err := handshakeWith(srv, rules.PublicDomain(strict, "cn-hangzhou"), &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11}); err == nil {
		t.Error("HTTPS2_TLS1_2 accepted a TLS 1.1 client")
	}
	st, err := handshakeWith(srv, rules.PublicDomain(strict, "cn-hangzhou"), &tls.Config{RootCAs: roots, NextProtos: offer})
	if err != nil || st.NegotiatedProtocol != "h2" {
		t.Errorf("HTTPS2_TLS1_2: ALPN %q, %v; want h2", st.NegotiatedProtocol, err)
	}
	st, err = handshakeWith(srv, rules.PublicDomain(legacy, "cn-hangzhou"), &tls.Config{RootCAs: roots, NextProtos: offer, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10})
	if err != nil || st.Version != tls.VersionTLS10 || st.NegotiatedProtocol == "h2" {
		t.Errorf("HTTPS1_1_TLS1_0 with a TLS 1.0 client: version %x, ALPN %q, %v", st.Version, st.NegotiatedProtocol, err)
	}
	st, err = handshakeWith(srv, rules.PublicDomain(legacy, "cn-hangzhou"), &tls.Config{RootCAs: roots, NextProtos: offer})
	if err != nil || st.NegotiatedProtocol == "h2" {
		t.Errorf("HTTPS1_1_TLS1_0 offered h2: %q, %v", st.NegotiatedProtocol, err)
	}
	// A call over TLS 1.0, HTTP/1.1.
	old := straightTLS(nil, roots)
	old.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10}
	a, resp := getAnswer(t, old, "https://"+rules.PublicDomain(legacy, "cn-hangzhou")+"/legacy")
	expectServed(t, "a TLS 1.0 client on HTTPS1_1_TLS1_0", a, "old client")
	if resp.ProtoMajor != 1 || resp.TLS.Version != tls.VersionTLS10 {
		t.Errorf("the TLS 1.0 call went over %s, TLS %x", resp.Proto, resp.TLS.Version)
	}
}

// A custom domain is served with the certificate uploaded through
// SetDomainCertificate, from the next handshake on, and with none once
// DeleteDomainCertificate removed it; an INTERNET custom domain answers
// the Internet over HTTPS.
func TestGatewayHTTPSCustomDomain(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("https_custom", "cn-hangzhou", "")
	w.a.deploy(g, apiSpec{name: "hello", method: "GET", path: "/hello", protocols: "HTTP,HTTPS", mockBody: "custom"})
	name := uniqueName("tls")
	w.a.customDomain(g, name, "INTERNET")
	cert, key := selfSignedFor(t, name)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(cert))
	if _, err := handshakeWith(sharedServer(), name, &tls.Config{RootCAs: pool}); err == nil {
		t.Fatal("a custom domain without a certificate shook hands")
	}
	set := w.a.call(versionCloudAPI, "SetDomainCertificate", map[string]string{"GroupId": g, "DomainName": name,
		"CertificateName": "e2e", "CertificateBody": cert, "CertificatePrivateKey": key})
	a, resp := getAnswer(t, straightTLS(nil, pool), "https://"+name+"/hello")
	expectServed(t, "the custom domain over HTTPS", a, "custom")
	if b, _ := pem.Decode([]byte(cert)); string(resp.TLS.PeerCertificates[0].Raw) != string(b.Bytes) {
		t.Error("the custom domain is not served with its uploaded certificate")
	}
	w.a.call(versionCloudAPI, "DeleteDomainCertificate", map[string]string{"GroupId": g, "DomainName": name, "CertificateId": str(set, "CertificateId")})
	if _, err := handshakeWith(sharedServer(), name, &tls.Config{RootCAs: pool}); err == nil {
		t.Error("the removed certificate is still served")
	}
	expectNetworkRefused(t, "HTTPS through the proxy to the domain without a certificate",
		rawConnect(t, sharedServer(), networkURL(t, nil, "--internet"), name+":443"), "R9")
}

// The CA is made at the first start, its file mode 0600, and the same
// after a restart: certificates of the restarted server verify against
// the certificate printed before.
func TestGatewayCASurvivesARestart(t *testing.T) {
	srv := startGatehouse(t, "")
	info, err := os.Stat(srv.db + ".ca-key.pem")
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the CA's file has mode %v, want 0600", info.Mode().Perm())
	}
	before, pemBefore := caPool(t, srv)
	name := rules.PublicDomain("0123456789abcdef0123456789abcdef", "cn-hangzhou")
	if _, err := handshakeWith(srv, name, &tls.Config{RootCAs: before}); err != nil {
		t.Fatalf("before the restart: %v", err)
	}
	srv.kill(syscall.SIGTERM)
	again := startGatehouse(t, srv.db)
	if _, pemAfter := caPool(t, again); pemAfter != pemBefore {
		t.Error("gatehouse ca prints another certificate after a restart")
	}
	if _, err := handshakeWith(again, name, &tls.Config{RootCAs: before}); err != nil {
		t.Errorf("after the restart, the certificates do not verify against the CA printed before: %v", err)
	}
}

// The calls per domain per hour are stored when the server stops (a
// restarted server charts them: gateway.GroupTraffic, unit-tested), per
// domain, failed ones apart; nobody's calls (an unknown name) are not
// counted.
func TestGatewayCountsSurviveARestart(t *testing.T) {
	srv := startGatehouse(t, "")
	a := newTenant(t, srv)
	g := a.group("counted", "cn-hangzhou", "")
	a.deploy(g, apiSpec{name: "hello", method: "GET", path: "/hello", protocols: "HTTP,HTTPS", mockBody: "hi"})
	public := rules.PublicDomain(g, "cn-hangzhou")
	roots, _ := caPool(t, srv)
	for range 3 {
		expectServed(t, "over HTTP", send(t, straight(srv), "GET", at(public, "/hello")), "hi")
	}
	a1, _ := getAnswer(t, straightTLS(srv, roots), "https://"+public+"/hello")
	expectServed(t, "over HTTPS", a1, "hi")
	expectCode(t, "a path no API has", send(t, straight(srv), "GET", at(public, "/nothing")), http.StatusNotFound, "I404NF")
	send(t, straight(srv), "GET", "http://nowhere.example.net/")
	srv.kill(syscall.SIGTERM)

	st, err := store.Open(context.Background(), srv.db)
	if err != nil {
		t.Fatal(err)
	}
	_, rows, err := st.GroupCallsStored(context.Background(), g, 0, 0)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var calls, failed int64
	for _, r := range rows {
		if r.Domain != public {
			t.Errorf("a count for %q", r.Domain)
		}
		calls, failed = calls+r.Calls, failed+r.Failed
	}
	if calls != 5 || failed != 1 {
		t.Errorf("stored %d calls, %d failed; want 5 and 1: %+v", calls, failed, rows)
	}
}
