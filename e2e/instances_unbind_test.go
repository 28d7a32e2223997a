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
		r := netRow(page, "instance", inst)
		// R7 is stated before anything is confirmed: the dialog names the
		// group that holds the binding and offers no Confirm.
		d := netOpenDialog(t, page, r.GetByRole("link", netLinkLocOpts("Unbind")), "Unbind VPC")
		alert := netFormAlert(d)
		must(t, expect.Locator(alert).ToContainText("cannot be unbound"))
		must(t, expect.Locator(alert).ToContainText(`"billing_api"`))
		must(t, expect.Locator(d.GetByRole("button", netButtonLocOpts("Confirm"))).ToHaveCount(0))
		if status, msg := netStatusOf(t, page, netInstancePath(inst)+"/unbind", nil); status != 409 {
			t.Errorf("refused unbind: status %d (%s), want 409", status, msg)
		}
		open(t, page, "/instances")
		must(t, expect.Locator(r).ToContainText(vpcID))

		postOK(t, page, "/groups/"+groupID+"/vpc-domain/disable", nil)
		open(t, page, "/instances")
		d = netOpenDialog(t, page, r.GetByRole("link", netLinkLocOpts("Unbind")), "Unbind VPC")
		netPress(t, d, "Confirm")
		must(t, expect.Locator(netFlashMessage(page)).ToContainText("VPC "+vpcID+" unbound from instance "+inst))
		must(t, expect.Locator(r).ToContainText("Not bound"))
		must(t, expect.Locator(r.GetByRole("link", netLinkLocOpts("Bind to VPC"))).ToBeVisible())

		// The group still lives on the instance: deleting it is refused.
		d = netOpenDialog(t, page, r.GetByRole("link", netLinkLocOpts("Delete")), "Delete Instance")
		must(t, expect.Locator(d).ToContainText("1 API group is on this instance"))
		netPress(t, d, "Delete")
		must(t, expect.Locator(netFormAlert(d)).ToContainText("still hosts 1 API group"))
		postOK(t, page, "/groups/"+groupID+"/delete", nil)
		open(t, page, "/instances")
		d = netOpenDialog(t, page, r.GetByRole("link", netLinkLocOpts("Delete")), "Delete Instance")
		netPress(t, d, "Delete")
		must(t, expect.Locator(netFlashMessage(page)).ToContainText("Instance "+inst))
		must(t, expect.Locator(page.GetByText("You have no dedicated instances yet.")).ToBeVisible())
	})
}
