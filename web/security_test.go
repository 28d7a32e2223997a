package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/handlers"
	"gatehouse/store"
	"gatehouse/views/pages"
	"gatehouse/web/webtest"
)

// consoleRoutes lists every route of the console as Echo knows it, so a
// route added later is covered by these tests without anyone remembering.
func consoleRoutes(t *testing.T, f *fixture) []webtest.Route {
	t.Helper()
	var out []webtest.Route
	for _, r := range f.Routes() {
		if !strings.HasPrefix(r.Path, "/static") {
			out = append(out, r)
		}
	}
	if len(out) < 20 {
		t.Fatalf("only %d routes found", len(out))
	}
	return out
}

var paramRE = regexp.MustCompile(`:(\w+)`)

// fill puts a tenant's ids into a route's parameters. A parameter this test
// does not know fails it: a new kind of resource needs its isolation case.
func fill(t *testing.T, path string, tn webtest.Tenant) string {
	t.Helper()
	return paramRE.ReplaceAllStringFunc(path, func(p string) string {
		switch {
		case p == ":vsw":
			return tn.VSwitch
		case p == ":name":
			return tn.Domain
		case p == ":login":
			return tn.Operator
		case p == ":stage":
			return "RELEASE" // the tenant's API is deployed there
		case p == ":id" && strings.HasPrefix(path, "/groups/"):
			return tn.Group
		case p == ":id" && strings.HasPrefix(path, "/instances/"):
			return tn.Instance
		case p == ":id" && strings.HasPrefix(path, "/vpcs/"):
			return tn.Vpc
		case p == ":id" && strings.HasPrefix(path, "/accesskeys/"):
			return tn.Key
		case p == ":id" && strings.HasPrefix(path, "/apis/"):
			return tn.API
		}
		t.Errorf("route %s: parameter %s has no tenant-isolation case in this test; add one", path, p)
		return "x"
	})
}

// plausibleForm is what a form of the route would carry, with the caller's
// own ids, so that only the path's id decides the answer.
func plausibleForm(tn webtest.Tenant) url.Values {
	return url.Values{
		"name": {"lookalike"}, "description": {"d"}, "region": {"cn-hangzhou"}, "zone": {"cn-hangzhou-g"},
		"cidr": {"10.9.0.0/24"}, "instance": {tn.UnboundInstance}, "vpc": {tn.Vpc}, "vswitch": {tn.VSwitch},
		"domain": {"x." + tn.Account.Name + ".example.com"}, "network_type": {"INTERNET"},
		"acknowledge": {"on"}, "confirm": {"on"}, "role": {"viewer"}, "user": {tn.Admin},
		"spec": {"api.s1.small"}, "https_policy": {"HTTPS2_TLS1_0"},
		"group": {tn.Group}, "method": {"GET"}, "path": {"/lookalike"}, "protocols": {"HTTP"}, "backend": {"MOCK"},
		"mock_status": {"200"}, "mock_body": {"{}"}, "stage": {"TEST"},
	}
}

// Every route that names a resource answers 404 when the resource is
// another account's, and nothing changes in either account.
func TestOtherAccountsResourcesAreAbsent(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	beforeA, beforeB := f.changes(t, f.a), f.changes(t, f.b)
	checked := 0
	for _, r := range consoleRoutes(t, f) {
		if !strings.Contains(r.Path, ":") {
			continue
		}
		path := fill(t, r.Path, f.b)
		var resp *webtest.Page
		if r.Method == http.MethodPost {
			resp = c.Post(t, path, plausibleForm(f.a))
		} else {
			resp = c.Get(t, path)
		}
		checked++
		if resp.Status != http.StatusNotFound {
			t.Errorf("%s %s with the other account's id: status %d, want 404\n%.300s", r.Method, path, resp.Status, resp.Body)
		}
		if strings.Contains(resp.Body, f.b.Account.ID) {
			t.Errorf("%s %s: the answer reveals the other account's id", r.Method, path)
		}
	}
	if checked < 20 {
		t.Errorf("only %d routes with parameters checked", checked)
	}
	if a, b := f.changes(t, f.a), f.changes(t, f.b); a != beforeA || b != beforeB {
		t.Errorf("changes: account A %d → %d, account B %d → %d; want none", beforeA, a, beforeB, b)
	}
}

