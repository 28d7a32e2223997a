package rules_test

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"gatehouse/rules"
)

func TestVpcInputValidate(t *testing.T) {
	ok := func(name, cidr string) rules.VpcInput {
		return rules.VpcInput{Name: name, Description: "", RegionID: "cn-hangzhou", CIDR: cidr}
	}
	cidrErr := map[string]string{"cidr": rules.CodeInvalidCidrBlock}
	tests := []struct {
		name string
		in   rules.VpcInput
		want map[string]string
	}{
		{"10/8", ok("prod", "10.0.0.0/8"), nil},
		{"172.16/12", ok("prod", "172.16.0.0/12"), nil},
		{"192.168/16", ok("prod", "192.168.0.0/16"), nil},
		{"/24 inside 172.16/12", ok("prod", "172.31.255.0/24"), nil},
		{"one-letter name", ok("p", "10.0.0.0/16"), nil},
		{"name with - _ .", ok("prod-vpc_1.a", "10.0.0.0/16"), nil},
		{"128-character name", ok("v"+strings.Repeat("x", 127), "10.0.0.0/16"), nil},

		{"empty name", ok("", "10.0.0.0/16"), map[string]string{"name": rules.CodeInvalidVpcName}},
		{"129-character name", ok("v"+strings.Repeat("x", 128), "10.0.0.0/16"), map[string]string{"name": rules.CodeInvalidVpcName}},
		{"name starts with a digit", ok("1prod", "10.0.0.0/16"), map[string]string{"name": rules.CodeInvalidVpcName}},
		{"name with a slash", ok("http://x", "10.0.0.0/16"), map[string]string{"name": rules.CodeInvalidVpcName}},
		{"empty CIDR", ok("prod", ""), cidrErr},
		{"not a CIDR", ok("prod", "10.0.0.0"), cidrErr},
		{"garbage", ok("prod", "ten/8"), cidrErr},
		{"host bits set", ok("prod", "10.0.0.1/16"), cidrErr},
		{"/7", ok("prod", "10.0.0.0/7"), cidrErr},
		{"/25", ok("prod", "10.0.0.0/25"), cidrErr},
		{"public range", ok("prod", "11.0.0.0/8"), cidrErr},
		{"wider than 172.16/12", ok("prod", "172.0.0.0/8"), cidrErr},
		{"172.32/16 is outside 172.16/12", ok("prod", "172.32.0.0/16"), cidrErr},
		{"100.64/10 is not private", ok("prod", "100.64.0.0/16"), cidrErr},
		{"IPv6", ok("prod", "fd00::/8"), cidrErr},
		{"IPv4-mapped IPv6", ok("prod", "::ffff:10.0.0.0/112"), cidrErr},
		{"space around", ok("prod", " 10.0.0.0/16"), cidrErr},
		{"unknown region", rules.VpcInput{Name: "prod", RegionID: "x", CIDR: "10.0.0.0/16"}, map[string]string{"region": rules.CodeInvalidRegion}},
		{"257-character description", rules.VpcInput{Name: "prod", RegionID: "cn-hangzhou", CIDR: "10.0.0.0/16", Description: strings.Repeat("d", 257)},
			map[string]string{"description": rules.CodeInvalidDescription}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldCodes(t, tt.in.Validate()); !sameCodes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// The refusal of a CIDR written with host bits says which block to use.
func TestCIDRMessageSuggestsTheNetworkAddress(t *testing.T) {
	errs := rules.VpcInput{Name: "prod", RegionID: "cn-hangzhou", CIDR: "10.0.0.1/16"}.Validate()
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "Use 10.0.0.0/16.") {
		t.Fatalf("got %v", errs)
	}
}

func TestVSwitchInputValidate(t *testing.T) {
	ok := func(change func(*rules.VSwitchInput)) rules.VSwitchInput {
		in := rules.VSwitchInput{VpcID: vpcA.ID, ZoneID: "cn-hangzhou-g", Name: "web", CIDR: "10.0.2.0/24"}
		change(&in)
		return in
	}
	tests := []struct {
		name string
		in   rules.VSwitchInput
		want map[string]string
	}{
		{"well formed", ok(func(*rules.VSwitchInput) {}), nil},
		{"/16", ok(func(in *rules.VSwitchInput) { in.CIDR = "10.0.0.0/16" }), nil},
		{"/29", ok(func(in *rules.VSwitchInput) { in.CIDR = "10.0.0.8/29" }), nil},
		{"/15", ok(func(in *rules.VSwitchInput) { in.CIDR = "10.0.0.0/15" }), map[string]string{"cidr": rules.CodeInvalidCidrBlock}},
		{"/30", ok(func(in *rules.VSwitchInput) { in.CIDR = "10.0.0.0/30" }), map[string]string{"cidr": rules.CodeInvalidCidrBlock}},
		{"host bits", ok(func(in *rules.VSwitchInput) { in.CIDR = "10.0.0.9/29" }), map[string]string{"cidr": rules.CodeInvalidCidrBlock}},
		{"no VPC", ok(func(in *rules.VSwitchInput) { in.VpcID = "" }), map[string]string{"vpc": rules.CodeInvalidVpcID}},
		{"no zone", ok(func(in *rules.VSwitchInput) { in.ZoneID = "" }), map[string]string{"zone": rules.CodeInvalidZone}},
		{"unknown zone", ok(func(in *rules.VSwitchInput) { in.ZoneID = "cn-hangzhou-z" }), map[string]string{"zone": rules.CodeInvalidZone}},
		{"no name", ok(func(in *rules.VSwitchInput) { in.Name = "" }), map[string]string{"name": rules.CodeInvalidVSwitchName}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldCodes(t, tt.in.Validate()); !sameCodes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckVSwitchPlacement(t *testing.T) {
	siblings := []rules.VSwitch{vswA, {ID: "vsw-cccccccccccccccccccccc", VpcID: vpcA.ID, Name: "db", CIDR: "10.0.8.0/21"}}
	small := rules.VPC{ID: vpcB.ID, RegionID: "cn-hangzhou", Name: "small", CIDR: "192.168.0.0/24"}
	in := func(zone, cidr string) rules.VSwitchInput {
		return rules.VSwitchInput{VpcID: vpcA.ID, ZoneID: zone, Name: "web", CIDR: cidr}
	}
	tests := []struct {
		name     string
		in       rules.VSwitchInput
		vpc      rules.VPC
		siblings []rules.VSwitch
		want     string
	}{
		{"free block", in("cn-hangzhou-g", "10.0.2.0/24"), vpcA, siblings, ""},
		{"adjacent to a sibling", in("cn-hangzhou-h", "10.0.0.0/24"), vpcA, siblings, ""},
		{"the whole VPC block, no siblings", in("cn-hangzhou-g", "10.0.0.0/16"), vpcA, nil, ""},
		{"the whole small VPC block", in("cn-hangzhou-g", "192.168.0.0/24"), small, nil, ""},
		{"zone of another region", in("cn-shanghai-e", "10.0.2.0/24"), vpcA, siblings, rules.CodeInvalidZone},
		{"outside the VPC", in("cn-hangzhou-g", "10.1.0.0/24"), vpcA, siblings, rules.CodeVSwitchCidrOutsideVpc},
		{"wider than the VPC", in("cn-hangzhou-g", "192.168.0.0/23"), small, nil, rules.CodeVSwitchCidrOutsideVpc},
		{"the whole VPC block over siblings", in("cn-hangzhou-g", "10.0.0.0/16"), vpcA, siblings, rules.CodeCidrOverlap},
		{"same block as a sibling", in("cn-hangzhou-g", "10.0.1.0/24"), vpcA, siblings, rules.CodeCidrOverlap},
		{"inside a sibling", in("cn-hangzhou-g", "10.0.9.0/24"), vpcA, siblings, rules.CodeCidrOverlap},
		{"malformed", in("cn-hangzhou-g", "10.0.2.1/24"), vpcA, siblings, rules.CodeInvalidCidrBlock},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, rules.CheckVSwitchPlacement(tt.in, tt.vpc, tt.siblings), tt.want)
		})
	}
	err := rules.CheckVSwitchPlacement(in("cn-hangzhou-g", "10.0.9.0/24"), vpcA, siblings)
	if !strings.Contains(err.Error(), `"db"`) || !strings.Contains(err.Error(), "vsw-cccccccccccccccccccccc") {
		t.Errorf("overlap does not name the sibling: %v", err)
	}
}

// R4: a dedicated instance binds to one VPC (and a vSwitch of it) of its
// own account and region. The same check covers a change (R6).
func TestCheckBindVpc(t *testing.T) {
	vswFar := rules.VSwitch{ID: "vsw-ffffffffffffffffffffff", AccountID: acctA, VpcID: vpcFar.ID, CIDR: "192.168.0.0/24"}
	tests := []struct {
		name string
		inst rules.Instance
		vpc  rules.VPC
		vsw  rules.VSwitch
		want string
	}{
		{"first binding", dedUnbound, vpcA, vswA, ""},
		{"change to another VPC (R6)", dedBoundA, vpcB, vswB, ""},
		{"shared instance", shared, vpcA, vswA, rules.CodeSharedInstanceReadOnly},
		{"another account's instance", dedOther, vpcA, vswA, rules.CodeInstanceNotFound},
		{"absent instance", rules.Instance{ID: "apigateway-cn-hangzhou-999999999999"}, vpcA, vswA, rules.CodeInstanceNotFound},
		{"another account's VPC", dedUnbound, vpcOther, vswOth, rules.CodeVpcNotFound},
		{"another account's vSwitch", dedUnbound, vpcA, vswOth, rules.CodeVSwitchNotFound},
		{"VPC of another region", dedUnbound, vpcFar, vswFar, rules.CodeRegionMismatch},
		{"vSwitch of another VPC", dedUnbound, vpcA, vswB, rules.CodeVSwitchNotInVpc},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantCode(t, rules.CheckBindVpc(tt.inst, tt.vpc, tt.vsw, acctA), tt.want)
		})
	}
}

