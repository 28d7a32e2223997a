package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/handlers"
	"gatehouse/store"
	"gatehouse/web"
)

// consoleRoutes lists every route of the console as Echo knows it, so a
// route added later is covered by these tests without anyone remembering.
func consoleRoutes(t *testing.T) []struct{ Method, Path string } {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "routes.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, err := web.New(ctx, web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Handlers: handlers.DefaultConfig()}, st)
	if err != nil {
		t.Fatal(err)
	}
	var out []struct{ Method, Path string }
	for _, r := range e.Routes() {
		if r.Method == "echo_route_not_found" || strings.HasPrefix(r.Path, "/static") {
			continue
		}
		out = append(out, struct{ Method, Path string }{r.Method, r.Path})
	}
	if len(out) < 20 {
		t.Fatalf("only %d routes found", len(out))
	}
	return out
}

var paramRE = regexp.MustCompile(`:(\w+)`)

// fill puts a tenant's ids into a route's parameters. A parameter this test
// does not know fails it: a new kind of resource needs its isolation case.
func fill(t *testing.T, path string, tn tenant) string {
	t.Helper()
	return paramRE.ReplaceAllStringFunc(path, func(p string) string {
		switch {
		case p == ":vsw":
			return tn.vsw
		case p == ":name":
			return tn.domain
		case p == ":login":
			return tn.operator
		case p == ":stage":
			return "RELEASE" // the tenant's API is deployed there
		case p == ":id" && strings.HasPrefix(path, "/groups/"):
			return tn.group
		case p == ":id" && strings.HasPrefix(path, "/instances/"):
			return tn.inst
		case p == ":id" && strings.HasPrefix(path, "/vpcs/"):
			return tn.vpc
		case p == ":id" && strings.HasPrefix(path, "/accesskeys/"):
			return tn.key
		case p == ":id" && strings.HasPrefix(path, "/apis/"):
			return tn.api
		}
		t.Errorf("route %s: parameter %s has no tenant-isolation case in this test; add one", path, p)
		return "x"
	})
}

// plausibleForm is what a form of the route would carry, with the caller's
// own ids, so that only the path's id decides the answer.
func plausibleForm(tn tenant) url.Values {
	return url.Values{
		"name": {"lookalike"}, "description": {"d"}, "region": {"cn-hangzhou"}, "zone": {"cn-hangzhou-g"},
		"cidr": {"10.9.0.0/24"}, "instance": {tn.unboundInst}, "vpc": {tn.vpc}, "vswitch": {tn.vsw},
		"domain": {"x." + tn.account.Name + ".example.com"}, "network_type": {"INTERNET"},
		"acknowledge": {"on"}, "confirm": {"on"}, "role": {"viewer"}, "user": {tn.admin},
		"spec": {"api.s1.small"}, "https_policy": {"HTTPS2_TLS1_0"},
		"group": {tn.group}, "method": {"GET"}, "path": {"/lookalike"}, "protocols": {"HTTP"}, "backend": {"MOCK"},
		"mock_status": {"200"}, "mock_body": {"{}"}, "stage": {"TEST"},
	}
}

// Every route that names a resource answers 404 when the resource is
// another account's, and nothing changes in either account.
func TestOtherAccountsResourcesAreAbsent(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.admin, f.a.password)
	beforeA, beforeB := f.changes(t, f.a), f.changes(t, f.b)
	checked := 0
	for _, r := range consoleRoutes(t) {
		if !strings.Contains(r.Path, ":") {
			continue
		}
		path := fill(t, r.Path, f.b)
		var resp *http.Response
		var body string
		if r.Method == http.MethodPost {
			resp, body = c.post(path, plausibleForm(f.a))
		} else {
			resp, body = c.get(path)
		}
		checked++
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("%s %s with the other account's id: status %d, want 404\n%.300s", r.Method, path, resp.StatusCode, body)
		}
		if strings.Contains(body, f.b.account.ID) {
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
	c := f.login(t, f.a.admin, f.a.password)
	for _, r := range consoleRoutes(t) {
		if r.Method != http.MethodGet || !strings.Contains(r.Path, ":") {
			continue
		}
		// 409: a dialog that states up front why its change is refused
		// (unbinding while groups use the VPC domain).
		path := fill(t, r.Path, f.a)
		if resp, body := c.get(path); resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusConflict {
			t.Errorf("GET %s with the account's own id: status %d\n%.300s", path, resp.StatusCode, body)
		}
	}
}

