//go:build e2e

package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// expect's assertions wait up to 10 s: a passing one returns as soon as it
// holds, and a loaded CI machine (Argon2id logins, two cores) once needed
// more than 5 s for a login's redirect.
var expect = playwright.NewPlaywrightAssertions(10000)

// pageOpts chooses how the browser context looks: theme, width, JavaScript.
type pageOpts struct {
	Dark    bool
	Width   int
	NoJS    bool
	Context playwright.BrowserContext // reuse a context (its cookies) when set
	// BypassCSP lets the tests inject axe-core; the console's own pages are
	// otherwise held to its Content-Security-Policy.
	BypassCSP bool
}

// browserPage opens a page in a fresh context. Every JavaScript error and
// every console error (a Content-Security-Policy violation is one) fails the
// test when it ends.
func browserPage(t *testing.T, o pageOpts) playwright.Page {
	t.Helper()
	page := unwatchedPage(t, o)
	w := watch(t, page)
	t.Cleanup(func() {
		for _, p := range w.take() {
			t.Errorf("%s", p)
		}
	})
	return page
}

// unwatchedPage opens a page in a fresh context (or o.Context), closed
// when the test ends; browserPage watches it.
func unwatchedPage(t *testing.T, o pageOpts) playwright.Page {
	t.Helper()
	ctx := o.Context
	if ctx == nil {
		w := o.Width
		if w == 0 {
			w = 1280
		}
		scheme := playwright.ColorSchemeLight
		if o.Dark {
			scheme = playwright.ColorSchemeDark
		}
		var err error
		ctx, err = env.browser.NewContext(playwright.BrowserNewContextOptions{
			BaseURL:           playwright.String(env.baseURL),
			Viewport:          &playwright.Size{Width: w, Height: 900},
			ColorScheme:       scheme,
			JavaScriptEnabled: playwright.Bool(!o.NoJS),
			BypassCSP:         playwright.Bool(o.BypassCSP),
		})
		if err != nil {
			t.Fatalf("new browser context: %v", err)
		}
		t.Cleanup(func() { ctx.Close() })
	}
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatalf("new page: %v", err)
	}
	t.Cleanup(func() { page.Close() })
	return page
}

// pageWatch collects what a page reports that is a defect: a JavaScript
// error, a console error, a Content-Security-Policy violation.
type pageWatch struct {
	mu       sync.Mutex
	problems []string
	// selfTest marks the watcher's own test, whose violations are made on
	// purpose and are not the run's.
	selfTest atomic.Bool
}

// The whole run's tally, which TestMain prints and fails on.
var tally struct {
	consoleErrors, cspViolations atomic.Int64
}

// watch listens to a page. A CSP violation is reported by the browser as a
// console error; the page's own securitypolicyviolation event says which
// directive and what was blocked, so it is reported too. The listener is
// injected by Playwright, outside the page's CSP.
func watch(t *testing.T, page playwright.Page) *pageWatch {
	t.Helper()
	if err := page.AddInitScript(playwright.Script{Content: playwright.String(cspListener)}); err != nil {
		t.Fatalf("add CSP listener: %v", err)
	}
	w := &pageWatch{}
	page.On("pageerror", func(err error) {
		if !w.selfTest.Load() {
			tally.consoleErrors.Add(1)
		}
		w.add("page error: " + err.Error())
	})
	page.On("console", func(m playwright.ConsoleMessage) {
		text := m.Text()
		csp := strings.Contains(text, "Content Security Policy") || strings.Contains(text, "CSP violation")
		if m.Type() != "error" && !csp {
			return
		}
		// A 4xx answer to a form is expected behaviour, not a page defect.
		if strings.Contains(text, "Failed to load resource") && !strings.Contains(text, "status of 5") {
			return
		}
		// The browser reports each violation itself (counted here, with
		// JavaScript on or off); the listener's line names it in detail.
		switch {
		case w.selfTest.Load(), strings.HasPrefix(text, "CSP violation"):
		case csp:
			tally.cspViolations.Add(1)
		default:
			tally.consoleErrors.Add(1)
		}
		w.add("console error: " + text)
	})
	return w
}

func (w *pageWatch) add(p string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.problems = append(w.problems, p)
}

// take returns what was reported so far and forgets it.
func (w *pageWatch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.problems
	w.problems = nil
	return out
}

// cspListener turns every CSP violation into a console error naming it.
const cspListener = `document.addEventListener("securitypolicyviolation", function (e) {
	console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline") +
		" in " + e.sourceFile + ":" + e.lineNumber + (e.sample ? " (" + e.sample + ")" : ""));
});`

