package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/web/webtest"
)

// Manage APIs › APIs: the list, Create API, an API's page, Edit, Deploy,
// Abolish and Delete. The first tenant's API (rt.a.API: list_orders, GET
// /orders, deployed to RELEASE) is only read; a test that changes an API
// makes its own (rt.newAPIIn). What the refused dialogs say is also in
// dialogs_refusal_test.go.
var apiRoutes = map[string]routeTest{
	"GET /apis":                            testAPIsPage,
	"GET /apis/new":                        testAPINewPage,
	"POST /apis":                           testAPICreate,
	"GET /apis/:id":                        testAPIPage,
	"GET /apis/:id/edit":                   testAPIEditPage,
	"POST /apis/:id/edit":                  testAPIEdit,
	"GET /apis/:id/deploy":                 testAPIDeployPage,
	"POST /apis/:id/deploy":                testAPIDeploy,
	"GET /apis/:id/stages/:stage/abolish":  testAPIAbolishPage,
	"POST /apis/:id/stages/:stage/abolish": testAPIAbolish,
	"GET /apis/:id/delete":                 testAPIDeletePage,
	"POST /apis/:id/delete":                testAPIDelete,
}

// apisGroup is a group of the first tenant, shared by the APIs tests
// that need a group but do not count its APIs (each of their APIs has a
// name and path of its own): fewer groups, so the group tests' first
// pages keep the tenant's own group.
func (rt *routeT) apisGroup(t *testing.T) string {
	t.Helper()
	rt.apisGroupOnce.Do(func() {
		g, err := rt.Store.CreateGroup(context.Background(), rt.actor(), rules.GroupInput{Name: "apis_tests", RegionID: "cn-hangzhou", InstanceID: rt.hangzhouShared})
		rt.apisGroupID, rt.apisGroupErr = g.ID, err
	})
	if rt.apisGroupErr != nil {
		t.Fatal(rt.apisGroupErr)
	}
	return rt.apisGroupID
}

// newAPIIn defines an API of the first tenant in a group: a Mock on GET
// /<name>, deployed to the stages given.
func (rt *routeT) newAPIIn(t *testing.T, groupID, name string, stages ...rules.Stage) rules.API {
	t.Helper()
	api := rt.newAPI(t, groupID, name)
	for _, st := range stages {
		if _, err := rt.Store.DeployAPI(context.Background(), rt.actor(), api.ID, st, "deployed by the test"); err != nil {
			t.Fatal(err)
		}
	}
	return api
}

