package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
)

// Handler tests of the APIs routes, in process: every answer an operator
// can get, the page and the htmx fragment, the redirect and its message
// without JavaScript, each refusal with its status and words, and what the
// store holds afterwards.

// apiWorld is a fixture with an operator's client and the tenant's API
// (list_orders, GET /orders, Mock, deployed to RELEASE).
type apiWorld struct {
	*fixture
	op    *client
	actor store.Actor
}

func newAPIWorld(t *testing.T) apiWorld {
	t.Helper()
	f := newFixture(t, nil)
	return apiWorld{fixture: f, op: f.login(t, f.a.operator, f.a.password),
		actor: store.Actor{AccountID: f.a.account.ID, Name: "fixture", Source: rules.SourceConsole}}
}

func (w apiWorld) api(t *testing.T, id string) store.APIDetail {
	t.Helper()
	d, err := w.st.GetAPI(context.Background(), w.actor.AccountID, id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// htmx sends a request as htmx does for a dialog (a fragment, not boosted).
func (c *client) htmx(method, path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	h := http.Header{"Hx-Request": {"true"}, "X-Csrf-Token": {c.csrf}}
	if method == http.MethodGet {
		req, err := http.NewRequest(method, c.base+path, nil)
		if err != nil {
			c.t.Fatal(err)
		}
		for k, v := range h {
			req.Header[k] = v
		}
		return c.do(req)
	}
	return c.postRaw(path, form, h)
}

// messageAfter follows a 303 and returns the flash the next page shows
// (success or info).
var anyFlashRE = regexp.MustCompile(`<div class="flash (?:success|info)">([^<]*)</div>`)

func messageAfter(t *testing.T, c *client, resp *http.Response, body string) string {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%.800s", resp.StatusCode, body)
	}
	_, page := c.get(resp.Header.Get("Location"))
	m := anyFlashRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no message after the redirect to %s:\n%.800s", resp.Header.Get("Location"), page)
	}
	return html.UnescapeString(m[1])
}