// The same pages with the account's own ids do open: the 404s above come
// from scoping, not from broken routes.
func TestOwnResourcesOpen(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	for _, r := range consoleRoutes(t, f) {
		if r.Method != http.MethodGet || !strings.Contains(r.Path, ":") {
			continue
		}
		// 409: a dialog that states up front why its change is refused
		// (unbinding while groups use the VPC domain).
		path := fill(t, r.Path, f.a)
		if resp := c.Get(t, path); resp.Status != http.StatusOK && resp.Status != http.StatusConflict {
			t.Errorf("GET %s with the account's own id: status %d\n%.300s", path, resp.Status, resp.Body)
		}
	}
}

// Ids of another account inside form fields are refused as absent too.
func TestOtherAccountsIDsInFormsAreAbsent(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Operator, f.a.Password)
	beforeA, beforeB := f.changes(t, f.a), f.changes(t, f.b)
	cases := []struct {
		path string
		form url.Values
	}{
		{"/groups", url.Values{"name": {"stolen_group"}, "region": {"cn-hangzhou"}, "instance": {f.b.Instance}}},
		{"/instances/" + f.a.UnboundInstance + "/bind", url.Values{"vpc": {f.b.Vpc}, "vswitch": {f.b.VSwitch}}},
		{"/instances/" + f.a.UnboundInstance + "/bind", url.Values{"vpc": {f.a.Vpc}, "vswitch": {f.b.VSwitch}}},
		{"/apis", url.Values{"group": {f.b.Group}, "name": {"stolen_api"}, "method": {"GET"}, "path": {"/stolen"}, "protocols": {"HTTP"},
			"backend": {"MOCK"}, "mock_status": {"200"}}},
	}
	for _, tc := range cases {
		resp := c.Post(t, tc.path, tc.form)
		if resp.Status != http.StatusNotFound && resp.Status != http.StatusUnprocessableEntity {
			t.Errorf("POST %s %v: status %d, want 404 or 422\n%.300s", tc.path, tc.form, resp.Status, resp.Body)
		}
	}
	if a, b := f.changes(t, f.a), f.changes(t, f.b); a != beforeA || b != beforeB {
		t.Errorf("changes: account A %d → %d, account B %d → %d; want none", beforeA, a, beforeB, b)
	}
}

var mutatingGET = regexp.MustCompile(`/(new|edit|enable|disable|move|bind|unbind|delete|remove|deploy|abolish|upload)$|^/users/:login/password$`)

// ownPassword is the one change every role may make: their own password
// (TestPasswordChangeEndsOtherSessions).
const ownPassword = "/password"

// A viewer gets 403 from every mutating route and every dialog that leads
// to one, and nothing changes.
func TestViewerCannotChangeAnything(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Viewer, f.a.Password)
	before := f.changes(t, f.a)
	for _, r := range consoleRoutes(t, f) {
		path := fill(t, r.Path, f.a)
		switch {
		case r.Method == http.MethodPost && path != "/login" && path != "/logout" && path != ownPassword:
			if resp := c.Post(t, path, plausibleForm(f.a)); resp.Status != http.StatusForbidden {
				t.Errorf("viewer POST %s: status %d, want 403", path, resp.Status)
			}
		case r.Method == http.MethodGet && mutatingGET.MatchString(r.Path):
			if resp := c.Get(t, path); resp.Status != http.StatusForbidden {
				t.Errorf("viewer GET %s: status %d, want 403", path, resp.Status)
			}
		}
	}
	if after := f.changes(t, f.a); after != before {
		t.Errorf("a viewer changed things: %d → %d", before, after)
	}
}

var postForm = regexp.MustCompile(`(?i)<form[^>]*method="post"[^>]*action="([^"]+)"`)
var dialogLink = regexp.MustCompile(`href="(/[^"]*/(?:new|edit|enable|disable|move|bind|unbind|delete|remove|deploy|abolish|upload))(?:\?[^"]*)?"`)