// apiOf reads an API of the first tenant as the store holds it.
func (rt *routeT) apiOf(t *testing.T, id string) store.APIDetail {
	t.Helper()
	d, err := rt.Store.GetAPI(context.Background(), rt.a.Account.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// apiForm is what Create API posts for a Mock API; kv replaces fields.
func apiForm(group string, kv ...string) url.Values {
	v := url.Values{"group": {group}, "name": {"get_user"}, "method": {"GET"}, "path": {"/users/[id]"}, "protocols": {"HTTP", "HTTPS"},
		"backend": {"MOCK"}, "mock_status": {"200"}, "mock_body": {`{"user":1}`}, "mock_headers": {"Content-Type: application/json"},
		"service_address": {""}, "service_path": {"/"}, "service_timeout": {"10000"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func testAPIsPage(t *testing.T, rt *routeT) {
	// Other tests add APIs meanwhile: the tenant's own is found by name.
	rt.expectGetModes(t, rt.as(t, rt.viewer), "/apis?q=list_orders", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		// Names first, ids short with the full id in the title.
		p.Shows("list_orders", short(rt.a.API), "orders", "RELEASE · r1").ShowsNot(short(rt.b.API))
		if !p.Has(`code[title="` + rt.a.API + `"]`) {
			t.Errorf("%s: the API's full id is not in its short id's title", p)
		}
		if p.Has(`a[href^="/apis/new"]`) {
			t.Errorf("%s: a viewer is offered Create API", p)
		}
	})
	if p := rt.as(t, rt.operator).Get(t, "/apis").Expect(http.StatusOK); !p.Has(`a[href="/apis/new"]`) || !p.Has("#apis-table tbody tr") {
		t.Errorf("%s: an operator is not offered Create API, or no API is listed", p)
	}

	// A group of its own, 22 APIs in it: the filters and keyset pages.
	g := rt.newGroup(t, rt.hangzhouShared, false)
	for i := range 21 {
		var stages []rules.Stage
		if i == 3 {
			stages = []rules.Stage{rules.StageRelease}
		}
		rt.newAPIIn(t, g.ID, fmt.Sprintf("op_%02d", i), stages...)
	}
	uber, err := rt.Store.CreateAPI(context.Background(), rt.actor(), g.ID, rules.APIDefinition{Name: "Über_" + strings.TrimPrefix(rt.name("x"), "x"),
		Method: "GET", Path: "/uber", Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock})
	if err != nil {
		t.Fatal(err)
	}
	viewer := rt.as(t, rt.viewer)
	first := viewer.Get(t, "/apis?group="+g.ID).Expect(http.StatusOK).Shows("22 APIs", uber.Name)
	if got := first.Value("group"); got != g.ID {
		t.Errorf("%s: the group filter holds %q", first, got)
	}
	next := first.Doc().Find(`a[rel=next]`).AttrOr("href", "")
	if !strings.Contains(next, "group="+g.ID) {
		t.Fatalf("%s: the next page %q does not keep the group", first, next)
	}
	second := viewer.Get(t, next).Expect(http.StatusOK).Shows("22 APIs", "op_00", "op_01")
	if second.Doc().Find("#apis-table tbody tr").Length() != 2 {
		t.Errorf("%s: the second page has %d rows, want 2", second, second.Doc().Find("#apis-table tbody tr").Length())
	}
	// The name folds every letter: "üBER" finds "Über_…".
	viewer.Get(t, "/apis?group="+g.ID+"&q="+url.QueryEscape("üBER")).Expect(http.StatusOK).Shows("1 API", uber.Name).ShowsNot("op_00")
	viewer.Get(t, "/apis?group="+g.ID+"&stage=release").Expect(http.StatusOK).Shows("1 API", "op_03", "RELEASE · r1")
	viewer.Get(t, "/apis?group="+g.ID+"&q=nothing_like_it").Expect(http.StatusOK).Shows("0 APIs", "No APIs match", "Clear filters")

	// Bad filters and page links: explained beside the filter, 400, the
	// list shown without them.
	viewer.Get(t, "/apis?group="+rt.b.Group).Expect(http.StatusBadRequest).
		ExpectFieldError("group", "Your account has no API group").ShowsNot(rt.b.API)
	viewer.Get(t, "/apis?stage=LIVE").Expect(http.StatusBadRequest).ExpectFieldError("stage", `The stage "LIVE" does not exist`)
	viewer.Get(t, "/apis?q="+strings.Repeat("x", 51)).Expect(http.StatusBadRequest).ExpectFieldError("q", "at most 50 characters")
	viewer.Get(t, "/apis?after=garbage").Expect(http.StatusBadRequest).ExpectAlert("This page link is not valid")
	for _, path := range []string{"/apis?group=" + rt.b.Group, "/apis?stage=LIVE", "/apis?after=garbage"} {
		if p := viewer.Get(t, path); !p.Has("#apis-table tbody tr") {
			t.Errorf("%s: the list is not shown without the bad filter", p)
		}
	}
}

func testAPINewPage(t *testing.T, rt *routeT) {
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Boosted} {
		p := rt.as(t, rt.operator).GetAs(t, mode, "/apis/new?group="+rt.a.Group).Expect(http.StatusOK).ExpectFullPage().
			ExpectDialog(mode, "Create API").ExpectButton("Create")
		if p.Value("group") != rt.a.Group || p.Value("method") != "GET" || p.Value("backend") != "MOCK" || p.Value("mock_status") != "200" {
			t.Errorf("%s: group %q, method %q, backend %q, status %q", p, p.Value("group"), p.Value("method"), p.Value("backend"), p.Value("mock_status"))
		}
		if !has(p.Options("group"), rt.a.Group) || has(p.Options("group"), rt.b.Group) {
			t.Errorf("%s: the groups offered %q", p, p.Options("group"))
		}
		if !has(p.Options("mock_status"), "451") || has(p.Options("mock_status"), "418") {
			t.Errorf("%s: Mock status codes %q", p, p.Options("mock_status"))
		}
		// Cancel leads back to the group it was opened from.
		if !p.Has(`a.btn[href="/groups/` + rt.a.Group + `"]`) {
			t.Errorf("%s: Cancel does not lead back to the group", p)
		}
	}
	rt.as(t, rt.operator).GetAs(t, webtest.Fragment, "/apis/new").Expect(http.StatusOK).ExpectFragment()
	// Another account's group is not chosen, nor named.
	p := rt.as(t, rt.operator).Get(t, "/apis/new?group="+rt.b.Group).Expect(http.StatusOK).ShowsNot(rt.b.Account.Name)
	if p.Value("group") != "" {
		t.Errorf("%s: another account's group is chosen", p)
	}
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/apis/new"), viewerRefusal)
}

func testAPICreate(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		name := rt.name("created")
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/apis", apiForm(rt.apisGroup(t), "name", name, "path", "/"+name+"/[id]"),
			"/apis/*", "API "+name+" created. Deploy it to a stage to serve calls.")
		if after.Heading() != name {
			t.Fatalf("after Create API, the page is %q", after.Heading())
		}
		after.Shows("/"+name+"/[id]", "HTTP and HTTPS", "Content-Type: application/json", "Not deployed")
	})
	t.Run("an HTTP backend keeps only its settings", func(t *testing.T) {
		t.Parallel()
		p := rt.as(t, rt.operator).Post(t, "/apis", apiForm(rt.apisGroup(t), "name", rt.name("get_item"), "path", "/"+rt.name("items")+"/[id]", "backend", "HTTP",
			"service_address", "http://127.0.0.1:9000", "service_path", "/v1/items/[id]", "service_method", "ANY", "service_timeout", "2500",
			"disable_internet", "on")).ExpectRedirect(webtest.NoJS, "/apis/*")
		d := rt.apiOf(t, strings.TrimPrefix(p.Header.Get("Location"), "/apis/"))
		if d.Backend != rules.BackendHTTP || d.ServiceAddress != "http://127.0.0.1:9000" || d.ServicePath != "/v1/items/[id]" ||
			d.ServiceMethod != "ANY" || d.ServiceTimeout != 2500 || !d.DisableInternet || d.MockBody != "" || d.MockHeaders != nil {
			t.Errorf("stored: %+v", d.API)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		g := rt.newGroup(t, rt.hangzhouShared, false)
		rt.newAPI(t, g.ID, "taken")
		beforeB, err := rt.b.Changes(context.Background(), rt.Store)
		if err != nil {
			t.Fatal(err)
		}
		op := rt.as(t, rt.operator)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			// Every bad field at once, what was typed kept.
			p := op.PostAs(t, mode, "/apis", apiForm(g.ID, "name", "x", "backend", "HTTP", "path", "users", "service_address", "ftp://x",
				"service_timeout", "soon")).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("name", "An API name is 4 to 50 characters long").
				ExpectFieldError("path", `A request path starts with /; "users" does not.`).
				ExpectFieldError("service_address", "A backend address starts with http:// or https://").
				ExpectFieldError("service_timeout", "Enter the backend timeout in milliseconds: a whole number from 1 to 30,000.")
			if p.Value("path") != "users" || p.Value("service_timeout") != "soon" {
				t.Errorf("%s: the values typed are lost", p)
			}
			op.PostAs(t, mode, "/apis", apiForm("")).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("group", "Choose the group the API belongs to.")
			op.PostAs(t, mode, "/apis", apiForm(g.ID, "mock_headers", "Content-Type application/json")).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("mock_headers", "Line 1 of the headers is not of the form Name: Value")
			op.PostAs(t, mode, "/apis", apiForm(g.ID, "mock_headers", "X-Ca-Stage: TEST")).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("mock_headers", "The header X-Ca-Stage is set by the gateway itself")
			op.PostAs(t, mode, "/apis", apiForm(g.ID, "protocols", "")).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("protocols", "Choose the protocols the API answers on: HTTP, HTTPS or both.")
			op.PostAs(t, mode, "/apis", apiForm(g.ID, "mock_status", "418")).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("mock_status", "The status code 418 is not one a Mock answer may have")
			op.PostAs(t, mode, "/apis", apiForm(g.ID, "mock_body", strings.Repeat("x", 50*1024+1))).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("mock_body", "A Mock answer is at most 50 KB")
			op.PostAs(t, mode, "/apis", apiForm(g.ID, "name", "taken", "path", "/other")).Expect(http.StatusConflict).
				ExpectFieldError("name", `already has an API named "taken"`)
			op.PostAs(t, mode, "/apis", apiForm(g.ID, "name", "twin", "path", "/taken")).Expect(http.StatusConflict).
				ExpectFieldError("path", `The API "taken" already answers GET /taken.`)
			op.PostAs(t, mode, "/apis", apiForm(rt.b.Group)).Expect(http.StatusNotFound).ShowsNot(rt.b.Account.Name)
		}
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/apis", apiForm(g.ID)), viewerRefusal)
		// Nothing was created: the group holds its one API, the other account nothing new.
		if page, err := rt.Store.ListAPIs(context.Background(), rt.a.Account.ID, store.APIQuery{GroupID: g.ID}); err != nil || page.Total != 1 {
			t.Errorf("refused creations changed the group: %d APIs (%v)", page.Total, err)
		}
		if after, err := rt.b.Changes(context.Background(), rt.Store); err != nil || after != beforeB {
			t.Errorf("refused creations changed the other account: %d → %d (%v)", beforeB, after, err)
		}
	})
}

func testAPIPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.viewer), "/apis/"+rt.a.API, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		if p.Heading() != "list_orders" {
			t.Errorf("%s: heading %q", p, p.Heading())
		}
		p.Shows(rt.a.API, "orders", "/orders", "Backend: Mock", "200 OK", "Revision 1", "The current definition", "by the fixture",
			"Not deployed")
		if p.Has(`a[href$="/edit"], a[href*="/deploy"], a[href$="/abolish"], a[href$="/delete"]`) {
			t.Errorf("%s: a viewer is offered a change", p)
		}
	})
	op := rt.as(t, rt.operator).Get(t, "/apis/"+rt.a.API).Expect(http.StatusOK)
	for _, href := range []string{"/apis/" + rt.a.API + "/edit", "/apis/" + rt.a.API + "/deploy", "/apis/" + rt.a.API + "/deploy?stage=PRE",
		"/apis/" + rt.a.API + "/stages/RELEASE/abolish"} {
		if !op.Has(`a[href="` + href + `"]`) {
			t.Errorf("%s: no link to %s", op, href)
		}
	}
	// Deployed, it is not deleted: Delete is a disabled button, the way
	// out (abolish from RELEASE) beside it.
	if op.Has(`a[href="/apis/`+rt.a.API+`/delete"]`) || !op.Has(`button#api-delete[disabled]`) ||
		!op.Has(`#api-delete-why a[href="/apis/`+rt.a.API+`/stages/RELEASE/abolish"]`) {
		t.Errorf("%s: Delete of a deployed API is not a disabled button with the way out beside it", op)
	}
	if op.Has(`a[href="/apis/` + rt.a.API + `/stages/TEST/abolish"]`) {
		t.Errorf("%s: Abolish is offered for a stage the API is not deployed to", op)
	}
	// What a stage serves against the current definition.
	api := rt.newAPIIn(t, rt.apisGroup(t), rt.name("drifted"), rules.StageRelease)
	def := api.APIDefinition
	def.Path, def.MockBody = "/"+api.Name+"/v2", `{"v":2}`
	if _, err := rt.Store.ModifyAPI(context.Background(), rt.actor(), api.ID, def); err != nil {
		t.Fatal(err)
	}
	rt.as(t, rt.viewer).Get(t, "/apis/"+api.ID).Expect(http.StatusOK).
		Shows("Differs from the current definition (revision 2): path and Mock body. Deploy again to serve it.")
	rt.as(t, rt.viewer).Get(t, "/apis/"+rt.b.API).Expect(http.StatusNotFound).ShowsNot(rt.b.Account.ID)
	t.Run("Debug panel", func(t *testing.T) { testDebugPanel(t, rt) })
	rt.as(t, rt.viewer).Get(t, "/apis/not-an-api").Expect(http.StatusNotFound)
}

