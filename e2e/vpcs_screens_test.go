//go:build e2e

package e2e

import "testing"

// Screenshots of VPCs (empty and with rows), the VPC page and the Create
// VPC, Create vSwitch and Delete VPC dialogs.
func TestVpcsScreenshots(t *testing.T) {
	for _, o := range screenLooks {
		t.Run(lookName(o), func(t *testing.T) {
			page, _ := loggedIn(t, o, "operator")
			look := lookName(o)
			open(t, page, "/vpcs")
			shot(t, page, "vpcs-empty-"+look)
			dialogShot(t, page, link(page, "Create VPC").First(), "Create VPC", "vpc-new-"+look)

			vpcID, _, _ := seedNetwork(t, page, "cn-hangzhou")
			seedVpc(t, page, "cn-shanghai")
			open(t, page, "/vpcs")
			shot(t, page, "vpcs-rows-"+look)
			open(t, page, vpcPath(vpcID))
			shot(t, page, "vpc-page-"+look)
			dialogShot(t, page, link(page, "Create vSwitch"), "Create vSwitch", "vswitch-new-"+look)
			// Delete VPC is refused (a vSwitch, a bound instance): the
			// button says why; the dialog, opened anyway, says it once.
			openRefusedDialog(t, page, vpcPath(vpcID)+"/delete", "Delete VPC")
			shot(t, page, "vpc-delete-"+look)
		})
	}
	page, _ := loggedIn(t, pageOpts{NoJS: true}, "operator")
	open(t, page, "/vpcs/new")
	shot(t, page, "vpc-new-nojs")
}
