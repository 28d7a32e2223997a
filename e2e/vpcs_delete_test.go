//go:build e2e

package e2e

import (
	"strings"
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

		open(t, page, vpcPath(vpcID))
		// The rules refuse before anything is confirmed: Delete VPC is
		// disabled with why beside it; the dialog says why, links to what
		// must change first, and offers no Delete.
		expectDisabled(t, page.Locator("main"), "Delete VPC", "is bound to 1 dedicated instance")
		d := openRefusedDialog(t, page, vpcPath(vpcID)+"/delete", "Delete VPC")
		expectRefused(t, d, "Delete", "is bound to 1 dedicated instance (\""+instID+"\"). Unbind the VPC from them first.")
		must(t, expect.Locator(formAlertIn(d).GetByRole("link")).ToHaveAttribute("href", instancePath(instID)))
		if status, msg := postStatus(t, page, vpcPath(vpcID)+"/delete", nil); status != 409 || !strings.Contains(msg, "is bound to 1 dedicated instance") {
			t.Errorf("deleting the VPC anyway: status %d %q, want 409", status, msg)
		}

		// The vSwitch holding the instance's endpoint cannot go either.
		open(t, page, vpcPath(vpcID))
		expectDisabled(t, rowOf(page, "vswitch", vswID), "Delete", "it holds the VPC endpoint of 1 dedicated instance.")
		d = openRefusedDialog(t, page, vpcPath(vpcID)+"/vswitches/"+vswID+"/delete", "Delete vSwitch")
		expectRefused(t, d, "Delete", "holds the VPC endpoint of 1 dedicated instance (\""+instID+"\")")
		must(t, expect.Locator(formAlertIn(d).GetByRole("link")).ToHaveAttribute("href", instancePath(instID)))

		// Unbound, the instance frees the vSwitch; the VPC still has it.
		postOK(t, page, instancePath(instID)+"/unbind", nil)
		open(t, page, vpcPath(vpcID))
		expectDisabled(t, page.Locator("main"), "Delete VPC", "still has 1 vSwitch")
		d = openRefusedDialog(t, page, vpcPath(vpcID)+"/delete", "Delete VPC")
		expectRefused(t, d, "Delete", "still has 1 vSwitch")
		must(t, expect.Locator(formAlertIn(d)).ToContainText("Delete them first."))
		if ids := idsOn(t, page, "/vpcs", vpcIDRE); len(ids) != 1 {
			t.Fatalf("after refusals, VPCs %v, want %s", ids, vpcID)
		}

		open(t, page, vpcPath(vpcID))
		d = openDialogWith(t, page, rowOf(page, "vswitch", vswID).Locator("a.btn.danger"), "Delete vSwitch")
		pressIn(t, d, "Delete")
		must(t, expect.Locator(flashMessage(page)).ToContainText("vSwitch "+vswID+" deleted."))
		must(t, expect.Locator(page.Locator("#vswitches-table")).ToHaveCount(0))

		d = openDialogWith(t, page, link(page, "Delete VPC"), "Delete VPC")
		pressIn(t, d, "Delete")
		must(t, expect.Locator(flashMessage(page)).ToContainText("VPC "+vpcID))
		must(t, expect.Locator(page.GetByText("You have no VPCs yet.")).ToBeVisible())
	})
}
