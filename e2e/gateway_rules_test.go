//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/rules"
)

// The rules of SPEC §2 on real traffic: for each, a call through the real
// gateway that is served and one that is refused, made with the proxy
// URLs `gatehouse network url` prints, as a test suite would.

var (
	domainSeq atomic.Int64
	runStamp  = time.Now().UnixNano() % 1_000_000
)

// uniqueName is a custom domain name no other test (nor run) uses.
func uniqueName(prefix string) string {
	return fmt.Sprintf("%s-%d-%d.gateway-e2e.example.com", prefix, domainSeq.Add(1), runStamp)
}

// world is two tenants: A with two VPCs in cn-hangzhou and a dedicated
// instance bound to the first; B with a VPC in cn-hangzhou and one in
// cn-shanghai. Each network has its proxy client.
type world struct {
	a, b                         *tenant
	a1, a1vsw, a2, a2vsw         string
	b1, b2                       string
	dedicated                    string
	inA1, inA2, inB1, inB2       *http.Client
	hybridA1, internet, directly *http.Client
}

func newWorld(t *testing.T) *world {
	t.Helper()
	w := &world{a: newTenant(t, nil), b: newTenant(t, nil)}
	w.a1, w.a1vsw = w.a.vpc("cn-hangzhou", "172.16.0.0/12", "172.16.1.0/24")
	w.a2, w.a2vsw = w.a.vpc("cn-hangzhou", "192.168.0.0/16", "192.168.1.0/24")
	w.b1, _ = w.b.vpc("cn-hangzhou", "10.0.0.0/8", "10.1.0.0/16")
	w.b2, _ = w.b.vpc("cn-shanghai", "10.0.0.0/8", "10.1.0.0/16")
	w.dedicated = w.a.instance("cn-hangzhou")
	w.a.bind(w.dedicated, w.a1, w.a1vsw)
	w.inA1 = viaProxy(t, networkURL(t, nil, "--vpc", w.a1))
	w.inA2 = viaProxy(t, networkURL(t, nil, "--vpc", w.a2))
	w.inB1 = viaProxy(t, networkURL(t, nil, "--vpc", w.b1))
	w.inB2 = viaProxy(t, networkURL(t, nil, "--vpc", w.b2))
	w.hybridA1 = viaProxy(t, networkURL(t, nil, "--vpc", w.a1, "--hybrid"))
	w.internet = viaProxy(t, networkURL(t, nil, "--internet"))
	w.directly = straight(nil)
	return w
}

// hello deploys GET /hello answering body in a group.
func hello(tn *tenant, groupID, body string) {
	tn.deploy(groupID, apiSpec{name: "hello", method: "GET", path: "/hello", mockBody: body})
}

func at(domain, path string) string { return "http://" + domain + path }

// R2: the public second-level domain serves callers anywhere; a VPC
// domain that is not enabled does not exist.
func TestGatewayR2PublicDomain(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("r2_public", "cn-hangzhou", "")
	hello(w.a, g, `{"r2":"public"}`)
	public := rules.PublicDomain(g, "cn-hangzhou")
	expectServed(t, "the public domain from the Internet, through the proxy", send(t, w.internet, "GET", at(public, "/hello")), `{"r2":"public"}`)
	expectServed(t, "the public domain, straight to the gateway", send(t, w.directly, "GET", at(public, "/hello")), `{"r2":"public"}`)
	expectServed(t, "the public domain from another account's VPC", send(t, w.inB1, "GET", at(public, "/hello")), `{"r2":"public"}`)
	expectNetworkRefused(t, "the VPC domain, not enabled", send(t, w.inA1, "GET", at(rules.VpcDomain(g, "cn-hangzhou"), "/hello")), "R2")
}

// R3: a shared instance's VPC domain reaches every account's VPCs of its
// region, and only those.
func TestGatewayR3SharedAcrossAccounts(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("r3_shared", "cn-hangzhou", "")
	vpcDomain := w.a.enableVpcDomain(g)
	hello(w.a, g, `{"r3":"shared"}`)
	expectServed(t, "A's own VPC", send(t, w.inA1, "GET", at(vpcDomain, "/hello")), `{"r3":"shared"}`)
	expectServed(t, "account B's VPC calls account A's group", send(t, w.inB1, "GET", at(vpcDomain, "/hello")), `{"r3":"shared"}`)
	refused := send(t, w.inB2, "GET", at(vpcDomain, "/hello"))
	expectNetworkRefused(t, "B's VPC in cn-shanghai", refused, "R3")
	if strings.Contains(refused.body, "r3_shared") {
		t.Errorf("the refusal names A's group to B: %q", refused.body)
	}
}

