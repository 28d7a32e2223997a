package rules_test

import (
	"strconv"
	"strings"
	"testing"

	"gatehouse/rules"
)

func TestGeneratedIDsAreRecognised(t *testing.T) {
	tests := []struct {
		name string
		gen  func() string
		is   func(string) bool
		n    int
	}{
		{"account", rules.NewAccountID, rules.IsAccountID, 16},
		{"group", rules.NewGroupID, rules.IsGroupID, 32},
		{"vpc", rules.NewVpcID, rules.IsVpcID, 26},
		{"vswitch", rules.NewVSwitchID, rules.IsVSwitchID, 26},
		{"access key", rules.NewAccessKeyID, rules.IsAccessKeyID, 24},
		{"dedicated instance", func() string { return rules.NewDedicatedInstanceID("ap-southeast-1") }, rules.IsInstanceID, len("apigateway-ap-southeast-1-") + 12},
		{"secret", rules.NewAccessKeySecret, func(s string) bool { return len(s) == 30 && strings.Trim(s, alnum) == "" }, 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seen := map[string]bool{}
			for range 500 {
				id := tt.gen()
				if len(id) != tt.n || !tt.is(id) {
					t.Fatalf("%q is not a well-formed %s id", id, tt.name)
				}
				if seen[id] {
					t.Fatalf("%q generated twice", id)
				}
				seen[id] = true
			}
		})
	}
}

const alnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// Every position of an id draws from its whole alphabet: 2,000 account ids
// put every digit in every position but the first, which is 1 to 8; and
// every id is below 2^53, exact as a JavaScript number (the Node SDK's
// VpcOwnerId).
func TestAccountIDDigitsAreSpread(t *testing.T) {
	var seen [16][10]bool
	for range 2000 {
		id := rules.NewAccountID()
		for i, c := range id {
			seen[i][c-'0'] = true
		}
		if n, err := strconv.ParseInt(id, 10, 64); err != nil || n >= 1<<53 {
			t.Fatalf("%s: not below 2^53 (%v)", id, err)
		}
	}
	for i := range seen {
		for d := range seen[i] {
			if want := !(i == 0 && (d == 0 || d == 9)); seen[i][d] != want {
				t.Errorf("position %d digit %d: seen=%v, want %v", i, d, seen[i][d], want)
			}
		}
	}
}

func TestIDRecognisers(t *testing.T) {
	tests := []struct {
		is   func(string) bool
		name string
		yes  []string
		no   []string
	}{
		{rules.IsAccountID, "IsAccountID",
			[]string{"1000000000000001", "9999999999999999"},
			[]string{"", "0000000000000001", "100000000000001", "10000000000000011", "100000000000000a", " 000000000000001"}},
		{rules.IsGroupID, "IsGroupID",
			[]string{"0123456789abcdef0123456789abcdef"},
			[]string{"", "0123456789ABCDEF0123456789abcdef", "0123456789abcdef0123456789abcde", "0123456789abcdef0123456789abcdeg"}},
		{rules.IsVpcID, "IsVpcID",
			[]string{"vpc-aaaaaaaaaaaaaaaaaaaaaa", "vpc-0123456789abcdefghijkl"},
			[]string{"", "vpc-", "vpc-aaaaaaaaaaaaaaaaaaaaa", "vpc-AAAAAAAAAAAAAAAAAAAAAA", "vsw-aaaaaaaaaaaaaaaaaaaaaa", "vpc-aaaaaaaaaaaaaaaaaaaaa-"}},
		{rules.IsVSwitchID, "IsVSwitchID",
			[]string{"vsw-aaaaaaaaaaaaaaaaaaaaaa"},
			[]string{"", "vpc-aaaaaaaaaaaaaaaaaaaaaa", "vsw-aaaaaaaaaaaaaaaaaaaaaaa"}},
		{rules.IsAccessKeyID, "IsAccessKeyID",
			[]string{"LTAI0123456789abcdefABCD"},
			[]string{"", "LTAI0123456789abcdefABC", "ltai0123456789abcdefABCD", "LTAI0123456789abcdefAB-D"}},
		{rules.IsSharedInstanceID, "IsSharedInstanceID",
			[]string{"api-shared-vpc-001", "api-shared-vpc-1234"},
			[]string{"", "api-shared-vpc-01", "api-shared-vpc-abc", "api-shared-vpc-", "apigateway-cn-hangzhou-0123456789ab"}},
		{rules.IsDedicatedInstanceID, "IsDedicatedInstanceID",
			[]string{"apigateway-cn-hangzhou-0123456789ab", "apigateway-ap-southeast-1-0123456789ab"},
			[]string{"", "apigateway-cn-hangzhou-0123456789AB", "apigateway-mars-1-0123456789ab", "apigateway-cn-hangzhou-0123456789a",
				"apigateway-cn-hangzhou_0123456789ab", "apigateway--0123456789ab", "api-shared-vpc-001"}},
		{rules.IsInstanceID, "IsInstanceID",
			[]string{"api-shared-vpc-001", "apigateway-us-west-1-abcdefabcdef"},
			[]string{"", "instance-1", "vpc-aaaaaaaaaaaaaaaaaaaaaa"}},
	}
	for _, tt := range tests {
		for _, s := range tt.yes {
			if !tt.is(s) {
				t.Errorf("%s(%q) = false, want true", tt.name, s)
			}
		}
		for _, s := range tt.no {
			if tt.is(s) {
				t.Errorf("%s(%q) = true, want false", tt.name, s)
			}
		}
	}
}
