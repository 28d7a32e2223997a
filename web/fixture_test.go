package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/handlers"
	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/web"
)

// tenant is one account with look-alike resources: a VPC with a vSwitch, a
// dedicated instance bound to it, a group on it with its VPC domain, a
// custom domain and an access key, and an admin, an operator and a viewer.
type tenant struct {
	account                           rules.Account
	admin, operator, viewer, password string
	vpc, vsw, inst, group, domain     string
	unboundInst, key                  string
}

type fixture struct {
	st   *store.Store
	srv  *httptest.Server
	a, b tenant
}

func newFixture(t *testing.T, tune func(*handlers.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "web.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cfg := web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Handlers: handlers.DefaultConfig()}
	if tune != nil {
		tune(&cfg.Handlers)
	}
	e, err := web.New(ctx, cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	f := &fixture{st: st, srv: srv}
	f.a = makeTenant(t, st, "alpha", "10.1.0.0/16")
	f.b = makeTenant(t, st, "bravo", "10.1.0.0/16")
	return f
}

func makeTenant(t *testing.T, st *store.Store, name, cidr string) tenant {
	t.Helper()
	ctx := context.Background()
	tn := tenant{admin: name + "-admin", operator: name + "-op", viewer: name + "-viewer", password: "a-long-password-" + name}
	for login, role := range map[string]rules.Role{tn.admin: rules.RoleAdmin, tn.operator: rules.RoleOperator, tn.viewer: rules.RoleViewer} {
		if _, err := st.AddUser(ctx, name, login, role, tn.password); err != nil {
			t.Fatal(err)
		}
	}
	acct, err := st.AccountByName(ctx, name)
	if err != nil {
		t.Fatal(err)
	}
	tn.account = acct
	a := store.Actor{AccountID: acct.ID, Name: "fixture", Source: rules.SourceConsole}
	vpc, err := st.CreateVpc(ctx, a, rules.VpcInput{Name: "main", RegionID: "cn-hangzhou", CIDR: cidr})
	if err != nil {
		t.Fatal(err)
	}
	vsw, err := st.CreateVSwitch(ctx, a, rules.VSwitchInput{VpcID: vpc.ID, ZoneID: "cn-hangzhou-g", Name: "sw", CIDR: strings.Replace(cidr, "/16", "/24", 1)})
	if err != nil {
		t.Fatal(err)
	}
	inst, err := st.CreateInstance(ctx, a, rules.InstanceInput{Name: "gw", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: rules.DefaultHTTPSPolicy})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.BindVpc(ctx, a, inst.ID, vpc.ID, vsw.ID); err != nil {
		t.Fatal(err)
	}
	unbound, err := st.CreateInstance(ctx, a, rules.InstanceInput{Name: "spare", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: rules.DefaultHTTPSPolicy})
	if err != nil {
		t.Fatal(err)
	}
	g, err := st.CreateGroup(ctx, a, rules.GroupInput{Name: "orders", RegionID: "cn-hangzhou", InstanceID: inst.ID})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.EnableVpcDomain(ctx, a, g.ID); err != nil {
		t.Fatal(err)
	}
	d, err := st.BindDomain(ctx, a, g.ID, rules.DomainInput{Name: "api." + name + ".example.com", NetworkType: rules.NetworkInternet})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := st.CreateAccessKey(ctx, a, tn.admin)
	if err != nil {
		t.Fatal(err)
	}
	tn.vpc, tn.vsw, tn.inst, tn.unboundInst, tn.group, tn.domain, tn.key = vpc.ID, vsw.ID, inst.ID, unbound.ID, g.ID, d.Name, key.ID
	return tn
}

// changes counts the successful changes of an account: every mutation
// writes exactly one op-log row with outcome ok in its transaction.
func (f *fixture) changes(t *testing.T, tn tenant) int {
	t.Helper()
	n := 0
	var before store.OpLogCursor
	for {
		entries, next, err := f.st.ListOpLog(context.Background(), tn.account.ID, store.OpLogQuery{Limit: 200, Before: before})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if e.Outcome == "ok" && e.Action != "Login" && e.Action != "Logout" {
				n++
			}
		}
		if next.IsZero() {
			return n
		}
		before = next
	}
}

// client is a browser stand-in: a cookie jar and the page's CSRF token.
type client struct {
	t    *testing.T
	http *http.Client
	base string
	csrf string
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

func (f *fixture) anonymous(t *testing.T) *client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &client{t: t, base: f.srv.URL, http: &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	c.refreshCSRF()
	return c
}

// login returns a client logged in as login.
func (f *fixture) login(t *testing.T, login, password string) *client {
	t.Helper()
	c := f.anonymous(t)
	resp, body := c.post("/login", url.Values{"login": {login}, "password": {password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login %s: status %d\n%s", login, resp.StatusCode, body)
	}
	c.refreshCSRF()
	return c
}

// refreshCSRF reads the token a page offers (the login page for anyone).
func (c *client) refreshCSRF() {
	c.t.Helper()
	_, body := c.get("/login")
	m := csrfMeta.FindStringSubmatch(body)
	if m == nil {
		c.t.Fatalf("no CSRF token on the login page:\n%s", body)
	}
	c.csrf = m[1]
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form with the client's CSRF token, as the console's forms do.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if c.csrf != "" && f.Get("_csrf") == "" {
		f.Set("_csrf", c.csrf)
	}
	return c.postRaw(path, f, nil)
}

func (c *client) postRaw(path string, form url.Values, header http.Header) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return c.do(req)
}
