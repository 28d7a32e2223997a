package rules_test

import (
	"fmt"
	"strings"
	"testing"

	"gatehouse/rules"
)

// The instance states of the decision matrix, in column order.
var columns = []struct {
	name string
	inst rules.Instance
}{
	{"shared", shared},
	{"dedicated unbound", dedUnbound},
	{"dedicated bound to the caller's VPC", dedBoundA},
	{"dedicated bound to another VPC", dedBoundB},
}

var callers = map[rules.CallerKind]rules.Caller{
	rules.CallerVpc:      {Kind: rules.CallerVpc, Vpc: &vpcA},
	rules.CallerHybrid:   {Kind: rules.CallerHybrid, Vpc: &vpcA}, // joined to vpcA
	rules.CallerInternet: {Kind: rules.CallerInternet},
}

// target builds the name of the given kind for a group on inst.
func target(kind string, inst rules.Instance) rules.Target {
	g := group(inst, kind != "vpc not enabled")
	t := rules.Target{Group: &g, Instance: &inst}
	switch kind {
	case "public":
		t.Name, t.Kind = g.PublicDomain(), rules.DomainPublic
	case "vpc enabled", "vpc not enabled":
		t.Name, t.Kind = g.VpcDomain(), rules.DomainVpc
	case "custom internet", "custom intranet":
		nt := rules.NetworkInternet
		if kind == "custom intranet" {
			nt = rules.NetworkIntranet
		}
		t.Name, t.Kind = "api.example.com", rules.DomainCustom
		t.Custom = &rules.CustomDomain{Name: t.Name, AccountID: acctA, GroupID: g.ID, NetworkType: nt, CertPEM: "(a certificate)"}
	case "unknown":
		t.Name, t.Kind, t.Group, t.Instance = "nothing.example.com", rules.DomainCustom, nil, nil
	}
	return t
}

// TestDecideMatrix is R11's table for every caller kind, instance state
// and kind of name, over HTTP. Each cell reads "allowed-or-refused rule
// address", where the address is public (the region's Internet address),
// shared (the group's 100.64.0.0/10 address), endpoint (the instance's VPC
// endpoint) or none.
func TestDecideMatrix(t *testing.T) {
	//                       shared                  dedicated unbound     bound to caller           bound to another
	vpcDomain := map[rules.CallerKind][4]string{
		rules.CallerVpc:      {"allowed R3 shared", "refused R5 none", "allowed R4 endpoint", "refused R4 none"},
		rules.CallerHybrid:   {"refused R10 shared", "refused R5 none", "allowed R10 endpoint", "refused R4 none"},
		rules.CallerInternet: {"refused R11 none", "refused R11 none", "refused R11 none", "refused R11 none"},
	}
	public := [4]string{"allowed R2 public", "allowed R2 public", "allowed R2 public", "allowed R2 public"}
	intranet := map[rules.CallerKind][4]string{ // INTRANET on shared is not supported (R9); otherwise as the VPC domain
		rules.CallerVpc:      {"refused R9 none", "refused R5 none", "allowed R4 endpoint", "refused R4 none"},
		rules.CallerHybrid:   {"refused R9 none", "refused R5 none", "allowed R10 endpoint", "refused R4 none"},
		rules.CallerInternet: {"refused R9 none", "refused R11 none", "refused R11 none", "refused R11 none"},
	}
	want := map[string]map[rules.CallerKind][4]string{
		"public":          {rules.CallerVpc: public, rules.CallerHybrid: public, rules.CallerInternet: public},
		"vpc enabled":     vpcDomain,
		"vpc not enabled": {rules.CallerVpc: all("refused R2 none"), rules.CallerHybrid: all("refused R2 none"), rules.CallerInternet: all("refused R2 none")},
		"custom internet": {rules.CallerVpc: public, rules.CallerHybrid: public, rules.CallerInternet: public},
		"custom intranet": intranet,
		"unknown":         {rules.CallerVpc: all("refused R11 none"), rules.CallerHybrid: all("refused R11 none"), rules.CallerInternet: all("refused R11 none")},
	}
	cases := 0
	for kind, byCaller := range want {
		for ck, cells := range byCaller {
			for i, col := range columns {
				name := fmt.Sprintf("%s/%s/%s", kind, ck, col.name)
				t.Run(name, func(t *testing.T) {
					tgt := target(kind, col.inst)
					d := rules.Decide(callers[ck], tgt, "HTTP", rules.DefaultLimits())
					checkDecision(t, d, cells[i], tgt)
				})
				cases++
			}
		}
	}
	if cases != 6*3*4 {
		t.Fatalf("the matrix has %d cells, want 72", cases)
	}
}

