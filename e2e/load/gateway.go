package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// The gateway's scenarios: calls on the groups' domains through the
// gateway of the large database's server, beside the bare handler.
//
//   - a Mock API on an INTERNET custom domain, straight to the gateway
//     (the plain gateway: uncounted);
//   - the same API on its group's VPC domain, through the proxy as a
//     caller in the bound VPC (Proxy-Authorization from `gatehouse network
//     url`);
//   - a Mock API on a group's public second-level domain, counted against
//     R2's daily limit (set high by flag, so every call is counted and
//     admitted);
//   - an HTTP API whose backend is the bare handler itself, so that it
//     compares with calling that backend directly (the bare scenario);
//   - the custom domain's Mock API over HTTPS on the TLS listener, with the
//     certificate uploaded through SetDomainCertificate, each client
//     keeping its TLS session alive (HTTP/1.1 keep-alive).

// Scenario names, as the table shows them.
const (
	nameGwCustom = "Gateway: Mock API, custom domain, direct"
	nameGwProxy  = "Gateway: Mock API, VPC domain, through the proxy"
	nameGwPublic = "Gateway: Mock API, public domain (counted)"
	nameGwHTTP   = "Gateway: HTTP API, backend = the bare handler"
	nameGwHTTPS  = "Gateway: Mock API over HTTPS, custom domain, keep-alive"
)

// mockAnswer is what the Mock APIs answer: as small as the bare handler's.
const mockAnswer = `ok`

// publicDailyLimit is the server's R2 limit in the load run: high enough
// that the counted scenario is never refused, so it measures the count.
const publicDailyLimit = "1000000000"

// gatewayFixture is what the gateway scenarios call.
type gatewayFixture struct {
	gateway    string      // the gateway's host:port
	gatewayTLS string      // its HTTPS listener's host:port
	tls        *tls.Config // trusts the custom domain's uploaded certificate
	customHost string      // an INTERNET custom domain of a group on a dedicated instance
	vpcHost    string      // that group's VPC domain
	publicHost string      // a group's public domain on the shared instance
	proxyAuth  string      // Proxy-Authorization of the VPC the instance is bound to
}

// gatewayAccount is the account the gateway's scenarios call the APIs of:
// another than the logged-in one, whose group count the console's
// scenarios check.
const gatewayAccount = "gateway-bench"

// setupGateway makes, through the OpenAPI endpoint as an account of its
// own, a VPC and a dedicated instance bound to it, a group on it with its
// VPC domain and a custom domain, a group on the shared instance, and
// their APIs, deployed; then reads the VPC's proxy URL with the command
// line.
func setupGateway(ctx context.Context, cfg config, db *database, srv *server, bareAddr string) (*gatewayFixture, error) {
	if _, err := gatehouse(ctx, cfg.gatehouse, db.password+"\n", "user", "add", "--db", db.path, "--account", gatewayAccount, "--name", "gwbench", "--role", "admin"); err != nil {
		return nil, err
	}
	out, err := gatehouse(ctx, cfg.gatehouse, "", "accesskey", "create", "--db", db.path, "--user", "gwbench")
	if err != nil {
		return nil, err
	}
	var key struct{ AccessKeyId, AccessKeySecret string }
	if err := json.Unmarshal(out, &key); err != nil {
		return nil, fmt.Errorf("accesskey create printed %q: %w", out, err)
	}
	s := signer{keyID: key.AccessKeyId, secret: key.AccessKeySecret}
	api := srv.addrs["openapi"]
	call := func(version, action string, params ...param) map[string]any {
		if err != nil {
			return nil
		}
		var out map[string]any
		out, err = openAPI(ctx, api, s, version, action, params...)
		return out
	}
	const cloud, vpcAPI = "2016-07-14", "2016-04-28"
	vpcID := str(call(vpcAPI, "CreateVpc", param{"RegionId", "cn-hangzhou"}, param{"CidrBlock", "10.0.0.0/8"}, param{"VpcName", "bench-gateway"}), "VpcId")
	vswID := str(call(vpcAPI, "CreateVSwitch", param{"VpcId", vpcID}, param{"ZoneId", "cn-hangzhou-g"}, param{"CidrBlock", "10.0.1.0/24"}, param{"VSwitchName", "bench"}), "VSwitchId")
	inst := str(call(cloud, "CreateInstance", param{"InstanceName", "bench-gateway"}, param{"InstanceSpec", "api.s1.small"}, param{"ZoneId", "cn-hangzhou-g"},
		param{"HttpsPolicy", "HTTPS2_TLS1_2"}, param{"ChargeType", "PostPaid"}), "InstanceId")
	call(cloud, "ModifyInstanceVpcAttributeForConsole", param{"InstanceId", inst}, param{"VpcId", vpcID}, param{"VswitchId", vswID}, param{"Token", "bench"})
	onDedicated := str(call(cloud, "CreateApiGroup", param{"GroupName", "bench_gateway"}, param{"RegionId", "cn-hangzhou"}, param{"InstanceId", inst}), "GroupId")
	fx := &gatewayFixture{gateway: srv.addrs["gateway"], gatewayTLS: srv.addrs["gateway-tls"], customHost: "api.gateway-bench.example.com"}
	fx.vpcHost = str(call(cloud, "CreateIntranetDomain", param{"GroupId", onDedicated}), "DomainName")
	call(cloud, "SetDomain", param{"GroupId", onDedicated}, param{"DomainName", fx.customHost}, param{"CustomDomainType", "INTERNET"})
	certPEM, keyPEM, certErr := certificateFor(fx.customHost)
	if certErr != nil {
		return nil, certErr
	}
	call(cloud, "SetDomainCertificate", param{"GroupId", onDedicated}, param{"DomainName", fx.customHost}, param{"CertificateName", "bench"},
		param{"CertificateBody", certPEM}, param{"CertificatePrivateKey", keyPEM})
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM([]byte(certPEM))
	fx.tls = &tls.Config{ServerName: fx.customHost, RootCAs: roots}
	onShared := str(call(cloud, "CreateApiGroup", param{"GroupName", "bench_public"}, param{"RegionId", "cn-hangzhou"}), "GroupId")
	deploy := func(group, name, path string, service map[string]any) {
		reqCfg, _ := json.Marshal(map[string]any{"RequestProtocol": "HTTP,HTTPS", "RequestHttpMethod": "GET", "RequestPath": path, "RequestMode": "PASSTHROUGH"})
		svcCfg, _ := json.Marshal(service)
		id := str(call(cloud, "CreateApi", param{"GroupId", group}, param{"ApiName", name}, param{"Visibility", "PRIVATE"}, param{"AuthType", "ANONYMOUS"},
			param{"ResultType", "JSON"}, param{"RequestConfig", string(reqCfg)}, param{"ServiceConfig", string(svcCfg)}), "ApiId")
		call(cloud, "DeployApi", param{"GroupId", group}, param{"ApiId", id}, param{"StageName", "RELEASE"}, param{"Description", "load run"})
	}
	mock := map[string]any{"Mock": "TRUE", "MockResult": mockAnswer, "MockStatusCode": 200}
	deploy(onDedicated, "hello", "/hello", mock)
	deploy(onDedicated, "forwarded", "/forwarded", map[string]any{"Mock": "FALSE", "ServiceProtocol": "HTTP", "ServiceAddress": "http://" + bareAddr,
		"ServicePath": "/", "ServiceHttpMethod": "GET", "ServiceTimeout": 10000})
	deploy(onShared, "hello", "/hello", mock)
	if err != nil {
		return nil, fmt.Errorf("setting up the gateway's APIs: %w", err)
	}
	fx.publicHost = onShared + "-cn-hangzhou.alicloudapi.com"

	out, err = gatehouse(ctx, cfg.gatehouse, "", "network", "url", "--db", db.path, "--vpc", vpcID, "--gateway-addr", fx.gateway)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(strings.TrimSpace(string(out)))
	if err != nil || u.User == nil {
		return nil, fmt.Errorf("gatehouse network url printed %q: %v", out, err)
	}
	pw, _ := u.User.Password()
	fx.proxyAuth = "Basic " + base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pw))
	return fx, nil
}

