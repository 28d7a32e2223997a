package handlers_test

// Handler tests: the console's Echo app (web.New) driven in-process over
// httptest, its answers read as HTML with goquery (gatehouse/web/webtest),
// no browser. Every route of web/routes.go has a test here, and
// TestEveryRouteHasAHandlerTest fails when one has none (or when a table
// names a route that is gone). `go test ./handlers/` runs them in seconds.
//
// Adding a route (say GET /groups/:id/apis for APIs in groups, or a
// gateway page):
//
//  1. Write its test, a func(t *testing.T, rt *routeT), in the file of its
//     area (routes_<area>_test.go; a new area gets a new file): the
//     success answer; each refusal (422, 404, 409, 403) by the message an
//     operator reads, beside its field (ExpectFieldError) or in the alert
//     (ExpectAlert); another account's id answers 404; a viewer gets 403
//     (expectForbidden with viewerRefusal, or adminOnly). For a GET: the
//     full page without JavaScript and for a boosted htmx load, the
//     fragment alone for htmx (rt.expectGetModes); a dialog the rules
//     refuse answers 409 with the refusal and no button that commits (see
//     dialogs_refusal_test.go). For a POST: the JavaScript-off 303 and the
//     flash on the page it leads to, and the htmx HX-Location
//     (rt.expectChange, in both modes with bothModes).
//  2. Add one row, "METHOD /path/:param": thatFunc, to the area's table
//     (groupRoutes, instanceRoutes, userRoutes, …) — or, for a new area,
//     a new table listed in routeTests below.
//
// The fixture is one store and one console for the package (built by the
// first test that asks, closed by TestMain), with two tenants made by
// webtest.NewTenant and a logged-in client per role of the first (rt.as
// clones one). Tests run in parallel, so:
//   - a test that changes something makes its own resources (rt.newVpc,
//     rt.newInstance, rt.newGroup, rt.newUser…) and never changes the
//     shared ones; the second tenant never changes at all (its counts are
//     asserted);
//   - the first tenant keeps exactly one admin (its last-admin refusals are
//     asserted): a test that needs a second admin makes an account of its
//     own (rt.newAccount);
//   - a test that moves the clock (session expiry, the login throttle)
//     serves its own console over the shared store (webtest.OpenOn) and
//     moves that console's Clock: no test sleeps.

import (
	"context"
	"flag"
	"fmt"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"gatehouse/handlers"
	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/web/webtest"
)

// routeTest tests one route of web/routes.go.
type routeTest func(t *testing.T, rt *routeT)

// routeTests gathers the tables of every area, keyed "METHOD /path".
func routeTests() map[string]routeTest {
	all := map[string]routeTest{}
	for _, table := range []map[string]routeTest{
		basicRoutes, loginRoutes, groupRoutes, groupDetailRoutes, groupDomainRoutes, groupVpcRoutes,
		apiRoutes, instanceRoutes, vpcRoutes, accessKeyRoutes, userRoutes, trafficRoutes,
	} {
		for k, v := range table {
			if all[k] != nil {
				panic("two tests for the route " + k)
			}
			all[k] = v
		}
	}
	return all
}

// A route of the console without a handler test fails here; so does a
// test for a route that no longer exists.
func TestEveryRouteHasAHandlerTest(t *testing.T) {
	fx := sharedFixture(t)
	tests := routeTests()
	seen := map[string]bool{}
	for _, r := range fx.Routes() {
		seen[r.String()] = true
		if tests[r.String()] == nil {
			t.Errorf("the route %s of web/routes.go has no handler test: add one to the table of its area (see handlers/console_test.go)", r)
		}
	}
	for k := range tests {
		if !seen[k] {
			t.Errorf("a handler test names the route %s, which web/routes.go does not have", k)
		}
	}
	if len(seen) < 50 {
		t.Errorf("only %d routes found; the route list is not the console's", len(seen))
	}
}

// TestRoutes runs the test of every route, in parallel. Each must drive its
// own route and see it succeed at least once, so a row cannot point at a
// test of something else (unless a -run pattern picks subtests: one such as
// TestRoutes/POST_/users/:login/role splits at each slash and may leave a
// route's test with none of its own subtests run).
func TestRoutes(t *testing.T) {
	fx := sharedFixture(t)
	tests := routeTests()
	filtered := strings.Contains(flag.Lookup("test.run").Value.String(), "/")
	keys := make([]string, 0, len(tests))
	for k := range tests {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			rt := &routeT{fixture: fx, log: &webtest.AnswerLog{}}
			// Checked once the test's parallel subtests are done too.
			t.Cleanup(func() {
				if t.Failed() || filtered {
					return
				}
				var got []string
				for _, a := range rt.log.Answers() {
					if a.Route == key && a.Status < 400 {
						return
					}
					got = append(got, fmt.Sprintf("%s → %d", a.Route, a.Status))
				}
				t.Errorf("the test of %s never got a successful answer from that route; it drove: %s", key, strings.Join(got, ", "))
			})
			tests[key](t, rt)
		})
	}
}