// A viewer's pages carry no control that changes anything: no form posts
// (but logging out and changing their own password) and no links to a
// change's dialog.
func TestViewerSeesNoMutatingControls(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Viewer, f.a.Password)
	for _, r := range consoleRoutes(t, f) {
		if r.Method != http.MethodGet || mutatingGET.MatchString(r.Path) || r.Path == "/login" || r.Path == "/healthz" {
			continue
		}
		path := fill(t, r.Path, f.a)
		resp := c.Get(t, path)
		if resp.Status != http.StatusOK {
			continue // admin-only pages answer 403, tested elsewhere
		}
		for _, m := range postForm.FindAllStringSubmatch(resp.Body, -1) {
			if m[1] != "/logout" && m[1] != ownPassword {
				t.Errorf("viewer page %s has a form posting to %s", path, m[1])
			}
		}
		for _, m := range dialogLink.FindAllStringSubmatch(resp.Body, -1) {
			t.Errorf("viewer page %s links to the change dialog %s", path, m[1])
		}
	}
}

// A POST without the CSRF token, or with another session's, is refused with
// 403 and changes nothing; the same POST with the right token in the htmx
// header goes through.
func TestCSRFProtectsEveryChange(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Operator, f.a.Password)
	other := f.Login(t, f.a.Admin, f.a.Password)
	before := f.changes(t, f.a)
	form := url.Values{"name": {"csrf_vpc"}, "region": {"cn-hangzhou"}, "cidr": {"192.168.0.0/16"}}

	resp := c.PostRaw(t, "/vpcs", form, nil)
	if resp.Status != http.StatusForbidden || !strings.Contains(resp.Body, "CSRF") {
		t.Errorf("no token: status %d, want 403 with an explanation\n%.300s", resp.Status, resp.Body)
	}
	withOther := url.Values{"_csrf": {other.CSRF}}
	for k, v := range form {
		withOther[k] = v
	}
	if resp := c.PostRaw(t, "/vpcs", withOther, nil); resp.Status != http.StatusForbidden {
		t.Errorf("another session's token: status %d, want 403", resp.Status)
	}
	if after := f.changes(t, f.a); after != before {
		t.Fatalf("refused posts changed things: %d → %d", before, after)
	}
	resp = c.PostRaw(t, "/vpcs", form, http.Header{"X-Csrf-Token": {c.CSRF}, "Hx-Request": {"true"}})
	if resp.Status >= 300 && resp.Status != http.StatusSeeOther {
		t.Errorf("right token in the header: status %d\n%.300s", resp.Status, resp.Body)
	}
	if after := f.changes(t, f.a); after != before+1 {
		t.Errorf("the accepted post made %d changes, want 1", after-before)
	}
}

// Pages, fragments and error answers all carry the security headers.
func TestSecurityHeadersEverywhere(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	fragment, err := http.NewRequest(http.MethodGet, f.Server.URL+"/groups/new/instances?region=cn-hangzhou", nil)
	if err != nil {
		t.Fatal(err)
	}
	fragment.Header.Set("HX-Request", "true")
	answers := map[string]*webtest.Page{}
	answers["page"] = c.Get(t, "/groups")
	answers["fragment"] = c.Send(t, fragment)
	answers["not found"] = c.Get(t, "/groups/"+f.b.Group)
	answers["login"] = f.Anonymous(t).Get(t, "/login")
	answers["forbidden"] = f.Login(t, f.a.Viewer, f.a.Password).Get(t, "/vpcs/new")
	answers["csrf refusal"] = c.PostRaw(t, "/vpcs", url.Values{}, nil)
	for name, resp := range answers {
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s (%d): CSP %q lacks %q", name, resp.Status, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "http") {
			t.Errorf("%s: CSP allows inline code or another origin: %q", name, csp)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: nosniff/referrer headers missing: %v", name, h)
		}
	}
}

// The session and CSRF cookies are HttpOnly and SameSite=Lax; Secure when
// the console says it is served over TLS.
func TestCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		f := newFixture(t, func(c *handlers.Config) { c.SecureCookies = secure })
		c := f.Anonymous(t)
		resp := c.Post(t, "/login", url.Values{"login": {f.a.Admin}, "password": {f.a.Password}})
		seen := map[string]bool{}
		for _, sc := range resp.Header.Values("Set-Cookie") {
			name := sc[:strings.Index(sc, "=")]
			if strings.Contains(sc, "Max-Age=0") || strings.Contains(sc, "Max-Age=-1") {
				continue
			}
			seen[name] = true
			if !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
				t.Errorf("cookie %s lacks HttpOnly or SameSite=Lax: %s", name, sc)
			}
			if strings.Contains(sc, "Secure") != secure {
				t.Errorf("secure=%v: cookie %s: %s", secure, name, sc)
			}
		}
		if hsts := resp.Header.Get("Strict-Transport-Security"); (hsts != "") != secure {
			t.Errorf("secure=%v: Strict-Transport-Security %q", secure, hsts)
		}
		if !seen["gatehouse_session"] {
			t.Errorf("login set no session cookie: %v", resp.Header.Values("Set-Cookie"))
		}
	}
}

