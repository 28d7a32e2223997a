package openapi_test

import (
	"crypto/tls"
	"crypto/x509"
	"net"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
)

// tlsHandshake dials the gateway's TLS listener at addr for name with the
// versions and ALPN of cfg, trusting roots, and returns what was agreed.
func tlsHandshake(addr, name string, roots *x509.CertPool, cfg *tls.Config) (tls.ConnectionState, error) {
	cfg = cfg.Clone()
	cfg.ServerName, cfg.RootCAs = name, roots
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 5 * time.Second}, "tcp", addr, cfg)
	if err != nil {
		return tls.ConnectionState{}, err
	}
	defer conn.Close()
	return conn.ConnectionState(), nil
}

// ModifyInstanceAttribute through the official Go SDK 1.0 (its cloudapi
// package lacks the action: CommonRequest, as for the other such actions)
// against a real `gatehouse serve`: DescribeInstances shows the new name
// and policy, and the gateway's TLS listener follows the policy from the
// next handshake: a TLS 1.1 client accepted under HTTPS1_1_TLS1_0 is
// refused under HTTPS2_TLS1_2, which offers h2. Bad input, the shared
// instance, the viewer and another account change nothing.
func TestSDKModifyInstanceAttribute(t *testing.T) {
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("http_proxy", "")
	srv, keys := startServe(t)
	admin := apiClient{newClients(t, srv.api, keys["alice"])}
	viewer := newClients(t, srv.api, keys["victor"])
	rival := newClients(t, srv.api, keys["rita"])

	create := cloudapi.CreateCreateInstanceRequest()
	admin.at(create)
	create.InstanceName, create.InstanceSpec, create.ZoneId, create.HttpsPolicy = "sdk-legacy", "api.s1.small", "cn-hangzhou-g", "HTTPS1_1_TLS1_0"
	inst, err := admin.api.CreateInstance(create)
	must(t, "CreateInstance", err)
	group := cloudapi.CreateCreateApiGroupRequest()
	admin.at(group)
	group.GroupName, group.InstanceId = "sdk_on_legacy", inst.InstanceId
	g, err := admin.api.CreateApiGroup(group)
	must(t, "CreateApiGroup", err)
	domain := rules.PublicDomain(g.GroupId, "cn-hangzhou")

	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM([]byte(gatehouse(t, gatehouseBinary(t), "", "ca", "--db", srv.db))) {
		t.Fatal("gatehouse ca printed no certificate")
	}
	tls11 := &tls.Config{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11, NextProtos: []string{"h2", "http/1.1"}}
	modern := &tls.Config{NextProtos: []string{"h2", "http/1.1"}}
	if st, err := tlsHandshake(srv.gatewayTLS, domain, roots, tls11); err != nil || st.Version != tls.VersionTLS11 || st.NegotiatedProtocol != "http/1.1" {
		t.Fatalf("HTTPS1_1_TLS1_0, a TLS 1.1 client: %v, version %x, ALPN %q", err, st.Version, st.NegotiatedProtocol)
	}
	if st, err := tlsHandshake(srv.gatewayTLS, domain, roots, modern); err != nil || st.NegotiatedProtocol != "http/1.1" {
		t.Fatalf("HTTPS1_1_TLS1_0 offers no h2: %v, ALPN %q", err, st.NegotiatedProtocol)
	}

	describe := func() cloudapi.InstanceAttribute {
		t.Helper()
		req := cloudapi.CreateDescribeInstancesRequest()
		admin.at(req)
		req.InstanceId = inst.InstanceId
		res, err := admin.api.DescribeInstances(req)
		must(t, "DescribeInstances", err)
		if len(res.Instances.InstanceAttribute) != 1 {
			t.Fatalf("DescribeInstances: %s", res.GetHttpContentString())
		}
		return res.Instances.InstanceAttribute[0]
	}
	modify := func(c *clients, p map[string]string) error {
		var out struct{ RequestId string }
		err := c.common(openapi.VersionCloudAPI, "ModifyInstanceAttribute", p, &out)
		if err == nil && out.RequestId == "" {
			t.Errorf("ModifyInstanceAttribute answered no RequestId")
		}
		return err
	}
	id := inst.InstanceId
	for _, tc := range []struct {
		what   string
		c      *clients
		p      map[string]string
		code   string
		status int
	}{
		{"no InstanceId", admin.clients, map[string]string{"InstanceName": "x-gw"}, "MissingParameter", 400},
		{"nothing to change", admin.clients, map[string]string{"InstanceId": id}, rules.CodeNothingToModify, 400},
		{"an unknown instance", admin.clients, map[string]string{"InstanceId": "apigateway-cn-hangzhou-000000000000", "InstanceName": "x-gw"}, rules.CodeInstanceNotFound, 404},
		{"an unknown policy", admin.clients, map[string]string{"InstanceId": id, "InstanceName": "fine-name", "HttpsPolicy": "HTTPS3_TLS1_3"}, rules.CodeInvalidHTTPSPolicy, 400},
		{"an empty policy", admin.clients, map[string]string{"InstanceId": id, "HttpsPolicy": ""}, rules.CodeInvalidHTTPSPolicy, 400},
		{"a bad name", admin.clients, map[string]string{"InstanceId": id, "InstanceName": "bad name", "HttpsPolicy": "HTTPS2_TLS1_2"}, rules.CodeInvalidInstanceName, 400},
		{"the shared instance", admin.clients, map[string]string{"InstanceId": "api-shared-vpc-001", "HttpsPolicy": "HTTPS2_TLS1_2"}, rules.CodeSharedInstanceReadOnly, 400},
		{"an attribute not modelled", admin.clients, map[string]string{"InstanceId": id, "HttpsPolicy": "HTTPS2_TLS1_2", "IPV6Enabled": "true"}, "InvalidParameter", 400},
		{"a flattened attribute not modelled", admin.clients, map[string]string{"InstanceId": id, "ToConnectVpcIpBlock.CidrBlock": "10.0.0.0/8"}, "InvalidParameter", 400},
		{"the viewer", viewer, map[string]string{"InstanceId": id, "HttpsPolicy": "HTTPS2_TLS1_2"}, "Forbidden", 403},
		{"another account", rival, map[string]string{"InstanceId": id, "HttpsPolicy": "HTTPS2_TLS1_2"}, rules.CodeInstanceNotFound, 404},
	} {
		refused(t, tc.what, modify(tc.c, tc.p), tc.code, tc.status)
	}
	if a := describe(); a.InstanceName != "sdk-legacy" || a.HttpsPolicies != "HTTPS1_1_TLS1_0" {
		t.Fatalf("refused changes changed the instance: %q %q", a.InstanceName, a.HttpsPolicies)
	}

	must(t, "ModifyInstanceAttribute", modify(admin.clients, map[string]string{"InstanceId": id, "InstanceName": " sdk-strict ", "HttpsPolicy": "HTTPS2_TLS1_2", "Token": "c20d86c4"}))
	if a := describe(); a.InstanceName != "sdk-strict" || a.HttpsPolicies != "HTTPS2_TLS1_2" || a.InstanceSpec != "api.s1.small" || a.ZoneId != "cn-hangzhou-g" {
		t.Fatalf("DescribeInstances after the change: %+v", a)
	}
	if _, err := tlsHandshake(srv.gatewayTLS, domain, roots, tls11); err == nil {
		t.Fatal("HTTPS2_TLS1_2: the TLS 1.1 client accepted before the change is still accepted")
	}
	if st, err := tlsHandshake(srv.gatewayTLS, domain, roots, modern); err != nil || st.NegotiatedProtocol != "h2" {
		t.Fatalf("HTTPS2_TLS1_2 offers h2: %v, ALPN %q", err, st.NegotiatedProtocol)
	}

	// The name alone keeps the policy.
	must(t, "ModifyInstanceAttribute (name)", modify(admin.clients, map[string]string{"InstanceId": id, "InstanceName": "sdk-renamed"}))
	if a := describe(); a.InstanceName != "sdk-renamed" || a.HttpsPolicies != "HTTPS2_TLS1_2" {
		t.Fatalf("after renaming: %q %q", a.InstanceName, a.HttpsPolicies)
	}
}
