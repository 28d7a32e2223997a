package gateway

import (
	"encoding/base64"
	"errors"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
)

var (
	testKey  = []byte("0123456789abcdef0123456789abcdef")
	vpcA     = &rules.VPC{ID: "vpc-aaaaaaaaaaaaaaaaaaaaaa", AccountID: "1000000000000001", RegionID: "cn-hangzhou"}
	vpcA2    = &rules.VPC{ID: "vpc-aaaaaaaaaaaaaaaaaaaaa2", AccountID: "1000000000000001", RegionID: "cn-hangzhou"}
	vpcB     = &rules.VPC{ID: "vpc-bbbbbbbbbbbbbbbbbbbbbb", AccountID: "2000000000000002", RegionID: "cn-hangzhou"}
	testVpcs = map[string]*rules.VPC{vpcA.ID: vpcA, vpcA2.ID: vpcA2, vpcB.ID: vpcB}
)

func basic(user, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(user+":"+password))
}

func TestProxyURL(t *testing.T) {
	cases := []struct {
		n    Network
		want string
	}{
		{Internet, "http://internet@127.0.0.1:8082"},
		{Network{Kind: rules.CallerVpc, Vpc: vpcA}, "http://" + vpcA.ID + ":" + Credential(testKey, Network{Kind: rules.CallerVpc, Vpc: vpcA}) + "@127.0.0.1:8082"},
		{Network{Kind: rules.CallerHybrid, Vpc: vpcA}, "http://hybrid." + vpcA.ID + ":" + Credential(testKey, Network{Kind: rules.CallerHybrid, Vpc: vpcA}) + "@127.0.0.1:8082"},
	}
	for _, c := range cases {
		got := ProxyURL("127.0.0.1:8082", testKey, c.n)
		if got != c.want {
			t.Errorf("%s: %s, want %s", c.n.UserName(), got, c.want)
		}
		u, err := url.Parse(got)
		if err != nil || u.User.Username() != c.n.UserName() {
			t.Errorf("%s does not parse back: %v", got, err)
		}
	}
}

// A credential proves one network of one account: not another VPC, not
// the hybrid network of the same VPC, not the same VPC id under another
// account, not under another key.
func TestCredentialsAreDistinct(t *testing.T) {
	seen := map[string]string{}
	for _, n := range []Network{
		{Kind: rules.CallerVpc, Vpc: vpcA},
		{Kind: rules.CallerHybrid, Vpc: vpcA},
		{Kind: rules.CallerVpc, Vpc: vpcA2},
		{Kind: rules.CallerVpc, Vpc: &rules.VPC{ID: vpcA.ID, AccountID: vpcB.AccountID}},
		{Kind: rules.CallerVpc, Vpc: vpcB},
	} {
		c := Credential(testKey, n)
		if len(c) != 32 {
			t.Errorf("credential %q: %d characters, want 32", c, len(c))
		}
		who := n.UserName() + "@" + n.Vpc.AccountID
		if other, dup := seen[c]; dup {
			t.Errorf("%s and %s share a credential", who, other)
		}
		seen[c] = who
	}
	if Credential([]byte("another key, another server....."), Network{Kind: rules.CallerVpc, Vpc: vpcA}) == Credential(testKey, Network{Kind: rules.CallerVpc, Vpc: vpcA}) {
		t.Error("two keys make the same credential")
	}
	if Credential(testKey, Internet) != "" {
		t.Error("the Internet has a credential")
	}
}

