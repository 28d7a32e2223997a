//go:build e2e

package e2e

import (
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// No secret in a URL. Every page of the console reachable by a link from
// the overview (dialogs included) is opened as the demo admin, with
// JavaScript on and off: no form that submits with GET carries the CSRF
// token field. Then the dialogs' refresh controls are used as a person
// would (the Show … buttons without JavaScript, the selects with it), and
// no request the browser made, from the first page on, holds the token.
func TestNoSecretInAnyURL(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page := browserPage(t, o)
		var mu sync.Mutex
		var requested []string
		page.On("request", func(r playwright.Request) {
			mu.Lock()
			defer mu.Unlock()
			requested = append(requested, r.URL())
		})
		login(t, page, demoAccount())
		token, err := page.Locator("#csrf-token").GetAttribute("data-token")
		if err != nil || token == "" {
			t.Fatalf("no CSRF token on the page: %v", err)
		}

		seen := map[string]bool{}
		queue := []string{"/"}
		for len(queue) > 0 && len(seen) < 120 {
			path := queue[0]
			queue = queue[1:]
			if seen[path] {
				continue
			}
			seen[path] = true
			resp, err := page.Goto(path)
			if err != nil {
				t.Fatalf("goto %s: %v", path, err)
			}
			if resp.Status() >= 500 {
				t.Errorf("%s: status %d", path, resp.Status())
			}
			checkGetForms(t, page, path)
			for _, href := range linksOn(t, page) {
				if u, err := url.Parse(href); err == nil && !strings.HasPrefix(u.Path, "/static/") && u.Path != "/logout" && !seen[href] {
					queue = append(queue, href)
				}
			}
		}
		if len(seen) < 25 {
			t.Fatalf("only %d pages reached from the overview", len(seen))
		}

		// The refresh controls of the dialogs.
		open(t, page, "/groups/new")
		d := dialog(page, "Create Group")
		must(t, label(d, "Group name").Fill("typed_first"))
		choose(t, label(d, "Region"), "cn-shanghai")
		if o.NoJS {
			must(t, dialogButton(d, "Show instances of this region").Click())
		}
		must(t, expect.Locator(label(d, "Instance").Locator(`option[value="api-shared-vpc-002"]`)).ToHaveCount(1))
		must(t, expect.Locator(label(d, "Group name")).ToHaveValue("typed_first"))
		checkGetForms(t, page, "/groups/new (refreshed)")
		open(t, page, "/instances/new")
		d = dialog(page, "Create Instance")
		choose(t, label(d, "Region"), "cn-beijing")
		if o.NoJS {
			must(t, dialogButton(d, "Show zones").Click())
		}
		must(t, expect.Locator(label(d, "Zone").Locator(`option[value="cn-beijing-h"]`)).ToHaveCount(1))

		mu.Lock()
		defer mu.Unlock()
		for _, u := range requested {
			if strings.Contains(u, "_csrf") || strings.Contains(u, token) || strings.Contains(u, url.QueryEscape(token)) {
				t.Errorf("a request carries the CSRF token in its URL: %s", u)
			}
		}
	})
}

// checkGetForms fails on a form of the page that submits with GET (its
// method, or a button's formmethod) and holds the CSRF token field.
func checkGetForms(t *testing.T, page playwright.Page, where string) {
	t.Helper()
	forms, err := page.Locator("form:has(input[name='_csrf'])").All()
	must(t, err)
	for _, f := range forms {
		method, err := f.GetAttribute("method")
		must(t, err)
		getButtons, err := f.Locator("[formmethod='get' i]").Count()
		must(t, err)
		if strings.EqualFold(method, "get") || method == "" || getButtons > 0 {
			action, _ := f.GetAttribute("action")
			t.Errorf("%s: a form submitting with GET (action %s) carries the CSRF token", where, action)
		}
	}
}

// linksOn lists the same-site links of a page.
func linksOn(t *testing.T, page playwright.Page) []string {
	t.Helper()
	links := page.Locator("a[href^='/']")
	if v, err := links.EvaluateAll(`as => as.map(a => a.getAttribute("href"))`); err == nil {
		var out []string
		for _, h := range v.([]interface{}) {
			if s, ok := h.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	// Without JavaScript in the page, one by one.
	all, err := links.All()
	must(t, err)
	var out []string
	for _, l := range all {
		h, err := l.GetAttribute("href")
		must(t, err)
		out = append(out, h)
	}
	return out
}

// Enter in a dialog's text field does the dialog's action, not the refresh
// button that comes earlier in the form (components.DefaultSubmit).
func TestEnterSubmitsTheDialogsAction(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		open(t, page, "/groups")
		d := openDialog(t, page, "Create Group", "Create Group")
		must(t, label(d, "Group name").Fill("entered_group"))
		must(t, label(d, "Group name").Press("Enter"))
		must(t, expect.Locator(flashMessage(page)).ToContainText("API group entered_group created."))
		onGroupPage(t, page, "entered_group")
	})
}