// R7: no unbinding while groups on the instance use the VPC domain.
func TestCheckUnbindVpc(t *testing.T) {
	named := func(names ...string) []rules.Group {
		gs := make([]rules.Group, len(names))
		for i, n := range names {
			gs[i] = rules.Group{Name: n, VpcDomainEnabled: true}
		}
		return gs
	}
	tests := []struct {
		name     string
		inst     rules.Instance
		groups   []rules.Group
		want     string
		contains []string
	}{
		{"bound, no VPC-enabled groups", dedBoundA, nil, "", nil},
		{"one group", dedBoundA, named("orders"), rules.CodeInstanceVpcInUse, []string{`"orders"`, "1 group", dedBoundA.VpcID}},
		{"five groups", dedBoundA, named("a1", "b2", "c3", "d4", "e5"), rules.CodeInstanceVpcInUse, []string{`"a1", "b2", "c3" and 2 more`, "5 groups"}},
		{"three groups", dedBoundA, named("a1", "b2", "c3"), rules.CodeInstanceVpcInUse, []string{`"a1", "b2" and "c3"`}},
		{"not bound", dedUnbound, nil, rules.CodeInstanceNotBound, nil},
		{"shared", shared, nil, rules.CodeSharedInstanceReadOnly, nil},
		{"absent", rules.Instance{ID: "apigateway-cn-hangzhou-999999999999"}, nil, rules.CodeInstanceNotFound, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := rules.CheckUnbindVpc(tt.inst, tt.groups)
			wantCode(t, err, tt.want)
			for _, c := range tt.contains {
				if !strings.Contains(err.Error(), c) {
					t.Errorf("message lacks %q: %v", c, err)
				}
			}
		})
	}
}

