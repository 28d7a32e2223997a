package store

import (
	"context"
	"testing"

	"gatehouse/rules"
)

// The gateway's state holds every account's instances, domains and VPCs;
// a group is read alone, with its instance and every stage's
// deployments, at the generation the state is at.
func TestGatewayState(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	ga := mustGroup(t, w.s, w.a, "alpha_api", "cn-hangzhou", w.bound.ID)
	gb := mustGroup(t, w.s, w.b, "bravo_api", "cn-hangzhou", w.shared)
	if _, err := w.s.BindDomain(ctx, w.a, ga.ID, rules.DomainInput{Name: "API.Example.com", NetworkType: rules.NetworkInternet}); err != nil {
		t.Fatal(err)
	}
	vb := mustVpc(t, w.s, w.b, "cn-shanghai", "10.0.0.0/8")
	api := mustAPI(t, w.s, w.a, ga.ID, mockDef("hello", "GET", "/hello"))
	for _, stage := range []rules.Stage{rules.StageRelease, rules.StageTest} {
		if _, err := w.s.DeployAPI(ctx, w.a, api.ID, stage, ""); err != nil {
			t.Fatal(err)
		}
	}

	st, err := w.s.GatewayState(ctx)
	if err != nil {
		t.Fatal(err)
	}
	gg, err := w.s.GatewayGroup(ctx, ga.ID)
	if err != nil || !gg.OK || gg.Group.AccountID != w.a.AccountID || gg.Group.InstanceID != w.bound.ID || gg.Group.Name != "alpha_api" ||
		gg.Group.RegionID != "cn-hangzhou" || len(gg.Deployments) != 2 || gg.Deployments[0].APIID != api.ID {
		t.Errorf("GatewayGroup of A's group: %+v %v", gg, err)
	}
	gg, err = w.s.GatewayGroup(ctx, gb.ID)
	if err != nil || !gg.OK || gg.Group.AccountID != w.b.AccountID || gg.Group.InstanceID != w.shared || gg.Instance.ID != w.shared ||
		gg.Instance.Type != rules.InstanceShared || gg.Generation != st.Generation {
		t.Errorf("GatewayGroup of B's group: %+v %v (state at %d)", gg, err, st.Generation)
	}
	if gg, err = w.s.GatewayGroup(ctx, ga.ID); err != nil || !gg.OK || gg.Instance.VpcID != w.vpc.ID || gg.Instance.EndpointIP == "" || gg.Generation != st.Generation {
		t.Errorf("GatewayGroup of A's group: %+v %v", gg, err)
	}
	if gg, err := w.s.GatewayGroup(ctx, "00000000000000000000000000000000"); gg.OK || err != nil {
		t.Errorf("GatewayGroup of no group: %+v %v", gg, err)
	}
	if st.Generation < 1 || st.Generation != w.s.GatewayGeneration() {
		t.Errorf("state at generation %d, the store at %d", st.Generation, w.s.GatewayGeneration())
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

// The gateway generation moves with every committed change the gateway
// serves from, before the method returns; not with a refused one, nor
// with a reservation of public-domain calls.
func TestGatewayGenerationMovesOnCommit(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	before := w.s.GatewayGeneration()
	g := mustGroup(t, w.s, w.a, "moving", "cn-hangzhou", w.shared)
	if w.s.GatewayGeneration() == before {
		t.Fatal("creating a group did not move the generation")
	}
	before = w.s.GatewayGeneration()
	if _, err := w.s.EnableVpcDomain(ctx, w.a, g.ID); err != nil {
		t.Fatal(err)
	}
	if w.s.GatewayGeneration() == before {
		t.Fatal("enabling the VPC domain did not move the generation")
	}
	before = w.s.GatewayGeneration()
	if _, err := w.s.UnbindVpc(ctx, w.b, w.bound.ID); err == nil {
		t.Fatal("account B unbound A's instance")
	}
	if w.s.GatewayGeneration() != before {
		t.Error("a refused change moved the generation")
	}
	if _, err := w.s.ReservePublicCalls(ctx, g.ID, 1, 10, 100); err != nil || w.s.GatewayGeneration() != before {
		t.Errorf("reserving public calls moved the generation (%v): the gateway would read its state again for nothing", err)
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
