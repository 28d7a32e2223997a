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
	rules.CallerInternet: {Kind: rules.CallerInternet, AccountID: acctA},
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
		if addr == "public" && tgt.Kind == rules.DomainPublic { // R2 counts the public second-level domain, never a custom domain
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
	// A custom domain of network type INTERNET resolves where the public
	// domain does, but its calls are never counted (SPEC §7).
	custom := target("custom internet", shared)
	v := rules.Reach(callers[rules.CallerInternet], custom, rules.ProtocolHTTP, rules.DefaultLimits())
	if !v.Allowed || v.DailyLimit != 0 {
		t.Errorf("custom INTERNET domain: allowed %v, daily limit %d; want allowed and uncounted", v.Allowed, v.DailyLimit)
	}
	if d := rules.Decide(callers[rules.CallerInternet], custom, "HTTP", rules.DefaultLimits()); d.DailyLimit != rules.Unlimited || !strings.Contains(d.Reason, "unlimited") {
		t.Errorf("custom INTERNET domain: limit %q, reason %q", d.DailyLimit, d.Reason)
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
	for in, want := range map[string]rules.Protocol{"http": rules.ProtocolHTTP, "HTTPS": rules.ProtocolHTTPS, " Https ": rules.ProtocolHTTPS} {
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

// With no caller in particular, Reach tells who a name serves and where it
// resolves for them: what Group Details, DescribeApiGroup and the dialogs
// show.
func TestReachAudience(t *testing.T) {
	owner := rules.Caller{Kind: rules.CallerNone, AccountID: acctA}
	tests := []struct {
		kind     string
		inst     rules.Instance
		audience rules.Audience
		address  string
		rule     string
		who      string
	}{
		{"public", shared, rules.AudienceAnyone, rules.PublicAddress("cn-hangzhou"), "R2", "from anywhere"},
		{"vpc enabled", shared, rules.AudienceRegionVpcs, rules.SharedVpcAddress(group(shared, true).ID), "R3", "from every VPC in China (Hangzhou), of any account"},
		{"vpc enabled", dedBoundA, rules.AudienceBoundVpc, dedBoundA.EndpointIP, "R4", "only from the VPC " + vpcA.ID + " bound to the dedicated instance"},
		{"vpc enabled", dedUnbound, rules.AudienceNobody, "", "R5", "from no VPC: the dedicated instance is not bound to a VPC"},
		{"vpc not enabled", shared, rules.AudienceNobody, "", "R2", "from no VPC: the VPC second-level domain is not enabled"},
		{"custom intranet", shared, rules.AudienceNobody, "", "R9", "from nowhere: shared instances do not serve INTRANET custom domains"},
		{"custom intranet", dedBoundB, rules.AudienceBoundVpc, dedBoundB.EndpointIP, "R4", "only from the VPC " + vpcB.ID},
		{"custom internet", dedUnbound, rules.AudienceAnyone, rules.PublicAddress("cn-hangzhou"), "R2", "from anywhere"},
		{"unknown", shared, rules.AudienceNobody, "", "R11", "from nowhere"},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.inst.ID, func(t *testing.T) {
			v := rules.Reach(owner, target(tt.kind, tt.inst), "", rules.DefaultLimits())
			if v.Audience != tt.audience || v.Address != tt.address || v.Rule != tt.rule || v.Allowed || v.Resolves {
				t.Fatalf("got audience %d address %q rule %s allowed %v resolves %v", v.Audience, v.Address, v.Rule, v.Allowed, v.Resolves)
			}
			if !strings.Contains(v.Who(), tt.who) {
				t.Fatalf("who %q, want %q", v.Who(), tt.who)
			}
			wantSentence(t, v.Reason())
		})
	}
}

// R3 across accounts: a shared instance's VPC domain serves any account's
// VPCs of its region, and every answer about another account's group names
// nothing of that account (issue 16).
func TestReachAcrossAccounts(t *testing.T) {
	fromB := rules.Caller{Kind: rules.CallerVpc, Vpc: &vpcOther}
	hybridB := rules.Caller{Kind: rules.CallerHybrid, Vpc: &vpcOther}
	internetB := rules.Caller{Kind: rules.CallerInternet, AccountID: acctB}
	stranger := rules.Caller{Kind: rules.CallerInternet}
	sharedGroup := group(shared, true)
	tests := []struct {
		name    string
		c       rules.Caller
		tgt     rules.Target
		proto   rules.Protocol
		allowed bool
		rule    string
		address string
	}{
		{"shared, VPC of B", fromB, target("vpc enabled", shared), "HTTP", true, "R3", rules.SharedVpcAddress(sharedGroup.ID)},
		{"shared, hybrid of B", hybridB, target("vpc enabled", shared), "HTTP", false, "R10", rules.SharedVpcAddress(sharedGroup.ID)},
		{"dedicated bound, VPC of B", fromB, target("vpc enabled", dedBoundA), "HTTP", false, "R4", ""},
		{"dedicated unbound, VPC of B", fromB, target("vpc enabled", dedUnbound), "HTTP", false, "R5", ""},
		{"not enabled, VPC of B: as absent", fromB, target("vpc not enabled", shared), "HTTP", false, "R11", ""},
		{"public, Internet of B", internetB, target("public", dedBoundA), "HTTPS", true, "R2", rules.PublicAddress("cn-hangzhou")},
		{"public, a stranger", stranger, target("public", shared), "HTTP", true, "R2", rules.PublicAddress("cn-hangzhou")},
		{"custom internet, no certificate, HTTPS, B", internetB, noCert(target("custom internet", shared)), "HTTPS", false, "R9", rules.PublicAddress("cn-hangzhou")},
		{"custom intranet, dedicated bound, VPC of B", fromB, target("custom intranet", dedBoundA), "HTTP", false, "R4", ""},
		{"custom intranet on shared, VPC of B", fromB, target("custom intranet", shared), "HTTP", false, "R9", ""},
		{"VPC domain, Internet of B", internetB, target("vpc enabled", dedBoundA), "HTTP", false, "R11", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := rules.Reach(tt.c, tt.tgt, tt.proto, rules.DefaultLimits())
			if v.Allowed != tt.allowed || v.Rule != tt.rule || v.ResolvedAddress() != tt.address {
				t.Fatalf("got allowed=%v rule=%s address=%q\nreason: %s", v.Allowed, v.Rule, v.ResolvedAddress(), v.Reason())
			}
			words := v.Reason() + " " + v.Recommend() + " " + v.Who()
			wantSentence(t, v.Reason())
			for _, secret := range []string{`"orders"`, acctA, dedBoundA.ID, dedUnbound.ID, vpcA.ID, "Group Details"} {
				if strings.Contains(words, secret) {
					t.Fatalf("the answer to account B names %q of account A: %s", secret, words)
				}
			}
			// The owner asking the same gets the same answer, in words that
			// name the group.
			owner := tt.c
			owner.AccountID = acctA
			if tt.c.Kind != rules.CallerInternet || tt.c.AccountID != "" {
				o := rules.Reach(owner, tt.tgt, tt.proto, rules.DefaultLimits())
				if o.Allowed != v.Allowed || o.Address != v.Address || (tt.rule != "R11" && o.Rule != v.Rule) {
					t.Fatalf("the owner is answered otherwise: %+v", o)
				}
				if tt.rule != "R11" && !strings.Contains(o.Reason(), `"orders"`) && tt.rule != "R9" {
					t.Fatalf("the owner's reason does not name the group: %s", o.Reason())
				}
			}
		})
	}
}

func noCert(t rules.Target) rules.Target {
	d := *t.Custom
	d.CertPEM = ""
	t.Custom = &d
	return t
}

// The gateway asks Reach on every call: it allocates nothing for public
// names and dedicated instances, and one address for a shared instance.
func TestReachAllocations(t *testing.T) {
	limits := rules.DefaultLimits()
	tests := []struct {
		name string
		c    rules.Caller
		tgt  rules.Target
		max  float64
	}{
		{"public", callers[rules.CallerInternet], target("public", shared), 0},
		{"dedicated", callers[rules.CallerVpc], target("vpc enabled", dedBoundA), 0},
		{"custom intranet, hybrid", callers[rules.CallerHybrid], target("custom intranet", dedBoundA), 0},
		{"refused", callers[rules.CallerVpc], target("vpc enabled", dedBoundB), 0},
		{"shared", callers[rules.CallerVpc], target("vpc enabled", shared), 1},
	}
	for _, tt := range tests {
		got := testing.AllocsPerRun(100, func() {
			if v := rules.Reach(tt.c, tt.tgt, rules.ProtocolHTTPS, limits); v.Rule == "" {
				t.Fatal("no rule")
			}
		})
		if got > tt.max {
			t.Errorf("%s: %v allocations a call, want at most %v", tt.name, got, tt.max)
		}
	}
}

func BenchmarkReach(b *testing.B) {
	limits := rules.DefaultLimits()
	for _, bc := range []struct {
		name string
		c    rules.Caller
		tgt  rules.Target
	}{
		{"public", callers[rules.CallerInternet], target("public", shared)},
		{"shared", callers[rules.CallerVpc], target("vpc enabled", shared)},
		{"dedicated", callers[rules.CallerHybrid], target("custom intranet", dedBoundA)},
		{"refused", callers[rules.CallerVpc], target("vpc enabled", dedBoundB)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if v := rules.Reach(bc.c, bc.tgt, rules.ProtocolHTTPS, limits); v.Rule == "" {
					b.Fatal("no rule")
				}
			}
		})
	}
}
