//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// demoAccount is the account `gatehouse demo` fills, with its admin.
func demoAccount() account {
	return account{Name: "demo", Login: "admin", Password: env.demoPassword}
}

// axeSource is axe-core from the npm registry (package-lock.json).
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		t.Fatalf("axe-core is not installed (npm ci): %v", err)
	}
	return string(b)
}

// axeCheck runs axe-core on the page and fails on serious or critical
// violations. The page's context must bypass the CSP (axe is injected as an
// inline script, which the console's own CSP rightly forbids).
func axeCheck(t *testing.T, page playwright.Page, name, src string) {
	t.Helper()
	if _, err := page.AddScriptTag(playwright.PageAddScriptTagOptions{Content: playwright.String(src)}); err != nil {
		t.Fatalf("%s: inject axe-core: %v", name, err)
	}
	res, err := page.Evaluate(`async () => {
		const r = await axe.run(document, { resultTypes: ['violations'] });
		return r.violations
			.filter(v => v.impact === 'serious' || v.impact === 'critical')
			.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
	}`)
	if err != nil {
		t.Fatalf("%s: axe.run: %v", name, err)
	}
	if list, ok := res.([]interface{}); ok {
		for _, v := range list {
			t.Errorf("%s: %v", name, v)
		}
	}
}

// Every page of the console, with the demo account's data, in light and
// dark theme and at phone width: no serious or critical axe violation, and
// a screenshot of each.
func TestEveryPageIsAccessible(t *testing.T) {
	src := axeSource(t)
	for _, o := range []struct {
		name string
		opts pageOpts
	}{
		{"light", pageOpts{}},
		{"dark", pageOpts{Dark: true}},
		{"phone", pageOpts{Width: 390}},
	} {
		o.opts.BypassCSP = true
		page := browserPage(t, o.opts)
		login(t, page, demoAccount())
		visited := map[string]bool{}
		paths := []string{"/", "/groups", "/groups/new", "/apis", "/apis/new", "/instances", "/instances/new", "/vpcs", "/vpcs/new", "/access", "/calls", "/oplog", "/accesskeys", "/users", "/users/admin/password", "/password"}
		// Follow the first detail link of each list to its detail page too.
		for _, p := range paths {
			open(t, page, p)
			visited[p] = true
			axeCheck(t, page, o.name+" "+p, src)
			shot(t, page, "page-"+o.name+strings.ReplaceAll(p, "/", "-"))
		}
		for _, list := range []string{"/groups", "/apis", "/instances", "/vpcs"} {
			open(t, page, list)
			href, err := page.Locator("main table tbody a[href^='" + list + "/']").First().GetAttribute("href")
			if err != nil || href == "" || visited[href] {
				t.Errorf("%s: no detail link in the list (%v)", list, err)
				continue
			}
			open(t, page, href)
			axeCheck(t, page, o.name+" "+list+" detail", src)
			shot(t, page, "page-"+o.name+strings.ReplaceAll(list, "/", "-")+"-detail")
			// An API's dialogs, as pages: Edit, Deploy, and Delete (refused
			// while deployed, 409); an instance's Edit.
			actions := map[string][]string{"/apis": {"edit", "deploy", "delete"}, "/instances": {"edit"}}[list]
			for _, action := range actions {
				resp, err := page.Goto(href + "/" + action)
				if err != nil || resp.Status() != 200 && resp.Status() != 409 {
					t.Errorf("%s/%s: %v", href, action, err)
					continue
				}
				axeCheck(t, page, o.name+" "+list+" detail "+action, src)
			}
		}
	}
}
