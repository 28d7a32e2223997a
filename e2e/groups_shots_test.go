//go:build e2e

package e2e

import (
	"fmt"
	"testing"

	"github.com/playwright-community/playwright-go"
)

var groupShotOpts = []pageOpts{{}, {Dark: true}, {Width: 390}, {Dark: true, Width: 390}}

// Screenshots of every API Groups page and dialog, light and dark, wide and
// narrow, for a person to look at (e2e/screenshots/groups-*.png).
func TestGroupScreenshots(t *testing.T) {
	for _, o := range groupShotOpts {
		suffix := "light"
		if o.Dark {
			suffix = "dark"
		}
		if o.Width != 0 {
			suffix += fmt.Sprintf("-%d", o.Width)
		}
		t.Run(suffix, func(t *testing.T) {
			page, _ := loggedIn(t, o, "operator")
			open(t, page, "/groups")
			shot(t, page, "groups-empty-"+suffix)

			d := openDialog(t, page, "Create Group", "Create Group")
			shot(t, page, "group-new-"+suffix)
			must(t, dialogButton(d, "Create").Click())
			must(t, expectDialogError(page, "Create Group"))
			shot(t, page, "group-new-errors-"+suffix)

			vpcID, vswID := seedVpc(t, page, "cn-hangzhou")
			unbound := seedInstance(t, page, "cn-hangzhou")
			bound := seedInstance(t, page, "cn-hangzhou")
			bindInstance(t, page, bound, vpcID, vswID)
			shared := createGroup(t, page, "orders_api", "cn-hangzhou", "api-shared-vpc-001")
			postOK(t, page, "/groups/"+shared+"/edit", map[string]string{"name": "orders_api", "description": "Orders of the web shop, called from the order service in the shop's VPC."})
			waiting := createGroup(t, page, "billing_api", "cn-hangzhou", unbound)
			private := createGroup(t, page, "private_api", "cn-hangzhou", bound)
			postOK(t, page, "/groups/"+private+"/vpc-domain/enable", nil)
			postOK(t, page, "/groups/"+private+"/domains/new", map[string]string{"domain": uniqueDomain("intranet"), "network_type": "INTRANET"})
			postOK(t, page, "/groups/"+private+"/domains/new", map[string]string{"domain": uniqueDomain("www"), "network_type": "INTERNET"})
			createGroup(t, page, "shanghai_api", "cn-shanghai", "api-shared-vpc-002")

			open(t, page, "/groups")
			shot(t, page, "groups-list-"+suffix)

			open(t, page, "/groups/"+shared)
			shot(t, page, "group-details-off-"+suffix)
			openDialog(t, page, "Enable VPC Second-level Domain", "Enable VPC Second-level Domain")
			shot(t, page, "group-enable-"+suffix)

			open(t, page, "/groups/"+waiting)
			shot(t, page, "group-enable-refused-button-"+suffix)
			openRefusedDialog(t, page, "/groups/"+waiting+"/vpc-domain/enable", "Enable VPC Second-level Domain")
			must(t, expectDialogError(page, "Enable VPC Second-level Domain"))
			shot(t, page, "group-enable-refused-"+suffix)

			open(t, page, "/groups/"+private)
			shot(t, page, "group-details-on-"+suffix)
			// An INTRANET domain points at the VPC domain: Disable is refused.
			openRefusedDialog(t, page, "/groups/"+private+"/vpc-domain/disable", "Disable VPC Second-level Domain")
			shot(t, page, "group-disable-refused-"+suffix)
			open(t, page, "/groups/"+private)
			openDialog(t, page, "Bind Domain Name", "Bind Domain Name")
			shot(t, page, "group-bind-domain-"+suffix)
			open(t, page, "/groups/"+private)
			must(t, page.Locator("#custom-domains a").Filter(playwright.LocatorFilterOptions{HasText: "Unbind"}).First().Click())
			must(t, expect.Locator(dialog(page, "Unbind Domain Name")).ToBeVisible())
			shot(t, page, "group-unbind-"+suffix)
			open(t, page, "/groups/"+private)
			openDialog(t, page, "Edit", "Edit API Group")
			shot(t, page, "group-edit-"+suffix)
			open(t, page, "/groups/"+private)
			openDialog(t, page, "Delete", "Delete API group private_api?")
			shot(t, page, "group-delete-"+suffix)

			open(t, page, "/groups/"+shared)
			d = openDialog(t, page, "Modify Instance for API Group Deployment", "Modify Instance for API Group Deployment")
			shot(t, page, "group-move-"+suffix)
			must(t, dialogButton(d, "Migration").Click())
			must(t, expectDialogError(page, "Modify Instance for API Group Deployment"))
			shot(t, page, "group-move-errors-"+suffix)
		})
	}
}

// Without JavaScript the dialogs are pages of their own.
func TestGroupScreenshotsNoJS(t *testing.T) {
	page, _ := loggedIn(t, pageOpts{NoJS: true}, "operator")
	inst := seedInstance(t, page, "cn-hangzhou")
	id := createGroup(t, page, "billing_api", "cn-hangzhou", inst)
	open(t, page, "/groups")
	d := openDialog(t, page, "Create Group", "Create Group")
	must(t, expect.Locator(dialogButton(d, "Show instances of this region")).ToBeVisible())
	shot(t, page, "group-new-nojs")
	openRefusedDialog(t, page, "/groups/"+id+"/vpc-domain/enable", "Enable VPC Second-level Domain")
	must(t, expectDialogError(page, "Enable VPC Second-level Domain"))
	shot(t, page, "group-enable-refused-nojs")
}

// expectDialogError waits for a dialog to show an error.
func expectDialogError(page playwright.Page, title string) error {
	return expect.Locator(dialog(page, title).Locator(".field-error, [role=alert]").First()).ToBeVisible()
}