// Ids of another account inside form fields are refused as absent too.
func TestOtherAccountsIDsInFormsAreAbsent(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.operator, f.a.password)
	beforeA, beforeB := f.changes(t, f.a), f.changes(t, f.b)
	cases := []struct {
		path string
		form url.Values
	}{
		{"/groups", url.Values{"name": {"stolen_group"}, "region": {"cn-hangzhou"}, "instance": {f.b.inst}}},
		{"/instances/" + f.a.unboundInst + "/bind", url.Values{"vpc": {f.b.vpc}, "vswitch": {f.b.vsw}}},
		{"/instances/" + f.a.unboundInst + "/bind", url.Values{"vpc": {f.a.vpc}, "vswitch": {f.b.vsw}}},
		{"/apis", url.Values{"group": {f.b.group}, "name": {"stolen_api"}, "method": {"GET"}, "path": {"/stolen"}, "protocols": {"HTTP"},
			"backend": {"MOCK"}, "mock_status": {"200"}}},
	}
	for _, tc := range cases {
		resp, body := c.post(tc.path, tc.form)
		if resp.StatusCode != http.StatusNotFound && resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("POST %s %v: status %d, want 404 or 422\n%.300s", tc.path, tc.form, resp.StatusCode, body)
		}
	}
	if a, b := f.changes(t, f.a), f.changes(t, f.b); a != beforeA || b != beforeB {
		t.Errorf("changes: account A %d → %d, account B %d → %d; want none", beforeA, a, beforeB, b)
	}
}

var mutatingGET = regexp.MustCompile(`/(new|edit|enable|disable|move|bind|unbind|delete|remove|deploy|abolish)$|^/users/:login/password$`)

// ownPassword is the one change every role may make: their own password
// (TestPasswordChangeEndsOtherSessions).
const ownPassword = "/password"

// A viewer gets 403 from every mutating route and every dialog that leads
// to one, and nothing changes.
func TestViewerCannotChangeAnything(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.viewer, f.a.password)
	before := f.changes(t, f.a)
	for _, r := range consoleRoutes(t) {
		path := fill(t, r.Path, f.a)
		switch {
		case r.Method == http.MethodPost && path != "/login" && path != "/logout" && path != ownPassword:
			if resp, _ := c.post(path, plausibleForm(f.a)); resp.StatusCode != http.StatusForbidden {
				t.Errorf("viewer POST %s: status %d, want 403", path, resp.StatusCode)
			}
		case r.Method == http.MethodGet && mutatingGET.MatchString(r.Path):
			if resp, _ := c.get(path); resp.StatusCode != http.StatusForbidden {
				t.Errorf("viewer GET %s: status %d, want 403", path, resp.StatusCode)
			}
		}
	}
	if after := f.changes(t, f.a); after != before {
		t.Errorf("a viewer changed things: %d → %d", before, after)
	}
}

var postForm = regexp.MustCompile(`(?i)<form[^>]*method="post"[^>]*action="([^"]+)"`)
var dialogLink = regexp.MustCompile(`href="(/[^"]*/(?:new|edit|enable|disable|move|bind|unbind|delete|remove|deploy|abolish))(?:\?[^"]*)?"`)

// A viewer's pages carry no control that changes anything: no form posts
// (but logging out and changing their own password) and no links to a
// change's dialog.
func TestViewerSeesNoMutatingControls(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.viewer, f.a.password)
	for _, r := range consoleRoutes(t) {
		if r.Method != http.MethodGet || mutatingGET.MatchString(r.Path) || r.Path == "/login" || r.Path == "/healthz" {
			continue
		}
		path := fill(t, r.Path, f.a)
		resp, body := c.get(path)
		if resp.StatusCode != http.StatusOK {
			continue // admin-only pages answer 403, tested elsewhere
		}
		for _, m := range postForm.FindAllStringSubmatch(body, -1) {
			if m[1] != "/logout" && m[1] != ownPassword {
				t.Errorf("viewer page %s has a form posting to %s", path, m[1])
			}
		}
		for _, m := range dialogLink.FindAllStringSubmatch(body, -1) {
			t.Errorf("viewer page %s links to the change dialog %s", path, m[1])
		}
	}
}

