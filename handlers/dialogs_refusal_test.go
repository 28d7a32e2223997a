package handlers_test

// Dialogs ask the rules before offering their button (issue 11, item 2):
// when the rules already refuse the change, the dialog shows the rule's
// own message, with a link to what must change first, and no button that
// would commit it — with JavaScript on (the modal fragment) and off (the
// dialog as a page). The expected text is the rule error's, computed here
// by calling the rule, so the dialogs cannot drift into notes of their own.
//
// These tests document behaviour the cleanup branch delivers; until it
// lands, some fail on main by design.

import (
	"context"
	"net/http"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/web/webtest"
)

// ruleMessage is what a rule's refusal says to an operator.
func ruleMessage(t *testing.T, err error) string {
	t.Helper()
	re, ok := rules.AsError(err)
	if !ok {
		t.Fatalf("the rule does not refuse (%v); the fixture is wrong", err)
	}
	return re.Message
}

// expectRefusedDialog opens a dialog both ways and checks that it says
// message, links to one of wayOut (when the refusal has a way out), and
// offers no button that commits.
func expectRefusedDialog(t *testing.T, rt *routeT, path, title, message string, wayOut ...string) {
	t.Helper()
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
		p := rt.as(t, rt.operator).GetAs(t, mode, path).Expect(http.StatusConflict)
		p.ExpectDialog(mode, title).ExpectAlert(message)
		if b := p.SubmitButtons(); len(b) > 0 {
			t.Errorf("%s: the refused dialog offers %q", p, b)
		}
		linked := false
		for _, href := range wayOut {
			linked = linked || p.Has(`dialog a[href="`+href+`"], section.dialog-page a[href="`+href+`"]`)
		}
		if !linked && len(wayOut) > 0 {
			t.Errorf("%s: the refusal links to none of %q, where the way out is", p, wayOut)
		}
	}
}

func (rt *routeT) instanceRow(t *testing.T, id string) store.InstanceRow {
	t.Helper()
	r, err := rt.Store.GetInstance(context.Background(), rt.a.Account.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestRefusedDialogs(t *testing.T) {
	fx := sharedFixture(t)
	rt := &routeT{fixture: fx, log: &webtest.AnswerLog{}}
	ctx := context.Background()

	t.Run("enable VPC domain on an unbound dedicated instance (R5)", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, false)
		g := rt.newGroup(t, inst.ID, false)
		msg := ruleMessage(t, rules.CheckEnableVpcDomain(g, inst))
		expectRefusedDialog(t, rt, "/groups/"+g.ID+"/vpc-domain/enable", "Enable VPC Second-level Domain", msg, "/instances/"+inst.ID)
	})

	t.Run("unbind while groups have the VPC domain (R7)", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, true)
		g := rt.newGroup(t, inst.ID, true)
		msg := ruleMessage(t, rules.CheckUnbindVpc(inst, []rules.Group{g}))
		expectRefusedDialog(t, rt, "/instances/"+inst.ID+"/unbind", "Unbind VPC", msg, "/groups/"+g.ID, "/instances/"+inst.ID)
	})

	t.Run("unbind an instance bound to no VPC", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, false)
		msg := ruleMessage(t, rules.CheckUnbindVpc(inst, nil))
		expectRefusedDialog(t, rt, "/instances/"+inst.ID+"/unbind", "Unbind VPC", msg, "/instances/"+inst.ID+"/bind", "/instances/"+inst.ID)
	})

	t.Run("delete an instance that hosts groups", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, false)
		g := rt.newGroup(t, inst.ID, false)
		msg := ruleMessage(t, rules.CheckDeleteInstance(inst, 1))
		expectRefusedDialog(t, rt, "/instances/"+inst.ID+"/delete", "Delete Instance", msg, "/groups/"+g.ID, "/instances/"+inst.ID)
	})

	t.Run("delete a shared instance", func(t *testing.T) {
		t.Parallel()
		shared := rt.instanceRow(t, rt.hangzhouShared)
		msg := ruleMessage(t, rules.CheckDeleteInstance(shared.Instance, 0))
		expectRefusedDialog(t, rt, "/instances/"+shared.ID+"/delete", "Delete Instance", msg) // nothing to change: no way out
	})

	t.Run("delete a VPC with a vSwitch and a bound instance", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, true)
		v, err := rt.Store.GetVpc(ctx, rt.a.Account.ID, inst.VpcID)
		if err != nil {
			t.Fatal(err)
		}
		msg := ruleMessage(t, rules.CheckDeleteVpc(v.VPC, v.VSwitches, []rules.Instance{inst}))
		expectRefusedDialog(t, rt, "/vpcs/"+v.ID+"/delete", "Delete VPC", msg, "/instances/"+inst.ID, "/vpcs/"+v.ID)
	})

	t.Run("delete a vSwitch holding an endpoint", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, true)
		w, err := rt.Store.GetVSwitch(ctx, rt.a.Account.ID, inst.VSwitchID)
		if err != nil {
			t.Fatal(err)
		}
		msg := ruleMessage(t, rules.CheckDeleteVSwitch(w, []rules.Instance{inst}))
		expectRefusedDialog(t, rt, "/vpcs/"+inst.VpcID+"/vswitches/"+w.ID+"/delete", "Delete vSwitch", msg, "/instances/"+inst.ID, "/instances/"+inst.ID+"/unbind", "/instances/"+inst.ID+"/bind")
	})

	// Modify Instance for API Group Deployment: each destination the rules
	// refuse carries the rule's own reason (CheckMoveGroup), also those
	// refused for a reason other than R8; one they allow carries none.
	t.Run("move: each refused destination says why", func(t *testing.T) {
		t.Parallel()
		from := rt.newInstance(t, true)
		g := rt.newGroup(t, from.ID, true)
		domain := rt.name("intra") + ".move.example.com"
		if _, err := rt.Store.BindDomain(ctx, rt.actor(), g.ID, rules.DomainInput{Name: domain, NetworkType: rules.NetworkIntranet}); err != nil {
			t.Fatal(err)
		}
		shared := rt.instanceRow(t, rt.hangzhouShared).Instance
		unbound := rt.newInstance(t, false)
		bound := rt.newInstance(t, true)
		refusedShared := ruleMessage(t, rules.CheckMoveGroup(g, from, shared, rt.a.Account.ID, 1))
		refusedUnbound := ruleMessage(t, rules.CheckMoveGroup(g, from, unbound, rt.a.Account.ID, 1))
		if err := rules.CheckMoveGroup(g, from, bound, rt.a.Account.ID, 1); err != nil {
			t.Fatalf("the bound destination is refused: %v", err)
		}
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := rt.as(t, rt.operator).GetAs(t, mode, "/groups/"+g.ID+"/move").Expect(http.StatusOK)
			p.ExpectDialog(mode, "Modify Instance for API Group Deployment").ExpectButton("Migration")
			p.Shows(refusedShared, refusedUnbound)
			if opts := p.Options("instance"); !has(opts, bound.ID) {
				t.Errorf("%s: the allowed destination %s is not offered: %q", p, bound.ID, opts)
			}
		}
	})
}