func apiForm(group string, kv ...string) url.Values {
	v := url.Values{"group": {group}, "name": {"get_user"}, "method": {"GET"}, "path": {"/users/[id]"}, "protocols": {"HTTP", "HTTPS"},
		"backend": {"MOCK"}, "mock_status": {"200"}, "mock_body": {`{"user":1}`}, "mock_headers": {"Content-Type: application/json"},
		"service_address": {""}, "service_path": {"/"}, "service_timeout": {"10000"}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

var apiLocationRE = regexp.MustCompile(`^/apis/([0-9a-f]{32})$`)

func TestAPIsPage(t *testing.T) {
	w := newAPIWorld(t)
	ctx := context.Background()
	for i := range 21 {
		if _, err := w.st.CreateAPI(ctx, w.actor, w.a.group, rules.APIDefinition{Name: fmt.Sprintf("op_%02d", i), Method: "POST",
			Path: fmt.Sprintf("/op/%02d", i), Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.st.CreateAPI(ctx, w.actor, w.a.group, rules.APIDefinition{Name: "Über_api", Method: "GET", Path: "/uber",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock}); err != nil {
		t.Fatal(err)
	}
	count := regexp.MustCompile(`id="apis-count">([^<]*)<`)
	check := func(path string, wantStatus int, wantCount string, want ...string) string {
		t.Helper()
		resp, body := w.op.get(path)
		if resp.StatusCode != wantStatus {
			t.Fatalf("GET %s: status %d, want %d\n%.600s", path, resp.StatusCode, wantStatus, body)
		}
		if m := count.FindStringSubmatch(body); m == nil || m[1] != wantCount {
			t.Errorf("GET %s: count %v, want %q", path, m, wantCount)
		}
		for _, s := range want {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s: the page does not say %q", path, s)
			}
		}
		return body
	}
	first := check("/apis", 200, "23 APIs", "Über_api", `aria-current="page">APIs<`, "Create API")
	if strings.Contains(first, "list_orders") {
		t.Errorf("the first page shows the oldest API")
	}
	next := regexp.MustCompile(`href="(/apis\?after=[^"]+)" rel="next"`).FindStringSubmatch(first)
	if next == nil {
		t.Fatal("no next page")
	}
	check(html.UnescapeString(next[1]), 200, "23 APIs", "list_orders", "RELEASE · r1")
	check("/apis?q=%C3%BCBER", 200, "1 API", "Über_api")      // "üBER", folded
	check("/apis?stage=release", 200, "1 API", "list_orders") // in any case
	check("/apis?group="+w.a.group+"&q=op_1", 200, "10 APIs")
	check("/apis?q=nothing_like_it", 200, "0 APIs", "No APIs match", "Clear filters")

	// Bad filters and page links are explained, and the list shows without them.
	check("/apis?group="+w.b.group, 400, "23 APIs", "Your account has no API group")
	check("/apis?stage=LIVE", 400, "23 APIs", "The stage &#34;LIVE&#34; does not exist")
	check("/apis?after=garbage", 400, "23 APIs", "This page link is not valid")
	check("/apis?q="+strings.Repeat("x", 51), 400, "23 APIs", "at most 50 characters")

	// An htmx request that is not boosted gets the fragment, a boosted one the page.
	if _, body := w.op.htmx(http.MethodGet, "/apis", nil); strings.Contains(body, "<html") || !strings.Contains(body, `id="apis-table"`) {
		t.Errorf("htmx GET /apis: not the fragment:\n%.300s", body)
	}

	// A viewer sees the list without Create API.
	viewer := w.login(t, w.a.viewer, w.a.password)
	if resp, body := viewer.get("/apis"); resp.StatusCode != 200 || strings.Contains(body, "Create API") {
		t.Errorf("viewer: status %d, Create API shown: %t", resp.StatusCode, strings.Contains(body, "Create API"))
	}
}

func TestAPICreate(t *testing.T) {
	w := newAPIWorld(t)
	before := w.changes(t, w.a)

	// The form, with the group chosen from Group Details.
	resp, body := w.op.get("/apis/new?group=" + w.a.group)
	if resp.StatusCode != 200 || !strings.Contains(body, `<option value="`+w.a.group+`" selected>orders · cn-hangzhou</option>`) {
		t.Fatalf("Create API: status %d, group not chosen:\n%.1500s", resp.StatusCode, body)
	}

	// Refusals: each beside its field, everything typed kept, nothing created.
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		want   []string
	}{
		{"no group", apiForm(""), 422, []string{"Choose the group the API belongs to."}},
		{"bad path and timeout on an HTTP backend", apiForm(w.a.group, "backend", "HTTP", "path", "users", "service_address", "ftp://x", "service_timeout", "soon"),
			422, []string{"A request path starts with /", "A backend address starts with http:// or https://", "a whole number from 1 to 30,000", `value="users"`}},
		{"a header line without a colon", apiForm(w.a.group, "mock_headers", "Content-Type application/json"), 422,
			[]string{"Line 1 of the headers is not of the form Name: Value"}},
		{"a short name", apiForm(w.a.group, "name", "x"), 422, []string{"An API name is 4 to 50 characters long"}},
		{"no protocol", apiForm(w.a.group, "protocols", ""), 422, []string{"Choose the protocols the API answers on"}},
		{"the name taken", apiForm(w.a.group, "name", "list_orders", "path", "/other"), 409,
			[]string{"already has an API named &#34;list_orders&#34;"}},
		{"the route taken", apiForm(w.a.group, "name", "other_orders", "path", "/orders"), 409, []string{"already answers GET /orders"}},
		{"another account's group", apiForm(w.b.group), 404, []string{"API group"}},
	} {
		resp, body := w.op.post("/apis", tc.form)
		if resp.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d\n%.500s", tc.name, resp.StatusCode, tc.status, body)
			continue
		}
		for _, s := range append(tc.want, `value="`+html.EscapeString(tc.form.Get("name"))+`"`) {
			if !strings.Contains(body, s) {
				t.Errorf("%s: the form does not say %q", tc.name, s)
			}
		}
	}
	if after := w.changes(t, w.a); after != before {
		t.Fatalf("refused creations changed things: %d → %d", before, after)
	}

	// Created: 303 to the API's page, with a message; one change.
	resp, body = w.op.post("/apis", apiForm(w.a.group))
	m := apiLocationRE.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("created: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if msg := messageAfter(t, w.op, resp, body); msg != "API get_user created. Deploy it to a stage to serve calls." {
		t.Errorf("message %q", msg)
	}
	d := w.api(t, m[1])
	if d.Method != "GET" || d.Path != "/users/[id]" || d.Protocols != rules.ProtocolsHTTP|rules.ProtocolsHTTPS || d.Backend != rules.BackendMock ||
		d.MockStatus != 200 || d.MockBody != `{"user":1}` || len(d.MockHeaders) != 1 || d.ServiceAddress != "" || len(d.Deployments) != 0 {
		t.Errorf("stored: %+v", d.API)
	}
	if after := w.changes(t, w.a); after != before+1 {
		t.Errorf("changes: %d, want 1", after-before)
	}

	// An HTTP API keeps its backend's settings and no Mock ones.
	resp, _ = w.op.post("/apis", apiForm(w.a.group, "name", "get_item", "path", "/items/[id]", "backend", "HTTP",
		"service_address", "http://127.0.0.1:9000", "service_path", "/v1/items/[id]", "service_method", "ANY", "service_timeout", "2500",
		"disable_internet", "on"))
	m = apiLocationRE.FindStringSubmatch(resp.Header.Get("Location"))
	if m == nil {
		t.Fatalf("HTTP API: status %d", resp.StatusCode)
	}
	d = w.api(t, m[1])
	if d.Backend != rules.BackendHTTP || d.ServiceAddress != "http://127.0.0.1:9000" || d.ServicePath != "/v1/items/[id]" ||
		d.ServiceMethod != "ANY" || d.ServiceTimeout != 2500 || !d.DisableInternet || d.MockBody != "" || d.MockHeaders != nil {
		t.Errorf("HTTP API stored: %+v", d.API)
	}

	// From htmx (boosted, as the page's form is): the same redirect.
	resp, _ = w.op.postRaw("/apis", withToken(w.op, apiForm(w.a.group, "name", "get_thing", "path", "/things")),
		http.Header{"Hx-Request": {"true"}, "Hx-Boosted": {"true"}})
	if resp.StatusCode != http.StatusSeeOther || !apiLocationRE.MatchString(resp.Header.Get("Location")) {
		t.Errorf("boosted create: status %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func withToken(c *client, form url.Values) url.Values {
	form.Set("_csrf", c.csrf)
	return form
}

func TestAPIEdit(t *testing.T) {
	w := newAPIWorld(t)
	id := w.a.api
	resp, body := w.op.get("/apis/" + id + "/edit")
	if resp.StatusCode != 200 || !strings.Contains(body, `value="list_orders"`) || !strings.Contains(body, "Edit API list_orders") {
		t.Fatalf("Edit API: status %d\n%.600s", resp.StatusCode, body)
	}
	before := w.changes(t, w.a)

	// Bad input: 422, nothing changes.
	resp, body = w.op.post("/apis/"+id+"/edit", apiForm("", "name", "x", "path", "/orders/..", "mock_status", "299"))
	if resp.StatusCode != 422 || !strings.Contains(body, `A request path may not contain &#34;..&#34;.`) || !strings.Contains(body, "The status code 299") ||
		!strings.Contains(body, "An API name is 4 to 50 characters long") || !strings.Contains(body, "Edit API list_orders") || !strings.Contains(body, `value="x"`) {
		t.Errorf("bad edit: status %d\n%.600s", resp.StatusCode, body)
	}
	if w.api(t, id).Revision != 1 {
		t.Fatal("a refused edit changed the API")
	}

	// Saved: a new revision; RELEASE keeps serving revision 1.
	resp, body = w.op.post("/apis/"+id+"/edit", apiForm("ignored", "name", "list_orders", "path", "/orders", "mock_body", `{"orders":[]}`))
	if msg := messageAfter(t, w.op, resp, body); msg != "API list_orders saved as revision 2. No stage serves it until you deploy it." {
		t.Errorf("message %q", msg)
	}
	d := w.api(t, id)
	if d.Revision != 2 || d.MockBody != `{"orders":[]}` || d.GroupID != w.a.group {
		t.Errorf("after the edit: %+v", d.API)
	}
	if dep, _ := d.Deployment(rules.StageRelease); dep.Revision != 1 || dep.Definition.MockBody != "{}" {
		t.Errorf("RELEASE after the edit: %+v", dep)
	}
	_, page := w.op.get("/apis/" + id)
	if !strings.Contains(page, "Differs from the current definition (revision 2): protocols, Mock body and Mock headers.") {
		t.Errorf("the page does not say what RELEASE lacks:\n%s", page)
	}

	// The same definition again: nothing changes, and the message says so.
	resp, body = w.op.post("/apis/"+id+"/edit", apiForm("", "name", "list_orders", "path", "/orders", "mock_body", `{"orders":[]}`))
	if msg := messageAfter(t, w.op, resp, body); msg != "API list_orders: nothing changed." {
		t.Errorf("message %q", msg)
	}
	if w.api(t, id).Revision != 2 {
		t.Error("an unchanged definition moved the revision")
	}
	if after := w.changes(t, w.a); after != before+2 { // the save, and the "no change" line of the operation log
		t.Errorf("changes: %d, want 2", after-before)
	}
}

func TestAPIDeploy(t *testing.T) {
	w := newAPIWorld(t)
	id := w.a.api

	// The dialog: a modal fragment for htmx, a page without; ?stage= chooses.
	if resp, body := w.op.htmx(http.MethodGet, "/apis/"+id+"/deploy?stage=TEST", nil); resp.StatusCode != 200 ||
		!strings.Contains(body, `<dialog id="api-deploy-dialog"`) || strings.Contains(body, "<html") ||
		!strings.Contains(body, `<option value="TEST" selected>`) {
		t.Errorf("htmx dialog: status %d\n%.600s", resp.StatusCode, body)
	}
	if resp, body := w.op.get("/apis/" + id + "/deploy"); resp.StatusCode != 200 || !strings.Contains(body, `<section class="dialog-page" id="api-deploy-dialog"`) ||
		!strings.Contains(body, "RELEASE serves") {
		t.Errorf("dialog page: status %d\n%.600s", resp.StatusCode, body)
	}
	if resp, body := w.op.get("/apis/" + id + "/deploy?stage=LIVE"); resp.StatusCode != 400 || !strings.Contains(body, "The stage &#34;LIVE&#34; does not exist.") {
		t.Errorf("unknown stage: status %d", resp.StatusCode)
	}

	before := w.changes(t, w.a)
	// Refused: no stage, a description too long.
	for _, tc := range []struct {
		form   url.Values
		status int
		want   string
	}{
		{url.Values{"stage": {""}}, 422, "Choose a stage: RELEASE, PRE or TEST."},
		{url.Values{"stage": {"TEST"}, "description": {strings.Repeat("d", 181)}}, 422, "at most 180 characters"},
	} {
		resp, body := w.op.post("/apis/"+id+"/deploy", tc.form)
		if resp.StatusCode != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("%v: status %d, want %d and %q\n%.500s", tc.form, resp.StatusCode, tc.status, tc.want, body)
		}
	}
	// htmx gets the dialog back with the error, as a fragment.
	if resp, body := w.op.htmx(http.MethodPost, "/apis/"+id+"/deploy", url.Values{"stage": {""}}); resp.StatusCode != 422 || strings.Contains(body, "<html") {
		t.Errorf("htmx refusal: status %d", resp.StatusCode)
	}
	if after := w.changes(t, w.a); after != before {
		t.Fatalf("refused deployments changed things: %d → %d", before, after)
	}

	// Deployed without JavaScript: 303 and the message.
	resp, body := w.op.post("/apis/"+id+"/deploy", url.Values{"stage": {"TEST"}, "description": {"Try it"}})
	if msg := messageAfter(t, w.op, resp, body); msg != "API list_orders revision 1 deployed to TEST." {
		t.Errorf("message %q", msg)
	}
	dep, ok := w.api(t, id).Deployment(rules.StageTest)
	if !ok || dep.Description != "Try it" || dep.DeployedBy != w.a.operator || dep.DeployedVia != rules.SourceConsole {
		t.Errorf("TEST: %+v", dep)
	}
	// With htmx: HX-Location to the API's page.
	resp, _ = w.op.htmx(http.MethodPost, "/apis/"+id+"/deploy", url.Values{"stage": {"PRE"}})
	if resp.StatusCode != http.StatusNoContent || !strings.Contains(resp.Header.Get("HX-Location"), `"path":"/apis/`+id+`"`) {
		t.Errorf("htmx deploy: status %d, HX-Location %q", resp.StatusCode, resp.Header.Get("HX-Location"))
	}
	if after := w.changes(t, w.a); after != before+2 {
		t.Errorf("changes: %d, want 2", after-before)
	}

	// Another API cannot be deployed to a stage where list_orders (moved
	// since) still serves the route it now has: the rule's words, 409.
	d := w.api(t, id).APIDefinition
	d.Path = "/orders_v1"
	if _, err := w.st.ModifyAPI(context.Background(), w.actor, id, d); err != nil {
		t.Fatal(err)
	}
	twin, err := w.st.CreateAPI(context.Background(), w.actor, w.a.group, rules.APIDefinition{Name: "orders_twin", Method: "GET", Path: "/orders",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock})
	if err != nil {
		t.Fatal(err)
	}
	resp, body = w.op.post("/apis/"+twin.ID+"/deploy", url.Values{"stage": {"RELEASE"}})
	if resp.StatusCode != 409 || !strings.Contains(body, "The RELEASE stage already serves GET /orders with the API &#34;list_orders&#34;") {
		t.Errorf("route conflict: status %d\n%.800s", resp.StatusCode, body)
	}
	if _, ok := w.api(t, twin.ID).Deployment(rules.StageRelease); ok {
		t.Error("the refused deployment happened")
	}
}

func TestAPIAbolish(t *testing.T) {
	w := newAPIWorld(t)
	id := w.a.api
	resp, body := w.op.htmx(http.MethodGet, "/apis/"+id+"/stages/RELEASE/abolish", nil)
	if resp.StatusCode != 200 || !strings.Contains(body, "Abolish list_orders from RELEASE?") || !strings.Contains(body, "stops serving list_orders (GET /orders, revision 1) at once") {
		t.Errorf("dialog: status %d\n%.600s", resp.StatusCode, body)
	}
	// A stage it is not deployed to: said up front, no Abolish button.
	resp, body = w.op.get("/apis/" + id + "/stages/TEST/abolish")
	if resp.StatusCode != 409 || !strings.Contains(body, `The API &#34;list_orders&#34; is not deployed to TEST.`) ||
		strings.Contains(body, ">Abolish</button>") || !strings.Contains(body, `href="/apis/`+id+`/deploy?stage=TEST"`) {
		t.Errorf("not deployed: status %d\n%.600s", resp.StatusCode, body)
	}
	for _, path := range []string{"/apis/" + id + "/stages/LIVE/abolish", "/apis/" + id + "/stages/release/abolish"} {
		if resp, _ := w.op.get(path); resp.StatusCode != 404 {
			t.Errorf("GET %s: status %d, want 404", path, resp.StatusCode)
		}
		if resp, _ := w.op.post(path, nil); resp.StatusCode != 404 {
			t.Errorf("POST %s: status %d, want 404", path, resp.StatusCode)
		}
	}

	before := w.changes(t, w.a)
	resp, body = w.op.post("/apis/"+id+"/stages/RELEASE/abolish", nil)
	if msg := messageAfter(t, w.op, resp, body); msg != "API list_orders abolished from RELEASE." {
		t.Errorf("message %q", msg)
	}
	if len(w.api(t, id).Deployments) != 0 {
		t.Error("still deployed")
	}
	// Abolishing again changes nothing and says so.
	resp, body = w.op.post("/apis/"+id+"/stages/RELEASE/abolish", nil)
	if msg := messageAfter(t, w.op, resp, body); msg != "API list_orders was not deployed to RELEASE: nothing changed." {
		t.Errorf("message %q", msg)
	}
	if after := w.changes(t, w.a); after != before+2 {
		t.Errorf("changes: %d, want 2 (the second one logged as not deployed)", after-before)
	}
}

func TestAPIDelete(t *testing.T) {
	w := newAPIWorld(t)
	id := w.a.api
	before := w.changes(t, w.a)

	// Deployed: refused before and at Confirm, with the way out, no Delete.
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		var resp *http.Response
		var body string
		if method == http.MethodGet {
			resp, body = w.op.htmx(method, "/apis/"+id+"/delete", nil)
		} else {
			resp, body = w.op.post("/apis/"+id+"/delete", nil)
		}
		if resp.StatusCode != 409 {
			t.Errorf("%s while deployed: status %d, want 409", method, resp.StatusCode)
		}
		for _, want := range []string{`The API &#34;list_orders&#34; is deployed to RELEASE, where it serves calls. Abolish it from that stage first, then delete it.`,
			`href="/apis/` + id + `/stages/RELEASE/abolish"`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s while deployed: no %q\n%.800s", method, want, body)
			}
		}
		if strings.Contains(body, ">Delete</button>") {
			t.Errorf("%s while deployed: the dialog offers Delete", method)
		}
	}
	if after := w.changes(t, w.a); after != before || len(w.api(t, id).Deployments) != 1 {
		t.Fatalf("a refused delete changed things")
	}

	if _, err := w.st.AbolishAPI(context.Background(), w.actor, id, rules.StageRelease); err != nil {
		t.Fatal(err)
	}
	if resp, body := w.op.get("/apis/" + id + "/delete"); resp.StatusCode != 200 || !strings.Contains(body, ">Delete</button>") {
		t.Errorf("abolished: status %d\n%.600s", resp.StatusCode, body)
	}
	resp, body := w.op.post("/apis/"+id+"/delete", nil)
	if resp.Header.Get("Location") != "/groups/"+w.a.group {
		t.Errorf("after delete: to %q, want the group", resp.Header.Get("Location"))
	}
	if msg := messageAfter(t, w.op, resp, body); msg != "API list_orders deleted." {
		t.Errorf("message %q", msg)
	}
	if resp, _ := w.op.get("/apis/" + id); resp.StatusCode != 404 {
		t.Errorf("the deleted API: status %d", resp.StatusCode)
	}
	if resp, _ := w.op.post("/apis/"+id+"/delete", nil); resp.StatusCode != 404 {
		t.Errorf("deleting again: status %d", resp.StatusCode)
	}
}

// The API's page says, per stage, what it serves; Group Details lists the
// group's APIs with their stages and Create API.
func TestAPIPageAndGroupSection(t *testing.T) {
	w := newAPIWorld(t)
	resp, body := w.op.get("/apis/" + w.a.api)
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"list_orders", `id="stage-RELEASE"`, "Revision 1", "The current definition", "by fixture via console",
		`href="/apis/` + w.a.api + `/stages/RELEASE/abolish"`, `href="/apis/` + w.a.api + `/deploy?stage=PRE"`, "Not deployed", "200 OK"} {
		if !strings.Contains(body, want) {
			t.Errorf("the API's page lacks %q", want)
		}
	}
	_, body = w.op.get("/groups/" + w.a.group)
	for _, want := range []string{`id="group-apis"`, "1 API", "list_orders", "RELEASE · r1", `href="/apis/new?group=` + w.a.group + `"`} {
		if !strings.Contains(body, want) {
			t.Errorf("Group Details lacks %q", want)
		}
	}
}
