//go:build e2e

package e2e

import (
	"fmt"
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"
)

// uniqueDomain is a custom domain name no other test binds: names are
// unique across the whole system.
func uniqueDomain(prefix string) string {
	return fmt.Sprintf("%s-%d.example.com", prefix, time.Now().UnixNano())
}

// Bind Domain Name: INTRANET is refused on a shared instance with the
// reason shown; on a dedicated instance bound to a VPC with the VPC domain
// enabled it binds, and the CNAME target to create is shown. The VPC domain
// cannot be disabled while it serves the domain; unbinding removes it.
func TestGroupBindDomain(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")

		shared := createGroup(t, page, "shared_api", "cn-hangzhou", "api-shared-vpc-001")
		postOK(t, page, "/groups/"+shared+"/vpc-domain/enable", nil)
		open(t, page, "/groups/"+shared)
		d := openDialog(t, page, "Bind Domain Name", "Bind Domain Name")
		name := uniqueDomain("intra")
		must(t, label(d, "Domain name").Fill(name))
		choose(t, label(d, "Network type"), "INTRANET")
		must(t, dialogButton(d, "Bind").Click())
		d = dialog(page, "Bind Domain Name")
		must(t, expect.Locator(d).ToContainText("shared instances do not support custom domains on the VPC second-level domain"))
		must(t, expect.Locator(label(d, "Domain name")).ToHaveValue(name))
		must(t, expect.Locator(label(d, "Network type")).ToHaveAttribute("aria-invalid", "true"))

		// INTERNET works on a shared instance: CNAME to the public domain.
		public := uniqueDomain("www")
		must(t, label(d, "Domain name").Fill(public))
		choose(t, label(d, "Network type"), "INTERNET")
		must(t, dialogButton(d, "Bind").Click())
		onGroupPage(t, page, "shared_api")
		must(t, expect.Locator(flash(page)).ToContainText("Add a CNAME record: "+public+" → "+publicDomain(shared, "cn-hangzhou")))
		must(t, expect.Locator(page.Locator("#custom-domains")).ToContainText(public))

		// A dedicated instance bound to a VPC, VPC domain enabled.
		_, _, inst := seedNetwork(t, page, "cn-hangzhou")
		ded := createGroup(t, page, "private_api", "cn-hangzhou", inst)
		postOK(t, page, "/groups/"+ded+"/vpc-domain/enable", nil)
		open(t, page, "/groups/"+ded)
		d = openDialog(t, page, "Bind Domain Name", "Bind Domain Name")
		must(t, label(d, "Domain name").Fill(name))
		choose(t, label(d, "Network type"), "INTRANET")
		must(t, dialogButton(d, "Bind").Click())
		onGroupPage(t, page, "private_api")
		target := vpcDomain(ded, "cn-hangzhou")
		must(t, expect.Locator(flash(page)).ToContainText("Add a CNAME record: "+name+" → "+target))
		row := page.Locator("#custom-domains tbody tr").Filter(playwright.LocatorFilterOptions{HasText: name})
		must(t, expect.Locator(row).ToContainText("INTRANET"))
		must(t, expect.Locator(row).ToContainText(target))
		must(t, expect.Locator(row).ToContainText("No")) // no certificate

		// The VPC domain serves the INTRANET domain: disabling it is refused,
		// on the page (the button disabled, its reason beside it) and in the
		// dialog.
		expectDisabled(t, domainPanel(page), "Disable", "cannot be disabled while custom domains of network type INTRANET point at it")
		d = openRefusedDialog(t, page, "/groups/"+ded+"/vpc-domain/disable", "Disable VPC Second-level Domain")
		must(t, expect.Locator(dialogButton(d, "Disable")).ToHaveCount(0))
		alert := dialog(page, "Disable VPC Second-level Domain").GetByRole("alert")
		must(t, expect.Locator(alert).ToContainText("cannot be disabled while custom domains of network type INTRANET point at it"))
		must(t, expect.Locator(alert).ToContainText(name))

		open(t, page, "/groups/"+ded)
		must(t, link(page, "Unbind "+name).Click())
		d = dialog(page, "Unbind Domain Name")
		must(t, expect.Locator(d).ToContainText(name))
		must(t, dialogButton(d, "Unbind").Click())
		onGroupPage(t, page, "private_api")
		must(t, expect.Locator(flash(page)).ToContainText("Domain name "+name+" unbound"))
		must(t, expect.Locator(page.Locator("#custom-domains")).Not().ToContainText(name))
		must(t, expect.Locator(page.Locator("#custom-domains")).ToContainText("No custom domain is bound"))
	})
}