func all(s string) [4]string { return [4]string{s, s, s, s} }

func checkDecision(t *testing.T, d rules.Decision, cell string, tgt rules.Target) {
	t.Helper()
	var verdict, rule, addr string
	fmt.Sscan(cell, &verdict, &rule, &addr)
	wantAddr := ""
	switch addr {
	case "public":
		wantAddr = rules.PublicAddress(tgt.Group.RegionID)
	case "shared":
		wantAddr = rules.SharedVpcAddress(tgt.Group.ID)
	case "endpoint":
		wantAddr = tgt.Instance.EndpointIP
	}
	if d.Allowed != (verdict == "allowed") || d.Rule != rule || d.Address != wantAddr {
		t.Fatalf("got allowed=%v rule=%s address=%q, want %s (address %q)\nreason: %s", d.Allowed, d.Rule, d.Address, cell, wantAddr, d.Reason)
	}
	wantSentence(t, d.Reason)
	wantLimit := ""
	if d.Allowed {
		wantLimit = "unlimited"
		if addr == "public" {
			wantLimit = "1,000 calls a day"
		}
	}
	if d.DailyLimit != wantLimit {
		t.Fatalf("daily limit %q, want %q", d.DailyLimit, wantLimit)
	}
	if (d.Recommend != "") != (rule == "R10" && !d.Allowed) {
		t.Fatalf("recommend %q for %s", d.Recommend, cell)
	}
}

// R2: the public domain's limit follows the group's region and the
// configuration; VPC domains are unlimited.
func TestDecideDailyLimits(t *testing.T) {
	hk := rules.Instance{ID: "api-shared-vpc-005", Type: rules.InstanceShared, RegionID: "cn-hongkong"}
	tgt := target("public", hk)
	if d := rules.Decide(callers[rules.CallerInternet], tgt, "HTTPS", rules.DefaultLimits()); d.DailyLimit != "100 calls a day" {
		t.Errorf("Hong Kong: %q", d.DailyLimit)
	}
	if d := rules.Decide(callers[rules.CallerInternet], target("public", shared), "HTTPS", rules.Limits{MainlandDaily: 5000, OtherDaily: 10}); d.DailyLimit != "5,000 calls a day" {
		t.Errorf("configured: %q", d.DailyLimit)
	}
}

// R3: a shared instance serves VPCs of its own region only, of any account.
func TestDecideSharedAcrossRegionsAndAccounts(t *testing.T) {
	tgt := target("vpc enabled", shared)
	tests := []struct {
		name string
		c    rules.Caller
		rule string
		ok   bool
	}{
		{"VPC of another account, same region", rules.Caller{Kind: rules.CallerVpc, Vpc: &vpcOther}, "R3", true},
		{"VPC in another region", rules.Caller{Kind: rules.CallerVpc, Vpc: &vpcFar}, "R3", false},
		{"hybrid joined to a VPC in another region", rules.Caller{Kind: rules.CallerHybrid, Vpc: &vpcFar}, "R3", false},
	}
	for _, tt := range tests {
		d := rules.Decide(tt.c, tgt, "HTTPS", rules.DefaultLimits())
		if d.Allowed != tt.ok || d.Rule != tt.rule || (d.Address != "") != tt.ok {
			t.Errorf("%s: %+v", tt.name, d)
		}
	}
}

