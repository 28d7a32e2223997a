//go:build e2e

package e2e

import (
	"testing"

	"gatehouse/views/pages"
)

// Creating a dedicated instance through Create Instance (the zone list
// follows the region), then Bind to VPC: only the account's VPCs of the
// instance's region are offered, choosing one lists its vSwitches (htmx,
// or the Show vSwitches button without JavaScript), and the instance's row
// then shows the VPC and vSwitch.
func TestInstancesCreateAndBindToVpc(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		vpcA, vswA := seedVpc(t, page, "cn-shanghai")
		vpcB, vswB := seedVpc(t, page, "cn-shanghai")
		vpcC, _ := seedVpc(t, page, "cn-beijing")

		open(t, page, "/instances")
		must(t, expect.Locator(page.GetByRole("heading", headingOpts("Dedicated Instances"))).ToBeVisible())
		must(t, expect.Locator(page.GetByText("You have no dedicated instances yet.")).ToBeVisible())
		// The shared instances have a page of their own.
		must(t, expect.Locator(rowOf(page, "instance", "api-shared-vpc-002")).ToHaveCount(0))
		must(t, page.GetByRole("link", linkOpts("shared instances")).Click())
		must(t, expect.Locator(page.GetByRole("heading", headingOpts("Shared Instances"))).ToBeVisible())
		must(t, expect.Locator(rowOf(page, "instance", "api-shared-vpc-002")).ToContainText("VPC_SHARED"))
		open(t, page, "/instances")

		d := openDialogWith(t, page, link(page, "Create Instance").First(), "Create Instance")
		fillIn(t, d, "Name", "gw-prod")
		chooseIn(t, d, "Region", "cn-shanghai")
		if o.NoJS {
			pressIn(t, d, "Show zones")
		}
		zones := fieldIn(d, "Zone").Locator("option")
		must(t, expect.Locator(zones).ToHaveCount(3))
		must(t, expect.Locator(zones.First()).ToHaveAttribute("value", "cn-shanghai-e"))
		must(t, expect.Locator(fieldIn(d, "Name")).ToHaveValue("gw-prod"))
		must(t, expect.Locator(fieldIn(d, "HTTPS policy")).ToHaveValue("HTTPS2_TLS1_0"))
		chooseIn(t, d, "Zone", "cn-shanghai-f")
		chooseIn(t, d, "Spec", "api.s2.large")
		chooseIn(t, d, "HTTPS policy", "HTTPS2_TLS1_2")
		pressIn(t, d, "Create Instance")
		must(t, expect.Locator(flashMessage(page)).ToContainText("created in cn-shanghai-f"))
		ids := idsOn(t, page, "/instances", instanceIDRE("cn-shanghai"))
		if len(ids) != 1 {
			t.Fatalf("instances %v, want one", ids)
		}
		inst := ids[0]
		r := rowOf(page, "instance", inst)
		for _, s := range []string{"gw-prod", "cn-shanghai-f", "api.s2.large", "10,000 RPS", "RUNNING", "Not bound"} {
			must(t, expect.Locator(r).ToContainText(s))
		}

		d = openDialogWith(t, page, r.GetByRole("link", linkInOpts("Bind to VPC")), pages.InstanceBindTitle)
		// Nothing is chosen: "Select a VPC", then the region's VPCs only.
		vpcOptions := fieldIn(d, "Vpc Id").Locator("option[value^=vpc-]")
		must(t, expect.Locator(vpcOptions).ToHaveCount(2))
		must(t, expect.Locator(vpcOptions.First()).ToHaveAttribute("value", vpcA))
		must(t, expect.Locator(fieldIn(d, "Vpc Id")).ToHaveValue(""))
		must(t, expect.Locator(d.Locator(`option[value="`+vpcC+`"]`)).ToHaveCount(0))
		vswOptions := fieldIn(d, "vSwitch").Locator("option[value^=vsw-]")
		must(t, expect.Locator(vswOptions).ToHaveCount(0))
		chooseIn(t, d, "Vpc Id", vpcA)
		if o.NoJS {
			pressIn(t, d, "Show vSwitches")
		}
		must(t, expect.Locator(vswOptions).ToHaveCount(1))
		must(t, expect.Locator(vswOptions).ToHaveAttribute("value", vswA))
		must(t, expect.Locator(vswOptions).ToContainText("cn-shanghai-e, 10.0.1.0/24"))

		chooseIn(t, d, "Vpc Id", vpcB)
		if o.NoJS {
			pressIn(t, d, "Show vSwitches")
		}
		must(t, expect.Locator(vswOptions).ToHaveAttribute("value", vswB))
		must(t, expect.Locator(fieldIn(d, "Vpc Id")).ToHaveValue(vpcB))
		chooseIn(t, d, "vSwitch", vswB)
		pressIn(t, d, "Confirm")
		must(t, expect.Locator(flashMessage(page)).ToContainText("Instance bound to VPC "+vpcB))
		expectBoundTo(t, r, vpcB)
		must(t, expect.Locator(r.GetByRole("link", linkInOpts("Change VPC"))).ToBeVisible())
		must(t, expect.Locator(r.GetByRole("link", linkInOpts("Unbind"))).ToBeVisible())
		must(t, expect.Locator(r.GetByRole("link", linkInOpts("Bind to VPC"))).ToHaveCount(0))

		// The instance page shows the binding; the VPC page the instance.
		open(t, page, instancePath(inst))
		must(t, expect.Locator(page.Locator(`section[aria-labelledby="instance-vpc"]`)).ToContainText(vswB))
		open(t, page, vpcPath(vpcB))
		must(t, expect.Locator(rowOf(page, "vswitch", vswB).Locator(`td[data-label="Used by"] a[href="`+instancePath(inst)+`"]`)).ToBeVisible())

		// In a region without a VPC of the account, the dialog says so and
		// leads to creating one there.
		far := seedInstanceInZone(t, page, "cn-shenzhen", "cn-shenzhen-d")
		open(t, page, "/instances")
		d = openDialogWith(t, page, rowOf(page, "instance", far).GetByRole("link", linkInOpts("Bind to VPC")), pages.InstanceBindTitle)
		must(t, expect.Locator(d).ToContainText("You have no VPC in China (Shenzhen) · cn-shenzhen."))
		must(t, expect.Locator(d.GetByRole("button", buttonInOpts("Confirm"))).ToHaveCount(0))
		must(t, d.GetByRole("link", linkInOpts("Create a VPC in Network › VPCs")).Click())
		must(t, expect.Locator(fieldIn(dialog(page, "Create VPC"), "Region")).ToHaveValue("cn-shenzhen"))
	})
}