func TestParseProxyAuthorization(t *testing.T) {
	cases := []struct {
		header string
		want   proxyUser
		err    error
	}{
		{basic("internet", ""), proxyUser{kind: rules.CallerInternet}, nil},
		{basic("Internet", "anything"), proxyUser{kind: rules.CallerInternet}, nil},
		{basic(vpcA.ID, "pw"), proxyUser{kind: rules.CallerVpc, vpcID: vpcA.ID, password: "pw"}, nil},
		{basic("hybrid."+vpcA.ID, "pw"), proxyUser{kind: rules.CallerHybrid, vpcID: vpcA.ID, password: "pw"}, nil},
		{"basic " + base64.StdEncoding.EncodeToString([]byte(vpcA.ID+":a:b")), proxyUser{kind: rules.CallerVpc, vpcID: vpcA.ID, password: "a:b"}, nil},
		{"Bearer abc", proxyUser{}, errAuthScheme},
		{"Basic", proxyUser{}, errAuthScheme},
		{"", proxyUser{}, errAuthScheme},
		{"Basic !!!not-base64", proxyUser{}, errAuthFormat},
		{"Basic " + base64.StdEncoding.EncodeToString([]byte("no-colon")), proxyUser{}, errAuthFormat},
		{basic("vpc-short", "pw"), proxyUser{}, errAuthUser},
		{basic("hybrid.", "pw"), proxyUser{}, errAuthUser},
		{basic("hybrid.internet", "pw"), proxyUser{}, errAuthUser},
		{basic("VPC-AAAAAAAAAAAAAAAAAAAAAA", "pw"), proxyUser{}, errAuthUser},
		{basic("admin", "pw"), proxyUser{}, errAuthUser},
		{basic(vpcA.ID, strings.Repeat("x", 600)), proxyUser{}, errAuthFormat},
	}
	for _, c := range cases {
		got, err := parseProxyAuthorization(c.header)
		if !errors.Is(err, c.err) || got != c.want {
			t.Errorf("%q: %+v, %v; want %+v, %v", c.header, got, err, c.want, c.err)
		}
	}
}

func TestCheckCredential(t *testing.T) {
	vpc := func(v *rules.VPC) Network { return Network{Kind: rules.CallerVpc, Vpc: v} }
	hybrid := func(v *rules.VPC) Network { return Network{Kind: rules.CallerHybrid, Vpc: v} }
	cases := []struct {
		name     string
		user     proxyUser
		want     Network
		refusing bool
	}{
		{"the Internet needs nothing", proxyUser{kind: rules.CallerInternet}, Internet, false},
		{"a VPC with its credential", proxyUser{rules.CallerVpc, vpcA.ID, Credential(testKey, vpc(vpcA))}, vpc(vpcA), false},
		{"a hybrid network with its credential", proxyUser{rules.CallerHybrid, vpcB.ID, Credential(testKey, hybrid(vpcB))}, hybrid(vpcB), false},
		{"another tenant's VPC with one's own credential", proxyUser{rules.CallerVpc, vpcB.ID, Credential(testKey, vpc(vpcA))}, Network{}, true},
		{"another VPC of one's account with one's credential", proxyUser{rules.CallerVpc, vpcA2.ID, Credential(testKey, vpc(vpcA))}, Network{}, true},
		{"a hybrid network with its VPC's credential", proxyUser{rules.CallerHybrid, vpcA.ID, Credential(testKey, vpc(vpcA))}, Network{}, true},
		{"a VPC with its hybrid network's credential", proxyUser{rules.CallerVpc, vpcA.ID, Credential(testKey, hybrid(vpcA))}, Network{}, true},
		{"a credential of another key", proxyUser{rules.CallerVpc, vpcA.ID, Credential([]byte("k"), vpc(vpcA))}, Network{}, true},
		{"a VPC that does not exist", proxyUser{rules.CallerVpc, "vpc-zzzzzzzzzzzzzzzzzzzzzz", Credential(testKey, vpc(&rules.VPC{ID: "vpc-zzzzzzzzzzzzzzzzzzzzzz"}))}, Network{}, true},
		{"no password", proxyUser{rules.CallerVpc, vpcA.ID, ""}, Network{}, true},
		{"a password that is not base64", proxyUser{rules.CallerVpc, vpcA.ID, "not base64 at all!"}, Network{}, true},
		{"a truncated credential", proxyUser{rules.CallerVpc, vpcA.ID, Credential(testKey, vpc(vpcA))[:30]}, Network{}, true},
	}
	for _, c := range cases {
		got, err := checkCredential(testKey, c.user, testVpcs)
		if c.refusing {
			if !errors.Is(err, errAuthDenied) {
				t.Errorf("%s: %+v, %v; want refused", c.name, got, err)
			}
			continue
		}
		if err != nil || got.Kind != c.want.Kind || got.Vpc != c.want.Vpc {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
		}
	}
}
