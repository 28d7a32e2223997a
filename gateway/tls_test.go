package gateway

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// listening is the fixture's gateway on real loopback listeners, as serve
// runs it: the plain listener, and the TLS server on the TLS listener and
// on the tunnels.
type listening struct {
	plain, tls string
}

func (f *fixture) listen(t testing.TB) listening {
	t.Helper()
	plainLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	tlsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	quiet := log.New(io.Discard, "", 0)
	plain := &http.Server{Handler: f.gw, ErrorLog: quiet}
	secure := &http.Server{Handler: f.gw, TLSConfig: f.gw.TLSConfig(), ConnContext: f.gw.ConnContext, ErrorLog: quiet}
	go plain.Serve(plainLn)
	go secure.ServeTLS(tlsLn, "", "")
	go secure.ServeTLS(f.gw.Tunnels(), "", "")
	t.Cleanup(func() {
		plain.Close()
		secure.Close()
	})
	l := listening{plain: plainLn.Addr().String(), tls: tlsLn.Addr().String()}
	f.gw.Listening(l.plain, l.tls)
	return l
}

// handshake dials the TLS listener for name with cfg (RootCAs and
// ServerName filled in when empty) and returns the connection's state.
func handshake(t testing.TB, addr, name string, cfg *tls.Config, roots *x509.CertPool) (tls.ConnectionState, error) {
	t.Helper()
	cfg = cfg.Clone()
	if cfg.ServerName == "" {
		cfg.ServerName = name
	}
	if cfg.RootCAs == nil {
		cfg.RootCAs = roots
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	conn, err := tls.DialWithDialer(d, "tcp", addr, cfg)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer conn.Close()
	return conn.ConnectionState(), nil
}

// httpsClient calls every name on the TLS listener, trusting roots.
func httpsClient(addr string, roots *x509.CertPool) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// viaProxyTLS calls through the proxy at plain as network nw (HTTPS_PROXY).
func (f *fixture) viaProxyTLS(plain string, nw Network, roots *x509.CertPool) *http.Client {
	u := &url.URL{Scheme: "http", Host: plain}
	if nw.Vpc != nil {
		u.User = url.UserPassword(nw.UserName(), Credential(f.key, nw))
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		Proxy:             http.ProxyURL(u),
		TLSClientConfig:   &tls.Config{RootCAs: roots},
		ForceAttemptHTTP2: true,
	}}
}

func get(t testing.TB, c *http.Client, rawURL string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(rawURL)
	if err != nil {
		t.Fatalf("GET %s: %v", rawURL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// uploadedCert makes a self-signed certificate for name and uploads it
// onto the custom domain; it returns the pool that trusts it.
func (f *fixture) uploadedCert(t testing.TB, groupID, name string) (*x509.CertPool, string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour), IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM := string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}))
	if _, err := f.st.SetDomainCertificate(context.Background(), f.a, groupID,
		rules.DomainInput{Name: name, CertName: "test", CertPEM: certPEM, KeyPEM: keyPEM}); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(certPEM))
	return pool, certPEM
}