// R6: after the binding changes from vpcA to vpcB, only vpcB reaches the
// groups.
func TestDecideAfterVpcChange(t *testing.T) {
	before := dedBoundA
	after := dedBoundA
	after.VpcID, after.VSwitchID, after.EndpointIP = vpcB.ID, vswB.ID, "172.16.1.20"
	fromA := rules.Caller{Kind: rules.CallerVpc, Vpc: &vpcA}
	fromB := rules.Caller{Kind: rules.CallerVpc, Vpc: &vpcB}
	for _, tt := range []struct {
		inst     rules.Instance
		aOK, bOK bool
	}{{before, true, false}, {after, false, true}} {
		a := rules.Decide(fromA, target("vpc enabled", tt.inst), "HTTP", rules.DefaultLimits())
		b := rules.Decide(fromB, target("vpc enabled", tt.inst), "HTTP", rules.DefaultLimits())
		if a.Allowed != tt.aOK || b.Allowed != tt.bOK {
			t.Errorf("bound to %s: vpcA allowed=%v, vpcB allowed=%v", tt.inst.VpcID, a.Allowed, b.Allowed)
		}
	}
}

// R8: after a group moves from the shared instance to a dedicated one,
// only the bound VPC reaches it.
func TestDecideAfterMove(t *testing.T) {
	fromB := rules.Caller{Kind: rules.CallerVpc, Vpc: &vpcB}
	if d := rules.Decide(fromB, target("vpc enabled", shared), "HTTP", rules.DefaultLimits()); !d.Allowed {
		t.Fatalf("before the move vpcB is refused: %s", d.Reason)
	}
	if d := rules.Decide(fromB, target("vpc enabled", dedBoundA), "HTTP", rules.DefaultLimits()); d.Allowed || d.Rule != "R4" {
		t.Fatalf("after the move vpcB is not refused by R4: %+v", d)
	}
}

// R9: HTTPS on a custom domain needs a certificate on it.
func TestDecideCustomHTTPS(t *testing.T) {
	tests := []struct {
		name     string
		kind     string
		inst     rules.Instance
		caller   rules.CallerKind
		cert     bool
		protocol string
		ok       bool
		rule     string
		address  bool
	}{
		{"INTERNET, certificate, HTTPS", "custom internet", shared, rules.CallerInternet, true, "HTTPS", true, "R2", true},
		{"INTERNET, no certificate, HTTP", "custom internet", shared, rules.CallerInternet, false, "http", true, "R2", true},
		{"INTERNET, no certificate, HTTPS", "custom internet", shared, rules.CallerInternet, false, "https", false, "R9", true},
		{"INTRANET, certificate, HTTPS", "custom intranet", dedBoundA, rules.CallerVpc, true, "HTTPS", true, "R4", true},
		{"INTRANET, no certificate, HTTPS", "custom intranet", dedBoundA, rules.CallerVpc, false, "HTTPS", false, "R9", true},
		{"INTRANET, no certificate, HTTPS, other VPC", "custom intranet", dedBoundB, rules.CallerVpc, false, "HTTPS", false, "R4", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tgt := target(tt.kind, tt.inst)
			if !tt.cert {
				tgt.Custom.CertPEM = ""
			}
			d := rules.Decide(callers[tt.caller], tgt, tt.protocol, rules.DefaultLimits())
			if d.Allowed != tt.ok || d.Rule != tt.rule || (d.Address != "") != tt.address {
				t.Fatalf("got %+v", d)
			}
			if !strings.Contains(d.Reason, "api.example.com") || !strings.Contains(d.Reason, rules.CNAMETarget(*tgt.Group, tgt.Custom.NetworkType)) {
				t.Fatalf("reason does not name the domain and its CNAME target: %s", d.Reason)
			}
			if tt.rule == "R9" && !strings.Contains(d.Reason, "certificate") {
				t.Fatalf("reason does not mention the certificate: %s", d.Reason)
			}
		})
	}
}

