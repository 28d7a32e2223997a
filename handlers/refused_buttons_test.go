package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"time"

	"github.com/PuerkitoBio/goquery"

	"gatehouse/handlers"
	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/web/webtest"
)

// One way to say no (issue 17): a button the rules refuse is disabled on
// its page, its reason beside it (the element it is described by) with the
// way out as links, and the dialog it would open says the same refusal
// once, with no commit button.
func TestRefusedButtonsSayWhyBesideThem(t *testing.T) {
	fx := sharedFixture(t)
	rt := &routeT{fixture: fx, log: &webtest.AnswerLog{}}
	ctx := context.Background()
	held := rt.newInstance(t, true)
	g := rt.newGroup(t, held.ID, true)
	unbound := rt.newInstance(t, false)
	waiting := rt.newGroup(t, unbound.ID, false)
	vpc, err := rt.Store.GetVpc(ctx, rt.a.Account.ID, held.VpcID)
	if err != nil {
		t.Fatal(err)
	}
	vsw := vpc.VSwitches[0]
	// A group of four APIs, made out of name order: the page decides from
	// its APIs section what the dialog asks the store, the first names by
	// name.
	holding := rt.newGroup(t, rt.hangzhouShared, false)
	for _, name := range []string{"zeta", "alpha", "middle", "beta"} {
		rt.newAPI(t, holding.ID, name)
	}
	cases := []struct {
		name, page, button, reason string
		wayOut                     []string // paths the reason links to
		dialog, dialogTitle        string
	}{
		{"Unbind, in the list", "/instances", "instance-" + held.ID + "-unbind", "the VPC domain is enabled for 1 group on it.",
			[]string{"/groups/" + g.ID}, "/instances/" + held.ID + "/unbind", "Unbind VPC"},
		{"Unbind, on the instance's page", "/instances/" + held.ID, "instance-" + held.ID + "-unbind",
			ruleMessage(t, rules.CheckUnbindVpc(held, []rules.Group{g})), []string{"/groups/" + g.ID}, "/instances/" + held.ID + "/unbind", "Unbind VPC"},
		{"Delete instance", "/instances/" + held.ID, "instance-" + held.ID + "-delete", ruleMessage(t, rules.CheckDeleteInstance(held, 1)),
			[]string{"/groups/" + g.ID}, "/instances/" + held.ID + "/delete", "Delete Instance"},
		{"Delete VPC", "/vpcs/" + vpc.ID, "vpc-delete", "is bound to 1 dedicated instance",
			[]string{"/instances/" + held.ID}, "/vpcs/" + vpc.ID + "/delete", "Delete VPC"},
		{"Delete vSwitch", "/vpcs/" + vpc.ID, "vswitch-" + vsw.ID + "-delete", "holds the VPC endpoint of 1 dedicated instance",
			[]string{"/instances/" + held.ID}, "/vpcs/" + vpc.ID + "/vswitches/" + vsw.ID + "/delete", "Delete vSwitch"},
		{"Enable VPC domain (R5)", "/groups/" + waiting.ID, "group-vpc-enable", "you cannot enable VPC second-level domain name",
			[]string{"/instances/" + unbound.ID + "/bind"}, "/groups/" + waiting.ID + "/vpc-domain/enable", "Enable VPC Second-level Domain"},
		{"Delete group holding APIs", "/groups/" + holding.ID, "group-delete", ruleMessage(t, rules.CheckDeleteGroup(holding, 4, []string{"alpha", "beta", "middle"})),
			[]string{"/groups/" + holding.ID}, "/groups/" + holding.ID + "/delete", "Delete API group " + holding.Name + "?"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Boosted} {
				p := rt.as(t, rt.operator).GetAs(t, mode, c.page).Expect(http.StatusOK)
				b := p.Doc().Find("button#" + c.button)
				if b.Length() != 1 || b.AttrOr("disabled", "x") == "x" || b.AttrOr("aria-describedby", "") != c.button+"-why" {
					t.Errorf("%s: %s is not a disabled button described by its reason", p, c.button)
				}
				if p.Has(`a[href="` + c.dialog + `"]`) {
					t.Errorf("%s: the refused action is still a link to %s", p, c.dialog)
				}
				why := p.Doc().Find("#" + c.button + "-why")
				if !strings.Contains(why.Text(), c.reason) {
					t.Errorf("%s: the reason beside %s is %q, want %q", p, c.button, why.Text(), c.reason)
				}
				var links []string
				why.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
					u, _ := url.Parse(a.AttrOr("href", ""))
					links = append(links, u.Path)
				})
				if !slices.Equal(links, c.wayOut) {
					t.Errorf("%s: the way out of %s links to %q, want %q", p, c.button, links, c.wayOut)
				}
			}
			// The dialog, opened anyway: the refusal once, no commit button.
			for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
				d := rt.as(t, rt.operator).GetAs(t, mode, c.dialog).Expect(http.StatusConflict)
				d.ExpectDialog(mode, c.dialogTitle)
				if b := d.SubmitButtons(); len(b) > 0 {
					t.Errorf("%s: the refused dialog offers %q", d, b)
				}
				if n := strings.Count(d.Text("main, dialog"), firstWords(c.reason)); n > 1 {
					t.Errorf("%s: the refusal is said %d times", d, n)
				}
			}
		})
	}
	// A viewer sees no buttons at all, refused or not.
	p := rt.as(t, rt.viewer).Get(t, "/instances").Expect(http.StatusOK)
	if p.Has("button#instance-"+held.ID+"-unbind") || p.Has(".refusal-reason") {
		t.Errorf("%s: a viewer is shown a change button", p)
	}
}

