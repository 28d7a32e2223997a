package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/web/webtest"
)

// The VPC second-level domain of a group (R2–R5) and Modify Instance for
// API Group Deployment (R8). What the dialogs say when the rules already
// refuse the change is in dialogs_refusal_test.go.
var groupVpcRoutes = map[string]routeTest{
	"GET /groups/:id/vpc-domain/enable":   testGroupEnableVpcDomainPage,
	"POST /groups/:id/vpc-domain/enable":  testGroupEnableVpcDomain,
	"GET /groups/:id/vpc-domain/disable":  testGroupDisableVpcDomainPage,
	"POST /groups/:id/vpc-domain/disable": testGroupDisableVpcDomain,
	"GET /groups/:id/move":                testGroupMovePage,
	"POST /groups/:id/move":               testGroupMove,
}

func testGroupEnableVpcDomainPage(t *testing.T, rt *routeT) {
	onShared := rt.newGroup(t, rt.hangzhouShared, false)
	rt.expectGetModes(t, rt.as(t, rt.operator), "/groups/"+onShared.ID+"/vpc-domain/enable", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		// Who will reach it: on a shared instance, every VPC of the region.
		p.ExpectDialog(mode, "Enable VPC Second-level Domain").ExpectButton("Confirm").
			Shows("every VPC in China (Hangzhou)")
	})
	inst := rt.newInstance(t, true)
	onBound := rt.newGroup(t, inst.ID, false)
	rt.as(t, rt.operator).Get(t, "/groups/"+onBound.ID+"/vpc-domain/enable").Expect(http.StatusOK).
		ExpectButton("Confirm").Shows(inst.VpcID).ShowsNot("every VPC in China (Hangzhou)")
	rt.as(t, rt.operator).Get(t, "/groups/"+rt.b.Group+"/vpc-domain/enable").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/groups/"+onShared.ID+"/vpc-domain/enable"), viewerRefusal)
}

func testGroupEnableVpcDomain(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.newGroup(t, rt.newInstance(t, true).ID, false)
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups/"+g.ID+"/vpc-domain/enable", nil,
			"/groups/"+g.ID, "The VPC second-level domain "+g.VpcDomain()+" of API group "+g.Name+" is enabled.")
		after.Shows(g.VpcDomain())
	})
	t.Run("refused by R5", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, false)
		g := rt.newGroup(t, inst.ID, false)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := rt.as(t, rt.operator).PostAs(t, mode, "/groups/"+g.ID+"/vpc-domain/enable", nil).Expect(http.StatusConflict)
			p.ExpectDialog(mode, "Enable VPC Second-level Domain").
				ExpectAlert("If you do not bind the instance to a VPC, you cannot enable VPC second-level domain name for the API group.")
			// The way out: the instance's Bind to VPC dialog.
			if !p.Has(`[role=alert] a[href^="/instances/` + inst.ID + `/bind"]`) {
				t.Errorf("%s: the refusal does not link to the instance to bind", p)
			}
		}
		if cur, err := rt.Store.GetGroup(context.Background(), rt.a.Account.ID, g.ID); err != nil || cur.VpcDomainEnabled {
			t.Errorf("the refused change happened: %v", err)
		}
	})
	rt.as(t, rt.operator).Post(t, "/groups/"+rt.b.Group+"/vpc-domain/enable", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/groups/"+rt.a.Group+"/vpc-domain/enable", nil), viewerRefusal)
}

func testGroupDisableVpcDomainPage(t *testing.T, rt *routeT) {
	g := rt.newGroup(t, rt.hangzhouShared, true)
	rt.expectGetModes(t, rt.as(t, rt.operator), "/groups/"+g.ID+"/vpc-domain/disable", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Disable VPC Second-level Domain").ExpectButton("Disable").
			Shows("Disable the VPC second-level domain " + g.VpcDomain() + " of the API group " + g.Name + "?")
	})
	rt.as(t, rt.operator).Get(t, "/groups/"+rt.b.Group+"/vpc-domain/disable").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/groups/"+g.ID+"/vpc-domain/disable"), viewerRefusal)
}