func TestDecideRefusesBadQuestions(t *testing.T) {
	good := target("public", shared)
	otherGroup := good
	g2 := *good.Group
	g2.ID = "ffffffffffffffffffffffffffffffff"
	otherGroup.Group = &g2 // the name is not this group's
	foreignCustom := target("custom internet", shared)
	foreignCustom.Custom.GroupID = "ffffffffffffffffffffffffffffffff"
	noInstance := target("vpc enabled", shared)
	noInstance.Instance = nil
	unknownKind := target("unknown", shared)
	unknownKind.Kind = rules.DomainUnknown
	noType := target("custom internet", shared)
	noType.Custom.NetworkType = ""

	tests := []struct {
		name     string
		c        rules.Caller
		t        rules.Target
		protocol string
		rule     string
	}{
		{"FTP", callers[rules.CallerVpc], good, "FTP", "R11"},
		{"no protocol", callers[rules.CallerVpc], good, "", "R11"},
		{"VPC caller without a VPC", rules.Caller{Kind: rules.CallerVpc}, good, "HTTP", "R11"},
		{"hybrid caller without a VPC", rules.Caller{Kind: rules.CallerHybrid}, good, "HTTP", "R11"},
		{"unknown caller kind", rules.Caller{Kind: "satellite"}, good, "HTTP", "R11"},
		{"name of another group", callers[rules.CallerVpc], otherGroup, "HTTP", "R11"},
		{"custom domain of another group", callers[rules.CallerVpc], foreignCustom, "HTTP", "R11"},
		{"VPC domain without its instance", callers[rules.CallerVpc], noInstance, "HTTP", "R11"},
		{"unknown kind", callers[rules.CallerVpc], unknownKind, "HTTP", "R11"},
		{"custom domain without network type", callers[rules.CallerVpc], noType, "HTTP", "R9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rules.Decide(tt.c, tt.t, tt.protocol, rules.DefaultLimits())
			if d.Allowed || d.Address != "" || d.Rule != tt.rule || d.DailyLimit != "" {
				t.Fatalf("got %+v", d)
			}
			wantSentence(t, d.Reason)
		})
	}
	// The same names in another case, with a trailing dot, are the same names.
	upper := good
	upper.Name = strings.ToUpper(good.Name) + "."
	if d := rules.Decide(callers[rules.CallerInternet], upper, "https", rules.DefaultLimits()); !d.Allowed {
		t.Fatalf("upper-case name refused: %s", d.Reason)
	}
}

// A refusal for another VPC of the same account names the bound VPC; for
// another account's VPC it does not.
func TestDecideDoesNotLeakTheBoundVpc(t *testing.T) {
	tgt := target("vpc enabled", dedBoundB)
	mine := rules.Decide(rules.Caller{Kind: rules.CallerVpc, Vpc: &vpcA}, tgt, "HTTP", rules.DefaultLimits())
	theirs := rules.Decide(rules.Caller{Kind: rules.CallerVpc, Vpc: &vpcOther}, tgt, "HTTP", rules.DefaultLimits())
	if !strings.Contains(mine.Reason, vpcB.ID) || strings.Contains(theirs.Reason, vpcB.ID) {
		t.Fatalf("mine: %s\ntheirs: %s", mine.Reason, theirs.Reason)
	}
}