// firstWords is the start of a reason, to count how often it is said.
func firstWords(s string) string {
	if len(s) > 30 {
		return s[:30]
	}
	return s
}

// The Overview points at a group whose public second-level domain has
// used most of today's calls (as the gateway reserves them), and not at
// one that has used little.
func TestOverviewPointsAtPublicDomainsNearTheLimit(t *testing.T) {
	rt, admin, _, a := overviewAccount(t)
	ctx := context.Background()
	busy, err := rt.Store.CreateGroup(ctx, a, rules.GroupInput{Name: "busy_api", RegionID: "cn-hangzhou", InstanceID: rt.hangzhouShared})
	if err != nil {
		t.Fatal(err)
	}
	quiet, err := rt.Store.CreateGroup(ctx, a, rules.GroupInput{Name: "quiet_api", RegionID: "cn-hangzhou", InstanceID: rt.hangzhouShared})
	if err != nil {
		t.Fatal(err)
	}
	today := rules.LimitDay(time.Now())
	limit := int64(handlers.DefaultConfig().Limits.PublicDaily("cn-hangzhou"))
	if _, err := rt.Store.ReservePublicCalls(ctx, busy.ID, today, limit*9/10, limit); err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Store.ReservePublicCalls(ctx, quiet.ID, today, limit/10, limit); err != nil {
		t.Fatal(err)
	}
	p := rt.login(t, admin, userPassword).Get(t, "/").Expect(http.StatusOK)
	near := p.Text("#problem-near-limit")
	if !strings.Contains(near, "1 group is near today's limit") || !strings.Contains(near, "busy_api") || strings.Contains(near, "quiet_api") {
		t.Errorf("%s: near the limit: %q", p, near)
	}
	if !p.Has(`#problem-near-limit a[href="/groups/` + busy.ID + `"]`) {
		t.Errorf("%s: the busy group is no link", p)
	}
}

// The Overview points at an API whose RELEASE serves an older revision,
// with a way to deploy it for those who may; a viewer gets no such link.
func TestOverviewPointsAtAPIsBehindInRelease(t *testing.T) {
	rt, admin, acct, a := overviewAccount(t)
	ctx := context.Background()
	viewer := admin + "-viewer"
	if _, err := rt.Store.AddUser(ctx, acct.Name, viewer, rules.RoleViewer, userPassword); err != nil {
		t.Fatal(err)
	}
	g, err := rt.Store.CreateGroup(ctx, a, rules.GroupInput{Name: "shop_api", RegionID: "cn-hangzhou", InstanceID: rt.hangzhouShared})
	if err != nil {
		t.Fatal(err)
	}
	def := rules.APIDefinition{Name: "get_user", Method: "GET", Path: "/users/[id]", Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "{}"}
	api, err := rt.Store.CreateAPI(ctx, a, g.ID, def)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.Store.DeployAPI(ctx, a, api.ID, rules.StageRelease, ""); err != nil {
		t.Fatal(err)
	}
	if p := rt.login(t, admin, userPassword).Get(t, "/").Expect(http.StatusOK); p.Has("#problem-release-behind") {
		t.Errorf("%s: an API RELEASE serves as defined is said to be behind", p)
	}
	def.Path = "/users/[id]/profile"
	if _, err := rt.Store.ModifyAPI(ctx, a, api.ID, def); err != nil {
		t.Fatal(err)
	}
	p := rt.login(t, admin, userPassword).Get(t, "/").Expect(http.StatusOK)
	if got := p.Text("#problem-release-behind"); !strings.Contains(got, "1 API serves an older revision in RELEASE.") ||
		!strings.Contains(got, "get_user shop_api · revision 1 in RELEASE, 2 now") {
		t.Errorf("%s: behind in RELEASE: %q", p, got)
	}
	if !p.Has(`#problem-release-behind a[href="/apis/`+api.ID+`/deploy?stage=RELEASE"]`) || !p.Has(`#problem-release-behind a[href="/apis/`+api.ID+`"]`) {
		t.Errorf("%s: no link to the API or to deploy it", p)
	}
	if v := rt.login(t, viewer, userPassword).Get(t, "/").Expect(http.StatusOK); !v.Has("#problem-release-behind") || v.Has(`#problem-release-behind a[href*="/deploy"]`) {
		t.Errorf("%s: a viewer sees no problem, or a Deploy link", v)
	}
}

// overviewAccount is a new account of the shared fixture, its admin's
// login, and the admin as the store's actor, for an Overview to show.
func overviewAccount(t *testing.T) (rt *routeT, admin string, acct rules.Account, a store.Actor) {
	t.Helper()
	rt = &routeT{fixture: sharedFixture(t), log: &webtest.AnswerLog{}}
	admin, _, _ = rt.newAccount(t)
	acct, err := rt.Store.AccountByID(context.Background(), mustAccountOf(t, rt, admin))
	if err != nil {
		t.Fatal(err)
	}
	return rt, admin, acct, store.Actor{AccountID: acct.ID, Name: admin, Source: rules.SourceConsole}
}

// mustAccountOf is the account id of a login.
func mustAccountOf(t *testing.T, rt *routeT, login string) string {
	t.Helper()
	id, err := rt.Store.AccountIDOfLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	return id
}
