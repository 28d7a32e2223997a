package handlers_test

// Dialogs ask the rules before offering their button (issue 11, item 2):
// when the rules already refuse the change, the dialog shows the rule's
// own message, with a link to what must change first, and no button that
// would commit it — with JavaScript on (the modal fragment) and off (the
// dialog as a page). The expected text is the rule error's, computed here
// by calling the rule, so the dialogs cannot drift into notes of their own.

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

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
// message in its refusal, offers no button that commits, and that the
// refusal's links (the ways out) lead to the pages of wayOut: every one,
// by path (a link may add a fragment, or where to come back to). A refusal
// with nothing to change first (wayOut empty) has no link.
func expectRefusedDialog(t *testing.T, rt *routeT, path, title, message string, wayOut ...string) *webtest.Page {
	t.Helper()
	var last *webtest.Page
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
		p := rt.as(t, rt.operator).GetAs(t, mode, path).Expect(http.StatusConflict)
		p.ExpectDialog(mode, title).ExpectAlert(message)
		if b := p.SubmitButtons(); len(b) > 0 {
			t.Errorf("%s: the refused dialog offers %q", p, b)
		}
		var links []string
		p.Doc().Find(".notice.err[role=alert] a[href]").Each(func(_ int, a *goquery.Selection) {
			u, err := url.Parse(a.AttrOr("href", ""))
			if err != nil {
				t.Errorf("%s: the way out %q is no URL", p, a.AttrOr("href", ""))
				return
			}
			links = append(links, u.Path)
		})
		slices.Sort(links)
		want := slices.Sorted(slices.Values(wayOut))
		if !slices.Equal(links, want) {
			t.Errorf("%s: the refusal links to %q, want the ways out %q", p, links, want)
		}
		last = p
	}
	return last
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
		// The way out is the instance's Bind to VPC dialog, which comes
		// back to the group once bound.
		p := expectRefusedDialog(t, rt, "/groups/"+g.ID+"/vpc-domain/enable", "Enable VPC Second-level Domain", msg, "/instances/"+inst.ID+"/bind")
		href := p.Doc().Find(".notice.err[role=alert] a[href]").AttrOr("href", "")
		if u, err := url.Parse(href); err != nil || u.Query().Get("next") != "/groups/"+g.ID {
			t.Errorf("the way out %q does not come back to the group", href)
		}
	})

	t.Run("unbind while groups have the VPC domain (R7)", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, true)
		g := rt.newGroup(t, inst.ID, true)
		msg := ruleMessage(t, rules.CheckUnbindVpc(inst, []rules.Group{g}))
		expectRefusedDialog(t, rt, "/instances/"+inst.ID+"/unbind", "Unbind VPC", msg, "/groups/"+g.ID)
	})

	t.Run("unbind an instance bound to no VPC", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, false)
		msg := ruleMessage(t, rules.CheckUnbindVpc(inst, nil))
		expectRefusedDialog(t, rt, "/instances/"+inst.ID+"/unbind", "Unbind VPC", msg) // nothing to undo: no way out
	})

	t.Run("delete an instance that hosts groups", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, false)
		g := rt.newGroup(t, inst.ID, false)
		msg := ruleMessage(t, rules.CheckDeleteInstance(inst, 1))
		// Each group on it is a way out: move or delete it.
		expectRefusedDialog(t, rt, "/instances/"+inst.ID+"/delete", "Delete Instance", msg, "/groups/"+g.ID)
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
		expectRefusedDialog(t, rt, "/vpcs/"+v.ID+"/delete", "Delete VPC", msg, "/instances/"+inst.ID)
	})

	t.Run("delete a vSwitch holding an endpoint", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, true)
		w, err := rt.Store.GetVSwitch(ctx, rt.a.Account.ID, inst.VSwitchID)
		if err != nil {
			t.Fatal(err)
		}
		msg := ruleMessage(t, rules.CheckDeleteVSwitch(w, []rules.Instance{inst}))
		expectRefusedDialog(t, rt, "/vpcs/"+inst.VpcID+"/vswitches/"+w.ID+"/delete", "Delete vSwitch", msg, "/instances/"+inst.ID)
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
			refused := p.Text("#group-move-refused")
			for _, want := range []string{shared.ID + ": " + refusedShared, unbound.ID + ": " + refusedUnbound} {
				if !strings.Contains(refused, want) {
					t.Errorf("%s: the refused destinations say %q, want %q", p, refused, want)
				}
			}
			if strings.Contains(refused, bound.ID) {
				t.Errorf("%s: the allowed destination %s is listed as refused", p, bound.ID)
			}
			// The way out of the unbound one: bind it, and come back.
			if !p.Has(`#group-move-refused a[href^="/instances/` + unbound.ID + `/bind"]`) {
				t.Errorf("%s: no way out to bind %s", p, unbound.ID)
			}
			opts := moveOptions(p)
			if o, ok := opts[bound.ID]; !ok || o.disabled {
				t.Errorf("%s: the allowed destination %s is not offered: %+v", p, bound.ID, opts)
			}
			for _, id := range []string{shared.ID, unbound.ID} {
				if o := opts[id]; !o.disabled || !strings.HasSuffix(o.label, " — refused") {
					t.Errorf("%s: the refused destination %s is offered as %+v, want disabled and labelled refused", p, id, o)
				}
			}
		}
	})

	t.Run("disable the VPC domain while INTRANET domains point at it", func(t *testing.T) {
		t.Parallel()
		g := rt.newGroup(t, rt.newInstance(t, true).ID, true)
		domain := rt.name("held") + ".example.com"
		if _, err := rt.Store.BindDomain(ctx, rt.actor(), g.ID, rules.DomainInput{Name: domain, NetworkType: rules.NetworkIntranet}); err != nil {
			t.Fatal(err)
		}
		d, err := rt.Store.GetGroupDetail(ctx, rt.a.Account.ID, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		msg := ruleMessage(t, rules.CheckDisableVpcDomain(d.Group, d.Domains))
		// The way out: each INTRANET domain, to unbind it.
		expectRefusedDialog(t, rt, "/groups/"+g.ID+"/vpc-domain/disable", "Disable VPC Second-level Domain", msg, "/groups/"+g.ID+"/domains/"+domain+"/unbind")
	})

	// Every destination refused: the dialog is a refusal (409) with Close,
	// not Migration. In a region of its own, so that no other test's
	// instance is a destination.
	t.Run("move with no destination the rules allow", func(t *testing.T) {
		t.Parallel()
		a := rt.actor()
		v, err := rt.Store.CreateVpc(ctx, a, rules.VpcInput{Name: rt.name("bj"), RegionID: "cn-beijing", CIDR: "192.168.0.0/16"})
		if err != nil {
			t.Fatal(err)
		}
		w, err := rt.Store.CreateVSwitch(ctx, a, rules.VSwitchInput{VpcID: v.ID, ZoneID: "cn-beijing-g", Name: rt.name("bj"), CIDR: "192.168.1.0/24"})
		if err != nil {
			t.Fatal(err)
		}
		newInstance := func() rules.Instance {
			t.Helper()
			in, err := rt.Store.CreateInstance(ctx, a, rules.InstanceInput{Name: rt.name("bj"), RegionID: "cn-beijing", ZoneID: "cn-beijing-g", Spec: "api.s1.small"})
			if err != nil {
				t.Fatal(err)
			}
			return in
		}
		from, unbound := newInstance(), newInstance()
		if _, err := rt.Store.BindVpc(ctx, a, from.ID, v.ID, w.ID); err != nil {
			t.Fatal(err)
		}
		g, err := rt.Store.CreateGroup(ctx, a, rules.GroupInput{Name: rt.name("bj_"), RegionID: "cn-beijing", InstanceID: from.ID})
		if err != nil {
			t.Fatal(err)
		}
		if g, err = rt.Store.EnableVpcDomain(ctx, a, g.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := rt.Store.BindDomain(ctx, a, g.ID, rules.DomainInput{Name: rt.name("bj") + ".example.com", NetworkType: rules.NetworkIntranet}); err != nil {
			t.Fatal(err)
		}
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := rt.as(t, rt.operator).GetAs(t, mode, "/groups/"+g.ID+"/move").Expect(http.StatusConflict)
			p.ExpectDialog(mode, "Modify Instance for API Group Deployment").ExpectNoButton("Migration")
			if b := p.SubmitButtons(); len(b) > 0 {
				t.Errorf("%s: the dialog offers %q with no destination allowed", p, b)
			}
			opts := moveOptions(p)
			if len(opts) < 2 {
				t.Errorf("%s: destinations %+v, want the shared instance and %s", p, opts, unbound.ID)
			}
			for id, o := range opts {
				if !o.disabled {
					t.Errorf("%s: the refused destination %s is offered", p, id)
				}
			}
			p.Shows(unbound.ID + ": " + ruleMessage(t, rules.CheckMoveGroup(g, from, unbound, rt.a.Account.ID, 1)))
		}
	})

	t.Run("delete a group that holds APIs", func(t *testing.T) {
		t.Parallel()
		g := rt.newGroup(t, rt.hangzhouShared, false)
		rt.newAPI(t, g.ID, "get_order")
		msg := ruleMessage(t, rules.CheckDeleteGroup(g, 1, []string{"get_order"}))
		// The way out: the group's APIs, on Group Details (#group-apis).
		expectRefusedDialog(t, rt, "/groups/"+g.ID+"/delete", "Delete API group "+g.Name+"?", msg, "/groups/"+g.ID)
	})

	t.Run("delete an API that is deployed", func(t *testing.T) {
		t.Parallel()
		api := rt.newAPIIn(t, rt.apisGroup(t), rt.name("serving"), rules.StageRelease, rules.StageTest)
		msg := ruleMessage(t, rules.CheckDeleteAPI(api, []rules.Stage{rules.StageRelease, rules.StageTest}))
		// The ways out: abolish it from each stage.
		expectRefusedDialog(t, rt, "/apis/"+api.ID+"/delete", "Delete API "+api.Name+"?", msg,
			"/apis/"+api.ID+"/stages/RELEASE/abolish", "/apis/"+api.ID+"/stages/TEST/abolish")
	})

	t.Run("abolish an API from a stage it is not deployed to", func(t *testing.T) {
		t.Parallel()
		api := rt.newAPIIn(t, rt.apisGroup(t), rt.name("released"), rules.StageRelease)
		msg := ruleMessage(t, rules.NotDeployed(api, rules.StageTest))
		// The way out: deploy it there.
		expectRefusedDialog(t, rt, "/apis/"+api.ID+"/stages/TEST/abolish", "Abolish "+api.Name+" from TEST?", msg, "/apis/"+api.ID+"/deploy")
	})

	t.Run("remove the account's last admin", func(t *testing.T) {
		t.Parallel()
		users, err := rt.Store.ListUsers(ctx, rt.a.Account.ID)
		if err != nil {
			t.Fatal(err)
		}
		var admin rules.User
		for _, u := range users {
			if u.Login == rt.a.Admin {
				admin = u
			}
		}
		msg := ruleMessage(t, rules.CheckRemoveUser(admin, 1))
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := rt.as(t, rt.admin).GetAs(t, mode, "/users/"+rt.a.Admin+"/remove").Expect(http.StatusConflict)
			p.ExpectDialog(mode, "Remove user").ExpectAlert(msg).ExpectNoButton("Remove")
			if !p.Has(`.notice.err[role=alert] a[href^="/users"]`) {
				t.Errorf("%s: no way out to the Users page", p)
			}
		}
	})
}

// moveOption is a destination of the move dialog as offered.
type moveOption struct {
	label    string
	disabled bool
}

// moveOptions are the move dialog's destinations, by instance id.
func moveOptions(p *webtest.Page) map[string]moveOption {
	out := map[string]moveOption{}
	p.Doc().Find(`select[name="instance"] option`).Each(func(_ int, o *goquery.Selection) {
		if v := o.AttrOr("value", ""); v != "" {
			_, disabled := o.Attr("disabled")
			out[v] = moveOption{label: strings.Join(strings.Fields(o.Text()), " "), disabled: disabled}
		}
	})
	return out
}