func TestParseDerivedDomain(t *testing.T) {
	const id = "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name          string
		kind          rules.DomainKind
		group, region string
		ok            bool
	}{
		{id + "-cn-hangzhou.alicloudapi.com", rules.DomainPublic, id, "cn-hangzhou", true},
		{id + "-cn-hangzhou-vpc.alicloudapi.com", rules.DomainVpc, id, "cn-hangzhou", true},
		{id + "-ap-southeast-1-vpc.alicloudapi.com", rules.DomainVpc, id, "ap-southeast-1", true},
		{strings.ToUpper(id) + "-CN-HONGKONG.ALICLOUDAPI.COM.", rules.DomainPublic, id, "cn-hongkong", true},
		{id + "-cn-mars.alicloudapi.com", rules.DomainUnknown, "", "", false},
		{id + "-cn-hangzhou-vpc-vpc.alicloudapi.com", rules.DomainUnknown, "", "", false},
		{id[:31] + "-cn-hangzhou.alicloudapi.com", rules.DomainUnknown, "", "", false},
		{id + "x-cn-hangzhou.alicloudapi.com", rules.DomainUnknown, "", "", false},
		{id + "-cn-hangzhou.alicloudapi.com.cn", rules.DomainCustom, "", "", false},
		{"api." + id + "-cn-hangzhou.alicloudapi.com", rules.DomainUnknown, "", "", false},
		{"alicloudapi.com", rules.DomainUnknown, "", "", false}, // the platform's own zone, never a custom domain
		{"api.example.com", rules.DomainCustom, "", "", false},
		{"not a name", rules.DomainUnknown, "", "", false},
		{"", rules.DomainUnknown, "", "", false},
	}
	for _, tt := range tests {
		kind, g, r, ok := rules.ParseDerivedDomain(tt.name)
		if kind != tt.kind || g != tt.group || r != tt.region || ok != tt.ok {
			t.Errorf("ParseDerivedDomain(%q) = %s %q %q %v, want %s %q %q %v", tt.name, kind, g, r, ok, tt.kind, tt.group, tt.region, tt.ok)
		}
	}
}

func TestParseCallerKindAndProtocol(t *testing.T) {
	for in, want := range map[string]rules.CallerKind{"vpc": rules.CallerVpc, " Hybrid": rules.CallerHybrid, "INTERNET": rules.CallerInternet} {
		if got, ok := rules.ParseCallerKind(in); !ok || got != want {
			t.Errorf("ParseCallerKind(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := rules.ParseCallerKind("lan"); ok {
		t.Error("ParseCallerKind(lan) accepted")
	}
	for in, want := range map[string]string{"http": "HTTP", "HTTPS": "HTTPS", " Https ": "HTTPS"} {
		if got, ok := rules.ParseProtocol(in); !ok || got != want {
			t.Errorf("ParseProtocol(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "ws", "HTTP/2"} {
		if _, ok := rules.ParseProtocol(in); ok {
			t.Errorf("ParseProtocol(%q) accepted", in)
		}
	}
}

func FuzzParseDerivedDomain(f *testing.F) {
	const id = "0123456789abcdef0123456789abcdef"
	for _, s := range []string{id + "-cn-hangzhou.alicloudapi.com", id + "-us-west-1-vpc.alicloudapi.com.", "api.example.com", "-vpc.alicloudapi.com", "x.alicloudapi.com", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		kind, g, r, ok := rules.ParseDerivedDomain(name)
		if !ok {
			if g != "" || r != "" || (kind != rules.DomainCustom && kind != rules.DomainUnknown) {
				t.Fatalf("%q: not ok but %s %q %q", name, kind, g, r)
			}
			if kind == rules.DomainCustom && rules.CheckDomainName(name) != nil {
				t.Fatalf("%q: custom but not a valid domain name", name)
			}
			return
		}
		if _, known := rules.RegionByID(r); !known || !rules.IsGroupID(g) {
			t.Fatalf("%q: group %q region %q", name, g, r)
		}
		want := rules.PublicDomain(g, r)
		if kind == rules.DomainVpc {
			want = rules.VpcDomain(g, r)
		}
		if rules.NormalizeDomain(name) != want {
			t.Fatalf("%q parsed as %s of %s in %s, which is %s", name, kind, g, r, want)
		}
	})
}

func BenchmarkDecide(b *testing.B) {
	tgt := target("custom intranet", dedBoundA)
	c := callers[rules.CallerHybrid]
	limits := rules.DefaultLimits()
	for b.Loop() {
		if d := rules.Decide(c, tgt, "HTTPS", limits); !d.Allowed {
			b.Fatal(d.Reason)
		}
	}
}
