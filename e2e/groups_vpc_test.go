//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// A group on a shared instance: create it in the console, open Group
// Details, Enable VPC Second-level Domain, Confirm: the VPC domain shows,
// reachable from every VPC of the region; disabling it turns it off again.
func TestGroupSharedEnableVpcDomain(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		id := createGroupInConsole(t, page, "orders_api", "")

		panel := domainPanel(page)
		must(t, expect.Locator(panel).ToContainText(publicDomain(id, "cn-hangzhou")))
		must(t, expect.Locator(panel).ToContainText("http://"+publicDomain(id, "cn-hangzhou")))
		must(t, expect.Locator(panel).ToContainText("https://"+publicDomain(id, "cn-hangzhou")))
		must(t, expect.Locator(panel).ToContainText("1,000 calls a day"))
		must(t, expect.Locator(panel).ToContainText("Not enabled"))
		must(t, expect.Locator(page.Locator("#group-instance")).ToContainText("api-shared-vpc-001"))

		d := openDialog(t, page, "Enable VPC Second-level Domain", "Enable VPC Second-level Domain")
		must(t, expect.Locator(d).ToContainText("API Gateway automatically assigns a second-level domain name for VPC to this API group."))
		must(t, expect.Locator(d).ToContainText("every VPC in China (Hangzhou)"))
		must(t, dialogButton(d, "Confirm").Click())

		onGroupPage(t, page, "orders_api")
		must(t, expect.Locator(flash(page)).ToContainText("is enabled"))
		must(t, expect.Locator(panel).ToContainText(vpcDomain(id, "cn-hangzhou")))
		must(t, expect.Locator(panel).ToContainText("https://"+vpcDomain(id, "cn-hangzhou")))
		must(t, expect.Locator(panel).ToContainText("every VPC in China (Hangzhou)"))
		must(t, expect.Locator(panel.Locator("code").Filter(playwright.LocatorFilterOptions{HasText: "100."})).ToHaveCount(1))
		must(t, expect.Locator(panel).Not().ToContainText("Not enabled"))

		// The list shows the VPC domain too.
		open(t, page, "/groups")
		must(t, expect.Locator(page.Locator("#groups-table")).ToContainText(vpcDomain(id, "cn-hangzhou")))

		// Disable it again.
		must(t, link(page, "orders_api").Click())
		onGroupPage(t, page, "orders_api")
		d = openDialog(t, page, "Disable", "Disable VPC Second-level Domain")
		must(t, dialogButton(d, "Disable").Click())
		onGroupPage(t, page, "orders_api")
		must(t, expect.Locator(panel).ToContainText("Not enabled"))
	})
}

// The seed's flow for a dedicated instance: enabling the VPC domain of a
// group on an instance not bound to a VPC is refused, and the dialog's
// message says why and where to bind it; once the instance is bound,
// enabling succeeds and only the bound VPC reaches the group.
func TestGroupDedicatedEnableNeedsBinding(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		vpcID, vswID := seedVpc(t, page, "cn-hangzhou")
		inst := seedInstance(t, page, "cn-hangzhou")
		id := createGroupInConsole(t, page, "billing_api", inst)
		must(t, expect.Locator(page.Locator("#group-instance")).ToContainText(inst))
		must(t, expect.Locator(page.Locator("#group-binding")).ToContainText("Not bound"))

		// R5 refuses before anything: the button is disabled with the rule's
		// words beside it; the dialog, asked for anyway, says why with the
		// way out (Bind to VPC), and offers no Confirm.
		expectDisabled(t, domainPanel(page), "Enable VPC Second-level Domain", "If you do not bind the instance to a VPC")
		must(t, expect.Locator(domainPanel(page).GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Bind to VPC"})).
			ToHaveAttribute("href", "/instances/"+inst+"/bind?next=%2Fgroups%2F"+id))
		d := openRefusedDialog(t, page, "/groups/"+id+"/vpc-domain/enable", "Enable VPC Second-level Domain")
		alert := d.GetByRole("alert")
		must(t, expect.Locator(alert).ToContainText("If you do not bind the instance to a VPC, you cannot enable VPC second-level domain name for the API group."))
		must(t, expect.Locator(alert).ToContainText(inst))
		must(t, expect.Locator(alert.GetByRole("link")).ToHaveAttribute("href", "/instances/"+inst+"/bind?next=%2Fgroups%2F"+id))
		must(t, expect.Locator(dialogButton(d, "Confirm")).ToHaveCount(0))
		if status, _ := get(t, page, "/groups/"+id+"/vpc-domain/enable"); status != 409 {
			t.Errorf("the refused dialog: status %d, want 409", status)
		}

		// Nothing changed.
		open(t, page, "/groups/"+id)
		must(t, expect.Locator(domainPanel(page)).ToContainText("Not enabled"))

		// Bind to VPC, in the Apply for VPC Endpoint dialog opened from the
		// group's own page; it comes back here.
		bd := openDialog(t, page, "Bind to VPC", "Apply for VPC Endpoint to Access Dedicated Instance")
		choose(t, bd.GetByLabel("Vpc Id"), vpcID)
		if o.NoJS {
			must(t, dialogButton(bd, "Show vSwitches").Click())
			bd = dialog(page, "Apply for VPC Endpoint to Access Dedicated Instance")
		}
		must(t, expect.Locator(bd.GetByLabel("vSwitch").Locator("option[value='"+vswID+"']")).ToHaveCount(1))
		choose(t, bd.GetByLabel("vSwitch"), vswID)
		must(t, dialogButton(bd, "Confirm").Click())
		onGroupPage(t, page, "billing_api")
		must(t, expect.Locator(page.Locator("#group-binding")).ToContainText(vpcID))
		must(t, expect.Locator(page.Locator("#group-binding")).ToContainText(vswID))
		d = openDialog(t, page, "Enable VPC Second-level Domain", "Enable VPC Second-level Domain")
		must(t, expect.Locator(d).ToContainText("only from the VPC "+vpcID))
		must(t, dialogButton(d, "Confirm").Click())
		onGroupPage(t, page, "billing_api")
		must(t, expect.Locator(domainPanel(page)).ToContainText(vpcDomain(id, "cn-hangzhou")))
		must(t, expect.Locator(domainPanel(page)).ToContainText("only from the VPC "+vpcID))
	})
}

