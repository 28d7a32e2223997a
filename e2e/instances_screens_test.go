//go:build e2e

package e2e

import (
	"fmt"
	"testing"

	"github.com/playwright-community/playwright-go"

	"gatehouse/views/pages"
)

// screenLooks are the screen variants every page of this area is shot in.
var screenLooks = []pageOpts{{}, {Dark: true}, {Width: 390}, {Dark: true, Width: 390}}

func lookName(o pageOpts) string {
	theme := "light"
	if o.Dark {
		theme = "dark"
	}
	w := o.Width
	if w == 0 {
		w = 1280
	}
	return fmt.Sprintf("%s-%d", theme, w)
}

// Screenshots of Dedicated Instances (empty and with rows), the instance
// page, and the Create Instance, Bind to VPC and Unbind dialogs.
func TestInstancesScreenshots(t *testing.T) {
	for _, o := range screenLooks {
		t.Run(lookName(o), func(t *testing.T) {
			page, _ := loggedIn(t, o, "operator")
			look := lookName(o)
			open(t, page, "/instances")
			shot(t, page, "instances-empty-"+look)

			dialogShot(t, page, link(page, "Create Instance").First(), "Create Instance", "instance-new-"+look)

			_, _, inst := seedNetwork(t, page, "cn-hangzhou")
			seedVpc(t, page, "cn-hangzhou")
			seedInstance(t, page, "cn-shanghai")
			open(t, page, "/instances")
			shot(t, page, "instances-rows-"+look)
			r := rowOf(page, "instance", inst)
			dialogShot(t, page, r.GetByRole("link", linkInOpts("Change VPC")), pages.InstanceBindTitle, "instance-bind-"+look)
			open(t, page, "/instances")
			dialogShot(t, page, r.GetByRole("link", linkInOpts("Unbind")), "Unbind VPC", "instance-unbind-"+look)
			open(t, page, instancePath(inst))
			shot(t, page, "instance-page-"+look)
		})
	}
	// Without JavaScript the dialogs are pages of their own.
	page, _ := loggedIn(t, pageOpts{NoJS: true}, "operator")
	inst := seedInstance(t, page, "cn-hangzhou")
	seedVpc(t, page, "cn-hangzhou")
	open(t, page, instancePath(inst)+"/bind")
	shot(t, page, "instance-bind-nojs")
}

// dialogShot opens a dialog, waits for it and shoots the page.
func dialogShot(t *testing.T, page playwright.Page, opener playwright.Locator, title, name string) {
	t.Helper()
	openDialogWith(t, page, opener, title)
	shot(t, page, name)
}