// Logging out ends the session on the server: a copy of the old cookie
// gets the login page.
func TestLogoutInvalidatesCopiedCookie(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	cookies := c.Cookies(t)
	if resp := c.Get(t, "/oplog"); resp.Status != http.StatusOK {
		t.Fatalf("logged in: status %d", resp.Status)
	}
	if resp := c.Post(t, "/logout", nil); resp.Status != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.Status)
	}
	thief := f.Anonymous(t)
	thief.SetCookies(t, cookies)
	resp := thief.Get(t, "/groups")
	if resp.Status != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("old cookie after logout: status %d to %q, want the login page", resp.Status, resp.Header.Get("Location"))
	}
}

// Logging in again in the same browser ends the session it had: a copy of
// the first session's cookie no longer opens the console.
func TestLoginEndsThePreviousSession(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	first := c.Cookies(t)
	if resp := c.Post(t, "/login", url.Values{"login": {f.a.Admin}, "password": {f.a.Password}}); resp.Status != http.StatusSeeOther {
		t.Fatalf("second login: %d", resp.Status)
	}
	if resp := c.Get(t, "/oplog"); resp.Status != http.StatusOK {
		t.Fatalf("the new session does not work: %d", resp.Status)
	}
	copyOfFirst := f.Anonymous(t)
	copyOfFirst.SetCookies(t, first)
	if resp := copyOfFirst.Get(t, "/oplog"); resp.Status != http.StatusFound {
		t.Errorf("the first session's cookie after a new login: status %d, want the login page", resp.Status)
	}
}

// A session unused for the idle time (30 minutes) ends on the server,
// whatever the cookie says; one in use lives on. The console's clock is
// moved, not waited for.
func TestIdleSessionEnds(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	for i := 0; i < 3; i++ { // in use: a request every 29 minutes
		f.Clock.Advance(29 * time.Minute)
		if p := c.Get(t, "/oplog"); p.Status != http.StatusOK {
			t.Fatalf("used every 29 minutes, after %d: status %d", 29*(i+1), p.Status)
		}
	}
	f.Clock.Advance(31 * time.Minute)
	p := c.Get(t, "/oplog")
	if p.Status != http.StatusFound || p.Header.Get("Location") != "/login?next=%2Foplog" {
		t.Fatalf("31 minutes idle: status %d to %q, want the login page", p.Status, p.Header.Get("Location"))
	}
	c.Follow(t, p).Expect(http.StatusOK).Shows("Your session has ended. Log in again.")
}

// A copy of a session's cookie left unused ends after the idle time even
// while the browser it came from stays busy: the server keeps its own idle
// clock for the session, touched by the requests that carry it.
func TestIdleTimeIsKeptOnTheServer(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	copied := f.Anonymous(t)
	copied.SetCookies(t, c.Cookies(t))
	f.Clock.Advance(20 * time.Minute)
	c.Get(t, "/oplog").Expect(http.StatusOK) // the session is touched
	f.Clock.Advance(20 * time.Minute)
	// The copy's cookie says 40 minutes idle: ended, though the session
	// itself was used 20 minutes ago.
	if p := copied.Get(t, "/oplog"); p.Status != http.StatusFound {
		t.Errorf("a cookie unused for 40 minutes: status %d, want the login page", p.Status)
	}
}

