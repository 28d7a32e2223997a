//go:build e2e

package e2e

import (
	"strings"
	"testing"
)

// Bad input to Create VPC and Create vSwitch, and ids of nothing or of
// another tenant in paths: field errors with 4xx, never a 500, and nothing
// created.
func TestVpcsBadInput(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		other := browserPage(t, pageOpts{})
		login(t, other, newAccount(t, "operator"))
		otherVpc, otherVsw := seedVpc(t, other, "cn-hangzhou")
		vpcID, _ := seedVpc(t, page, "cn-hangzhou")
		open(t, page, "/vpcs")

		long := strings.Repeat("n", 129)
		good := map[string]string{"name": "net", "description": "", "region": "cn-hangzhou", "cidr": "172.16.0.0/12"}
		with := func(base map[string]string, k, v string) map[string]string {
			m := map[string]string{}
			for a, b := range base {
				m[a] = b
			}
			m[k] = v
			return m
		}
		for _, c := range []struct {
			name   string
			fields map[string]string
			says   string
		}{
			{"long name", with(good, "name", long), "at most 128 characters long; this one has 129"},
			{"name format", with(good, "name", "net work"), "holds only letters"},
			{"long description", with(good, "description", strings.Repeat("d", 257)), "at most 256 characters"},
			{"empty region", with(good, "region", ""), "Choose a region."},
			{"unknown region", with(good, "region", "cn-atlantis"), `The region "cn-atlantis" does not exist.`},
			{"IPv6 CIDR", with(good, "cidr", "fd00::/48"), "Only IPv4 CIDR blocks"},
			{"public CIDR", with(good, "cidr", "8.8.0.0/16"), "lies inside 10.0.0.0/8"},
			{"long CIDR", with(good, "cidr", strings.Repeat("1", 3000)), "cannot be read"},
		} {
			status, msg := postStatus(t, page, "/vpcs", c.fields)
			if status != 422 || !strings.Contains(msg, c.says) {
				t.Errorf("Create VPC, %s: status %d %q, want 422 saying %q", c.name, status, msg, c.says)
			}
		}

		vsw := map[string]string{"name": "sw", "zone": "cn-hangzhou-h", "cidr": "10.0.8.0/24"}
		newVsw := vpcPath(vpcID) + "/vswitches/new"
		for _, c := range []struct {
			name   string
			fields map[string]string
			says   string
		}{
			{"blank name and no zone", with(with(vsw, "name", "  "), "zone", ""), "Choose a zone."},
			{"long name", with(vsw, "name", long), "at most 128 characters"},
			{"empty zone", with(vsw, "zone", ""), "Choose a zone."},
			{"zone of another region", with(vsw, "zone", "cn-beijing-g"), "Choose a zone of China (Hangzhou)"},
			{"/30", with(vsw, "cidr", "10.0.8.0/30"), "between /16 and /29"},
			{"outside the VPC", with(vsw, "cidr", "192.168.0.0/24"), "outside 10.0.0.0/16"},
			{"overlapping", with(vsw, "cidr", "10.0.0.0/20"), "overlaps 10.0.1.0/24"},
		} {
			status, msg := postStatus(t, page, newVsw, c.fields)
			want := 422
			if c.name == "overlapping" {
				want = 409
			}
			if status != want || !strings.Contains(msg, c.says) {
				t.Errorf("Create vSwitch, %s: status %d %q, want %d saying %q", c.name, status, msg, want, c.says)
			}
		}
		if ids := idsOn(t, page, vpcPath(vpcID), vswitchIDRE); len(ids) != 1 {
			t.Errorf("refused vSwitches were created: %v", ids)
		}
		if ids := idsOn(t, page, "/vpcs", vpcIDRE); len(ids) != 1 || ids[0] != vpcID {
			t.Errorf("refused VPCs were created: %v", ids)
		}

		// The input policy of both doors (rules.VpcInput.Normalize): an
		// empty name and CIDR block take Alibaba's defaults, as through
		// CreateVpc; surrounding space is dropped.
		postOK(t, page, "/vpcs", map[string]string{"name": "", "description": " padded ", "region": " cn-hangzhou ", "cidr": ""})
		open(t, page, "/vpcs")
		must(t, expect.Locator(page.Locator("body")).ToContainText("vpc-cn-hangzhou"))
		must(t, expect.Locator(page.Locator("body")).ToContainText("172.16.0.0/12"))

		// Another tenant's VPC and vSwitch answer like absent ones.
		for _, path := range []string{vpcPath(otherVpc) + "/vswitches/new", vpcPath(otherVpc) + "/delete",
			vpcPath(otherVpc) + "/vswitches/" + otherVsw + "/delete", vpcPath(vpcID) + "/vswitches/" + otherVsw + "/delete",
			vpcPath("vpc-"+strings.Repeat("0", 22)) + "/delete"} {
			if status, _ := postStatus(t, page, path, vsw); status != 404 {
				t.Errorf("POST %s: status %d, want 404", path, status)
			}
			if status, _ := get(t, page, path); status != 404 {
				t.Errorf("GET %s: status %d, want 404", path, status)
			}
		}
		for path, want := range map[string]int{
			vpcPath(otherVpc):                  404,
			vpcPath(strings.Repeat("x", 2000)): 404,
			"/vpcs?region=" + long:             422,
		} {
			if status, _ := get(t, page, path); status != want {
				t.Errorf("GET %.60s: status %d, want %d", path, status, want)
			}
		}
		open(t, other, vpcPath(otherVpc))
		must(t, expect.Locator(rowOf(other, "vswitch", otherVsw)).ToBeVisible())

		// The filter's refusal shows beside the Region field.
		resp, err := page.Goto("/vpcs?region=cn-atlantis")
		must(t, err)
		if resp.Status() != 422 {
			t.Errorf("VPCs filtered by an unknown region: status %d, want 422", resp.Status())
		}
		must(t, expect.Locator(page.Locator("#vpcs-filter-region-error")).ToContainText(`The region "cn-atlantis" does not exist.`))
	})
}