func TestCheckDeleteVpcAndVSwitch(t *testing.T) {
	wantCode(t, rules.CheckDeleteVpc(vpcA, nil, nil), "")
	wantCode(t, rules.CheckDeleteVpc(vpcA, []rules.VSwitch{vswA}, nil), rules.CodeVpcInUse)
	err := rules.CheckDeleteVpc(vpcA, []rules.VSwitch{vswA}, []rules.Instance{dedBoundA})
	wantCode(t, err, rules.CodeVpcInUse)
	if !strings.Contains(err.Error(), dedBoundA.ID) {
		t.Errorf("message does not name the bound instance: %v", err)
	}
	wantCode(t, rules.CheckDeleteVSwitch(vswB, nil), "")
	wantCode(t, rules.CheckDeleteVSwitch(vswA, []rules.Instance{dedBoundA}), rules.CodeVSwitchInUse)
}

func FuzzVpcInput(f *testing.F) {
	for _, s := range []string{"10.0.0.0/8", "10.0.0.1/16", "172.16.0.0/12", "192.168.1.0/24", "192.168.1.0/25", "0.0.0.0/0", "::/0", "10.0.0.0/016", "10.0.0.0/8/8", "1.2.3.4"} {
		f.Add("prod", s)
	}
	private := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("172.16.0.0/12"), netip.MustParsePrefix("192.168.0.0/16")}
	f.Fuzz(func(t *testing.T, name, cidr string) {
		got := fieldCodes(t, rules.VpcInput{Name: name, RegionID: "cn-hangzhou", CIDR: cidr}.Validate())
		if got["cidr"] != "" {
			return
		}
		p, err := netip.ParsePrefix(cidr)
		if err != nil || !p.Addr().Is4() || p.Masked() != p || p.Bits() < 8 || p.Bits() > 24 {
			t.Fatalf("accepted %q", cidr)
		}
		inside := false
		for _, b := range private {
			inside = inside || (b.Bits() <= p.Bits() && b.Contains(p.Addr()))
		}
		if !inside || p.String() != cidr {
			t.Fatalf("accepted %q outside the private ranges or not canonical", cidr)
		}
	})
}

