//go:build e2e

package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// consolePages are every page of the console with the demo account's
// data: the lists, a detail page of each kind (followed from its list),
// the dialogs as pages and a filtered operation log.
func consolePages(t *testing.T, page playwright.Page) []string {
	t.Helper()
	pages := []string{"/", "/groups", "/groups/new", "/instances", "/instances/new", "/shared-instances", "/vpcs", "/vpcs/new",
		"/access", "/access?caller=internet&domain=example.com", "/oplog", "/oplog?outcome=refused", "/accesskeys", "/accesskeys/new",
		"/users", "/users/admin/password", "/password", "/apis/new"}
	for _, list := range []string{"/groups", "/apis", "/instances", "/shared-instances", "/vpcs"} {
		open(t, page, list)
		hrefs, err := page.Locator("main table tbody tr td:first-child a").EvaluateAll(`els => els.map(e => e.getAttribute("href"))`)
		must(t, err)
		list, _ := hrefs.([]interface{})
		if len(list) == 0 {
			t.Fatalf("no detail link on %s", list)
		}
		for i, h := range list {
			if i == 3 {
				break
			}
			href := fmt.Sprint(h)
			pages = append(pages, href)
			if strings.HasPrefix(href, "/instances/") {
				pages = append(pages, href+"/bind", href+"/unbind", href+"/delete")
			}
			if strings.HasPrefix(href, "/vpcs/") {
				pages = append(pages, href+"/delete", href+"/vswitches/new")
			}
			if strings.HasPrefix(href, "/apis/") {
				pages = append(pages, href+"/edit", href+"/deploy", href+"/delete")
			}
			if strings.HasPrefix(href, "/groups/") {
				pages = append(pages, href+"/move", href+"/vpc-domain/enable", href+"/delete")
			}
		}
	}
	return pages
}

// layoutProblems measures the page: at any width, a table wider than its
// container must be in a region that scrolls (overflow-x auto or scroll);
// nothing may stick out of the viewport unless a scrolling ancestor lets
// it be reached; and when strict, no table may overflow its container at
// all (1280 px: nothing to scroll).
const layoutProblems = `(strict) => {
	const out = [];
	const scrolls = el => { const o = getComputedStyle(el).overflowX; return o === "auto" || o === "scroll"; };
	const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className && typeof el.className === "string" ? "." + el.className.trim().split(/\s+/).join(".") : "");
	for (const table of document.querySelectorAll("main table, dialog table")) {
		const box = table.parentElement;
		if (table.offsetParent === null) continue;
		if (table.scrollWidth > box.clientWidth + 1) {
			if (strict) out.push(name(table) + " is " + table.scrollWidth + "px wide in " + box.clientWidth + "px: clipped or scrolled at 1280px");
			else if (!scrolls(box)) out.push(name(table) + " overflows " + name(box) + ", which does not scroll");
		}
	}
	const vw = document.documentElement.clientWidth;
	if (document.documentElement.scrollWidth > vw + 1) out.push("the page is " + document.documentElement.scrollWidth + "px wide in a " + vw + "px viewport");
	for (const el of document.querySelectorAll("body *")) {
		if (el.offsetParent === null || el.closest("[hidden], .visually-hidden, .skip-link")) continue;
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.right <= vw + 1) continue;
		let a = el.parentElement, reachable = false;
		while (a && a !== document.body) {
			if (scrolls(a) && a.scrollWidth > a.clientWidth) { reachable = true; break; }
			a = a.parentElement;
		}
		if (!reachable) out.push(name(el) + " ends at " + Math.round(r.right) + "px, past the " + vw + "px viewport, with nothing to scroll");
	}
	return out.slice(0, 10);
}`

// At 1280 px no table on any page overflows its container; at 390 px
// nothing is cut off without a way to scroll to it (wide tables become
// cards or scroll in their own region; the navigation scrolls and says
// so). Every page is shot at both widths, light and dark.
func TestNoPageClips(t *testing.T) {
	for _, o := range []struct {
		name   string
		opts   pageOpts
		strict bool
	}{
		{"1280", pageOpts{}, true},
		{"1280-dark", pageOpts{Dark: true}, true},
		{"390", pageOpts{Width: 390}, false},
	} {
		t.Run(o.name, func(t *testing.T) {
			page := browserPage(t, o.opts)
			login(t, page, demoAccount())
			for _, p := range consolePages(t, page) {
				resp, err := page.Goto(p)
				if err != nil {
					t.Fatalf("goto %s: %v", p, err)
				}
				if resp.Status() >= 500 {
					t.Fatalf("%s: status %d", p, resp.Status())
				}
				res, err := page.Evaluate(layoutProblems, o.strict)
				must(t, err)
				for _, problem := range res.([]interface{}) {
					t.Errorf("%s at %s: %v", p, o.name, problem)
				}
				shot(t, page, "layout-"+o.name+strings.NewReplacer("/", "-", "?", "-", "=", "-", "&", "-").Replace(p))
			}
			if o.opts.Width == 390 {
				// The navigation is wider than the phone: it scrolls, and
				// shows that it does.
				nav := page.Locator("aside.sidenav")
				scroll, err := nav.Evaluate(`el => ({over: el.scrollWidth > el.clientWidth, x: getComputedStyle(el).overflowX, bg: getComputedStyle(el).backgroundImage})`, nil)
				must(t, err)
				m := scroll.(map[string]interface{})
				if m["over"] != true || (m["x"] != "auto" && m["x"] != "scroll") || !strings.Contains(fmt.Sprint(m["bg"]), "radial-gradient") {
					t.Errorf("at 390px the navigation does not scroll with a cue: %v", m)
				}
			}
		})
	}
}
