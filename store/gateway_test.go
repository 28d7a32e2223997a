package store

import (
	"context"
	"testing"

	"gatehouse/rules"
)

// The gateway's state holds every account's instances, domains and VPCs,
// and the groups served on; any other group is read alone, with its
// instance.
func TestGatewayState(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	ga := mustGroup(t, w.s, w.a, "alpha_api", "cn-hangzhou", w.bound.ID)
	gb := mustGroup(t, w.s, w.b, "bravo_api", "cn-hangzhou", w.shared)
	if _, err := w.s.BindDomain(ctx, w.a, ga.ID, rules.DomainInput{Name: "API.Example.com", NetworkType: rules.NetworkInternet}); err != nil {
		t.Fatal(err)
	}
	vb := mustVpc(t, w.s, w.b, "cn-shanghai", "10.0.0.0/8")

	st, err := w.s.GatewayState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	groups := map[string]rules.Group{}
	for _, g := range st.Groups {
		groups[g.ID] = g
	}
	if g := groups[ga.ID]; g.AccountID != w.a.AccountID || g.InstanceID != w.bound.ID || g.Name != "alpha_api" || g.RegionID != "cn-hangzhou" {
		t.Errorf("group of A: %+v", g)
	}
	if g, ok := groups[gb.ID]; ok {
		t.Errorf("a group with nothing served on it is in the state: %+v", g)
	}
	g, in, ok, err := w.s.GatewayGroup(ctx, gb.ID)
	if err != nil || !ok || g.AccountID != w.b.AccountID || g.InstanceID != w.shared || in.ID != w.shared || in.Type != rules.InstanceShared {
		t.Errorf("GatewayGroup of B's group: %+v %+v %t %v", g, in, ok, err)
	}
	g, in, ok, err = w.s.GatewayGroup(ctx, ga.ID)
	if err != nil || !ok || in.VpcID != w.vpc.ID || in.EndpointIP == "" {
		t.Errorf("GatewayGroup of A's group: %+v %+v %t %v", g, in, ok, err)
	}
	if _, _, ok, err := w.s.GatewayGroup(ctx, "00000000000000000000000000000000"); ok || err != nil {
		t.Errorf("GatewayGroup of no group: %t %v", ok, err)
	}
	var bound *rules.Instance
	shared := 0
	for i, in := range st.Instances {
		if in.ID == w.bound.ID {
			bound = &st.Instances[i]
		}
		if in.Type == rules.InstanceShared {
			shared++
		}
	}
	if bound == nil || bound.VpcID != w.vpc.ID || bound.EndpointIP == "" || shared != len(rules.SharedInstances()) {
		t.Errorf("instances: bound %+v, %d shared", bound, shared)
	}
	if len(st.Domains) != 1 || st.Domains[0].Name != "api.example.com" || st.Domains[0].GroupID != ga.ID {
		t.Errorf("domains: %+v", st.Domains)
	}
	vpcs := map[string]string{}
	for _, v := range st.Vpcs {
		vpcs[v.ID] = v.AccountID
	}
	if vpcs[w.vpc.ID] != w.a.AccountID || vpcs[vb.ID] != w.b.AccountID || len(vpcs) != 3 {
		t.Errorf("vpcs: %v", vpcs)
	}
}

// Changes moves with every committed change, before the method returns,
// and not with a refused one.
func TestChangesMoveOnCommit(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	before := w.s.Changes()
	g := mustGroup(t, w.s, w.a, "moving", "cn-hangzhou", w.shared)
	if w.s.Changes() == before {
		t.Fatal("creating a group did not move Changes")
	}
	before = w.s.Changes()
	if _, err := w.s.EnableVpcDomain(ctx, w.a, g.ID); err != nil {
		t.Fatal(err)
	}
	if w.s.Changes() == before {
		t.Fatal("enabling the VPC domain did not move Changes")
	}
	before = w.s.Changes()
	if _, err := w.s.UnbindVpc(ctx, w.b, w.bound.ID); err == nil {
		t.Fatal("account B unbound A's instance")
	}
	if w.s.Changes() != before {
		t.Error("a refused change moved Changes")
	}
	if _, err := w.s.ReservePublicCalls(ctx, g.ID, 1, 10, 100); err != nil || w.s.Changes() != before {
		t.Errorf("reserving public calls moved Changes (%v): the gateway would read its state again for nothing", err)
	}
}

func TestVpcByID(t *testing.T) {
	w := newWorld(t)
	v, err := w.s.VpcByID(context.Background(), w.vpc.ID)
	if err != nil || v.AccountID != w.a.AccountID || v.RegionID != "cn-hangzhou" {
		t.Errorf("%+v, %v", v, err)
	}
	if _, err := w.s.VpcByID(context.Background(), "vpc-zzzzzzzzzzzzzzzzzzzzzz"); !rules.HasCode(err, rules.CodeVpcNotFound) {
		t.Errorf("unknown VPC: %v", err)
	}
}