func testAPIEditPage(t *testing.T, rt *routeT) {
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Boosted} {
		p := rt.as(t, rt.operator).GetAs(t, mode, "/apis/"+rt.a.API+"/edit").Expect(http.StatusOK).
			ExpectDialog(mode, "Edit API list_orders").ExpectButton("Save")
		if p.Value("name") != "list_orders" || p.Value("path") != "/orders" || p.Value("mock_body") != "{}" || p.Has(`select[name=group]`) {
			t.Errorf("%s: name %q, path %q, body %q", p, p.Value("name"), p.Value("path"), p.Value("mock_body"))
		}
	}
	rt.as(t, rt.operator).Get(t, "/apis/"+rt.b.API+"/edit").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/apis/"+rt.a.API+"/edit"), viewerRefusal)
}

func testAPIEdit(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.apisGroup(t)
		api := rt.newAPIIn(t, g, rt.name("edited"), rules.StageRelease)
		form := apiForm("ignored", "name", api.Name, "path", "/"+api.Name, "mock_body", `{"orders":[]}`)
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/apis/"+api.ID+"/edit", form, "/apis/"+api.ID,
			"API "+api.Name+" saved as revision 2. No stage serves it until you deploy it.")
		after.Shows("Differs from the current definition (revision 2): protocols, Mock body and Mock headers.")
		d := rt.apiOf(t, api.ID)
		if d.Revision != 2 || d.MockBody != `{"orders":[]}` || d.GroupID != g {
			t.Errorf("after the edit: %+v", d.API)
		}
		if dep, _ := d.Deployment(rules.StageRelease); dep.Revision != 1 || dep.Definition.MockBody != "{}" {
			t.Errorf("RELEASE after the edit: %+v", dep)
		}
		// The same again: nothing changes, and the message says so.
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/apis/"+api.ID+"/edit", form, "/apis/"+api.ID, "API "+api.Name+": nothing changed.")
		if rt.apiOf(t, api.ID).Revision != 2 {
			t.Error("an unchanged definition moved the revision")
		}
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		api := rt.newAPI(t, rt.apisGroup(t), rt.name("kept_as_is"))
		neighbour := rt.newAPI(t, rt.apisGroup(t), rt.name("neighbour"))
		op := rt.as(t, rt.operator)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := op.PostAs(t, mode, "/apis/"+api.ID+"/edit", apiForm("", "name", "x", "path", "/orders/..", "mock_status", "299")).
				Expect(http.StatusUnprocessableEntity)
			if mode == webtest.Fragment { // the form is a page of its own, never a modal
				p.ExpectFragment()
			} else {
				p.ExpectFullPage()
			}
			if p.Dialog() != "Edit API "+api.Name {
				t.Errorf("%s: the form is titled %q", p, p.Dialog())
			}
			p.ExpectFieldError("name", "An API name is 4 to 50 characters long").
				ExpectFieldError("path", `A request path may not contain "..".`).
				ExpectFieldError("mock_status", "The status code 299")
			if p.Value("name") != "x" {
				t.Errorf("%s: the name typed is lost", p)
			}
			op.PostAs(t, mode, "/apis/"+api.ID+"/edit", apiForm("", "name", neighbour.Name, "path", "/"+api.Name)).Expect(http.StatusConflict).
				ExpectFieldError("name", `already has an API named "`+neighbour.Name+`"`)
		}
		op.Post(t, "/apis/"+rt.b.API+"/edit", apiForm("", "name", "taken_over", "path", "/x")).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/apis/"+api.ID+"/edit", apiForm("", "name", "viewer_edit")), viewerRefusal)
		if d := rt.apiOf(t, api.ID); d.Revision != 1 || d.Name != api.Name {
			t.Errorf("refused edits changed the API: %+v", d.API)
		}
	})
}

func testAPIDeployPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.operator), "/apis/"+rt.a.API+"/deploy?stage=TEST", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Deploy API list_orders").ExpectButton("Deploy").Shows("RELEASE serves", "revision 1, the current definition", "Nothing yet")
		if p.Value("stage") != "TEST" || !has(p.Options("stage"), "PRE") {
			t.Errorf("%s: stage %q of %q", p, p.Value("stage"), p.Options("stage"))
		}
	})
	rt.as(t, rt.operator).Get(t, "/apis/"+rt.a.API+"/deploy?stage=LIVE").Expect(http.StatusBadRequest).
		ExpectFieldError("stage", `The stage "LIVE" does not exist.`)
	rt.as(t, rt.operator).Get(t, "/apis/"+rt.b.API+"/deploy").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/apis/"+rt.a.API+"/deploy"), viewerRefusal)
}

func testAPIDeploy(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		api := rt.newAPI(t, rt.apisGroup(t), rt.name("deployed"))
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/apis/"+api.ID+"/deploy", url.Values{"stage": {"TEST"}, "description": {"Try it"}},
			"/apis/"+api.ID, "API "+api.Name+" revision 1 deployed to TEST.")
		after.Shows("Try it", "by "+rt.a.Operator+" via console")
		dep, ok := rt.apiOf(t, api.ID).Deployment(rules.StageTest)
		if !ok || dep.Description != "Try it" || dep.DeployedBy != rt.a.Operator || dep.DeployedVia != rules.SourceConsole {
			t.Errorf("TEST: %+v", dep)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		g := rt.apisGroup(t)
		// moved serves GET /<moved> on RELEASE, then moves to /<moved>_v2;
		// twin takes GET /<moved> and cannot be deployed where moved still
		// serves it.
		moved := rt.newAPIIn(t, g, rt.name("moved"), rules.StageRelease)
		def := moved.APIDefinition
		def.Path = "/" + moved.Name + "_v2"
		if _, err := rt.Store.ModifyAPI(context.Background(), rt.actor(), moved.ID, def); err != nil {
			t.Fatal(err)
		}
		twin, err := rt.Store.CreateAPI(context.Background(), rt.actor(), g, rules.APIDefinition{Name: rt.name("twin"), Method: "GET", Path: "/" + moved.Name,
			Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock})
		if err != nil {
			t.Fatal(err)
		}
		op := rt.as(t, rt.operator)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			op.PostAs(t, mode, "/apis/"+twin.ID+"/deploy", url.Values{"stage": {""}}).Expect(http.StatusUnprocessableEntity).
				ExpectDialog(mode, "Deploy API "+twin.Name).ExpectFieldError("stage", "Choose a stage: RELEASE, PRE or TEST.")
			op.PostAs(t, mode, "/apis/"+twin.ID+"/deploy", url.Values{"stage": {"TEST"}, "description": {strings.Repeat("d", 181)}}).
				Expect(http.StatusUnprocessableEntity).ExpectFieldError("description", "at most 180 characters")
			op.PostAs(t, mode, "/apis/"+twin.ID+"/deploy", url.Values{"stage": {"RELEASE"}}).Expect(http.StatusConflict).
				ExpectFieldError("stage", `The RELEASE stage already serves GET /`+moved.Name+` with the API "`+moved.Name+`"`)
		}
		op.Post(t, "/apis/"+rt.b.API+"/deploy", url.Values{"stage": {"TEST"}}).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/apis/"+twin.ID+"/deploy", url.Values{"stage": {"TEST"}}), viewerRefusal)
		if d := rt.apiOf(t, twin.ID); len(d.Deployments) != 0 {
			t.Errorf("refused deployments happened: %+v", d.Deployments)
		}
	})
}

func testAPIAbolishPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.operator), "/apis/"+rt.a.API+"/stages/RELEASE/abolish", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Abolish list_orders from RELEASE?").ExpectButton("Abolish").Shows("stops serving list_orders (GET /orders, revision 1) at once")
	})
	// A stage it is not deployed to (TestRefusedDialogs has the refusal).
	rt.as(t, rt.operator).Get(t, "/apis/"+rt.a.API+"/stages/TEST/abolish").Expect(http.StatusConflict).ExpectNoButton("Abolish")
	for _, stage := range []string{"LIVE", "release"} {
		rt.as(t, rt.operator).Get(t, "/apis/"+rt.a.API+"/stages/"+stage+"/abolish").Expect(http.StatusNotFound)
	}
	rt.as(t, rt.operator).Get(t, "/apis/"+rt.b.API+"/stages/RELEASE/abolish").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/apis/"+rt.a.API+"/stages/RELEASE/abolish"), viewerRefusal)
}

func testAPIAbolish(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		api := rt.newAPIIn(t, rt.apisGroup(t), rt.name("abolished"), rules.StageRelease, rules.StageTest)
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/apis/"+api.ID+"/stages/RELEASE/abolish", nil, "/apis/"+api.ID,
			"API "+api.Name+" abolished from RELEASE.")
		if d := rt.apiOf(t, api.ID); len(d.Deployments) != 1 || d.Deployments[0].Stage != rules.StageTest {
			t.Errorf("after abolishing RELEASE: %+v", d.Deployments)
		}
		// Again: nothing changes, and the message says so.
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/apis/"+api.ID+"/stages/RELEASE/abolish", nil, "/apis/"+api.ID,
			"API "+api.Name+" was not deployed to RELEASE: nothing changed.")
	})
	op := rt.as(t, rt.operator)
	op.Post(t, "/apis/"+rt.a.API+"/stages/LIVE/abolish", nil).Expect(http.StatusNotFound)
	op.Post(t, "/apis/"+rt.b.API+"/stages/RELEASE/abolish", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/apis/"+rt.a.API+"/stages/RELEASE/abolish", nil), viewerRefusal)
	if _, ok := rt.apiOf(t, rt.a.API).Deployment(rules.StageRelease); !ok {
		t.Error("a refused abolish took the tenant's API off RELEASE")
	}
}