// R4: a dedicated instance's groups answer only the bound VPC.
func TestGatewayR4Dedicated(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("r4_dedicated", "cn-hangzhou", w.dedicated)
	vpcDomain := w.a.enableVpcDomain(g)
	hello(w.a, g, `{"r4":"bound"}`)
	expectServed(t, "the bound VPC", send(t, w.inA1, "GET", at(vpcDomain, "/hello")), `{"r4":"bound"}`)
	expectNetworkRefused(t, "another VPC of the account", send(t, w.inA2, "GET", at(vpcDomain, "/hello")), "R4")
	refused := send(t, w.inB1, "GET", at(vpcDomain, "/hello"))
	expectNetworkRefused(t, "another account's VPC", refused, "R4")
	for _, secret := range []string{"r4_dedicated", w.dedicated, w.a1} {
		if strings.Contains(refused.body, secret) {
			t.Errorf("the refusal to B reveals %q: %q", secret, refused.body)
		}
	}
}

// R5: a group on an unbound dedicated instance has no VPC domain; once the
// instance is bound, it has one and serves the bound VPC.
func TestGatewayR5UnboundInstance(t *testing.T) {
	w := newWorld(t)
	inst := w.a.instance("cn-hangzhou")
	g := w.a.group("r5_unbound", "cn-hangzhou", inst)
	hello(w.a, g, `{"r5":"bound now"}`)
	vpcDomain := rules.VpcDomain(g, "cn-hangzhou")
	if _, err := w.a.try(versionCloudAPI, "CreateIntranetDomain", map[string]string{"GroupId": g}); err == nil || !strings.Contains(err.Error(), "InstanceNotBoundToVpc") {
		t.Fatalf("enabling the VPC domain on an unbound instance: %v", err)
	}
	expectNetworkRefused(t, "the VPC domain of a group on an unbound instance", send(t, w.inA1, "GET", at(vpcDomain, "/hello")), "R2")
	w.a.bind(inst, w.a2, w.a2vsw)
	w.a.enableVpcDomain(g)
	expectServed(t, "the VPC domain once the instance is bound", send(t, w.inA2, "GET", at(vpcDomain, "/hello")), `{"r5":"bound now"}`)
}

// R6: rebinding moves every group of the instance to the new VPC at once:
// the next call of the old VPC is refused, the new VPC's is served.
func TestGatewayR6Rebind(t *testing.T) {
	w := newWorld(t)
	g1 := w.a.group("r6_first", "cn-hangzhou", w.dedicated)
	g2 := w.a.group("r6_second", "cn-hangzhou", w.dedicated)
	d1, d2 := w.a.enableVpcDomain(g1), w.a.enableVpcDomain(g2)
	hello(w.a, g1, `{"r6":1}`)
	hello(w.a, g2, `{"r6":2}`)
	expectServed(t, "before: the old VPC", send(t, w.inA1, "GET", at(d1, "/hello")), `{"r6":1}`)
	expectNetworkRefused(t, "before: the new VPC", send(t, w.inA2, "GET", at(d1, "/hello")), "R4")
	w.a.bind(w.dedicated, w.a2, w.a2vsw)
	for _, d := range []struct{ domain, body string }{{d1, `{"r6":1}`}, {d2, `{"r6":2}`}} {
		expectNetworkRefused(t, "after: the old VPC, "+d.domain, send(t, w.inA1, "GET", at(d.domain, "/hello")), "R4")
		expectServed(t, "after: the new VPC, "+d.domain, send(t, w.inA2, "GET", at(d.domain, "/hello")), d.body)
	}
}

// R8: a group moved from the shared instance to a dedicated one answers
// only the bound VPC from the next call on; a move to an unbound instance
// is refused.
func TestGatewayR8Move(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("r8_moving", "cn-hangzhou", "")
	vpcDomain := w.a.enableVpcDomain(g)
	hello(w.a, g, `{"r8":"moved"}`)
	expectServed(t, "on the shared instance, B's VPC", send(t, w.inB1, "GET", at(vpcDomain, "/hello")), `{"r8":"moved"}`)
	if err := w.a.move(g, w.a.instance("cn-hangzhou")); err == nil || !strings.Contains(err.Error(), "InstanceNotBoundToVpc") {
		t.Fatalf("moving to an unbound instance: %v", err)
	}
	expectServed(t, "after the refused move, B's VPC", send(t, w.inB1, "GET", at(vpcDomain, "/hello")), `{"r8":"moved"}`)
	if err := w.a.move(g, w.dedicated); err != nil {
		t.Fatal(err)
	}
	expectNetworkRefused(t, "after the move, B's VPC", send(t, w.inB1, "GET", at(vpcDomain, "/hello")), "R4")
	expectServed(t, "after the move, the bound VPC", send(t, w.inA1, "GET", at(vpcDomain, "/hello")), `{"r8":"moved"}`)
}

