//go:build e2e

package e2e

import (
	"testing"

	"gatehouse/views/pages"
)

// Changing the VPC of a bound instance (R6): the dialog states who loses
// access before Confirm, and afterwards the instance, and the groups on it,
// show the new VPC only.
func TestInstancesChangeVpc(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		vpcA, vswA, inst := seedNetwork(t, page, "cn-hangzhou")
		vpcB, vswB := seedVpc(t, page, "cn-hangzhou")
		groupID := createGroup(t, page, "orders_api", "cn-hangzhou", inst)

		open(t, page, "/instances")
		r := rowOf(page, "instance", inst)
		expectBoundTo(t, r, vpcA)
		d := openDialogWith(t, page, r.GetByRole("link", linkInOpts("Change VPC")), pages.InstanceBindTitle)
		must(t, expect.Locator(d).ToContainText("Bound now to"))
		// Change VPC opens on the binding as it is: nothing moves until
		// another VPC is chosen.
		must(t, expect.Locator(fieldIn(d, "Vpc Id")).ToHaveValue(vpcA))
		must(t, expect.Locator(fieldIn(d, "vSwitch")).ToHaveValue(vswA))
		change := d.Locator("#instance-bind-consequence")
		must(t, expect.Locator(change).ToContainText("The VPC stays the same"))
		chooseIn(t, d, "Vpc Id", vpcB)
		if o.NoJS {
			pressIn(t, d, "Show vSwitches")
		}
		must(t, expect.Locator(change).ToContainText(
			"After the change, the VPC domains of the groups on this instance are reachable only from the VPC "+vpcB+" bound to the dedicated instance; VPC "+vpcA+" loses access immediately."))
		must(t, expect.Locator(change.GetByRole("link", linkInOpts("orders_api"))).ToHaveAttribute("href", "/groups/"+groupID))
		// Nor is a vSwitch chosen for the operator in the new VPC.
		must(t, expect.Locator(fieldIn(d, "vSwitch")).ToHaveValue(""))
		chooseIn(t, d, "vSwitch", vswB)
		pressIn(t, d, "Confirm")
		must(t, expect.Locator(flashMessage(page)).ToContainText("VPC "+vpcA+" no longer reaches the groups on "+inst))
		expectBoundTo(t, r, vpcB)
		must(t, expect.Locator(r.Locator(`a[href="`+vpcPath(vpcA)+`"]`)).ToHaveCount(0))

		open(t, page, instancePath(inst))
		must(t, expect.Locator(page.Locator("#instance-groups-table")).ToContainText("orders_api"))
		// Group Details shows the new binding, not the old one.
		open(t, page, "/groups/"+groupID)
		binding := page.Locator("#group-binding")
		must(t, expect.Locator(binding).ToContainText(vpcB))
		must(t, expect.Locator(binding).Not().ToContainText(vpcA))
	})
}
