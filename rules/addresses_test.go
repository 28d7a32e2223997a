package rules_test

import (
	"encoding/binary"
	"net/netip"
	"testing"

	"gatehouse/rules"
)

// R3: a shared instance's VPC domain resolves into 100.64.0.0/10, stable
// per group, never .0 or .255, and groups get different addresses.
func TestSharedVpcAddress(t *testing.T) {
	cgnat := netip.MustParsePrefix("100.64.0.0/10")
	seen := map[string]bool{}
	for range 2000 {
		id := rules.NewGroupID()
		a := rules.SharedVpcAddress(id)
		addr, err := netip.ParseAddr(a)
		if err != nil || !cgnat.Contains(addr) || addr.IsPrivate() {
			t.Fatalf("group %s: %s is not inside 100.64.0.0/10", id, a)
		}
		if last := addr.As4()[3]; last == 0 || last == 255 {
			t.Fatalf("group %s: %s ends in .%d", id, a, last)
		}
		if rules.SharedVpcAddress(id) != a {
			t.Fatalf("group %s: address not stable", id)
		}
		seen[a] = true
	}
	if len(seen) < 1990 {
		t.Fatalf("2,000 groups share %d addresses", len(seen))
	}
}

func TestPublicAddress(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules.Regions() {
		a := rules.PublicAddress(r.ID)
		addr, err := netip.ParseAddr(a)
		if err != nil || addr.As4()[0] != 47 || addr.IsPrivate() || addr.As4()[3] == 0 || addr.As4()[3] == 255 {
			t.Fatalf("%s: %s", r.ID, a)
		}
		if rules.PublicAddress(r.ID) != a || seen[a] {
			t.Fatalf("%s: %s is unstable or shared with another region", r.ID, a)
		}
		seen[a] = true
	}
}

// R4: the endpoint lies inside the vSwitch's block, skips the reserved
// addresses and the taken ones, and is stable per instance.
func TestDedicatedEndpointAddress(t *testing.T) {
	tests := []struct {
		cidr  string
		taken []string
		want  []string // one of these
		code  string
	}{
		{"10.0.1.0/29", nil, []string{"10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4"}, ""},
		{"10.0.1.0/29", []string{"10.0.1.1", "10.0.1.2", "10.0.1.3"}, []string{"10.0.1.4"}, ""},
		{"10.0.1.0/29", []string{"10.0.1.4", "10.0.1.2", "10.0.1.1"}, []string{"10.0.1.3"}, ""},
		{"10.0.1.0/29", []string{"10.0.1.1", "10.0.1.2", "10.0.1.3", "10.0.1.4"}, nil, rules.CodeVSwitchNoFreeAddress},
		{"192.168.1.0/24", []string{"192.168.1.1"}, nil, ""}, // any but .0 and .253–.255: checked below
		{"10.0.1.0/30", nil, nil, rules.CodeVSwitchNoFreeAddress},
		{"10.0.1.0/32", nil, nil, rules.CodeVSwitchNoFreeAddress},
		{"not a cidr", nil, nil, rules.CodeInvalidCidrBlock},
		{"fd00::/64", nil, nil, rules.CodeInvalidCidrBlock},
	}
	for _, tt := range tests {
		got, err := rules.DedicatedEndpointAddress(tt.cidr, dedBoundA.ID, tt.taken...)
		wantCode(t, err, tt.code)
		if err != nil {
			continue
		}
		found := tt.want == nil
		for _, w := range tt.want {
			found = found || got == w
		}
		if a := netip.MustParseAddr(got); !found || !netip.MustParsePrefix(tt.cidr).Contains(a) || reservedIn(a, tt.cidr) {
			t.Errorf("%s taken %v: got %s, want one of %v", tt.cidr, tt.taken, got, tt.want)
		}
	}

	a1, _ := rules.DedicatedEndpointAddress("10.0.0.0/16", dedBoundA.ID)
	a2, _ := rules.DedicatedEndpointAddress("10.0.0.0/16", dedBoundA.ID)
	b, _ := rules.DedicatedEndpointAddress("10.0.0.0/16", dedBoundB.ID)
	if a1 != a2 || a1 == b {
		t.Errorf("not stable per instance, or two instances share: %s %s %s", a1, a2, b)
	}
	// A block written with host bits is read as its network.
	if got, err := rules.DedicatedEndpointAddress("10.0.1.3/29", "x"); err != nil || !netip.MustParsePrefix("10.0.1.0/29").Contains(netip.MustParseAddr(got)) {
		t.Errorf("host bits: %s, %v", got, err)
	}
}

