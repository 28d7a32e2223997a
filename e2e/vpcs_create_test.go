//go:build e2e

package e2e

import (
	"regexp"
	"testing"
)

// Creating a VPC and vSwitches through their dialogs: each bad CIDR block
// is refused beside its field with the values kept, and creates nothing.
func TestVpcsCreateVpcAndVSwitch(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		open(t, page, "/vpcs")
		must(t, expect.Locator(page.GetByRole("heading", headingOpts("VPCs"))).ToBeVisible())
		must(t, expect.Locator(page.GetByText("You have no VPCs yet.")).ToBeVisible())

		d := openDialogWith(t, page, link(page, "Create VPC").First(), "Create VPC")
		fillIn(t, d, "Name", "prod-net")
		fillIn(t, d, "Description", "Production network")
		chooseIn(t, d, "Region", "cn-shanghai")
		for _, bad := range []struct{ cidr, says string }{
			{"8.8.0.0/16", "lies inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"},
			{"10.0.0.1/16", "does not start at the first address of its block. Use 10.0.0.0/16"},
			{"10.0.0.0/25", "between /8 and /24"},
			{"not-a-block", "cannot be read"},
		} {
			fillIn(t, d, "IPv4 CIDR block", bad.cidr)
			pressIn(t, d, "Create VPC")
			must(t, expect.Locator(fieldErrorIn(d, "vpc-new", "cidr")).ToContainText(bad.says))
			must(t, expect.Locator(fieldIn(d, "IPv4 CIDR block")).ToHaveValue(bad.cidr))
			must(t, expect.Locator(fieldIn(d, "Name")).ToHaveValue("prod-net"))
			must(t, expect.Locator(fieldIn(d, "Region")).ToHaveValue("cn-shanghai"))
		}
		if ids := idsOn(t, page, "/vpcs", vpcIDRE); len(ids) != 0 {
			t.Fatalf("refused VPCs were created: %v", ids)
		}

		fillIn(t, d, "IPv4 CIDR block", "10.0.0.0/16")
		pressIn(t, d, "Create VPC")
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/vpcs/vpc-[a-z0-9]{22}$`)))
		must(t, expect.Locator(page.GetByRole("heading", headingOpts("prod-net"))).ToBeVisible())
		must(t, expect.Locator(flashMessage(page)).ToContainText("created in China (Shanghai)"))
		vpcID, err := page.Locator("#vpc-id").TextContent()
		must(t, err)
		if !vpcIDRE.MatchString(vpcID) {
			t.Fatalf("VPC page shows id %q", vpcID)
		}
		must(t, expect.Locator(page.GetByText("This VPC has no vSwitches yet.")).ToBeVisible())

		d = openDialogWith(t, page, link(page, "Create vSwitch").First(), "Create vSwitch")
		fillIn(t, d, "Name", "web-a")
		chooseIn(t, d, "Zone", "cn-shanghai-f")
		for _, bad := range []struct{ cidr, says string }{
			{"10.0.1.0/30", "between /16 and /29"},
			{"10.1.0.0/24", "outside 10.0.0.0/16"},
			{"10.0.1.1/24", "does not start at the first address"},
		} {
			fillIn(t, d, "IPv4 CIDR block", bad.cidr)
			pressIn(t, d, "Create vSwitch")
			must(t, expect.Locator(fieldErrorIn(d, "vswitch-new", "cidr")).ToContainText(bad.says))
			must(t, expect.Locator(fieldIn(d, "Zone")).ToHaveValue("cn-shanghai-f"))
		}
		fillIn(t, d, "IPv4 CIDR block", "10.0.1.0/24")
		pressIn(t, d, "Create vSwitch")
		must(t, expect.Locator(flashMessage(page)).ToContainText("created in VPC "+vpcID))
		rows := page.Locator("#vswitches-table tbody tr")
		must(t, expect.Locator(rows).ToHaveCount(1))
		must(t, expect.Locator(rows).ToContainText("cn-shanghai-f"))
		must(t, expect.Locator(rows).ToContainText("10.0.1.0/24"))
		must(t, expect.Locator(rows).ToContainText("Not used"))

		// An overlapping sibling is refused; a disjoint one is created.
		d = openDialogWith(t, page, link(page, "Create vSwitch").First(), "Create vSwitch")
		fillIn(t, d, "Name", "web-b")
		chooseIn(t, d, "Zone", "cn-shanghai-g")
		fillIn(t, d, "IPv4 CIDR block", "10.0.1.128/25")
		pressIn(t, d, "Create vSwitch")
		must(t, expect.Locator(fieldErrorIn(d, "vswitch-new", "cidr")).ToContainText("overlaps 10.0.1.0/24 of the vSwitch \"web-a\""))
		fillIn(t, d, "IPv4 CIDR block", "10.0.2.0/24")
		pressIn(t, d, "Create vSwitch")
		must(t, expect.Locator(rows).ToHaveCount(2))

		// The VPCs page lists the VPC with both vSwitches.
		open(t, page, "/vpcs")
		r := rowOf(page, "vpc", vpcID)
		must(t, expect.Locator(r).ToContainText("prod-net"))
		must(t, expect.Locator(r).ToContainText("10.0.0.0/16"))
		must(t, expect.Locator(r.Locator("li")).ToHaveCount(2))
		vsws := idsOn(t, page, vpcPath(vpcID), vswitchIDRE)
		if len(vsws) != 2 {
			t.Fatalf("VPC page lists vSwitches %v, want 2", vsws)
		}

		// The region filter keeps the VPC in its region only.
		open(t, page, "/vpcs?region=cn-beijing")
		must(t, expect.Locator(page.GetByText("No VPCs in China (Beijing).")).ToBeVisible())
		open(t, page, "/vpcs?region=cn-shanghai")
		must(t, expect.Locator(rowOf(page, "vpc", vpcID)).ToBeVisible())
	})
}