// Each handshake is configured by its name: the CA's leaf for a
// second-level domain, the uploaded certificate for a custom domain (the
// new one from the next handshake on, none once removed), and the TLS
// versions and HTTP/2 of the instance's HTTPS policy.
func TestTLSHandshakesByName(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l := f.listen(t)
	roots := rootsOf(t, f.ca)
	old := ok[rules.Instance](t)(f.st.CreateInstance(ctx, f.a, rules.InstanceInput{Name: "old", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: "HTTPS1_1_TLS1_0"}))
	onOld := ok[rules.Group](t)(f.st.CreateGroup(ctx, f.a, rules.GroupInput{Name: "on_old", RegionID: "cn-hangzhou", InstanceID: old.ID}))

	tls10 := &tls.Config{MinVersion: tls.VersionTLS10, MaxVersion: tls.VersionTLS10, NextProtos: []string{"h2", "http/1.1"}}
	tls11 := &tls.Config{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11, NextProtos: []string{"h2", "http/1.1"}}
	modern := &tls.Config{NextProtos: []string{"h2", "http/1.1"}}
	cases := []struct {
		what    string
		name    string
		cfg     *tls.Config
		refused bool
		proto   string // ALPN negotiated
	}{
		{"HTTPS2_TLS1_2 offers h2", f.onDedicated.PublicDomain(), modern, false, "h2"},
		{"HTTPS2_TLS1_2 refuses TLS 1.1", f.onDedicated.VpcDomain(), tls11, true, ""},
		{"HTTPS2_TLS1_2 refuses TLS 1.0", f.onDedicated.PublicDomain(), tls10, true, ""},
		{"HTTPS2_TLS1_0 (the shared instance's) takes TLS 1.0 and offers h2", f.shared.PublicDomain(), tls10, false, "h2"},
		{"HTTPS1_1_TLS1_0 takes TLS 1.0", onOld.PublicDomain(), tls10, false, "http/1.1"},
		{"HTTPS1_1_TLS1_0 offers no h2", onOld.PublicDomain(), modern, false, "http/1.1"},
		{"a second-level domain of no group, by the default policy", rules.PublicDomain("0123456789abcdef0123456789abcdef", "cn-hangzhou"), modern, false, "h2"},
		{"a custom domain without a certificate", f.internetDomain, modern, true, ""},
		{"a name that is none of Gatehouse's", "www.example.org", modern, true, ""},
		{"an IP address", "127.0.0.1", modern, true, ""},
	}
	for _, c := range cases {
		st, err := handshake(t, l.tls, c.name, c.cfg, roots)
		if (err != nil) != c.refused {
			t.Errorf("%s (%s): handshake error %v, want refused %t", c.what, c.name, err, c.refused)
			continue
		}
		if err == nil && c.cfg.MaxVersion != 0 && st.Version != c.cfg.MaxVersion {
			t.Errorf("%s: TLS version %x, want %x", c.what, st.Version, c.cfg.MaxVersion)
		}
		if err == nil && st.NegotiatedProtocol != c.proto {
			t.Errorf("%s: ALPN %q, want %q", c.what, st.NegotiatedProtocol, c.proto)
		}
		if err == nil && st.PeerCertificates[0].Subject.CommonName != rules.NormalizeDomain(c.name) {
			t.Errorf("%s: served the certificate of %q", c.what, st.PeerCertificates[0].Subject.CommonName)
		}
	}
	if _, err := handshake(t, l.tls, "", &tls.Config{InsecureSkipVerify: true}, roots); err == nil {
		t.Error("a handshake without SNI succeeded")
	}

	// The uploaded certificate, then none.
	pool, certPEM := f.uploadedCert(t, f.shared.ID, f.internetDomain)
	st, err := handshake(t, l.tls, f.internetDomain, modern, pool)
	if err != nil {
		t.Fatalf("the custom domain with its certificate: %v", err)
	}
	if b, _ := pem.Decode([]byte(certPEM)); string(st.PeerCertificates[0].Raw) != string(b.Bytes) {
		t.Error("the custom domain is not served with its uploaded certificate")
	}
	if st.NegotiatedProtocol != "h2" {
		t.Errorf("the custom domain on the shared instance: ALPN %q", st.NegotiatedProtocol)
	}
	if _, err := handshake(t, l.tls, "API.Example.COM", modern, pool); err != nil {
		t.Errorf("the custom domain's name in another case: %v", err)
	}
	pool2, _ := f.uploadedCert(t, f.shared.ID, f.internetDomain)
	if _, err := handshake(t, l.tls, f.internetDomain, modern, pool2); err != nil {
		t.Errorf("the replaced certificate is not served on the next handshake: %v", err)
	}
	if removed, err := f.st.DeleteDomainCertificate(ctx, f.a, f.shared.ID, f.internetDomain, rules.CertificateID(mustGetDomain(t, f.st, f.a.AccountID, f.internetDomain).CertPEM)); err != nil || !removed {
		t.Fatalf("remove: %v %v", removed, err)
	}
	if _, err := handshake(t, l.tls, f.internetDomain, modern, pool2); err == nil {
		t.Error("the removed certificate is still served")
	}
}