// However busy, a session ends 12 hours after login.
func TestAbsoluteSessionEnds(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	elapsed := time.Duration(0)
	for elapsed+25*time.Minute < 12*time.Hour {
		f.Clock.Advance(25 * time.Minute)
		elapsed += 25 * time.Minute
		if p := c.Get(t, "/oplog"); p.Status != http.StatusOK {
			t.Fatalf("busy session after %v: status %d, want it alive until 12h", elapsed, p.Status)
		}
	}
	f.Clock.Advance(12*time.Hour - elapsed + time.Second)
	if p := c.Get(t, "/oplog"); p.Status != http.StatusFound || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Errorf("12 hours after login: status %d to %q, want the login page", p.Status, p.Header.Get("Location"))
	}
}

// X-Forwarded-For from the client does not give it a fresh address to
// guess passwords from: the per-address limit holds.
func TestForwardedForDoesNotEscapeTheAddressLimit(t *testing.T) {
	f := newFixture(t, func(c *handlers.Config) { c.LoginBurst = 3; c.LoginEvery = time.Hour })
	c := f.Anonymous(t)
	var last int
	for i := 0; i < 5; i++ {
		resp := c.PostRaw(t, "/login", url.Values{"_csrf": {c.CSRF}, "login": {fmt.Sprintf("nobody%d", i)}, "password": {"x-password-123"}},
			http.Header{"X-Forwarded-For": {fmt.Sprintf("10.0.0.%d", i)}, "X-Real-Ip": {fmt.Sprintf("10.0.1.%d", i)}})
		last = resp.Status
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("after 5 attempts from one connection with forged addresses: status %d, want 429", last)
	}
}

// A request body beyond what any console form needs is refused before it
// is read.
func TestOversizedBodyIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Operator, f.a.Password)
	big := url.Values{"name": {strings.Repeat("x", 300<<10)}, "_csrf": {c.CSRF}}
	if resp := c.PostRaw(t, "/vpcs", big, nil); resp.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("a 300 KiB form: status %d, want 413", resp.Status)
	}
}

// Ten wrong passwords in a row lock the user name for a minute, even for
// the right password; once the minute has passed, the right one works. The
// answer never says whether the name exists.
func TestLoginThrottle(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Anonymous(t)
	for i := 0; i < 10; i++ {
		p := c.Post(t, "/login", url.Values{"login": {f.a.Admin}, "password": {"wrong-password-123"}})
		if p.Status != http.StatusUnauthorized || !strings.Contains(p.Alert(), "Wrong user name or password.") {
			t.Fatalf("attempt %d: status %d, alert %q", i+1, p.Status, p.Alert())
		}
	}
	unknown := c.Post(t, "/login", url.Values{"login": {"nobody-here"}, "password": {"wrong-password-123"}})
	if !strings.Contains(unknown.Alert(), "Wrong user name or password.") {
		t.Errorf("an unknown name is answered differently: %q", unknown.Alert())
	}
	right := url.Values{"login": {f.a.Admin}, "password": {f.a.Password}}
	c.Post(t, "/login", right).Expect(http.StatusTooManyRequests).ExpectAlert("Too many failed attempts. Try again in 60 seconds.")
	f.Clock.Advance(45 * time.Second)
	c.Post(t, "/login", right).Expect(http.StatusTooManyRequests).ExpectAlert("Try again in 15 seconds.")
	f.Clock.Advance(15 * time.Second)
	c.Post(t, "/login", right).Expect(http.StatusSeeOther)
	entries, _, err := f.Store.ListOpLog(context.Background(), f.a.Account.ID, store.OpLogQuery{Action: "LoginFailed"})
	if err != nil || len(entries) != 10 {
		t.Errorf("failed logins in the operation log: %d (%v), want 10", len(entries), err)
	}
}

// A client address may try LoginBurst times at once, then once every
// LoginEvery: the bucket refills with the console's clock.
func TestAddressLimitRefills(t *testing.T) {
	f := newFixture(t, func(c *handlers.Config) { c.LoginBurst = 3; c.LoginEvery = 2 * time.Second })
	c := f.Anonymous(t)
	try := func(i int) *webtest.Page {
		return c.Post(t, "/login", url.Values{"login": {fmt.Sprintf("nobody%d", i)}, "password": {"x-password-123"}})
	}
	for i := 0; i < 3; i++ {
		try(i).Expect(http.StatusUnauthorized)
	}
	try(3).Expect(http.StatusTooManyRequests).ExpectAlert("Try again in 2 seconds.")
	f.Clock.Advance(1 * time.Second)
	try(4).Expect(http.StatusTooManyRequests).ExpectAlert("Too many failed attempts.")
	f.Clock.Advance(1 * time.Second)
	try(5).Expect(http.StatusUnauthorized)
	try(6).Expect(http.StatusTooManyRequests)
}

