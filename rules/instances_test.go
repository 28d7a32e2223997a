package rules_test

import (
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