func testGroupDisableVpcDomain(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.newGroup(t, rt.hangzhouShared, true)
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups/"+g.ID+"/vpc-domain/disable", nil,
			"/groups/"+g.ID, "The VPC second-level domain of API group "+g.Name+" is disabled.")
	})
	t.Run("refused while INTRANET domains point at it", func(t *testing.T) {
		t.Parallel()
		g := rt.newGroup(t, rt.newInstance(t, true).ID, true)
		domain := rt.name("intra") + ".example.com"
		if _, err := rt.Store.BindDomain(context.Background(), rt.actor(), g.ID, rules.DomainInput{Name: domain, NetworkType: rules.NetworkIntranet}); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			rt.as(t, rt.operator).PostAs(t, mode, "/groups/"+g.ID+"/vpc-domain/disable", nil).Expect(http.StatusConflict).
				ExpectDialog(mode, "Disable VPC Second-level Domain").
				ExpectAlert("cannot be disabled while custom domains of network type INTRANET point at it: \"" + domain + "\".")
		}
	})
	rt.as(t, rt.operator).Post(t, "/groups/"+rt.b.Group+"/vpc-domain/disable", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/groups/"+rt.a.Group+"/vpc-domain/disable", nil), viewerRefusal)
}

func testGroupMovePage(t *testing.T, rt *routeT) {
	g := rt.newGroup(t, rt.hangzhouShared, false)
	rt.expectGetModes(t, rt.as(t, rt.operator), "/groups/"+g.ID+"/move", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Modify Instance for API Group Deployment").ExpectButton("Migration")
		opts := p.Options("instance")
		if has(opts, rt.hangzhouShared) || !has(opts, rt.a.UnboundInstance) || has(opts, rt.b.Instance) {
			t.Errorf("%s: destinations %q: the region's other instances of this account, not the current one", p, opts)
		}
	})
	rt.as(t, rt.operator).Get(t, "/groups/"+rt.b.Group+"/move").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/groups/"+g.ID+"/move"), viewerRefusal)
}

func testGroupMove(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.newGroup(t, rt.hangzhouShared, false)
		to := rt.newInstance(t, false)
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups/"+g.ID+"/move", url.Values{"instance": {to.ID}, "acknowledge": {"on"}},
			"/groups/"+g.ID, "API group "+g.Name+" now runs on the instance "+to.ID+".")
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		g := rt.newGroup(t, rt.hangzhouShared, true)
		unbound := rt.newInstance(t, false)
		op := rt.as(t, rt.operator)
		path := "/groups/" + g.ID + "/move"
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			op.PostAs(t, mode, path, nil).Expect(http.StatusUnprocessableEntity).
				ExpectDialog(mode, "Modify Instance for API Group Deployment").
				ExpectFieldError("instance", "Choose the destination instance.").
				ExpectFieldError("acknowledge", "Tick the box to confirm that you understand the risk of the migration.")
			// R8: a VPC-enabled group goes to a dedicated instance only once
			// it is bound to a VPC.
			op.PostAs(t, mode, path, url.Values{"instance": {unbound.ID}, "acknowledge": {"on"}}).Expect(http.StatusConflict).
				ExpectFieldError("instance", "so it can move to a dedicated instance only once a VPC is bound to that instance")
			op.PostAs(t, mode, path, url.Values{"instance": {rt.hangzhouShared}, "acknowledge": {"on"}}).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("instance", "is already on the instance "+rt.hangzhouShared+". Choose another destination instance.")
			op.PostAs(t, mode, path, url.Values{"instance": {rt.b.Instance}, "acknowledge": {"on"}}).Expect(http.StatusNotFound).
				ExpectFieldError("instance", `The instance "`+rt.b.Instance+`" does not exist.`)
		}
		if cur, err := rt.Store.GetGroup(context.Background(), rt.a.Account.ID, g.ID); err != nil || cur.InstanceID != rt.hangzhouShared {
			t.Errorf("a refused move moved the group: %q, %v", cur.InstanceID, err)
		}
	})
	rt.as(t, rt.operator).Post(t, "/groups/"+rt.b.Group+"/move", url.Values{"instance": {rt.a.UnboundInstance}, "acknowledge": {"on"}}).Expect(http.StatusNotFound)
	p := rt.as(t, rt.viewer).Post(t, "/groups/"+rt.a.Group+"/move", url.Values{"instance": {rt.a.UnboundInstance}, "acknowledge": {"on"}})
	expectForbidden(t, p, viewerRefusal)
	if strings.Contains(p.Body, "now runs on") {
		t.Errorf("a viewer moved a group")
	}
}