func testAPIDeletePage(t *testing.T, rt *routeT) {
	api := rt.newAPI(t, rt.apisGroup(t), rt.name("deletable"))
	rt.expectGetModes(t, rt.as(t, rt.operator), "/apis/"+api.ID+"/delete", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Delete API "+api.Name+"?").ExpectButton("Delete").Shows("This cannot be undone.")
	})
	// Not deployed: its page offers Delete, with no reason beside it.
	if page := rt.as(t, rt.operator).Get(t, "/apis/"+api.ID).Expect(http.StatusOK); !page.Has(`a[href="/apis/`+api.ID+`/delete"]`) || page.Has(`#api-delete-why`) {
		t.Errorf("%s: Delete of an API deployed nowhere is not offered as it is", page)
	}
	// Deployed: refused (TestRefusedDialogs has the words and the way out).
	rt.as(t, rt.operator).Get(t, "/apis/"+rt.a.API+"/delete").Expect(http.StatusConflict).ExpectNoButton("Delete")
	rt.as(t, rt.operator).Get(t, "/apis/"+rt.b.API+"/delete").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/apis/"+api.ID+"/delete"), viewerRefusal)
}

func testAPIDelete(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.apisGroup(t)
		api := rt.newAPI(t, g, rt.name("gone"))
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/apis/"+api.ID+"/delete", nil, "/groups/"+g, "API "+api.Name+" deleted.")
		if after.Has(`#group-apis a[href="/apis/` + api.ID + `"]`) {
			t.Errorf("%s: Group Details still lists the deleted API", after)
		}
		rt.as(t, rt.viewer).Get(t, "/apis/"+api.ID).Expect(http.StatusNotFound)
		rt.as(t, rt.operator).Post(t, "/apis/"+api.ID+"/delete", nil).Expect(http.StatusNotFound)
	})
	t.Run("refused while deployed", func(t *testing.T) {
		t.Parallel()
		api := rt.newAPIIn(t, rt.apisGroup(t), rt.name("serving"), rules.StageRelease, rules.StageTest)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			rt.as(t, rt.operator).PostAs(t, mode, "/apis/"+api.ID+"/delete", nil).Expect(http.StatusConflict).
				ExpectDialog(mode, "Delete API "+api.Name+"?").ExpectNoButton("Delete").
				ExpectAlert(`The API "` + api.Name + `" is deployed to RELEASE and TEST, where it serves calls. Abolish it from every stage first, then delete it.`)
		}
		if d := rt.apiOf(t, api.ID); len(d.Deployments) != 2 {
			t.Errorf("a refused delete changed the deployments: %+v", d.Deployments)
		}
	})
	op := rt.as(t, rt.operator)
	op.Post(t, "/apis/"+rt.b.API+"/delete", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/apis/"+rt.a.API+"/delete", nil), viewerRefusal)
}
