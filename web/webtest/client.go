package webtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Mode is how the browser stand-in asks: as a browser without JavaScript,
// or as htmx does.
type Mode int

const (
	// NoJS is a browser with JavaScript off: links load pages, forms post
	// and follow a 303.
	NoJS Mode = iota
	// Fragment is htmx asking for a fragment (HX-Request: true): a dialog
	// or a field to swap in, without the layout.
	Fragment
	// Boosted is htmx loading a whole page (hx-boost, or HX-Location after
	// a change): HX-Request and HX-Boosted.
	Boosted
)

func (m Mode) String() string {
	return [...]string{"no-js", "htmx-fragment", "htmx-boosted"}[m]
}

// Client is a browser stand-in: a cookie jar (the session and CSRF
// cookies), the CSRF token the pages carry, and no redirect following, so
// a test sees each 303. Clients hold no *testing.T: each call takes the
// test it reports to, so one logged-in client can serve many tests (clone
// it for a test that reads flashes, which live in the cookie).
type Client struct {
	base string
	http *http.Client
	// CSRF is the token the console's pages carry for this client.
	CSRF string
	// Log, when set, records every answer (see AnswerLog).
	Log *AnswerLog
}

// Anonymous is a visitor who has not logged in, holding the login page's
// CSRF token.
func (c *Console) Anonymous(t testing.TB) *Client {
	t.Helper()
	cl := &Client{base: c.Server.URL, http: newHTTPClient(t)}
	cl.RefreshCSRF(t)
	return cl
}

// Login is a visitor logged in as login, holding a fresh CSRF token.
func (c *Console) Login(t testing.TB, login, password string) *Client {
	t.Helper()
	cl := c.Anonymous(t)
	p := cl.Post(t, "/login", url.Values{"login": {login}, "password": {password}})
	if p.Status != http.StatusSeeOther {
		t.Fatalf("log in as %s: status %d\n%s", login, p.Status, p.excerpt())
	}
	cl.RefreshCSRF(t)
	return cl
}

