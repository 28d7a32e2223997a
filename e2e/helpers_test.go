//go:build e2e

package e2e

import (
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/playwright-community/playwright-go"
)

var expect = playwright.NewPlaywrightAssertions(5000)

// pageOpts chooses how the browser context looks: theme, width, JavaScript.
type pageOpts struct {
	Dark    bool
	Width   int
	NoJS    bool
	Context playwright.BrowserContext // reuse a context (its cookies) when set
}

// browserPage opens a page in a fresh context. Every JavaScript error and
// every console error (a Content-Security-Policy violation is one) fails the
// test when it ends.
func browserPage(t *testing.T, o pageOpts) playwright.Page {
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
	var mu sync.Mutex
	var problems []string
	page.On("pageerror", func(err error) {
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, "page error: "+err.Error())
	})
	page.On("console", func(m playwright.ConsoleMessage) {
		if m.Type() != "error" {
			return
		}
		// A 4xx answer to a form is expected behaviour, not a page defect.
		if strings.Contains(m.Text(), "Failed to load resource") && !strings.Contains(m.Text(), "status of 5") {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		problems = append(problems, "console error: "+m.Text())
	})
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		for _, p := range problems {
			t.Errorf("%s", p)
		}
		page.Close()
	})
	return page
}

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
	path := filepath.Join(env.shotsDir, name+".png")
	if _, err := page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(path), FullPage: playwright.Bool(true)}); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
}

// must fails the test on an error from a Playwright call or assertion.
func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