// fixture is the package's console over one store: two tenants, and a
// client logged in as each of the first tenant's users.
type fixture struct {
	*webtest.Console
	dir                     string
	a, b                    webtest.Tenant
	admin, operator, viewer *webtest.Client
	hangzhouShared          string // a shared instance of cn-hangzhou
	seq                     atomic.Int64

	apisGroupOnce sync.Once // the group of apisGroup
	apisGroupID   string
	apisGroupErr  error
}

// shared is the package's fixture, built by the first test that asks,
// and again when a test that already had it asks once more: the next
// round of `go test -count=N`, which must not see the rows of the round
// before (the tests count on their tenant's rows on first pages).
var shared struct {
	mu   sync.Mutex
	fx   *fixture
	err  error
	done map[string]bool // the tests that had fx and have ended
}

func TestMain(m *testing.M) {
	code := m.Run()
	closeShared()
	os.Exit(code)
}

func closeShared() {
	if fx := shared.fx; fx != nil {
		fx.Close()
		os.RemoveAll(fx.dir)
	}
	shared.fx = nil
}

// sharedFixture returns the package's fixture, built on first use (and
// for each round of -count). Its callers are top-level tests.
func sharedFixture(t *testing.T) *fixture {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.done[t.Name()] {
		closeShared() // a new round
		shared.err = nil
	}
	if shared.fx == nil && shared.err == nil {
		shared.done = map[string]bool{}
		shared.fx, shared.err = newFixture(t)
		if shared.err != nil {
			closeShared()
			t.Fatal(shared.err)
		}
	}
	if shared.fx == nil {
		t.Fatal("the package's fixture could not be built: see the first failing test")
	}
	name := t.Name()
	t.Cleanup(func() {
		shared.mu.Lock()
		defer shared.mu.Unlock()
		shared.done[name] = true
	})
	return shared.fx
}

func newFixture(t *testing.T) (*fixture, error) {
	dir, err := os.MkdirTemp("", "gatehouse-handlers-")
	if err != nil {
		return nil, err
	}
	// Every client of the package logs in from 127.0.0.1: the address limit
	// is tested on consoles of their own.
	c, err := webtest.Open(dir, func(cfg *handlers.Config) { cfg.LoginBurst = 1 << 20 })
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	fx := &fixture{Console: c, dir: dir}
	ctx := context.Background()
	if fx.a, err = webtest.NewTenant(ctx, c.Store, "alpha", "10.1.0.0/16"); err != nil {
		return fx, err
	}
	if fx.b, err = webtest.NewTenant(ctx, c.Store, "bravo", "10.1.0.0/16"); err != nil {
		return fx, err
	}
	shared, err := c.Store.ListSharedInstances(ctx, fx.a.Account.ID, "cn-hangzhou")
	if err != nil || len(shared) == 0 {
		return fx, fmt.Errorf("no shared instance in cn-hangzhou: %v", err)
	}
	fx.hangzhouShared = shared[0].ID
	fx.admin = c.Login(t, fx.a.Admin, fx.a.Password)
	fx.operator = c.Login(t, fx.a.Operator, fx.a.Password)
	fx.viewer = c.Login(t, fx.a.Viewer, fx.a.Password)
	return fx, nil
}

// routeT is what a route's test works with: the fixture, and clients that
// record their answers for TestRoutes.
type routeT struct {
	*fixture
	log *webtest.AnswerLog
}

// as is a browser of its own (cookies, flashes) logged in as one of the
// first tenant's users: rt.admin, rt.operator or rt.viewer.
func (rt *routeT) as(t *testing.T, user *webtest.Client) *webtest.Client {
	t.Helper()
	cl := user.Clone(t)
	cl.Log = rt.log
	return cl
}

// anonymous is a visitor who has not logged in.
func (rt *routeT) anonymous(t *testing.T) *webtest.Client {
	t.Helper()
	cl := rt.Anonymous(t)
	cl.Log = rt.log
	return cl
}

// name is a name no other test uses: prefix and a number.
func (rt *routeT) name(prefix string) string {
	return fmt.Sprintf("%s%d", prefix, rt.seq.Add(1))
}

// actor changes the first tenant's resources through the store.
func (rt *routeT) actor() store.Actor { return rt.a.Actor() }

