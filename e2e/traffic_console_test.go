//go:build e2e

package e2e

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// The gateway seen from the console (issue 15), on the real binary: a
// tenant set up with the SDK, real calls through the gateway (straight as
// the Internet, through the proxy as a VPC), then Group Details' meter
// and chart, an API's Debug panel with JavaScript on and off, allowed and
// refused, Recent calls filtered, and a VPC's proxy URL copied; each page
// axe-checked in light and dark themes and at 390 px, and photographed.
func TestTrafficConsole(t *testing.T) {
	tn := newTenant(t, nil)
	vpcID, _ := tn.vpc("cn-hangzhou", "10.30.0.0/16", "10.30.1.0/24")
	g := tn.group("traffic_console", "cn-hangzhou", "")
	vpcDomain := tn.enableVpcDomain(g)
	apiID := tn.deploy(g, apiSpec{name: "hello", method: "GET", path: "/hello", mockBody: `{"hello":"world"}`})
	public := g + "-cn-hangzhou.alicloudapi.com"

	// A few real calls: three served and one 404 on the public domain
	// (the limit counts the three), one from the VPC on the VPC domain.
	for range 3 {
		expectServed(t, "public", send(t, straight(nil), "GET", "http://"+public+"/hello"), `{"hello":"world"}`)
	}
	expectCode(t, "no such API", send(t, straight(nil), "GET", "http://"+public+"/nope"), http.StatusNotFound, "I404NF")
	vpcURL := networkURL(t, nil, "--vpc", vpcID)
	expectServed(t, "from the VPC", send(t, viaProxy(t, vpcURL), "GET", "http://"+vpcDomain+"/hello"), `{"hello":"world"}`)

	src := axeSource(t)
	looks := []struct {
		name string
		opts pageOpts
	}{{"light", pageOpts{}}, {"dark", pageOpts{Dark: true}}, {"phone", pageOpts{Width: 390}}}

	t.Run("meter and chart", func(t *testing.T) {
		for _, l := range looks {
			l.opts.BypassCSP = true
			page := browserPage(t, l.opts)
			login(t, page, tn.admin)
			open(t, page, "/groups/"+g)
			card := page.Locator("#group-traffic")
			must(t, expect.Locator(card.GetByText("3 of 1,000 calls today")).ToBeVisible())
			must(t, expect.Locator(page.GetByLabel("Calls today through the public second-level domain")).ToHaveAttribute("value", "3"))
			chart := page.GetByRole("img", playwright.PageGetByRoleOptions{Name: regexp.MustCompile("Calls per hour on " + regexp.QuoteMeta(public) + ".*4 calls, 1 failed")})
			must(t, expect.Locator(chart).ToBeVisible())
			must(t, expect.Locator(page.GetByRole("img", playwright.PageGetByRoleOptions{Name: regexp.MustCompile("Calls per hour on " + regexp.QuoteMeta(vpcDomain) + ".*1 call")})).ToBeVisible())
			// The text alternative opens without JavaScript's help.
			must(t, card.GetByText("Calls per hour on "+public+" as a table").Click())
			must(t, expect.Locator(card.GetByRole("table", playwright.LocatorGetByRoleOptions{Name: "Calls per hour on " + public + ", hours without calls left out"})).ToContainText("4"))
			axeCheck(t, page, l.name+" group traffic", src)
			must(t, card.ScrollIntoViewIfNeeded())
			shot(t, page, "traffic-group-"+l.name)
		}
	})

	t.Run("Debug", func(t *testing.T) {
		eachMode(t, func(t *testing.T, o pageOpts) {
			o.BypassCSP = true
			page := browserPage(t, o)
			login(t, page, tn.admin)
			open(t, page, "/apis/"+apiID)
			panel := page.Locator("#api-debug")
			send := func(network, domain, stage string) playwright.Locator {
				t.Helper()
				chooseIn(t, panel, "Caller network", network)
				chooseIn(t, panel, "Domain", domain)
				chooseIn(t, panel, "Stage", stage)
				must(t, panel.GetByRole("button", buttonInOpts("Send")).Click())
				result := page.Locator("#debug-result")
				must(t, expect.Locator(result).ToBeVisible())
				return result
			}
			// Allowed: from the VPC, on the VPC domain.
			result := send("vpc:"+vpcID, vpcDomain, "RELEASE")
			must(t, expect.Locator(result.Locator("#debug-outcome")).ToContainText("200 OK"))
			must(t, expect.Locator(result.Locator("#debug-decision")).ToContainText("Allowed"))
			must(t, expect.Locator(result.Locator("#debug-sent")).ToContainText("GET http://"+vpcDomain+"/hello"))
			must(t, expect.Locator(result.Locator("#debug-body")).ToContainText(`{"hello":"world"}`))
			if o.NoJS {
				must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/apis/`+apiID+`/debug#debug-result$`)))
			} else {
				// htmx swapped the panel: the page stayed, focus went to the result.
				must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/apis/`+apiID+`$`)))
				must(t, expect.Locator(result.GetByRole("heading", playwright.LocatorGetByRoleOptions{Name: "Result"})).ToBeFocused())
			}
			// Refused: the Internet never resolves the VPC domain; the
			// panel shows what such a caller gets.
			result = send("internet", vpcDomain, "RELEASE")
			must(t, expect.Locator(result.Locator("#debug-outcome")).ToContainText("502 Bad Gateway"))
			must(t, expect.Locator(result.Locator("#debug-outcome")).ToContainText("refused by the network (R11)"))
			must(t, expect.Locator(result.Locator("#debug-decision")).ToContainText("Refused"))
			must(t, expect.Locator(result.Locator("#debug-headers")).ToContainText("X-Gatehouse-Refused: R11"))
			// API Gateway's own error: a stage the API is not deployed to.
			result = send("internet", public, "TEST")
			must(t, expect.Locator(result.Locator("#debug-outcome")).ToContainText("I404NF"))
			must(t, expect.Locator(result.Locator("#debug-headers")).ToContainText("X-Ca-Error-Code: I404NF"))
			// A bad path: said beside the field, nothing sent.
			fillIn(t, panel, "Path and query", "hello")
			must(t, panel.GetByRole("button", buttonInOpts("Send")).Click())
			must(t, expect.Locator(page.Locator("#debug-path-error")).ToContainText("The path starts with /"))
			must(t, expect.Locator(page.Locator("#debug-result")).ToHaveCount(0))
		})
		for _, l := range looks {
			l.opts.BypassCSP = true
			page := browserPage(t, l.opts)
			login(t, page, tn.admin)
			open(t, page, "/apis/"+apiID)
			panel := page.Locator("#api-debug")
			chooseIn(t, panel, "Caller network", "hybrid:"+vpcID)
			chooseIn(t, panel, "Domain", vpcDomain)
			must(t, panel.GetByRole("button", buttonInOpts("Send")).Click())
			must(t, expect.Locator(page.Locator("#debug-outcome")).ToContainText("refused by the network (R10)"))
			axeCheck(t, page, l.name+" debug", src)
			must(t, panel.ScrollIntoViewIfNeeded())
			shot(t, page, "traffic-debug-"+l.name)
		}
	})

	t.Run("Recent calls", func(t *testing.T) {
		for _, l := range looks {
			l.opts.BypassCSP = true
			page := browserPage(t, l.opts)
			login(t, page, tn.admin)
			open(t, page, "/groups/"+g)
			must(t, page.Locator("#group-traffic").GetByRole("link", linkInOpts("Recent calls")).Click())
			must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/calls\?group=`+g)))
			main := page.Locator("main")
			table := page.Locator("#calls-table")
			must(t, expect.Locator(table).ToContainText(vpcID))
			must(t, expect.Locator(table).ToContainText("Debug panel"))
			// Errors only, through the GET form.
			chooseIn(t, main, "Outcome", "error")
			must(t, main.GetByRole("button", buttonInOpts("Filter")).Click())
			must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`outcome=error`)))
			rows := table.Locator("tbody tr")
			must(t, expect.Locator(rows.First()).ToContainText("I404NF"))
			n, err := rows.Count()
			must(t, err)
			for i := range n {
				text, err := rows.Nth(i).TextContent()
				must(t, err)
				if strings.Contains(text, "200") && !strings.Contains(text, "I404NF") {
					t.Errorf("%s: an answered call among the errors: %q", l.name, text)
				}
			}
			axeCheck(t, page, l.name+" recent calls", src)
			shot(t, page, "traffic-calls-"+l.name)
		}
		// With JavaScript, the list refreshes itself: a new call shows up.
		page := browserPage(t, pageOpts{})
		login(t, page, tn.admin)
		open(t, page, "/calls?group="+g+"&outcome=error")
		rows := page.Locator("#calls-table tbody tr")
		before, err := rows.Count()
		must(t, err)
		expectCode(t, "another 404", send(t, straight(nil), "GET", "http://"+public+"/refreshed"), http.StatusNotFound, "I404NF")
		must(t, expect.Locator(rows).ToHaveCount(before+1, playwright.LocatorAssertionsToHaveCountOptions{Timeout: playwright.Float(15000)}))
		must(t, expect.Locator(page.Locator("#calls-count")).ToHaveText(strings.TrimSpace(strings.Replace("N calls", "N", fmt.Sprint(before+1), 1))))
	})

	t.Run("proxy URL copied", func(t *testing.T) {
		page := browserPage(t, pageOpts{})
		must(t, page.Context().GrantPermissions([]string{"clipboard-read", "clipboard-write"}))
		login(t, page, tn.admin)
		open(t, page, "/vpcs/"+vpcID)
		must(t, expect.Locator(page.Locator("#vpc-proxy-url")).ToHaveText(vpcURL))
		must(t, page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Copy proxy URL", Exact: playwright.Bool(true)}).Click())
		got, err := page.Evaluate(`() => navigator.clipboard.readText()`)
		must(t, err)
		if got != vpcURL {
			t.Errorf("copied %q, want %q (gatehouse network url)", got, vpcURL)
		}
		must(t, expect.Locator(page.Locator("#vpc-curl")).ToHaveText("curl -x '"+vpcURL+"' http://GROUP_ID-cn-hangzhou-vpc.alicloudapi.com/"))
		for _, l := range looks {
			l.opts.BypassCSP = true
			p := browserPage(t, l.opts)
			login(t, p, tn.admin)
			open(t, p, "/vpcs/"+vpcID)
			axeCheck(t, p, l.name+" vpc", src)
			shot(t, p, "traffic-vpc-"+l.name)
		}
	})
}