// A POST without the CSRF token, or with another session's, is refused with
// 403 and changes nothing; the same POST with the right token in the htmx
// header goes through.
func TestCSRFProtectsEveryChange(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.operator, f.a.password)
	other := f.login(t, f.a.admin, f.a.password)
	before := f.changes(t, f.a)
	form := url.Values{"name": {"csrf_vpc"}, "region": {"cn-hangzhou"}, "cidr": {"192.168.0.0/16"}}

	resp, body := c.postRaw("/vpcs", form, nil)
	if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
		t.Errorf("no token: status %d, want 403 with an explanation\n%.300s", resp.StatusCode, body)
	}
	withOther := url.Values{"_csrf": {other.csrf}}
	for k, v := range form {
		withOther[k] = v
	}
	if resp, _ := c.postRaw("/vpcs", withOther, nil); resp.StatusCode != http.StatusForbidden {
		t.Errorf("another session's token: status %d, want 403", resp.StatusCode)
	}
	if after := f.changes(t, f.a); after != before {
		t.Fatalf("refused posts changed things: %d → %d", before, after)
	}
	resp, body = c.postRaw("/vpcs", form, http.Header{"X-Csrf-Token": {c.csrf}, "Hx-Request": {"true"}})
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusSeeOther {
		t.Errorf("right token in the header: status %d\n%.300s", resp.StatusCode, body)
	}
	if after := f.changes(t, f.a); after != before+1 {
		t.Errorf("the accepted post made %d changes, want 1", after-before)
	}
}

