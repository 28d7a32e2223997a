//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Screenshots of the APIs pages with the demo account's APIs, light and
// dark, wide and at 390 px, for a person to look at
// (e2e/screenshots/apis-*.png). Nothing of the demo account changes.
func TestAPIScreenshots(t *testing.T) {
	for _, o := range groupShotOpts {
		suffix := lookName(o)
		t.Run(suffix, func(t *testing.T) {
			page := browserPage(t, o)
			login(t, page, demoAccount())
			open(t, page, "/apis")
			must(t, expect.Locator(page.Locator("#apis-table")).ToContainText("list_orders"))
			shot(t, page, "apis-list-"+suffix)

			must(t, link(page, "list_orders").Click())
			id := onAPIPage(t, page, "list_orders")
			shot(t, page, "api-page-"+suffix)
			openDialog(t, page, "Deploy", "Deploy API list_orders")
			shot(t, page, "api-deploy-"+suffix)
			d := openRefusedDialog(t, page, "/apis/"+id+"/delete", "Delete API list_orders?")
			must(t, expect.Locator(d.GetByRole("alert")).ToBeVisible())
			shot(t, page, "api-delete-refused-"+suffix)

			open(t, page, "/apis?q=get_order")
			must(t, link(page, "get_order").Click())
			onAPIPage(t, page, "get_order")
			shot(t, page, "api-page-http-"+suffix)

			open(t, page, "/apis")
			must(t, link(page, "Create API").Click())
			must(t, expect.Locator(dialog(page, "Create API")).ToBeVisible())
			shot(t, page, "api-new-"+suffix)
			must(t, label(page.Locator("form.api-form"), "Path").Fill("orders"))
			must(t, dialogButton(dialog(page, "Create API"), "Create").Click())
			must(t, expectDialogError(page, "Create API"))
			shot(t, page, "api-new-errors-"+suffix)

			open(t, page, "/apis?q=list_orders")
			must(t, page.Locator("#apis-table").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "orders_api"}).Click())
			onGroupPage(t, page, "orders_api")
			shot(t, page, "api-group-details-"+suffix)
		})
	}
}