// open navigates and fails the test on an error status.
func open(t *testing.T, page playwright.Page, path string) {
	t.Helper()
	resp, err := page.Goto(path)
	if err != nil {
		t.Fatalf("goto %s: %v", path, err)
	}
	if resp != nil && resp.Status() >= 400 {
		t.Fatalf("goto %s: status %d", path, resp.Status())
	}
}

// shot saves a full-page screenshot under e2e/screenshots (git-ignored).
func shot(t *testing.T, page playwright.Page, name string) {
	t.Helper()
	shotTo(t, page, filepath.Join(env.shotsDir, name+".png"))
}

// shotTo saves a full-page screenshot to path. A modal dialog's backdrop is
// as large as the viewport, so a full-page shot of a longer page would dim
// one screen of it only: while a modal is open, the viewport is stretched
// to the whole page for the shot. Caret "initial": hiding the caret would
// inject a style element, which the console's CSP refuses, reported as a
// console error.
func shotTo(t *testing.T, page playwright.Page, path string) {
	t.Helper()
	if size := page.ViewportSize(); size != nil {
		// Without JavaScript in the page there is no modal (and no evaluate).
		if h, err := page.Evaluate(`() => document.querySelector("dialog[open]") ? Math.ceil(document.documentElement.scrollHeight) : 0`); err == nil {
			if full, ok := h.(int); ok && full > size.Height {
				must(t, page.SetViewportSize(size.Width, full))
				defer func() { must(t, page.SetViewportSize(size.Width, size.Height)) }()
			}
		}
	}
	if _, err := page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(path), FullPage: playwright.Bool(true),
		Caret: playwright.ScreenshotCaretInitial}); err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
}

// must fails the test on an error from a Playwright call or assertion.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// account is a tenant made for one test, with one user of the given role, so
// tests never see each other's data.
type account struct {
	Name, Login, Password string
}

var accountSeq struct {
	sync.Mutex
	n int
}

// newAccount creates an account and a user in it through the command line
// (`gatehouse user add`), as an operator of Gatehouse would.
func newAccount(t *testing.T, role string) account {
	t.Helper()
	accountSeq.Lock()
	accountSeq.n++
	n := accountSeq.n
	accountSeq.Unlock()
	slug := strings.ToLower(strings.NewReplacer("/", "-", "_", "-").Replace(t.Name()))
	if len(slug) > 40 {
		slug = slug[:40]
	}
	a := account{
		Name:     fmt.Sprintf("t%d-%s", n, slug),
		Login:    fmt.Sprintf("u%d-%s", n, role),
		Password: fmt.Sprintf("pw-%d-correct-horse-battery", n),
	}
	a.Name = strings.TrimRight(a.Name, "-")
	addUser(t, a.Name, a.Login, role, a.Password)
	return a
}

// addUser runs `gatehouse user add` against the test server's database.
func addUser(t *testing.T, accountName, login, role, password string) {
	t.Helper()
	cmd := exec.Command(env.bin, "user", "add", "--db", env.db, "--account", accountName, "--name", login, "--role", role)
	cmd.Stdin = strings.NewReader(password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gatehouse user add %s/%s: %v\n%s", accountName, login, err, out)
	}
}

// login fills the login form and waits for the console to appear.
func login(t *testing.T, page playwright.Page, a account) {
	t.Helper()
	open(t, page, "/login")
	must(t, page.GetByLabel("User name").Fill(a.Login))
	must(t, page.GetByLabel("Password").Fill(a.Password))
	must(t, page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Log in"}).Click())
	must(t, expect.Page(page).Not().ToHaveURL(regexp.MustCompile(`/login`)))
	must(t, expect.Locator(page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Console"})).ToBeVisible())
}

// loggedIn opens a page in a fresh browser context logged in as a new
// account's user of the given role.
func loggedIn(t *testing.T, o pageOpts, role string) (playwright.Page, account) {
	t.Helper()
	a := newAccount(t, role)
	page := browserPage(t, o)
	login(t, page, a)
	return page, a
}

// button and link find controls by role and accessible name, as a person
// would.
func button(page playwright.Page, name string) playwright.Locator {
	return page.GetByRole("button", playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)})
}

func link(page playwright.Page, name string) playwright.Locator {
	return page.GetByRole("link", playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)})
}

// dialog finds an open dialog (or the dialog page without JavaScript) by
// its title.
func dialog(page playwright.Page, title string) playwright.Locator {
	return page.Locator("dialog[open], section.dialog-page").Filter(playwright.LocatorFilterOptions{HasText: title})
}
