package openapi_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/rules"
	"gatehouse/web/webtest"
)

// servedCertificate is the certificate the gateway's TLS listener at addr
// serves for name, trusting certPEM alone; "" when the handshake fails.
func servedCertificate(t *testing.T, addr, name, certPEM string) string {
	t.Helper()
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(certPEM))
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, &tls.Config{ServerName: name, RootCAs: pool})
	if err != nil {
		return ""
	}
	defer conn.Close()
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: conn.ConnectionState().PeerCertificates[0].Raw}))
}

// certificatePairs are a matching, a mismatched and an expired pair for
// name.
type certificatePairs struct {
	cert, key                    string
	otherKey                     string
	expiredCert, expiredCertsKey string
}

func pairsFor(t *testing.T, name string) certificatePairs {
	now := time.Now()
	var p certificatePairs
	p.cert, p.key = webtest.CertificatePair(t, name, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	_, p.otherKey = webtest.CertificatePair(t, name, now.Add(-time.Hour), now.Add(90*24*time.Hour))
	p.expiredCert, p.expiredCertsKey = webtest.CertificatePair(t, name, now.Add(-90*24*time.Hour), now.Add(-time.Hour))
	return p
}

// SetDomainCertificate and DeleteDomainCertificate through the official Go
// SDK 1.0 (its cloudapi package has both) against a real `gatehouse
// serve`: a mismatched and an expired pair are refused with R9's codes, a
// matching one is served by the gateway's TLS listener from the next
// handshake, DescribeDomain names its id, and removing it by that id stops
// it; viewers and other accounts change nothing.
func TestSDKDomainCertificates(t *testing.T) {
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("http_proxy", "")
	srv, keys := startServe(t)
	admin := apiClient{newClients(t, srv.api, keys["alice"])}
	viewer := newClients(t, srv.api, keys["victor"])
	rival := newClients(t, srv.api, keys["rita"])
	g := admin.group("sdk_tls")
	const name = "tls.sdk.example.com"
	set := cloudapi.CreateSetDomainRequest()
	admin.at(set)
	set.GroupId, set.DomainName = g, name
	_, err := admin.api.SetDomain(set)
	must(t, "SetDomain", err)
	p := pairsFor(t, name)

	upload := func(c *clients, cert, key string) error {
		req := cloudapi.CreateSetDomainCertificateRequest()
		c.at(req)
		req.GroupId, req.DomainName, req.CertificateName = g, name, "sdk-cert"
		req.CertificateBody, req.CertificatePrivateKey = cert, key
		res, err := c.api.SetDomainCertificate(req)
		if err == nil {
			strictly(t, res, &cloudapi.SetDomainCertificateResponse{})
			if res.RequestId == "" {
				t.Errorf("SetDomainCertificate answered no RequestId: %s", res.GetHttpContentString())
			}
		}
		return err
	}
	refused(t, "a mismatched pair", upload(admin.clients, p.cert, p.otherKey), rules.CodeCertificateKeyMismatch, 400)
	refused(t, "an expired pair", upload(admin.clients, p.expiredCert, p.expiredCertsKey), rules.CodeCertificateExpired, 400)
	refused(t, "no key", upload(admin.clients, p.cert, ""), rules.CodeInvalidPrivateKey, 400)
	refused(t, "the viewer", upload(viewer, p.cert, p.key), "Forbidden", 403)
	refused(t, "another account", upload(rival, p.cert, p.key), rules.CodeGroupNotFound, 404)
	if got := servedCertificate(t, srv.gatewayTLS, name, p.cert); got != "" {
		t.Fatal("a certificate is served before one was uploaded")
	}
	must(t, "SetDomainCertificate", upload(admin.clients, p.cert, p.key))
	if got := servedCertificate(t, srv.gatewayTLS, name, p.cert); got != p.cert {
		t.Fatalf("the gateway serves %q, not the uploaded certificate", got)
	}

	describe := cloudapi.CreateDescribeDomainRequest()
	admin.at(describe)
	describe.GroupId, describe.DomainName = g, name
	d, err := admin.api.DescribeDomain(describe)
	must(t, "DescribeDomain", err)
	if d.CertificateName != "sdk-cert" || d.CertificateBody != p.cert || d.CertificateId != rules.CertificateID(p.cert) || d.CertificatePrivateKey != "" {
		t.Fatalf("DescribeDomain: %s", d.GetHttpContentString())
	}

	remove := func(c *clients, id string) error {
		req := cloudapi.CreateDeleteDomainCertificateRequest()
		c.at(req)
		req.GroupId, req.DomainName, req.CertificateId = g, name, id
		res, err := c.api.DeleteDomainCertificate(req)
		if err == nil {
			strictly(t, res, &cloudapi.DeleteDomainCertificateResponse{})
		}
		return err
	}
	refused(t, "the viewer removing", remove(viewer, d.CertificateId), "Forbidden", 403)
	refused(t, "another account removing", remove(rival, d.CertificateId), rules.CodeGroupNotFound, 404)
	must(t, "DeleteDomainCertificate of another id", remove(admin.clients, "0123456789abcdef0123456789abcdef"))
	if got := servedCertificate(t, srv.gatewayTLS, name, p.cert); got != p.cert {
		t.Fatal("removing another id removed the certificate")
	}
	must(t, "DeleteDomainCertificate", remove(admin.clients, d.CertificateId))
	if got := servedCertificate(t, srv.gatewayTLS, name, p.cert); got != "" {
		t.Fatal("the removed certificate is still served")
	}
	d, err = admin.api.DescribeDomain(describe)
	must(t, "DescribeDomain after the removal", err)
	if d.CertificateId != "" || d.CertificateBody != "" || d.DomainName != name {
		t.Fatalf("DescribeDomain after the removal: %s", d.GetHttpContentString())
	}
	must(t, "DeleteDomainCertificate again", remove(admin.clients, d.CertificateId+"0123456789abcdef0123456789abcdef"))
}

// The same through the current Go SDK (darabonba-openapi/v2's CallApi,
// signed V3).
func TestV3GoSDKDomainCertificates(t *testing.T) {
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("http_proxy", "")
	srv, keys := startServe(t)
	admin := newV3Clients(t, srv.api, keys["alice"])
	var group struct{ GroupId string }
	must(t, "CreateApiGroup", admin.call("CreateApiGroup", map[string]any{"GroupName": "v3_tls", "RegionId": "cn-hangzhou"}, &group))
	const name = "tls.v3.example.com"
	must(t, "SetDomain", admin.call("SetDomain", map[string]any{"GroupId": group.GroupId, "DomainName": name}, nil))
	p := pairsFor(t, name)
	upload := func(cert, key string) error {
		return admin.call("SetDomainCertificate", map[string]any{"GroupId": group.GroupId, "DomainName": name,
			"CertificateName": "v3-cert", "CertificateBody": cert, "CertificatePrivateKey": key}, nil)
	}
	refusedV3(t, "a mismatched pair", upload(p.cert, p.otherKey), rules.CodeCertificateKeyMismatch, 400)
	refusedV3(t, "an expired pair", upload(p.expiredCert, p.expiredCertsKey), rules.CodeCertificateExpired, 400)
	var set struct{ RequestId, CertificateId string }
	must(t, "SetDomainCertificate", admin.call("SetDomainCertificate", map[string]any{"GroupId": group.GroupId, "DomainName": name,
		"CertificateName": "v3-cert", "CertificateBody": p.cert, "CertificatePrivateKey": p.key}, &set))
	if set.RequestId == "" || set.CertificateId != rules.CertificateID(p.cert) {
		t.Fatalf("SetDomainCertificate answered %+v", set)
	}
	if got := servedCertificate(t, srv.gatewayTLS, name, p.cert); got != p.cert {
		t.Fatal("the gateway does not serve the uploaded certificate")
	}
	must(t, "DeleteDomainCertificate", admin.call("DeleteDomainCertificate", map[string]any{"GroupId": group.GroupId, "DomainName": name,
		"CertificateId": set.CertificateId}, nil))
	if got := servedCertificate(t, srv.gatewayTLS, name, p.cert); got != "" {
		t.Fatal("the removed certificate is still served")
	}
	refusedV3(t, "without CertificateId", admin.call("DeleteDomainCertificate", map[string]any{"GroupId": group.GroupId, "DomainName": name}, nil),
		"MissingParameter", 400)
}
