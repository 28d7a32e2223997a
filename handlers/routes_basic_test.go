package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/static"
	"gatehouse/web/webtest"
)

// The health check, static files, the overview, the access check and the
// operation log.
var basicRoutes = map[string]routeTest{
	"GET /healthz":  testHealthz,
	"GET /static/*": testStatic,
	"GET /":         testHome,
	"GET /access":   testAccessCheck,
	"GET /oplog":    testOpLog,
}

func testHealthz(t *testing.T, rt *routeT) {
	p := rt.anonymous(t).Get(t, "/healthz").Expect(http.StatusOK)
	if p.Body != "ok\n" || p.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("healthz: %q, Cache-Control %q", p.Body, p.Header.Get("Cache-Control"))
	}
}

func testStatic(t *testing.T, rt *routeT) {
	cl := rt.anonymous(t)
	p := cl.Get(t, static.URL("css/app.css")).Expect(http.StatusOK)
	if !strings.HasPrefix(p.Header.Get("Content-Type"), "text/css") || !strings.Contains(p.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("stylesheet: Content-Type %q, Cache-Control %q", p.Header.Get("Content-Type"), p.Header.Get("Cache-Control"))
	}
	for _, path := range []string{"/static/", "/static/css/", "/static/nothing.css", "/static/../go.mod"} {
		if p := cl.Get(t, path); p.Status != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", path, p.Status)
		}
	}
}

func testHome(t *testing.T, rt *routeT) {
	// The second tenant's resources never change in these tests, so its
	// counts are known.
	cl := rt.Login(t, rt.b.Viewer, rt.b.Password)
	cl.Log = rt.log
	rt.expectGetModes(t, cl, "/", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows("Overview", "API groups 1", "APIs 1", "Dedicated instances 2", "VPCs 1",
			// What needs attention, each a link: its unbound instance.
			"1 dedicated instance is not bound to a VPC.")
		if !p.Has(`#problem-unbound a[href="/instances/` + rt.b.UnboundInstance + `"]`) {
			t.Errorf("%s: the unbound instance is no link", p)
		}
		if mode == webtest.Fragment {
			return // no shell
		}
		if p.Text(".who") != rt.b.Viewer+" · account bravo · role viewer" {
			t.Errorf("%s: the top bar says %q", p, p.Text(".who"))
		}
		if !p.Has(`nav[aria-label=Console] a[href="/"][aria-current=page]`) {
			t.Errorf("%s: no current Overview entry in the navigation", p)
		}
		// htmx comes from the binary itself: a plain go build has it.
		if !p.Has(`script[src^="/static/lib/htmx.min.js?v="]`) {
			t.Errorf("%s: the page loads no htmx", p)
		}
	})
	p := rt.anonymous(t).Get(t, "/")
	if p.Status != http.StatusFound || p.Header.Get("Location") != "/login" {
		t.Errorf("anonymous: %d to %q, want 302 to /login", p.Status, p.Header.Get("Location"))
	}
}

func testAccessCheck(t *testing.T, rt *routeT) {
	g, err := rt.Store.GetGroup(context.Background(), rt.a.Account.ID, rt.a.Group)
	if err != nil {
		t.Fatal(err)
	}
	cl := rt.as(t, rt.viewer)
	ask := func(caller, domain, protocol string) string {
		return "/access?" + url.Values{"caller": {caller}, "domain": {domain}, "protocol": {protocol}}.Encode()
	}
	// The bound VPC reaches the group's VPC domain at the endpoint; the
	// Internet does not.
	rt.expectGetModes(t, cl, ask("vpc:"+rt.a.Vpc, g.VpcDomain(), "HTTPS"), http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows("Allowed")
		if p.Text("#access-answer .verdict") != "Allowed" {
			t.Errorf("%s: verdict %q", p, p.Text("#access-answer .verdict"))
		}
	})
	p := cl.Get(t, ask("internet", g.VpcDomain(), "HTTP")).Expect(http.StatusOK)
	if v := p.Text("#access-answer .verdict"); v != "Refused" {
		t.Errorf("the Internet to a VPC domain: verdict %q, want Refused", v)
	}
	// A link may carry the domain alone: the question waits for a caller.
	cl.Get(t, "/access?domain="+g.VpcDomain()).Expect(http.StatusOK).Shows("Choose a caller and a domain to see the answer.")

	refusals := []struct{ caller, domain, protocol, field, message string }{
		{"vpc:" + rt.a.Vpc, "", "HTTP", "domain", "Enter or choose a domain name."},
		{"vpc:" + rt.a.Vpc, strings.Repeat("a", 254), "HTTP", "domain", "A domain name is at most 253 characters."},
		{"vpc:" + rt.a.Vpc, g.VpcDomain(), "FTP", "protocol", "Choose HTTP or HTTPS."},
		{"satellite", g.VpcDomain(), "HTTP", "caller", "Choose a caller: one of your VPCs, a hybrid network joined to one, or the Internet."},
		// Another account's VPC is not one of this account's.
		{"vpc:" + rt.b.Vpc, g.VpcDomain(), "HTTP", "caller", "The VPC " + rt.b.Vpc + " does not exist in this account."},
	}
	for _, r := range refusals {
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := cl.GetAs(t, mode, ask(r.caller, r.domain, r.protocol)).Expect(http.StatusUnprocessableEntity)
			p.ExpectFieldError(r.field, r.message).ExpectAlert(r.message)
		}
	}
}

func testOpLog(t *testing.T, rt *routeT) {
	cl := rt.as(t, rt.viewer)
	rt.expectGetModes(t, cl, "/oplog?action=CreateVpc", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows("Operation log", "CreateVpc", short(rt.a.Vpc))
		if p.Value("action") != "CreateVpc" {
			t.Errorf("%s: the filter is not kept: %q", p, p.Value("action"))
		}
	})
	// The action is one of the list: another is refused beside the field.
	cl.Get(t, "/oplog?action=NoSuchAction").Expect(http.StatusUnprocessableEntity).
		ExpectFieldError("action", `The operation log records no action "NoSuchAction". Choose one of the list.`)
	// Another account's changes never show.
	// (An attempt on another account's id is this account's own refused
	// change, and is in its log: refused, not succeeded.)
	cl.Get(t, "/oplog?outcome=ok&target="+rt.b.Vpc).Expect(http.StatusOK).Shows("No entries match this filter.")
	cl.Get(t, "/oplog?before=abc").Expect(http.StatusBadRequest).Shows("The page link is not valid. Start again from the newest entries.")
	cl.Get(t, "/oplog?target="+strings.Repeat("x", 254)).Expect(http.StatusUnprocessableEntity).
		ExpectFieldError("target", "A target is at most 253 characters long; this one has 254.")
}
