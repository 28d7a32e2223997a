package store

import (
	"context"
	"testing"

	"gatehouse/rules"
)

// ModifyInstance changes a dedicated instance's name and HTTPS policy in
// one transaction with its operation-log row; a new policy reaches the
// gateway through the generation's journal (the group on the instance is
// read again), a new name alone does not move it; refusals change
// nothing.
func TestModifyInstance(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s
	g := mustGroup(t, s, w.a, "on_bound", "cn-hangzhou", w.bound.ID)
	str := func(v string) *string { return &v }

	before := s.GatewayGeneration()
	m, err := s.ModifyInstance(ctx, w.a, w.bound.ID, rules.InstanceChange{Name: str("  gw-renamed "), HTTPSPolicy: str("HTTPS1_1_TLS1_0")})
	if err != nil {
		t.Fatal(err)
	}
	if m.Name != "gw-renamed" || m.HTTPSPolicy != "HTTPS1_1_TLS1_0" || m.WasName != w.bound.Name || m.WasHTTPSPolicy != "HTTPS2_TLS1_2" || m.VpcID != w.vpc.ID {
		t.Fatalf("modification %+v", m)
	}
	got, err := s.GetInstance(ctx, w.a.AccountID, w.bound.ID)
	if err != nil || got.Name != "gw-renamed" || got.HTTPSPolicy != "HTTPS1_1_TLS1_0" || got.VpcID != w.vpc.ID || got.EndpointIP != w.bound.EndpointIP {
		t.Fatalf("read back %+v %v", got, err)
	}
	op := lastOp(t, s, w.a.AccountID)
	if op.Action != rules.ActionModifyInstance || op.Target != w.bound.ID || op.Outcome != "ok" ||
		op.Detail != "name "+w.bound.Name+" → gw-renamed; HTTPS policy HTTPS2_TLS1_2 → HTTPS1_1_TLS1_0" {
		t.Errorf("op log %+v", op)
	}
	changes, now, complete, err := s.GatewayChangesSince(ctx, before)
	if err != nil || !complete || now != s.GatewayGeneration() || len(changes) != 1 ||
		changes[0].Kind != ChangeInstance || changes[0].Key != w.bound.ID {
		t.Fatalf("journal since %d: %+v (now %d, complete %t, %v)", before, changes, now, complete, err)
	}
	gg, err := s.GatewayGroup(ctx, g.ID)
	if err != nil || !gg.OK || gg.Instance.HTTPSPolicy != "HTTPS1_1_TLS1_0" || gg.Generation != now {
		t.Errorf("the gateway's read of the group: %+v %v", gg, err)
	}

	// The name alone: logged, the gateway not disturbed.
	before = s.GatewayGeneration()
	if m, err = s.ModifyInstance(ctx, w.a, w.bound.ID, rules.InstanceChange{Name: str("gw-again")}); err != nil || m.HTTPSPolicy != "HTTPS1_1_TLS1_0" {
		t.Fatalf("rename: %+v %v", m, err)
	}
	if s.GatewayGeneration() != before {
		t.Error("a new name alone moved the gateway generation")
	}
	if op := lastOp(t, s, w.a.AccountID); op.Detail != "name gw-renamed → gw-again" {
		t.Errorf("op log of the rename: %+v", op)
	}
	// The policy alone, through an instance whose name stays.
	if m, err = s.ModifyInstance(ctx, w.a, w.bound.ID, rules.InstanceChange{HTTPSPolicy: str("HTTPS2_TLS1_2")}); err != nil || m.Name != "gw-again" || m.HTTPSPolicy != "HTTPS2_TLS1_2" {
		t.Fatalf("policy: %+v %v", m, err)
	}
	if s.GatewayGeneration() == before {
		t.Error("a new policy did not move the gateway generation")
	}

	// Refusals: nothing changes, nothing is logged.
	refusedAtOnce(t, s, []string{rules.CodeInvalidInstanceName, rules.CodeInvalidHTTPSPolicy}, func() error {
		_, err := s.ModifyInstance(ctx, w.a, w.bound.ID, rules.InstanceChange{Name: str("bad name"), HTTPSPolicy: str("TLS9")})
		return err
	})
	unchanged(t, s, rules.CodeNothingToModify, func() error {
		_, err := s.ModifyInstance(ctx, w.a, w.bound.ID, rules.InstanceChange{})
		return err
	})
	unchanged(t, s, rules.CodeSharedInstanceReadOnly, func() error {
		_, err := s.ModifyInstance(ctx, w.a, w.shared, rules.InstanceChange{Name: str("mine")})
		return err
	})
	unchanged(t, s, rules.CodeInstanceNotFound, func() error {
		_, err := s.ModifyInstance(ctx, w.b, w.bound.ID, rules.InstanceChange{Name: str("stolen")})
		return err
	})
	unchanged(t, s, rules.CodeInstanceNotFound, func() error {
		_, err := s.ModifyInstance(ctx, w.a, "apigateway-cn-hangzhou-000000000000", rules.InstanceChange{Name: str("ghost")})
		return err
	})
}
