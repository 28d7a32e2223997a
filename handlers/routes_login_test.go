package handlers_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"gatehouse/handlers"
	"gatehouse/web/webtest"
)

// Logging in and out. Each test logs in browsers of its own: a login or
// logout from a clone of the shared clients would end their sessions.
var loginRoutes = map[string]routeTest{
	"GET /login":   testLoginPage,
	"POST /login":  testLogin,
	"POST /logout": testLogout,
}

func testLoginPage(t *testing.T, rt *routeT) {
	cl := rt.anonymous(t)
	rt.expectGetModes(t, cl, "/login?next=%2Fvpcs", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		if p.Heading() != "Log in to Gatehouse" || p.Has("nav[aria-label=Console]") {
			t.Errorf("%s: heading %q; the login page shows no console navigation", p, p.Heading())
		}
		p.ExpectButton("Log in")
		if next, _ := p.Doc().Find(`input[name=next]`).Attr("value"); next != "/vpcs" {
			t.Errorf("%s: next %q, want /vpcs kept for after the login", p, next)
		}
	})
	// A destination on another site is not kept.
	p := cl.Get(t, "/login?next=%2F%2Fevil.example%2F").Expect(http.StatusOK)
	if next, _ := p.Doc().Find(`input[name=next]`).Attr("value"); next != "/" {
		t.Errorf("next=//evil.example/: kept as %q, want /", next)
	}
}

func testLogin(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		cl := rt.anonymous(t)
		form := url.Values{"login": {rt.a.Viewer}, "password": {rt.a.Password}, "next": {"/vpcs"}}
		p := cl.PostAs(t, mode, "/login", form).ExpectRedirect(mode, "/vpcs")
		cl.Follow(t, p).Expect(http.StatusOK).ExpectFullPage().Shows("VPCs", rt.a.Viewer+" · account alpha · role viewer")
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		cl := rt.anonymous(t)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := cl.PostAs(t, mode, "/login", url.Values{"login": {" "}, "password": {""}}).Expect(http.StatusUnprocessableEntity)
			p.ExpectFieldError("login", "Enter your user name.").ExpectFieldError("password", "Enter your password.")
			// A wrong password and an unknown name read the same; what was
			// typed as the name stays in its field.
			for _, login := range []string{rt.a.Viewer, "nobody-at-all"} {
				p = cl.PostAs(t, mode, "/login", url.Values{"login": {login}, "password": {"not-the-password"}}).Expect(http.StatusUnauthorized)
				p.ExpectAlert("Wrong user name or password.")
				if p.Value("login") != login {
					t.Errorf("%s: the user name is not kept: %q", p, p.Value("login"))
				}
			}
		}
		// A destination on another site is dropped.
		p := cl.Post(t, "/login", url.Values{"login": {rt.a.Viewer}, "password": {rt.a.Password}, "next": {"//evil.example/"}})
		p.ExpectRedirect(webtest.NoJS, "/")
	})
	t.Run("throttled", func(t *testing.T) {
		t.Parallel()
		// A console of its own: its clock and its throttle.
		own, err := webtest.OpenOn(rt.Store, func(c *handlers.Config) { c.LoginFailures = 3 })
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(own.Close)
		cl := own.Anonymous(t)
		cl.Log = rt.log
		wrong := url.Values{"login": {rt.a.Operator}, "password": {"not-the-password"}}
		for range 3 {
			cl.Post(t, "/login", wrong).Expect(http.StatusUnauthorized)
		}
		right := url.Values{"login": {rt.a.Operator}, "password": {rt.a.Password}}
		cl.PostAs(t, webtest.Fragment, "/login", right).Expect(http.StatusTooManyRequests).
			ExpectFragment().ExpectAlert("Too many failed attempts. Try again in 60 seconds.")
		own.Clock.Advance(time.Minute)
		cl.Post(t, "/login", right).ExpectRedirect(webtest.NoJS, "/")
	})
}

func testLogout(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		cl := rt.Login(t, rt.a.Viewer, rt.a.Password)
		cl.Log = rt.log
		copied := rt.anonymous(t)
		copied.SetCookies(t, cl.Cookies(t))
		p := cl.PostAs(t, mode, "/logout", nil).ExpectRedirect(mode, "/login")
		cl.Follow(t, p).Expect(http.StatusOK).Shows("You have logged out.")
		// The session ended on the server: a copy of its cookie is worthless.
		if p := copied.Get(t, "/vpcs"); p.Status != http.StatusFound {
			t.Errorf("a copy of the cookie after logout: status %d, want the login page", p.Status)
		}
	})
	// Without the form's token, nothing happens.
	cl := rt.as(t, rt.viewer)
	cl.PostRaw(t, "/logout", nil, nil).Expect(http.StatusForbidden).Shows("CSRF")
	cl.Get(t, "/oplog").Expect(http.StatusOK)
}