func newHTTPClient(t testing.TB) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{
		Jar:           jar,
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// Clone is a second browser tab with a cookie jar of its own holding the
// same session: it shares the login (the session lives on the server) but
// not the flash messages, which travel in the cookie.
func (cl *Client) Clone(t testing.TB) *Client {
	t.Helper()
	u, err := url.Parse(cl.base)
	if err != nil {
		t.Fatal(err)
	}
	cp := &Client{base: cl.base, http: newHTTPClient(t), CSRF: cl.CSRF, Log: cl.Log}
	cp.http.Jar.SetCookies(u, cl.http.Jar.Cookies(u))
	return cp
}

// Cookies are the cookies the client holds for the console.
func (cl *Client) Cookies(t testing.TB) []*http.Cookie {
	t.Helper()
	u, err := url.Parse(cl.base)
	if err != nil {
		t.Fatal(err)
	}
	return cl.http.Jar.Cookies(u)
}

// SetCookies puts cookies (another client's, say) into the client's jar.
func (cl *Client) SetCookies(t testing.TB, cookies []*http.Cookie) {
	t.Helper()
	u, err := url.Parse(cl.base)
	if err != nil {
		t.Fatal(err)
	}
	cl.http.Jar.SetCookies(u, cookies)
}

// RefreshCSRF reads the token the login page offers (to anyone).
func (cl *Client) RefreshCSRF(t testing.TB) {
	t.Helper()
	p := cl.Get(t, "/login")
	token, ok := p.Doc().Find(`meta[name="csrf-token"]`).Attr("content")
	if !ok || token == "" {
		t.Fatalf("no CSRF token on the login page (status %d)\n%s", p.Status, p.excerpt())
	}
	cl.CSRF = token
}

// Get loads a page as a browser without JavaScript.
func (cl *Client) Get(t testing.TB, path string) *Page {
	t.Helper()
	return cl.GetAs(t, NoJS, path)
}

// GetAs loads path the way mode asks for it.
func (cl *Client) GetAs(t testing.TB, mode Mode, path string) *Page {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, cl.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	setMode(req.Header, mode, "")
	return cl.Send(t, req)
}

// Post submits a form as a browser without JavaScript, with the client's
// CSRF token in the form as the console's forms carry it.
func (cl *Client) Post(t testing.TB, path string, form url.Values) *Page {
	t.Helper()
	return cl.PostAs(t, NoJS, path, form)
}

// PostAs submits a form the way mode does: htmx also sends the token in
// the X-CSRF-Token header.
func (cl *Client) PostAs(t testing.TB, mode Mode, path string, form url.Values) *Page {
	t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if cl.CSRF != "" && f.Get("_csrf") == "" {
		f.Set("_csrf", cl.CSRF)
	}
	h := http.Header{}
	setMode(h, mode, cl.CSRF)
	return cl.PostRaw(t, path, f, h)
}

// PostRaw submits form exactly as given (no token added), with header.
func (cl *Client) PostRaw(t testing.TB, path string, form url.Values, header http.Header) *Page {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, cl.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return cl.Send(t, req)
}

func setMode(h http.Header, mode Mode, token string) {
	switch mode {
	case Fragment:
		h.Set("HX-Request", "true")
	case Boosted:
		h.Set("HX-Request", "true")
		h.Set("HX-Boosted", "true")
	}
	if mode != NoJS && token != "" {
		h.Set("X-CSRF-Token", token)
	}
}

// Send sends a request built by the test and reads the whole answer.
func (cl *Client) Send(t testing.TB, req *http.Request) *Page {
	t.Helper()
	resp, err := cl.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	p := &Page{t: t, Method: req.Method, Path: req.URL.RequestURI(), Status: resp.StatusCode, Header: resp.Header,
		Body: string(b), Route: resp.Header.Get(RouteHeader)}
	if cl.Log != nil {
		cl.Log.add(p)
	}
	return p
}

// Follow goes where an answer sends the browser: a redirect's Location as
// a page without JavaScript, or an htmx HX-Location (or HX-Redirect) as
// the boosted page load htmx makes of it.
func (cl *Client) Follow(t testing.TB, p *Page) *Page {
	t.Helper()
	if loc := p.HXLocation(); loc != "" {
		return cl.GetAs(t, Boosted, loc)
	}
	if loc := p.Header.Get("HX-Redirect"); loc != "" {
		return cl.Get(t, loc)
	}
	loc := p.Header.Get("Location")
	if loc == "" {
		t.Fatalf("%s %s: status %d leads nowhere (no Location)\n%s", p.Method, p.Path, p.Status, p.excerpt())
	}
	return cl.Get(t, loc)
}

// HXLocation is the path of an htmx HX-Location answer, "" if none.
func (p *Page) HXLocation() string {
	raw := p.Header.Get("HX-Location")
	if raw == "" {
		return ""
	}
	var loc struct {
		Path string `json:"path"`
	}
	if err := json.Unmarshal([]byte(raw), &loc); err != nil || loc.Path == "" {
		if strings.HasPrefix(raw, "/") {
			return raw
		}
		p.t.Errorf("%s %s: HX-Location %q is not a path or {\"path\": …}", p.Method, p.Path, raw)
		return ""
	}
	return loc.Path
}

// Answer is what AnswerLog keeps of one answer.
type Answer struct {
	Route  string // as Echo matched it: "POST /groups/:id/move"
	Status int
}

// AnswerLog records the answers of the clients that share it, so that a
// test can show which routes it drove and what they answered.
type AnswerLog struct {
	mu      sync.Mutex
	answers []Answer
}

func (l *AnswerLog) add(p *Page) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.answers = append(l.answers, Answer{Route: p.Route, Status: p.Status})
}

// Answers returns the recorded answers, oldest first.
func (l *AnswerLog) Answers() []Answer {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Answer(nil), l.answers...)
}