func FuzzVSwitchPlacement(f *testing.F) {
	f.Add("10.0.0.0/16", "10.0.1.0/24", "10.0.0.0/24")
	f.Add("10.0.0.0/16", "10.0.0.0/24", "10.0.0.0/24")
	f.Add("172.16.0.0/12", "172.20.0.0/16", "172.20.1.0/29")
	f.Add("192.168.0.0/24", "192.168.0.0/16", "")
	f.Add("garbage", "10.0.0.0/24", "also garbage")
	f.Fuzz(func(t *testing.T, vpcCIDR, cidr, sibling string) {
		vpc := rules.VPC{ID: vpcA.ID, RegionID: "cn-hangzhou", CIDR: vpcCIDR, Name: "v"}
		in := rules.VSwitchInput{VpcID: vpcA.ID, ZoneID: "cn-hangzhou-g", Name: "s", CIDR: cidr}
		if len(in.Validate()) > 0 {
			return
		}
		err := rules.CheckVSwitchPlacement(in, vpc, []rules.VSwitch{{ID: "vsw-x", Name: "x", CIDR: sibling}})
		if err != nil {
			if _, ok := rules.AsError(err); !ok {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		p := netip.MustParsePrefix(cidr)
		outer, perr := netip.ParsePrefix(vpcCIDR)
		if perr != nil || outer.Masked().Bits() > p.Bits() || !outer.Masked().Contains(p.Addr()) {
			t.Fatalf("%s accepted outside VPC %s", cidr, vpcCIDR)
		}
		if s, serr := netip.ParsePrefix(sibling); serr == nil && s.Overlaps(p) {
			t.Fatalf("%s accepted over sibling %s", cidr, sibling)
		}
	})
}

func TestSuggestVSwitchCIDR(t *testing.T) {
	vsw := func(cidrs ...string) []rules.VSwitch {
		out := make([]rules.VSwitch, len(cidrs))
		for i, c := range cidrs {
			out[i] = rules.VSwitch{CIDR: c}
		}
		return out
	}
	var full24 []string
	for i := 0; i < 256; i++ {
		full24 = append(full24, fmt.Sprintf("10.0.%d.0/24", i))
	}
	tests := []struct {
		name     string
		vpc      string
		siblings []rules.VSwitch
		want     string
	}{
		{"empty VPC: its first /24", "172.16.0.0/12", nil, "172.16.0.0/24"},
		{"after the first vSwitch", "172.16.0.0/12", vsw("172.16.0.0/24"), "172.16.1.0/24"},
		{"a gap is filled first", "10.0.0.0/16", vsw("10.0.0.0/24", "10.0.2.0/24"), "10.0.1.0/24"},
		{"past a larger block", "10.0.0.0/8", vsw("10.0.0.0/16"), "10.1.0.0/24"},
		{"past a small block, to the next /24", "192.168.0.0/16", vsw("192.168.0.16/28"), "192.168.1.0/24"},
		{"order of the vSwitches does not matter", "10.0.0.0/16", vsw("10.0.1.0/24", "10.0.0.0/24"), "10.0.2.0/24"},
		{"a /24 VPC, empty: all of it", "192.168.5.0/24", nil, "192.168.5.0/24"},
		{"a /24 VPC with a /26 taken: a /25", "192.168.5.0/24", vsw("192.168.5.0/26"), "192.168.5.128/25"},
		{"a /24 VPC nearly full: the last /29", "192.168.5.0/24", vsw("192.168.5.0/25", "192.168.5.128/26", "192.168.5.192/27", "192.168.5.224/28", "192.168.5.240/29"), "192.168.5.248/29"},
		{"a /24 VPC full", "192.168.5.0/24", vsw("192.168.5.0/24"), ""},
		{"every /24 of a /16 taken: smaller blocks cannot fit either", "10.0.0.0/16", vsw(full24...), ""},
		{"a VPC written off its boundary is read as its block", "10.0.0.5/16", nil, "10.0.0.0/24"},
		{"unreadable siblings are skipped", "10.0.0.0/16", vsw("nonsense", "10.0.0.0/24"), "10.0.1.0/24"},
		{"unreadable VPC block", "nonsense", nil, ""},
		{"IPv6 is not a VPC block", "fd00::/8", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := rules.SuggestVSwitchCIDR(tt.vpc, tt.siblings)
			if got != tt.want {
				t.Fatalf("SuggestVSwitchCIDR(%s) = %q, want %q", tt.vpc, got, tt.want)
			}
			if got == "" {
				return
			}
			// What is suggested is accepted: inside the VPC, free.
			in := rules.VSwitchInput{VpcID: "vpc-0123456789abcdefghijkl", ZoneID: "cn-hangzhou-g", Name: "next", CIDR: got}
			var valid []rules.VSwitch
			for _, s := range tt.siblings {
				if s.CIDR != "nonsense" {
					valid = append(valid, s)
				}
			}
			if errs := in.Validate(); len(errs) > 0 {
				t.Fatalf("suggestion %s is not valid: %v", got, errs)
			}
			if err := rules.CheckVSwitchPlacement(in, rules.VPC{RegionID: "cn-hangzhou", CIDR: tt.vpc}, valid); err != nil {
				t.Fatalf("suggestion %s does not fit: %v", got, err)
			}
		})
	}
}