// Pages, fragments and error answers all carry the security headers.
func TestSecurityHeadersEverywhere(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.admin, f.a.password)
	fragment, err := http.NewRequest(http.MethodGet, f.srv.URL+"/groups/new/instances?region=cn-hangzhou", nil)
	if err != nil {
		t.Fatal(err)
	}
	fragment.Header.Set("HX-Request", "true")
	answers := map[string]*http.Response{}
	answers["page"], _ = c.get("/groups")
	answers["fragment"], _ = c.do(fragment)
	answers["not found"], _ = c.get("/groups/" + f.b.group)
	answers["login"], _ = f.anonymous(t).get("/login")
	answers["forbidden"], _ = f.login(t, f.a.viewer, f.a.password).get("/vpcs/new")
	answers["csrf refusal"], _ = c.postRaw("/vpcs", url.Values{}, nil)
	for name, resp := range answers {
		h := resp.Header
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s (%d): CSP %q lacks %q", name, resp.StatusCode, csp, want)
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
		c := f.anonymous(t)
		resp, _ := c.post("/login", url.Values{"login": {f.a.admin}, "password": {f.a.password}})
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
	c := f.login(t, f.a.admin, f.a.password)
	u, _ := url.Parse(f.srv.URL)
	cookies := c.http.Jar.Cookies(u)
	if resp, _ := c.get("/oplog"); resp.StatusCode != http.StatusOK {
		t.Fatalf("logged in: status %d", resp.StatusCode)
	}
	if resp, _ := c.post("/logout", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("logout: status %d", resp.StatusCode)
	}
	thief := f.anonymous(t)
	thief.http.Jar.SetCookies(u, cookies)
	resp, _ := thief.get("/groups")
	if resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("old cookie after logout: status %d to %q, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// Logging in again in the same browser ends the session it had: a copy of
// the first session's cookie no longer opens the console.
func TestLoginEndsThePreviousSession(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.admin, f.a.password)
	u, _ := url.Parse(f.srv.URL)
	first := c.http.Jar.Cookies(u)
	if resp, _ := c.post("/login", url.Values{"login": {f.a.admin}, "password": {f.a.password}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("second login: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/oplog"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the new session does not work: %d", resp.StatusCode)
	}
	copyOfFirst := f.anonymous(t)
	copyOfFirst.http.Jar.SetCookies(u, first)
	if resp, _ := copyOfFirst.get("/oplog"); resp.StatusCode != http.StatusFound {
		t.Errorf("the first session's cookie after a new login: status %d, want the login page", resp.StatusCode)
	}
}

// A session unused for the idle time ends on the server, whatever the
// cookie says.
func TestIdleSessionEnds(t *testing.T) {
	// The cookie counts whole seconds: two seconds of idle time, then three
	// without a request.
	f := newFixture(t, func(c *handlers.Config) { c.IdleTimeout = 2 * time.Second })
	c := f.login(t, f.a.admin, f.a.password)
	if resp, _ := c.get("/oplog"); resp.StatusCode != http.StatusOK {
		t.Fatalf("fresh session: %d", resp.StatusCode)
	}
	time.Sleep(3 * time.Second)
	if resp, _ := c.get("/oplog"); resp.StatusCode != http.StatusFound || !strings.HasPrefix(resp.Header.Get("Location"), "/login") {
		t.Errorf("after the idle time: status %d to %q, want the login page", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// X-Forwarded-For from the client does not give it a fresh address to
// guess passwords from: the per-address limit holds.
func TestForwardedForDoesNotEscapeTheAddressLimit(t *testing.T) {
	f := newFixture(t, func(c *handlers.Config) { c.LoginBurst = 3; c.LoginEvery = time.Hour })
	c := f.anonymous(t)
	var last int
	for i := 0; i < 5; i++ {
		resp, _ := c.postRaw("/login", url.Values{"_csrf": {c.csrf}, "login": {fmt.Sprintf("nobody%d", i)}, "password": {"x-password-123"}},
			http.Header{"X-Forwarded-For": {fmt.Sprintf("10.0.0.%d", i)}, "X-Real-Ip": {fmt.Sprintf("10.0.1.%d", i)}})
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("after 5 attempts from one connection with forged addresses: status %d, want 429", last)
	}
}

// A request body beyond what any console form needs is refused before it
// is read.
func TestOversizedBodyIsRefused(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.operator, f.a.password)
	big := url.Values{"name": {strings.Repeat("x", 300<<10)}, "_csrf": {c.csrf}}
	if resp, _ := c.postRaw("/vpcs", big, nil); resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a 300 KiB form: status %d, want 413", resp.StatusCode)
	}
}

// Ten wrong passwords in a row throttle the user name, even for the right
// password; once the lockout passes, the right one works. The answer never
// says whether the name exists.
func TestLoginThrottle(t *testing.T) {
	f := newFixture(t, func(c *handlers.Config) { c.LoginLockout = 700 * time.Millisecond })
	c := f.anonymous(t)
	for i := 0; i < 10; i++ {
		resp, body := c.post("/login", url.Values{"login": {f.a.admin}, "password": {"wrong-password-123"}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "Wrong user name or password.") {
			t.Fatalf("attempt %d: status %d", i+1, resp.StatusCode)
		}
	}
	_, unknown := c.post("/login", url.Values{"login": {"nobody-here"}, "password": {"wrong-password-123"}})
	if !strings.Contains(unknown, "Wrong user name or password.") {
		t.Errorf("an unknown name is answered differently")
	}
	resp, body := c.post("/login", url.Values{"login": {f.a.admin}, "password": {f.a.password}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
		t.Fatalf("right password while throttled: status %d, want 429", resp.StatusCode)
	}
	time.Sleep(800 * time.Millisecond)
	if resp, _ := c.post("/login", url.Values{"login": {f.a.admin}, "password": {f.a.password}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("right password after the lockout: status %d, want 303", resp.StatusCode)
	}
	entries, _, err := f.st.ListOpLog(context.Background(), f.a.account.ID, store.OpLogQuery{Action: "LoginFailed"})
	if err != nil || len(entries) != 10 {
		t.Errorf("failed logins in the operation log: %d (%v), want 10", len(entries), err)
	}
}

// Anonymous visitors are sent to the login page, keeping where they wanted
// to go; a next parameter leading elsewhere is ignored.
func TestAnonymousGoesToLogin(t *testing.T) {
	f := newFixture(t, nil)
	c := f.anonymous(t)
	resp, _ := c.get("/vpcs")
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/login?next=%2Fvpcs" {
		t.Errorf("GET /vpcs anonymous: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	resp, _ = c.post("/login", url.Values{"login": {f.a.admin}, "password": {f.a.password}, "next": {"//evil.example/"}})
	if loc := resp.Header.Get("Location"); loc != "/" {
		t.Errorf("next=//evil.example/ redirected to %q, want /", loc)
	}
}

// A browser's Sec-Fetch-Site: same-origin does not stand in for the token,
// and a cross-site change is refused even with one.
func TestFetchMetadataDoesNotReplaceTheToken(t *testing.T) {
	f := newFixture(t, nil)
	c := f.login(t, f.a.operator, f.a.password)
	before := f.changes(t, f.a)
	form := url.Values{"name": {"fm_vpc"}, "region": {"cn-hangzhou"}, "cidr": {"192.168.0.0/16"}}
	if resp, _ := c.postRaw("/vpcs", form, http.Header{"Sec-Fetch-Site": {"same-origin"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("same-origin POST without a token: status %d, want 403", resp.StatusCode)
	}
	form.Set("_csrf", c.csrf)
	if resp, _ := c.postRaw("/vpcs", form, http.Header{"Sec-Fetch-Site": {"cross-site"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST with a token: status %d, want 403", resp.StatusCode)
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
	c := f.login(t, f.a.admin, f.a.password)
	before := f.changes(t, f.a)
	n := 0
	for _, r := range consoleRoutes(t) {
		if r.Method != http.MethodPost {
			continue
		}
		n++
		path := fill(t, r.Path, f.a)
		resp, body := c.postRaw(path, plausibleForm(f.a), nil)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "CSRF") {
			t.Errorf("POST %s without a token: status %d, want 403 naming the CSRF token", path, resp.StatusCode)
		}
	}
	if n < 20 {
		t.Errorf("only %d POST routes", n)
	}
	if after := f.changes(t, f.a); after != before {
		t.Errorf("posts without a token changed things: %d → %d", before, after)
	}
}