// Anonymous visitors are sent to the login page, keeping where they wanted
// to go; a next parameter leading elsewhere is ignored.
func TestAnonymousGoesToLogin(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Anonymous(t)
	resp := c.Get(t, "/vpcs")
	if resp.Status != http.StatusFound || resp.Header.Get("Location") != "/login?next=%2Fvpcs" {
		t.Errorf("GET /vpcs anonymous: %d %q", resp.Status, resp.Header.Get("Location"))
	}
	resp = c.Post(t, "/login", url.Values{"login": {f.a.Admin}, "password": {f.a.Password}, "next": {"//evil.example/"}})
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil.example/ redirected to %q, want /", loc)
	}
}

// A browser's Sec-Fetch-Site: same-origin does not stand in for the token,
// and a cross-site change is refused even with one.
func TestFetchMetadataDoesNotReplaceTheToken(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Operator, f.a.Password)
	before := f.changes(t, f.a)
	form := url.Values{"name": {"fm_vpc"}, "region": {"cn-hangzhou"}, "cidr": {"192.168.0.0/16"}}
	if resp := c.PostRaw(t, "/vpcs", form, http.Header{"Sec-Fetch-Site": {"same-origin"}}); resp.Status != http.StatusForbidden {
		t.Errorf("same-origin POST without a token: status %d, want 403", resp.Status)
	}
	form.Set("_csrf", c.CSRF)
	if resp := c.PostRaw(t, "/vpcs", form, http.Header{"Sec-Fetch-Site": {"cross-site"}}); resp.Status != http.StatusForbidden {
		t.Errorf("cross-site POST with a token: status %d, want 403", resp.Status)
	}
	if after := f.changes(t, f.a); after != before {
		t.Errorf("refused posts changed things: %d → %d", before, after)
	}
}

// Every POST route of the console refuses a request without the CSRF token
// (the refusal names the token, so it is not some other 403), and nothing
// changes.
func TestEveryChangeNeedsTheToken(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	before := f.changes(t, f.a)
	n := 0
	for _, r := range consoleRoutes(t, f) {
		if r.Method != http.MethodPost {
			continue
		}
		n++
		path := fill(t, r.Path, f.a)
		resp := c.PostRaw(t, path, plausibleForm(f.a), nil)
		if resp.Status != http.StatusForbidden || !strings.Contains(resp.Body, "CSRF") {
			t.Errorf("POST %s without a token: status %d, want 403 naming the CSRF token", path, resp.Status)
		}
	}
	if n < 20 {
		t.Errorf("only %d POST routes", n)
	}
	if after := f.changes(t, f.a); after != before {
		t.Errorf("posts without a token changed things: %d → %d", before, after)
	}
}

// Recent calls refreshes itself on a timer; those requests are not the
// user, so a tab left open on it still ends its session when idle.
func TestAutoRefreshKeepsNobodyLoggedIn(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	page := c.Get(t, "/calls").Expect(http.StatusOK)
	if !page.Has(`[hx-trigger^="every"][hx-headers*="` + pages.AutoRefreshHeader + `"]`) {
		t.Fatalf("Recent calls' refresh does not say it is automatic:\n%s", page.Body)
	}
	refresh := func() *webtest.Page {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, f.Server.URL+"/calls", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("HX-Request", "true")
		req.Header.Set(pages.AutoRefreshHeader, "1")
		return c.Send(t, req)
	}
	for minutes := 5; minutes < 30; minutes += 5 {
		f.Clock.Advance(5 * time.Minute)
		refresh().Expect(http.StatusOK) // the refresh works while the session lives
	}
	f.Clock.Advance(6 * time.Minute) // 31 minutes since the user's last request
	if p := refresh(); p.Status == http.StatusOK {
		t.Fatalf("after 31 minutes of refreshes alone the session lives on: %s", p)
	}
	if p := c.Get(t, "/calls"); p.Status != http.StatusFound {
		t.Errorf("after 31 minutes of refreshes alone: %s, want the login page", p)
	}
}