// Modify Instance for API Group Deployment: the risk box must be ticked; a
// group with the VPC domain enabled cannot move to a dedicated instance
// that is not bound to a VPC (the reason shows in the dialog), and moves to
// a bound one.
func TestGroupMove(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		id := createGroup(t, page, "moving_api", "cn-hangzhou", "api-shared-vpc-001")
		postOK(t, page, "/groups/"+id+"/vpc-domain/enable", nil)
		unbound := seedInstance(t, page, "cn-hangzhou")
		_, _, bound := seedNetwork(t, page, "cn-hangzhou")

		open(t, page, "/groups/"+id)
		d := openDialog(t, page, "Modify Instance for API Group Deployment", "Modify Instance for API Group Deployment")
		dest := label(d, "Destination Instance")
		// The current instance is not offered; both dedicated ones are, with their binding.
		must(t, expect.Locator(dest.Locator("option[value='api-shared-vpc-001']")).ToHaveCount(0))
		must(t, expect.Locator(dest.Locator("option[value='"+unbound+"']")).ToContainText("not bound to a VPC"))
		must(t, expect.Locator(dest.Locator("option[value='"+bound+"']")).ToContainText("bound to vpc-"))

		// R8 refuses the unbound instance before anything is tried
		// (rules.CheckMoveGroup): offered disabled, with the rule's reason
		// and the way out.
		must(t, expect.Locator(dest.Locator("option[value='"+unbound+"']")).ToBeDisabled())
		must(t, expect.Locator(dest.Locator("option[value='"+bound+"']")).ToBeEnabled())
		refused := d.Locator("#group-move-refused")
		must(t, expect.Locator(refused).ToContainText(unbound))
		must(t, expect.Locator(refused).ToContainText("can move to a dedicated instance only once a VPC is bound to that instance"))
		must(t, expect.Locator(refused.GetByRole("link")).ToHaveAttribute("href", "/instances/"+unbound+"/bind?next=%2Fgroups%2F"+id))
		// Posted anyway (a stale page), the store refuses it the same.
		if status, _ := postStatus(t, page, "/groups/"+id+"/move", map[string]string{"instance": unbound, "acknowledge": "on"}); status != 409 {
			t.Errorf("moving to the unbound instance anyway: status %d, want 409", status)
		}

		choose(t, dest, bound)
		must(t, dialogButton(d, "Migration").Click())
		d = dialog(page, "Modify Instance for API Group Deployment")
		must(t, expect.Locator(d).ToContainText("Tick the box to confirm that you understand the risk"))

		choose(t, label(d, "Destination Instance"), bound)
		must(t, d.GetByRole("checkbox").Check())
		must(t, dialogButton(d, "Migration").Click())
		onGroupPage(t, page, "moving_api")
		must(t, expect.Locator(flash(page)).ToContainText("now runs on the instance "+bound))
		must(t, expect.Locator(page.Locator("#group-instance")).ToContainText(bound))
		must(t, expect.Locator(domainPanel(page)).ToContainText("only from the VPC vpc-"))
	})
}
