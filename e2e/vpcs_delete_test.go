//go:build e2e

package e2e

import (
	"testing"
)

// Deleting a VPC is refused while it has vSwitches or a bound instance,
// and a vSwitch while an instance is bound through it; each refusal says
// what to do first and changes nothing. Deleting the vSwitch, then the
// VPC, succeeds.
func TestVpcsDeleteRefusedUntilEmpty(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		vpcID, vswID, instID := seedNetwork(t, page, "cn-hangzhou")

		open(t, page, netVpcPath(vpcID))
		d := netOpenDialog(t, page, link(page, "Delete VPC"), "Delete VPC")
		must(t, expect.Locator(d).ToContainText("Delete its vSwitches first."))
		must(t, expect.Locator(d).ToContainText("Unbind the VPC from it first."))
		netPress(t, d, "Delete")
		must(t, expect.Locator(netFormAlert(d)).ToContainText("is bound to 1 dedicated instance (\""+instID+"\")"))

		// The vSwitch holding the instance's endpoint cannot go either.
		open(t, page, netVpcPath(vpcID))
		d = netOpenDialog(t, page, page.GetByRole("link", netLinkOpts("Delete vSwitch "+vswID)), "Delete vSwitch")
		must(t, expect.Locator(d).ToContainText("holds its VPC endpoint"))
		netPress(t, d, "Delete")
		must(t, expect.Locator(netFormAlert(d)).ToContainText("holds the VPC endpoint of 1 dedicated instance"))

		// Unbound, the instance frees the vSwitch; the VPC still has it.
		postOK(t, page, netInstancePath(instID)+"/unbind", nil)
		open(t, page, netVpcPath(vpcID))
		d = netOpenDialog(t, page, link(page, "Delete VPC"), "Delete VPC")
		netPress(t, d, "Delete")
		must(t, expect.Locator(netFormAlert(d)).ToContainText("still has 1 vSwitch"))
		must(t, expect.Locator(netFormAlert(d)).ToContainText("Delete them first."))
		if ids := idsOn(t, page, "/vpcs", vpcIDRE); len(ids) != 1 {
			t.Fatalf("after refusals, VPCs %v, want %s", ids, vpcID)
		}

		open(t, page, netVpcPath(vpcID))
		d = netOpenDialog(t, page, page.GetByRole("link", netLinkOpts("Delete vSwitch "+vswID)), "Delete vSwitch")
		netPress(t, d, "Delete")
		must(t, expect.Locator(netFlashMessage(page)).ToContainText("vSwitch "+vswID+" deleted."))
		must(t, expect.Locator(page.Locator("#vswitches-table")).ToHaveCount(0))

		d = netOpenDialog(t, page, link(page, "Delete VPC"), "Delete VPC")
		netPress(t, d, "Delete")
		must(t, expect.Locator(netFlashMessage(page)).ToContainText("VPC "+vpcID))
		must(t, expect.Locator(page.GetByText("You have no VPCs yet.")).ToBeVisible())
	})
}