// R9: an INTRANET custom domain answers the bound VPC only; an INTERNET one
// answers anyone; an API with DisableInternet only the former.
func TestGatewayR9CustomDomains(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("r9_custom", "cn-hangzhou", w.dedicated)
	w.a.enableVpcDomain(g)
	hello(w.a, g, `{"r9":"custom"}`)
	w.a.deploy(g, apiSpec{name: "private", method: "GET", path: "/private", mockBody: `{"r9":"private"}`, disableInternet: true})
	intranet, internet := uniqueName("intra"), uniqueName("www")
	w.a.customDomain(g, intranet, "INTRANET")
	w.a.customDomain(g, internet, "INTERNET")

	expectServed(t, "INTRANET, from the bound VPC", send(t, w.inA1, "GET", at(intranet, "/hello")), `{"r9":"custom"}`)
	expectNetworkRefused(t, "INTRANET, from another VPC", send(t, w.inA2, "GET", at(intranet, "/hello")), "R4")
	expectNetworkRefused(t, "INTRANET, from the Internet", send(t, w.internet, "GET", at(intranet, "/hello")), "R11")
	expectServed(t, "INTERNET, from the Internet", send(t, w.directly, "GET", at(internet, "/hello")), `{"r9":"custom"}`)
	expectServed(t, "a DisableInternet API on the INTRANET domain", send(t, w.inA1, "GET", at(intranet, "/private")), `{"r9":"private"}`)
	expectCode(t, "a DisableInternet API on the INTERNET domain", send(t, w.internet, "GET", at(internet, "/private")), http.StatusForbidden, "A403IN")
	expectCode(t, "a DisableInternet API on the public domain", send(t, w.inA1, "GET", at(rules.PublicDomain(g, "cn-hangzhou"), "/private")), http.StatusForbidden, "A403IN")
}

// R10: a network joined to the bound VPC reaches the dedicated instance's
// endpoint, not a shared instance's 100.x address.
func TestGatewayR10Hybrid(t *testing.T) {
	w := newWorld(t)
	onDedicated := w.a.group("r10_dedicated", "cn-hangzhou", w.dedicated)
	onShared := w.a.group("r10_shared", "cn-hangzhou", "")
	d, s := w.a.enableVpcDomain(onDedicated), w.a.enableVpcDomain(onShared)
	hello(w.a, onDedicated, `{"r10":"endpoint"}`)
	hello(w.a, onShared, `{"r10":"100.x"}`)
	expectServed(t, "hybrid, the dedicated instance's endpoint", send(t, w.hybridA1, "GET", at(d, "/hello")), `{"r10":"endpoint"}`)
	refused := send(t, w.hybridA1, "GET", at(s, "/hello"))
	expectNetworkRefused(t, "hybrid, the shared instance", refused, "R10")
	if !strings.Contains(refused.body, "100.") {
		t.Errorf("R10's refusal does not say why: %q", refused.body)
	}
}

// R11: the Internet never resolves a VPC domain, through the proxy or
// straight to the gateway.
func TestGatewayR11Internet(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("r11_internet", "cn-hangzhou", "")
	vpcDomain := w.a.enableVpcDomain(g)
	hello(w.a, g, `{"r11":"public"}`)
	expectNetworkRefused(t, "the VPC domain from the Internet, through the proxy", send(t, w.internet, "GET", at(vpcDomain, "/hello")), "R11")
	expectNetworkRefused(t, "the VPC domain, straight to the gateway", send(t, w.directly, "GET", at(vpcDomain, "/hello")), "R11")
	expectServed(t, "the public domain from the Internet", send(t, w.internet, "GET", at(rules.PublicDomain(g, "cn-hangzhou"), "/hello")), `{"r11":"public"}`)
	expectServed(t, "the VPC domain from a VPC", send(t, w.inA1, "GET", at(vpcDomain, "/hello")), `{"r11":"public"}`)
}

// Stages: X-Ca-Stage picks the deployment; RELEASE when absent.
func TestGatewayStages(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("stages", "cn-hangzhou", "")
	w.a.deploy(g, apiSpec{name: "staged", method: "GET", path: "/v", mockBody: "test"}, "TEST")
	public := rules.PublicDomain(g, "cn-hangzhou")
	expectCode(t, "RELEASE, where it is not deployed", send(t, w.directly, "GET", at(public, "/v")), http.StatusNotFound, "I404NF")
	expectServed(t, "TEST", send(t, w.directly, "GET", at(public, "/v"), "X-Ca-Stage", "TEST"), "test")
	expectCode(t, "an unknown stage", send(t, w.directly, "GET", at(public, "/v"), "X-Ca-Stage", "LIVE"), http.StatusBadRequest, "I400SG")
	expectCode(t, "a path no API has", send(t, w.directly, "GET", at(public, "/nothing"), "X-Ca-Stage", "TEST"), http.StatusNotFound, "I404NF")
}