func (rt *routeT) newVpc(t *testing.T) rules.VPC {
	t.Helper()
	v, err := rt.Store.CreateVpc(context.Background(), rt.actor(), rules.VpcInput{Name: rt.name("vpc"), RegionID: "cn-hangzhou", CIDR: "172.16.0.0/16"})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func (rt *routeT) newVSwitch(t *testing.T, vpc rules.VPC) rules.VSwitch {
	t.Helper()
	w, err := rt.Store.CreateVSwitch(context.Background(), rt.actor(), rules.VSwitchInput{VpcID: vpc.ID, ZoneID: "cn-hangzhou-g", Name: rt.name("sw"), CIDR: "172.16.1.0/24"})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// newInstance is a dedicated instance in cn-hangzhou, bound to a VPC of its
// own when bound is true.
func (rt *routeT) newInstance(t *testing.T, bound bool) rules.Instance {
	t.Helper()
	ctx := context.Background()
	in, err := rt.Store.CreateInstance(ctx, rt.actor(), rules.InstanceInput{Name: rt.name("inst"), RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: rules.DefaultHTTPSPolicy})
	if err != nil {
		t.Fatal(err)
	}
	if bound {
		vpc := rt.newVpc(t)
		w := rt.newVSwitch(t, vpc)
		bc, err := rt.Store.BindVpc(ctx, rt.actor(), in.ID, vpc.ID, w.ID)
		if err != nil {
			t.Fatal(err)
		}
		in = bc.Instance
	}
	return in
}

// newGroup is a group on instance, with its VPC domain enabled if asked.
func (rt *routeT) newGroup(t *testing.T, instance string, vpcDomain bool) rules.Group {
	t.Helper()
	ctx := context.Background()
	g, err := rt.Store.CreateGroup(ctx, rt.actor(), rules.GroupInput{Name: rt.name("group_"), RegionID: "cn-hangzhou", InstanceID: instance})
	if err != nil {
		t.Fatal(err)
	}
	if vpcDomain {
		if g, err = rt.Store.EnableVpcDomain(ctx, rt.actor(), g.ID); err != nil {
			t.Fatal(err)
		}
	}
	return g
}

// expectGetModes loads a GET route the three ways a browser does and
// checks the layout: the full page without JavaScript and for a boosted
// htmx load, the fragment alone for an htmx fragment request. check, if
// not nil, then reads each answer.
func (rt *routeT) expectGetModes(t *testing.T, cl *webtest.Client, path string, status int, check func(mode webtest.Mode, p *webtest.Page)) {
	t.Helper()
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Boosted, webtest.Fragment} {
		p := cl.GetAs(t, mode, path).Expect(status)
		if mode == webtest.Fragment {
			p.ExpectFragment()
		} else {
			p.ExpectFullPage()
		}
		if check != nil {
			check(mode, p)
		}
	}
}

// expectChange submits form to path the way mode does and checks that
// the change went through: a 303 to next without JavaScript (an
// HX-Location to it for htmx), and on the page that follows, the flash
// saying flash.
func (rt *routeT) expectChange(t *testing.T, cl *webtest.Client, mode webtest.Mode, path string, form map[string][]string, next, flash string) *webtest.Page {
	t.Helper()
	p := cl.PostAs(t, mode, path, form)
	if p.Status >= 400 {
		t.Fatalf("%s: the change was refused\n%s", p, p.Text("body"))
	}
	p.ExpectRedirect(mode, next)
	after := cl.Follow(t, p).Expect(http.StatusOK).ExpectFullPage()
	if !strings.Contains(after.Flash(), flash) {
		t.Errorf("%s: after the change the page flashes %q, want %q", p, after.Flash(), flash)
	}
	return after
}

// bothModes runs f once as a browser without JavaScript and once as htmx
// asking for a fragment, as parallel subtests.
func bothModes(t *testing.T, f func(t *testing.T, mode webtest.Mode)) {
	t.Helper()
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			f(t, mode)
		})
	}
}

// expectRole checks that a user whose role may not use the route gets 403
// with the reason, and that the page names no change made.
func expectForbidden(t *testing.T, p *webtest.Page, reason string) {
	t.Helper()
	p.Expect(http.StatusForbidden).Shows(reason)
}

const (
	viewerRefusal = "Your role (viewer) can look but not change anything."
	adminOnly     = "Only an admin of your account can manage users and access keys."
)

// short is an id as tables show it (names first, ids short).
func short(id string) string { return components.ShortID(id) }

// has reports whether list holds v.
func has(list []string, v string) bool { return slices.Contains(list, v) }

// bindDomain binds a custom domain of network type INTERNET to a group of
// the first tenant.
func bindDomain(t *testing.T, rt *routeT, groupID, name string) {
	t.Helper()
	if _, err := rt.Store.BindDomain(context.Background(), rt.actor(), groupID, rules.DomainInput{Name: name, NetworkType: rules.NetworkInternet}); err != nil {
		t.Fatal(err)
	}
}
