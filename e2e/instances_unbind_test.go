//go:build e2e

package e2e

import (
	"testing"
)

// Unbinding is refused (R7, 409) while a group on the instance has its VPC
// domain enabled, naming the group; once it is disabled the unbind
// succeeds. Deleting the instance is refused while the group is on it.
func TestInstancesUnbindRefusedWhileVpcDomainEnabled(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		vpcID, _, inst := seedNetwork(t, page, "cn-beijing")
		groupID := createGroup(t, page, "billing_api", "cn-beijing", inst)
		postOK(t, page, "/groups/"+groupID+"/vpc-domain/enable", nil)

		open(t, page, "/instances")
		r := rowOf(page, "instance", inst)
		// R7 is stated before anything is confirmed: Unbind is disabled,
		// the reason and the group that holds the binding beside it; the
		// dialog, asked for anyway, names the group and offers no Confirm.
		expectDisabled(t, r, "Unbind", "the VPC domain is enabled for 1 group on it.")
		must(t, expect.Locator(r.GetByRole("link", linkInOpts("API group billing_api"))).ToHaveAttribute("href", "/groups/"+groupID))
		d := openRefusedDialog(t, page, instancePath(inst)+"/unbind", "Unbind VPC")
		expectRefused(t, d, "Confirm", "cannot be unbound")
		must(t, expect.Locator(formAlertIn(d)).ToContainText(`"billing_api"`))
		must(t, expect.Locator(formAlertIn(d).GetByRole("link", linkInOpts("API group billing_api"))).ToHaveAttribute("href", "/groups/"+groupID))
		if status, msg := postStatus(t, page, instancePath(inst)+"/unbind", nil); status != 409 {
			t.Errorf("refused unbind: status %d (%s), want 409", status, msg)
		}
		open(t, page, "/instances")
		expectBoundTo(t, r, vpcID)

		postOK(t, page, "/groups/"+groupID+"/vpc-domain/disable", nil)
		open(t, page, "/instances")
		d = openDialogWith(t, page, r.GetByRole("link", linkInOpts("Unbind")), "Unbind VPC")
		pressIn(t, d, "Confirm")
		must(t, expect.Locator(flashMessage(page)).ToContainText("VPC "+vpcID+" unbound from instance "+inst))
		must(t, expect.Locator(r).ToContainText("Not bound"))
		must(t, expect.Locator(r.GetByRole("link", linkInOpts("Bind to VPC"))).ToBeVisible())

		// The group still lives on the instance: deleting it is refused.
		expectDisabled(t, r, "Delete", "1 API group is on it.")
		d = openRefusedDialog(t, page, instancePath(inst)+"/delete", "Delete Instance")
		expectRefused(t, d, "Delete", "still hosts 1 API group")
		postOK(t, page, "/groups/"+groupID+"/delete", nil)
		open(t, page, "/instances")
		d = openDialogWith(t, page, r.GetByRole("link", linkInOpts("Delete")), "Delete Instance")
		pressIn(t, d, "Delete")
		must(t, expect.Locator(flashMessage(page)).ToContainText("Instance "+inst))
		must(t, expect.Locator(page.GetByText("You have no dedicated instances yet.")).ToBeVisible())
	})
}