// openAPI calls an action of the OpenAPI endpoint, signed as the SDK
// signs, and decodes its JSON answer.
func openAPI(ctx context.Context, addr string, s signer, version, action string, params ...param) (map[string]any, error) {
	q := s.query("GET", version, fmt.Sprintf("gw-%s-%d", action, time.Now().UnixNano()), time.Now(), append(params, param{"Action", action})...)
	req, err := http.NewRequestWithContext(ctx, "GET", "http://"+addr+"/?"+q, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %d %s", action, resp.StatusCode, body)
	}
	var out map[string]any
	if err := json.Unmarshal(body, &out); err != nil {
		return nil, fmt.Errorf("%s: %q: %w", action, body, err)
	}
	return out, nil
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// gatewayScenarios are the four calls, each on the gateway's listener.
func gatewayScenarios(fx *gatewayFixture) []test {
	get := func(target, host, extra string) []byte {
		return []byte("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: load\r\nAccept: */*\r\n" + extra + "\r\n")
	}
	scenario := func(name string, req []byte, body *regexp.Regexp) test {
		return test{
			scenario: scenario{name: name, want: 200, next: func(_ *worker, _ int, dst []byte) []byte { return append(dst, req...) }},
			addr:     fx.gateway,
			check: func(w *worker) (sample, error) {
				r, err := w.b.send(req, true)
				if err != nil {
					return sample{}, err
				}
				if r.status != 200 || !body.Match(r.body) {
					return sample{}, fmt.Errorf("%s: status %d, body %q", name, r.status, r.body)
				}
				return sample{wire: int64(r.wire), plain: int64(len(r.body)), encoding: r.encoding}, nil
			},
		}
	}
	mock := regexp.MustCompile("^" + regexp.QuoteMeta(mockAnswer) + "$")
	overTLS := scenario(nameGwHTTPS, get("/hello", fx.customHost, ""), mock)
	overTLS.addr, overTLS.tls = fx.gatewayTLS, fx.tls
	return []test{
		scenario(nameGwCustom, get("/hello", fx.customHost, ""), mock),
		scenario(nameGwProxy, get("http://"+fx.vpcHost+"/hello", fx.vpcHost, "Proxy-Authorization: "+fx.proxyAuth+"\r\n"), mock),
		scenario(nameGwPublic, get("/hello", fx.publicHost, ""), mock),
		scenario(nameGwHTTP, get("/forwarded", fx.customHost, ""), regexp.MustCompile(`^ok\n$`)),
		overTLS,
	}
}

// certificateFor makes a self-signed certificate for name and its key, in
// PEM: what an operator uploads for a custom domain.
func certificateFor(name string) (certPEM, keyPEM string, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", err
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name}, DNSNames: []string{name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(30 * 24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return "", "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})), nil
}
