package rules_test

import (
	"strings"
	"testing"

	"gatehouse/rules"
)

func TestInstanceInputValidate(t *testing.T) {
	ok := func(change func(*rules.InstanceInput)) rules.InstanceInput {
		in := rules.InstanceInput{Name: "gw-prod", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", Spec: "api.s2.large.x6", HTTPSPolicy: "HTTPS2_TLS1_2"}
		change(&in)
		return in
	}
	tests := []struct {
		name string
		in   rules.InstanceInput
		want map[string]string
	}{
		{"well formed", ok(func(*rules.InstanceInput) {}), nil},
		{"smallest spec, default policy", ok(func(in *rules.InstanceInput) { in.Spec, in.HTTPSPolicy = "api.s1.small", rules.DefaultHTTPSPolicy }), nil},
		{"no name", ok(func(in *rules.InstanceInput) { in.Name = "" }), map[string]string{"name": rules.CodeInvalidInstanceName}},
		{"name with a space", ok(func(in *rules.InstanceInput) { in.Name = "gw prod" }), map[string]string{"name": rules.CodeInvalidInstanceName}},
		{"unknown region", ok(func(in *rules.InstanceInput) { in.RegionID = "cn-mars" }), map[string]string{"region": rules.CodeInvalidRegion}},
		{"unknown region and zone", ok(func(in *rules.InstanceInput) { in.RegionID, in.ZoneID = "cn-mars", "cn-mars-a" }),
			map[string]string{"region": rules.CodeInvalidRegion, "zone": rules.CodeInvalidZone}},
		{"zone of another region", ok(func(in *rules.InstanceInput) { in.ZoneID = "cn-beijing-g" }), map[string]string{"zone": rules.CodeInvalidZone}},
		{"no zone", ok(func(in *rules.InstanceInput) { in.ZoneID = "" }), map[string]string{"zone": rules.CodeInvalidZone}},
		{"no spec", ok(func(in *rules.InstanceInput) { in.Spec = "" }), map[string]string{"spec": rules.CodeInvalidInstanceSpec}},
		{"unknown spec", ok(func(in *rules.InstanceInput) { in.Spec = "api.s2.large.x7" }), map[string]string{"spec": rules.CodeInvalidInstanceSpec}},
		{"no policy", ok(func(in *rules.InstanceInput) { in.HTTPSPolicy = "" }), map[string]string{"https_policy": rules.CodeInvalidHTTPSPolicy}},
		{"unknown policy", ok(func(in *rules.InstanceInput) { in.HTTPSPolicy = "HTTPS3_TLS1_3" }), map[string]string{"https_policy": rules.CodeInvalidHTTPSPolicy}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldCodes(t, tt.in.Validate()); !sameCodes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckDeleteInstance(t *testing.T) {
	wantCode(t, rules.CheckDeleteInstance(dedBoundA, 0), "")
	wantCode(t, rules.CheckDeleteInstance(dedUnbound, 0), "")
	wantCode(t, rules.CheckDeleteInstance(dedBoundA, 2), rules.CodeInstanceInUse)
	wantCode(t, rules.CheckDeleteInstance(shared, 0), rules.CodeSharedInstanceReadOnly)
	wantCode(t, rules.CheckDeleteInstance(rules.Instance{ID: "apigateway-cn-hangzhou-999999999999"}, 0), rules.CodeInstanceNotFound)
}

func TestCheckModifyInstance(t *testing.T) {
	str := func(s string) *string { return &s }
	policied := dedUnbound
	policied.HTTPSPolicy = "HTTPS1_1_TLS1_0"
	tests := []struct {
		name       string
		inst       rules.Instance
		account    string
		ch         rules.InstanceChange
		want       map[string]string // field → code; "" the whole change
		wantName   string
		wantPolicy string
	}{
		{"both", policied, acctA, rules.InstanceChange{Name: str("gw-renamed"), HTTPSPolicy: str("HTTPS2_TLS1_2")}, nil, "gw-renamed", "HTTPS2_TLS1_2"},
		{"the name alone keeps the policy", policied, acctA, rules.InstanceChange{Name: str("gw.v2_a")}, nil, "gw.v2_a", "HTTPS1_1_TLS1_0"},
		{"the policy alone keeps the name", policied, acctA, rules.InstanceChange{HTTPSPolicy: str("HTTPS2_TLS1_0")}, nil, "unbound", "HTTPS2_TLS1_0"},
		{"surrounding space is dropped", policied, acctA, rules.InstanceChange{Name: str("  gw  "), HTTPSPolicy: str(" HTTPS2_TLS1_2\t")}, nil, "gw", "HTTPS2_TLS1_2"},
		{"the same values", policied, acctA, rules.InstanceChange{Name: str("unbound"), HTTPSPolicy: str("HTTPS1_1_TLS1_0")}, nil, "unbound", "HTTPS1_1_TLS1_0"},
		{"a bound instance", dedBoundA, acctA, rules.InstanceChange{Name: str("bound-a2")}, nil, "bound-a2", dedBoundA.HTTPSPolicy},
		{"an empty name", policied, acctA, rules.InstanceChange{Name: str("   ")}, map[string]string{"name": rules.CodeInvalidInstanceName}, "", ""},
		{"a name with a space", policied, acctA, rules.InstanceChange{Name: str("gw prod")}, map[string]string{"name": rules.CodeInvalidInstanceName}, "", ""},
		{"a name too long", policied, acctA, rules.InstanceChange{Name: str("g" + strings.Repeat("w", rules.ResourceNameMax))}, map[string]string{"name": rules.CodeInvalidInstanceName}, "", ""},
		{"a name starting with a digit", policied, acctA, rules.InstanceChange{Name: str("1gw")}, map[string]string{"name": rules.CodeInvalidInstanceName}, "", ""},
		{"an empty policy", policied, acctA, rules.InstanceChange{HTTPSPolicy: str("")}, map[string]string{"https_policy": rules.CodeInvalidHTTPSPolicy}, "", ""},
		{"an unknown policy", policied, acctA, rules.InstanceChange{HTTPSPolicy: str("HTTPS3_TLS1_3")}, map[string]string{"https_policy": rules.CodeInvalidHTTPSPolicy}, "", ""},
		{"a policy in lower case", policied, acctA, rules.InstanceChange{HTTPSPolicy: str("https2_tls1_2")}, map[string]string{"https_policy": rules.CodeInvalidHTTPSPolicy}, "", ""},
		{"both bad, both said", policied, acctA, rules.InstanceChange{Name: str("gw prod"), HTTPSPolicy: str("TLS9")},
			map[string]string{"name": rules.CodeInvalidInstanceName, "https_policy": rules.CodeInvalidHTTPSPolicy}, "", ""},
		{"nothing to change", policied, acctA, rules.InstanceChange{}, map[string]string{"": rules.CodeNothingToModify}, "", ""},
		{"a shared instance is read-only", shared, acctA, rules.InstanceChange{Name: str("mine")}, map[string]string{"instance": rules.CodeSharedInstanceReadOnly}, "", ""},
		{"a shared instance, even with nothing to change", shared, acctA, rules.InstanceChange{}, map[string]string{"instance": rules.CodeSharedInstanceReadOnly}, "", ""},
		{"another account's instance is not found", policied, "1000000000000002", rules.InstanceChange{Name: str("mine")}, map[string]string{"instance": rules.CodeInstanceNotFound}, "", ""},
		{"an instance of no type is not found", rules.Instance{ID: "apigateway-cn-hangzhou-999999999999", AccountID: acctA}, acctA, rules.InstanceChange{Name: str("mine")},
			map[string]string{"instance": rules.CodeInstanceNotFound}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := rules.CheckModifyInstance(tt.inst, tt.account, tt.ch)
			codes := map[string]string{}
			for _, e := range errs {
				wantSentence(t, e.Message)
				codes[e.Field] = e.Code
			}
			if !sameCodes(codes, tt.want) {
				t.Fatalf("refusals %v, want %v (%v)", codes, tt.want, errs)
			}
			if len(errs) > 0 {
				return
			}
			if got.Name != tt.wantName || got.HTTPSPolicy != tt.wantPolicy {
				t.Errorf("changed to name %q policy %q, want %q %q", got.Name, got.HTTPSPolicy, tt.wantName, tt.wantPolicy)
			}
			if got.ID != tt.inst.ID || got.VpcID != tt.inst.VpcID || got.Spec != tt.inst.Spec || got.AccountID != tt.inst.AccountID {
				t.Errorf("changed more than the name and policy: %+v", got)
			}
		})
	}
}

// Whether an instance can be changed at all, whatever the change: the
// account's dedicated instances can, however their name reads today; a
// shared instance or another account's cannot.
func TestCheckInstanceChangeable(t *testing.T) {
	oddName := dedUnbound
	oddName.Name = "-a name no rule accepts now-"
	for _, tt := range []struct {
		name    string
		inst    rules.Instance
		account string
		code    string
	}{
		{"the account's dedicated instance", dedUnbound, acctA, ""},
		{"a bound one", dedBoundA, acctA, ""},
		{"one whose name today's rule refuses", oddName, acctA, ""},
		{"a shared instance", shared, acctA, rules.CodeSharedInstanceReadOnly},
		{"another account's", dedUnbound, "someone-else", rules.CodeInstanceNotFound},
	} {
		got := "" // allowed
		if err := rules.CheckInstanceChangeable(tt.inst, tt.account); err != nil {
			got = err.Code
		}
		if got != tt.code {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.code)
		}
	}
}
