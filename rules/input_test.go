package rules_test

import (
	"strings"
	"testing"

	"gatehouse/rules"
)

// The input policy trims every field but a password and fills the
// documented defaults, the same for both doors.
func TestNormalize(t *testing.T) {
	g := rules.GroupInput{Name: "  orders \t", Description: " d ", RegionID: " cn-hangzhou ", InstanceID: ""}.Normalize()
	if g != (rules.GroupInput{Name: "orders", Description: "d", RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"}) {
		t.Errorf("group: %+v", g)
	}
	if g := (rules.GroupInput{RegionID: "mars-1"}).Normalize(); g.InstanceID != "" {
		t.Errorf("an unknown region got a default instance: %+v", g)
	}
	i := rules.InstanceInput{Name: " gw ", RegionID: " cn-hangzhou", ZoneID: "cn-hangzhou-g ", Spec: " api.s1.small"}.Normalize()
	if i != (rules.InstanceInput{Name: "gw", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: rules.DefaultHTTPSPolicy}) {
		t.Errorf("instance: %+v", i)
	}
	if i := (rules.InstanceInput{HTTPSPolicy: " HTTPS2_TLS1_2 "}).Normalize(); i.HTTPSPolicy != "HTTPS2_TLS1_2" {
		t.Errorf("a chosen policy was replaced: %+v", i)
	}
	v := rules.VpcInput{Name: " prod ", Description: " x ", RegionID: " cn-hangzhou ", CIDR: " 10.0.0.0/8 "}.Normalize()
	if v != (rules.VpcInput{Name: "prod", Description: "x", RegionID: "cn-hangzhou", CIDR: "10.0.0.0/8"}) {
		t.Errorf("vpc: %+v", v)
	}
	w := rules.VSwitchInput{VpcID: " " + vpcA.ID, ZoneID: " cn-hangzhou-g", Name: " a ", CIDR: "10.0.1.0/24 "}.Normalize()
	if w != (rules.VSwitchInput{VpcID: vpcA.ID, ZoneID: "cn-hangzhou-g", Name: "a", CIDR: "10.0.1.0/24"}) {
		t.Errorf("vswitch: %+v", w)
	}
	d := rules.DomainInput{Name: " API.Example.com. ", NetworkType: " INTRANET ", CertName: " c ", KeyPEM: " k "}.Normalize()
	if d.Name != "api.example.com" || d.NetworkType != rules.NetworkIntranet || d.CertName != "c" || d.KeyPEM != " k " {
		t.Errorf("domain: %+v", d)
	}
	u := rules.UserInput{Login: " alice ", Password: "  spaces count  ", Role: " viewer "}.Normalize()
	if u != (rules.UserInput{Login: "alice", Password: "  spaces count  ", Role: rules.RoleViewer}) {
		t.Errorf("user: %+v", u)
	}
}

// A malformed VPC or vSwitch id is answered as Alibaba does: as absent.
func TestCheckVpcAndVSwitchIDs(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code string
	}{
		{"VPC id", rules.CheckVpcID(vpcA.ID), ""},
		{"no VPC id", rules.CheckVpcID(""), rules.CodeInvalidVpcID},
		{"malformed VPC id", rules.CheckVpcID("vpc-NOPE"), rules.CodeVpcNotFound},
		{"vSwitch id as VPC id", rules.CheckVpcID(vswA.ID), rules.CodeVpcNotFound},
		{"vSwitch id", rules.CheckVSwitchID(vswA.ID), ""},
		{"no vSwitch id", rules.CheckVSwitchID(""), rules.CodeInvalidVSwitchID},
		{"malformed vSwitch id", rules.CheckVSwitchID("sw-1"), rules.CodeVSwitchNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { wantCode(t, tt.err, tt.code) })
	}
	// A pasted page of text is not echoed back whole.
	re, _ := rules.AsError(rules.CheckVpcID(strings.Repeat("x", 5000)))
	if len(re.Message) > 120 {
		t.Errorf("message of %d bytes: %.100s…", len(re.Message), re.Message)
	}
	codes := rules.FieldErrors(nil, rules.CheckVpcID(""), nil, rules.CheckVSwitchID("sw-1"))
	if len(codes) != 2 || codes[0].Code != rules.CodeInvalidVpcID || codes[1].Code != rules.CodeVSwitchNotFound {
		t.Errorf("FieldErrors: %v", codes)
	}
}