// A viewer sees VPCs and instances but no control that changes them, and
// the forms refuse it.
func TestVpcsViewerReadOnly(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		op, a := loggedIn(t, pageOpts{}, "operator")
		vpcID, vswID, inst := seedNetwork(t, op, "cn-hangzhou")
		addUser(t, a.Name, a.Login+"-v", "viewer", a.Password)
		page := browserPage(t, o)
		login(t, page, account{Name: a.Name, Login: a.Login + "-v", Password: a.Password})

		open(t, page, "/vpcs")
		must(t, expect.Locator(rowOf(page, "vpc", vpcID)).ToBeVisible())
		must(t, expect.Locator(link(page, "Create VPC")).ToHaveCount(0))
		open(t, page, vpcPath(vpcID))
		must(t, expect.Locator(rowOf(page, "vswitch", vswID)).ToBeVisible())
		for _, name := range []string{"Create vSwitch", "Delete VPC", "Delete"} {
			must(t, expect.Locator(link(page, name)).ToHaveCount(0))
			must(t, expect.Locator(button(page, name)).ToHaveCount(0))
		}
		must(t, expect.Locator(rowOf(page, "vswitch", vswID).GetByRole("link")).ToHaveCount(1)) // the instance it serves, no action
		open(t, page, "/instances")
		expectBoundTo(t, rowOf(page, "instance", inst), vpcID)
		for _, name := range []string{"Create Instance", "Change VPC", "Unbind", "Delete", "Bind to VPC"} {
			must(t, expect.Locator(link(page, name)).ToHaveCount(0))
			must(t, expect.Locator(button(page, name)).ToHaveCount(0))
		}
		open(t, page, instancePath(inst))
		must(t, expect.Locator(link(page, "Change VPC")).ToHaveCount(0))
		if status, _ := postStatus(t, page, "/vpcs", map[string]string{"name": "x", "region": "cn-hangzhou", "cidr": "10.0.0.0/16"}); status != 403 {
			t.Errorf("viewer creating a VPC: status %d, want 403", status)
		}
		if status, _ := postStatus(t, page, instancePath(inst)+"/unbind", nil); status != 403 {
			t.Errorf("viewer unbinding: status %d, want 403", status)
		}
	})
}
