package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gatehouse/handlers"
	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/web"
	"gatehouse/web/webtest"
)

// copyFile copies the database file from to the new file to.
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// benchConsole is the console over a database of 100,000 groups in one
// account, each with 2 APIs (one deployed to RELEASE, one to TEST), with
// an admin logged in through the real login form: the
// session cookie and CSRF token a browser would hold.
type benchConsole struct {
	st      *store.Store
	h       http.Handler
	account string
	cookie  string // the Cookie header
	csrf    string
}

func newBenchConsole(b *testing.B, groups int) *benchConsole {
	b.Helper()
	ctx := context.Background()
	dbPath := filepath.Join(b.TempDir(), "bench.db")
	// GATEHOUSE_BENCH_DB names a database made as the load run makes its
	// own (`gatehouse demo --groups 100000 --account bench
	// --apis-per-group 2`): a copy of it is used instead of generating
	// one, so that a profile is taken on the load run's data in seconds.
	from := os.Getenv("GATEHOUSE_BENCH_DB")
	if from != "" {
		if err := copyFile(from, dbPath); err != nil {
			b.Fatal(err)
		}
	}
	st, err := store.OpenAndMigrate(ctx, dbPath)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if from == "" {
		if err := st.GenerateGroupsWithAPIs(ctx, groups, "bench", 2); err != nil {
			b.Fatal(err)
		}
	}
	const login, password = "bencher", "a-long-password-for-benchmarks"
	u, err := st.AddUser(ctx, "bench", login, rules.RoleAdmin, password)
	if err != nil {
		b.Fatal(err)
	}
	// The server logs one line a request, as `gatehouse serve` does; the
	// text goes nowhere.
	cfg := web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Handlers: handlers.DefaultConfig()}
	gw, gwServer, err := webtest.NewGateway(st, cfg.Handlers.Limits, time.Now)
	if err != nil {
		b.Fatal(err)
	}
	defer gwServer.Close()
	cfg.Gateway = gw
	e, err := web.New(ctx, cfg, st)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(e)
	defer srv.Close()
	jar, err := cookiejar.New(nil)
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	token := func(path string) string {
		resp, err := client.Get(srv.URL + path)
		if err != nil {
			b.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		m := csrfMeta.FindSubmatch(body)
		if m == nil {
			b.Fatalf("GET %s: no CSRF token (status %d)", path, resp.StatusCode)
		}
		return string(m[1])
	}
	resp, err := client.PostForm(srv.URL+"/login", url.Values{"login": {login}, "password": {password}, "_csrf": {token("/login")}})
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		b.Fatalf("login: status %d", resp.StatusCode)
	}
	c := &benchConsole{st: st, h: e, account: u.AccountID, csrf: token("/groups")}
	base, _ := url.Parse(srv.URL)
	var parts []string
	for _, ck := range jar.Cookies(base) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	c.cookie = strings.Join(parts, "; ")
	return c
}

// request is what a browser sends for a navigation, with the session.
func (c *benchConsole) request(method, path, body string) *http.Request {
	var r *http.Request
	if body == "" {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	r.Header.Set("Cookie", c.cookie)
	r.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
	r.Header.Set("Accept-Encoding", "gzip, br")
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	return r
}

// discardWriter is a ResponseWriter that keeps the status only.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

func (c *benchConsole) serve(b *testing.B, r *http.Request, want int) {
	w := &discardWriter{h: http.Header{}, code: http.StatusOK}
	c.h.ServeHTTP(w, r)
	if w.code != want {
		b.Fatalf("%s %s: status %d, want %d", r.Method, r.URL, w.code, want)
	}
}

// BenchmarkConsole serves the console's busiest requests in process, every
// middleware included (request id, log line, security headers, gzip, CSRF,
// session), as a logged-in browser asks for them, on 100,000 groups and
// 200,000 APIs: what
// the server spends on a request besides the network.
func BenchmarkConsole(b *testing.B) {
	c := newBenchConsole(b, 100_000)
	ctx := context.Background()
	page, err := c.st.ListGroups(ctx, c.account, store.GroupQuery{Limit: 50})
	if err != nil {
		b.Fatal(err)
	}
	shared, _ := rules.DefaultSharedInstanceID("cn-hangzhou")
	onShared, err := c.st.ListGroups(ctx, c.account, store.GroupQuery{InstanceID: shared, Limit: 50})
	if err != nil {
		b.Fatal(err)
	}
	var toggle string
	for _, g := range onShared.Items {
		if !g.VpcDomainEnabled {
			toggle = g.ID
			break
		}
	}
	for _, p := range []struct{ name, path string }{
		{"GroupsFirstPage", "/groups"},
		{"GroupsSearch", "/groups?q=pay"},
		{"GroupDetails", "/groups/" + page.Items[7].ID},
		{"APIsFirstPage", "/apis"},
		{"APIsSearch", "/apis?q=pay"},
	} {
		b.Run(p.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.serve(b, c.request(http.MethodGet, p.path, ""), http.StatusOK)
			}
		})
	}
	b.Run("EnableDisableVpcDomain", func(b *testing.B) {
		b.ReportAllocs()
		form := "_csrf=" + url.QueryEscape(c.csrf)
		i := 0
		for b.Loop() {
			action := "enable"
			if i%2 == 1 {
				action = "disable"
			}
			c.serve(b, c.request(http.MethodPost, "/groups/"+toggle+"/vpc-domain/"+action, form), http.StatusSeeOther)
			i++
		}
		if i%2 == 1 { // leave it as found
			c.serve(b, c.request(http.MethodPost, "/groups/"+toggle+"/vpc-domain/disable", form), http.StatusSeeOther)
		}
	})
}
