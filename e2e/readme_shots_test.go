//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/playwright-community/playwright-go"

	"gatehouse/views/pages"
)

// The README's screenshots, taken from the demo account only (the account
// `make run` creates: no test account's name shows), into
// e2e/screenshots/readme; `make screenshots` copies them to
// docs/screenshots. Nothing here changes the demo account.
func TestReadmeScreenshots(t *testing.T) {
	dir := filepath.Join(env.shotsDir, "readme")
	must(t, os.MkdirAll(dir, 0o755))
	demo := func(t *testing.T, o pageOpts) playwright.Page {
		t.Helper()
		page := browserPage(t, o)
		login(t, page, demoAccount())
		must(t, expect.Locator(page.Locator(".topbar")).ToContainText("demo"))
		return page
	}
	readmeShot := func(t *testing.T, page playwright.Page, name string) {
		t.Helper()
		shotTo(t, page, filepath.Join(dir, name+".png"))
	}
	groupPage := func(t *testing.T, page playwright.Page, name string) {
		t.Helper()
		open(t, page, "/groups?q="+name)
		must(t, link(page, name).Click())
		onGroupPage(t, page, name)
	}

	page := demo(t, pageOpts{})
	open(t, page, "/groups")
	readmeShot(t, page, "groups")

	open(t, page, "/")
	must(t, expect.Locator(page.Locator("#attention")).ToBeVisible())
	readmeShot(t, page, "overview")

	open(t, page, "/apis")
	readmeShot(t, page, "apis")
	open(t, page, "/apis?q=list_orders")
	must(t, link(page, "list_orders").Click())
	onAPIPage(t, page, "list_orders")
	readmeShot(t, page, "api")
	// The Debug panel: one call as the Internet on the public domain (a
	// call through the gateway, counted like any other: the demo's
	// configuration does not change).
	debug := page.Locator("#api-debug")
	must(t, debug.GetByRole("button", buttonInOpts("Send")).Click())
	must(t, expect.Locator(debug.Locator("#debug-outcome")).ToContainText("200 OK"))
	elementShot(t, debug, filepath.Join(dir, "debug.png"))
	// The same API refused: as the Internet on the VPC domain (R11).
	vpcDomain, err := debug.Locator(`select[name=domain] option[value$="-vpc.alicloudapi.com"]`).GetAttribute("value")
	must(t, err)
	chooseIn(t, debug, "Domain", vpcDomain)
	must(t, debug.GetByRole("button", buttonInOpts("Send")).Click())
	must(t, expect.Locator(debug.Locator("#debug-outcome")).ToContainText("refused by the network"))
	elementShot(t, debug, filepath.Join(dir, "debug-refused.png"))
	must(t, page.Locator("nav.breadcrumb").GetByRole("link", linkInOpts("orders_api")).Click())
	onGroupPage(t, page, "orders_api")
	elementShot(t, page.Locator("#group-traffic"), filepath.Join(dir, "traffic.png"))
	open(t, page, "/calls")
	readmeShot(t, page, "recent-calls")

	open(t, page, "/instances")
	row := page.Locator("tr").Filter(playwright.LocatorFilterOptions{HasText: "prod-gateway"})
	openDialogWith(t, page, row.GetByRole("link", linkInOpts("Change VPC")), pages.InstanceBindTitle)
	readmeShot(t, page, "bind-dialog")

	open(t, page, "/access")
	form := page.Locator("main")
	opt, err := form.Locator("option").Filter(playwright.LocatorFilterOptions{HasText: "On-premises network via CEN / IPsec VPN joined to VPC"}).
		Filter(playwright.LocatorFilterOptions{HasText: "prod-vpc"}).GetAttribute("value")
	must(t, err)
	chooseIn(t, form, "Caller", opt)
	fillIn(t, form, "Domain name", "billing.internal.demo-shop.example.com")
	must(t, button(page, "Check access").Click())
	must(t, expect.Locator(page.GetByText("Allowed", playwright.PageGetByTextOptions{Exact: playwright.Bool(true)})).ToBeVisible())
	readmeShot(t, page, "access-check")

	dark := demo(t, pageOpts{Dark: true})
	groupPage(t, dark, "billing_internal")
	readmeShot(t, dark, "group-details-dark")

	phone := demo(t, pageOpts{Width: 390})
	groupPage(t, phone, "inventory_service")
	readmeShot(t, phone, "phone")
}

// elementShot saves a screenshot of one element (a card of a page).
func elementShot(t *testing.T, l playwright.Locator, path string) {
	t.Helper()
	if _, err := l.Screenshot(playwright.LocatorScreenshotOptions{Path: playwright.String(path), Caret: playwright.ScreenshotCaretInitial}); err != nil {
		t.Fatalf("screenshot %s: %v", path, err)
	}
}