func mustGetDomain(t testing.TB, st *store.Store, account, name string) rules.CustomDomain {
	t.Helper()
	d, err := st.GetDomain(context.Background(), account, name)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// Over HTTPS the calls go through the same steps as over HTTP; an API
// answers only the protocols it has (I403PT, on both listeners); a request
// for another name than the handshake's is misdirected.
func TestHTTPSCalls(t *testing.T) {
	f := newFixture(t)
	l := f.listen(t)
	roots := rootsOf(t, f.ca)
	both := mockAPI("both", "GET", "/both", "both")
	both.Protocols = rules.ProtocolsHTTP | rules.ProtocolsHTTPS
	httpsOnly := mockAPI("secure", "GET", "/secure", "secure")
	httpsOnly.Protocols = rules.ProtocolsHTTPS
	f.deploy(t, f.shared.ID, both)
	f.deploy(t, f.shared.ID, httpsOnly)
	f.deploy(t, f.shared.ID, mockAPI("plain", "GET", "/plain", "plain"))
	rec := &calls{}
	f.gw.cfg.Recorder = rec

	c := httpsClient(l.tls, roots)
	public := f.shared.PublicDomain()
	resp, body := get(t, c, "https://"+public+"/both")
	if resp.StatusCode != 200 || body != "both" || resp.ProtoMajor != 2 {
		t.Errorf("an HTTP+HTTPS API over HTTPS: %d %q over %s", resp.StatusCode, body, resp.Proto)
	}
	resp, body = get(t, c, "https://"+public+"/secure")
	if resp.StatusCode != 200 || body != "secure" {
		t.Errorf("an HTTPS API over HTTPS: %d %q", resp.StatusCode, body)
	}
	resp, _ = get(t, c, "https://"+public+"/plain")
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get(headerErrorCode) != "I403PT" || !strings.Contains(resp.Header.Get(headerErrorMessage), "HTTPS") {
		t.Errorf("an HTTP-only API over HTTPS: %d %q %q", resp.StatusCode, resp.Header.Get(headerErrorCode), resp.Header.Get(headerErrorMessage))
	}
	outcome{http.StatusForbidden, "I403PT", ""}.check(t, "an HTTPS-only API over HTTP", f.do(t, direct, "GET", public, "/secure"))
	if n := len(rec.all); n == 0 || rec.all[0].Protocol != rules.ProtocolHTTPS || rec.all[0].Network.Kind != rules.CallerInternet {
		t.Errorf("the HTTPS calls were recorded as %+v", rec.all)
	}

	// Another name on the connection made for public.
	req, _ := http.NewRequest("GET", "https://"+public+"/both", nil)
	req.Host = f.internetDomain
	r, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusMisdirectedRequest || r.Header.Get(HeaderRefused) != "sni" {
		t.Errorf("Host other than the handshake's name: %d %q", r.StatusCode, r.Header.Get(HeaderRefused))
	}
}

// connect sends CONNECT for hostport to the proxy with auth and reads the
// answer.
func connect(t testing.TB, plain, hostport, auth string) *http.Response {
	t.Helper()
	conn, err := net.DialTimeout("tcp", plain, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	req := "CONNECT " + hostport + " HTTP/1.1\r\nHost: " + hostport + "\r\n"
	if auth != "" {
		req += "Proxy-Authorization: " + auth + "\r\n"
	}
	if _, err := io.WriteString(conn, req+"\r\n"); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: "CONNECT"})
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// Through the proxy, CONNECT opens a tunnel to the TLS side after the same
// decision as over HTTP, and the caller's network travels through it: a
// VPC of account B reaches A's shared-instance VPC domain over HTTPS, h2
// included, verified against the CA; the Internet and a VPC of another
// region are refused with the rule; hosts outside Gatehouse and other
// ports are never tunnelled to.
func TestConnectTunnels(t *testing.T) {
	f := newFixture(t)
	l := f.listen(t)
	roots := rootsOf(t, f.ca)
	hello := mockAPI("hello", "GET", "/hello", "through the tunnel")
	hello.Protocols = rules.ProtocolsHTTP | rules.ProtocolsHTTPS
	f.deploy(t, f.shared.ID, hello)
	rec := &calls{}
	f.gw.cfg.Recorder = rec
	vpcDomain := f.shared.VpcDomain()

	inB := Network{Kind: rules.CallerVpc, Vpc: &f.vpcB}
	resp, body := get(t, f.viaProxyTLS(l.plain, inB, roots), "https://"+vpcDomain+"/hello")
	if resp.StatusCode != 200 || body != "through the tunnel" || resp.ProtoMajor != 2 {
		t.Fatalf("B's VPC through a tunnel: %d %q over %s", resp.StatusCode, body, resp.Proto)
	}
	if len(rec.all) != 1 || rec.all[0].Network.Vpc == nil || rec.all[0].Network.Vpc.ID != f.vpcB.ID || rec.all[0].Protocol != rules.ProtocolHTTPS {
		t.Fatalf("the tunnel's call was recorded as %+v (want from %s over HTTPS, and the CONNECT not recorded)", rec.all, f.vpcB.ID)
	}
	resp, body = get(t, f.viaProxyTLS(l.plain, Network{Kind: rules.CallerHybrid, Vpc: &f.vpcA}, roots), "https://"+f.onDedicated.PublicDomain()+"/nothing")
	if resp.StatusCode != http.StatusNotFound || resp.Header.Get(headerErrorCode) != "I404NF" {
		t.Errorf("a public domain through a tunnel: %d %q", resp.StatusCode, body)
	}

	cred := func(nw Network) string { return basic(nw.UserName(), Credential(f.key, nw)) }
	for _, c := range []struct {
		what, hostport, auth string
		status               int
		refused              string
	}{
		{"the Internet to a VPC domain", vpcDomain + ":443", "", http.StatusBadGateway, "R11"},
		{"a VPC of another region", vpcDomain + ":443", cred(Network{Kind: rules.CallerVpc, Vpc: &f.vpcBSh}), http.StatusBadGateway, "R3"},
		{"another VPC than the bound one", f.onDedicated.VpcDomain() + ":443", cred(Network{Kind: rules.CallerVpc, Vpc: &f.vpcA2}), http.StatusBadGateway, "R4"},
		{"a custom domain without a certificate", f.internetDomain + ":443", "", http.StatusBadGateway, "R9"},
		{"a host outside Gatehouse", "www.example.org:443", cred(inB), http.StatusForbidden, "not-gatehouse"},
		{"an IP address", l.tls, cred(inB), http.StatusForbidden, "not-gatehouse"},
		{"another port", vpcDomain + ":8443", cred(inB), http.StatusBadGateway, "proxy"},
		{"wrong credentials", vpcDomain + ":443", basic(f.vpcB.ID, "nope"), http.StatusProxyAuthRequired, "proxy-auth"},
	} {
		resp := connect(t, l.plain, c.hostport, c.auth)
		if resp.StatusCode != c.status || resp.Header.Get(HeaderRefused) != c.refused {
			t.Errorf("CONNECT %s: %d %q, want %d %q", c.what, resp.StatusCode, resp.Header.Get(HeaderRefused), c.status, c.refused)
		}
	}
	var refusedRecorded int
	for _, c := range rec.all {
		if c.Refused {
			refusedRecorded++
		}
	}
	if refusedRecorded == 0 {
		t.Error("no refused CONNECT was recorded")
	}

	// The client that does not wait for the 200 before its ClientHello.
	conn, err := net.Dial("tcp", l.plain)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	tc := tls.Client(&eagerConn{Conn: conn, preface: "CONNECT " + vpcDomain + ":443 HTTP/1.1\r\nHost: " + vpcDomain + ":443\r\nProxy-Authorization: " + cred(inB) + "\r\n\r\n"},
		&tls.Config{ServerName: vpcDomain, RootCAs: roots})
	tc.SetDeadline(time.Now().Add(10 * time.Second))
	if err := tc.Handshake(); err != nil {
		t.Fatalf("a ClientHello sent with the CONNECT: %v", err)
	}
}

// eagerConn writes a CONNECT request in front of the first write (the
// ClientHello) and drops the proxy's 200 from the first reads.
type eagerConn struct {
	net.Conn
	preface string
	skipped bool
	br      *bufio.Reader
}

func (c *eagerConn) Write(b []byte) (int, error) {
	if c.preface != "" {
		p := c.preface
		c.preface = ""
		if _, err := c.Conn.Write(append([]byte(p), b...)); err != nil {
			return 0, err
		}
		return len(b), nil
	}
	return c.Conn.Write(b)
}

func (c *eagerConn) Read(b []byte) (int, error) {
	if c.br == nil {
		c.br = bufio.NewReader(c.Conn)
	}
	if !c.skipped {
		resp, err := http.ReadResponse(c.br, &http.Request{Method: "CONNECT"})
		if err != nil {
			return 0, err
		}
		if resp.StatusCode != 200 {
			return 0, io.ErrUnexpectedEOF
		}
		c.skipped = true
	}
	return c.br.Read(b)
}