func FuzzDedicatedEndpointAddress(f *testing.F) {
	f.Add("10.0.1.0/29", "apigateway-cn-hangzhou-000000000001", "10.0.1.4")
	f.Add("10.0.0.0/16", "x", "")
	f.Add("0.0.0.0/0", "", "255.255.255.254")
	f.Add("192.168.0.255/31", "y", "")
	f.Add("::/0", "z", "")
	f.Fuzz(func(t *testing.T, cidr, instanceID, taken string) {
		got, err := rules.DedicatedEndpointAddress(cidr, instanceID, taken)
		if err != nil {
			if _, ok := rules.AsError(err); !ok {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		p := netip.MustParsePrefix(cidr).Masked()
		a, perr := netip.ParseAddr(got)
		if perr != nil || !p.Contains(a) || got == taken {
			t.Fatalf("%s in %s (taken %s)", got, cidr, taken)
		}
		if reservedIn(a, p.String()) {
			t.Fatalf("%s is a reserved address of %s", got, cidr)
		}
	})
}

// reservedIn reports whether a is one of the addresses Alibaba Cloud
// reserves in the vSwitch block cidr: the first and the last three.
func reservedIn(a netip.Addr, cidr string) bool {
	p := netip.MustParsePrefix(cidr).Masked()
	size := uint64(1) << (32 - p.Bits())
	off := uint64(binary.BigEndian.Uint32(a.AsSlice()) - binary.BigEndian.Uint32(p.Addr().AsSlice()))
	return off < 1 || off >= size-3
}

// The usable addresses of a vSwitch block: the same reservation as the
// endpoint allocator's (one number), as Alibaba Cloud's VPC counts them.
func TestVSwitchUsableAddresses(t *testing.T) {
	tests := []struct {
		cidr string
		want int64
	}{
		{"192.168.1.0/24", 252},
		{"10.0.0.0/16", 65532},
		{"10.0.1.0/29", 4},
		{"10.0.1.0/30", 0},
		{"10.0.1.1/32", 0},
		{"fd00::/64", 0},
		{"nonsense", 0},
	}
	for _, tt := range tests {
		if got := rules.VSwitchUsableAddresses(tt.cidr); got != tt.want {
			t.Errorf("VSwitchUsableAddresses(%s) = %d, want %d", tt.cidr, got, tt.want)
		}
	}
	// Each endpoint takes one of them; none is never fewer than nothing.
	for _, tt := range []struct {
		cidr      string
		endpoints int
		want      int64
	}{
		{"192.168.1.0/24", 0, 252},
		{"192.168.1.0/24", 2, 250},
		{"10.0.1.0/29", 4, 0},
		{"10.0.1.0/30", 1, 0},
	} {
		if got := rules.VSwitchAvailableAddresses(tt.cidr, tt.endpoints); got != tt.want {
			t.Errorf("VSwitchAvailableAddresses(%s, %d) = %d, want %d", tt.cidr, tt.endpoints, got, tt.want)
		}
	}
	// Every usable address of a /29 is handed out, then none.
	var taken []string
	for range rules.VSwitchUsableAddresses("10.0.1.0/29") {
		a, err := rules.DedicatedEndpointAddress("10.0.1.0/29", "apigateway-cn-hangzhou-000000000001", taken...)
		if err != nil {
			t.Fatalf("after %v: %v", taken, err)
		}
		taken = append(taken, a)
	}
	if _, err := rules.DedicatedEndpointAddress("10.0.1.0/29", "apigateway-cn-hangzhou-000000000001", taken...); !rules.HasCode(err, rules.CodeVSwitchNoFreeAddress) {
		t.Fatalf("a fifth endpoint in a /29: %v", err)
	}
}
