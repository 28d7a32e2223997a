//go:build e2e

package e2e

import (
	"strings"
	"testing"
)

// Edit on a dedicated instance's page changes its name and HTTPS security
// policy, as an operator does it: the dialog (a modal with JavaScript, a
// page of its own without) opens on the values as they are, each policy
// described; a bad name is refused beside its field with what was chosen
// kept and nothing changed; a good change flashes and the page shows the
// new values. A viewer and a shared instance offer no Edit.
func TestInstancesEdit(t *testing.T) {
	src := axeSource(t)
	eachMode(t, func(t *testing.T, o pageOpts) {
		o.BypassCSP = !o.NoJS // axe is injected
		page, _ := loggedIn(t, o, "operator")
		inst := seedInstance(t, page, "cn-hangzhou")
		open(t, page, instancePath(inst))
		before, err := page.Locator("h1").TextContent()
		must(t, err)
		policy := page.Locator("#instance-https-policy")
		must(t, expect.Locator(policy).ToHaveText("HTTPS2_TLS1_0 HTTP/2, TLS 1.0+"))

		d := openDialogWith(t, page, link(page, "Edit"), "Edit Instance")
		must(t, expect.Locator(fieldIn(d, "Instance name")).ToHaveValue(strings.TrimSpace(before)))
		must(t, expect.Locator(fieldIn(d, "HTTPS security policy")).ToHaveValue("HTTPS2_TLS1_0"))
		must(t, expect.Locator(fieldIn(d, "HTTPS security policy").Locator("option")).ToHaveText([]string{
			"HTTPS1_1_TLS1_0 · HTTP/1.1, TLS 1.0+",
			"HTTPS2_TLS1_0 · HTTP/2, TLS 1.0+ (default)",
			"HTTPS2_TLS1_2 · HTTP/2, TLS 1.2+",
		}))
		if !o.NoJS { // axe runs in the page
			axeCheck(t, page, "Edit Instance", src)
		}

		// A refused name: the field says why, the policy chosen stays.
		fillIn(t, d, "Instance name", "9 edge")
		chooseIn(t, d, "HTTPS security policy", "HTTPS2_TLS1_2")
		pressIn(t, d, "Save")
		d = dialog(page, "Edit Instance")
		must(t, expect.Locator(fieldErrorIn(d, "instance-edit", "name")).ToContainText("An instance name starts with a letter."))
		must(t, expect.Locator(fieldIn(d, "Instance name")).ToHaveValue("9 edge"))
		must(t, expect.Locator(fieldIn(d, "HTTPS security policy")).ToHaveValue("HTTPS2_TLS1_2"))
		if !o.NoJS {
			axeCheck(t, page, "Edit Instance refused", src)
		}
		open(t, page, instancePath(inst))
		must(t, expect.Locator(page.Locator("h1")).ToHaveText(strings.TrimSpace(before)))
		must(t, expect.Locator(policy).ToContainText("HTTPS2_TLS1_0"))

		// The change.
		d = openDialogWith(t, page, link(page, "Edit"), "Edit Instance")
		fillIn(t, d, "Instance name", "edge-gw")
		chooseIn(t, d, "HTTPS security policy", "HTTPS2_TLS1_2")
		pressIn(t, d, "Save")
		must(t, expect.Locator(flashMessage(page)).ToContainText("Instance edge-gw saved. HTTPS policy HTTPS2_TLS1_0 → HTTPS2_TLS1_2 (HTTP/2, TLS 1.2+)"))
		must(t, expect.Page(page).ToHaveURL(instancePath(inst)))
		must(t, expect.Locator(page.Locator("h1")).ToHaveText("edge-gw"))
		must(t, expect.Locator(policy).ToHaveText("HTTPS2_TLS1_2 HTTP/2, TLS 1.2+"))
		open(t, page, "/instances")
		must(t, expect.Locator(rowOf(page, "instance", inst)).ToContainText("edge-gw"))

		// Shared instances are the platform's: no Edit.
		open(t, page, instancePath("api-shared-vpc-001"))
		must(t, expect.Locator(link(page, "Edit")).ToHaveCount(0))
	})
	t.Run("viewer", func(t *testing.T) {
		page, a := loggedIn(t, pageOpts{}, "viewer")
		op := browserPage(t, pageOpts{})
		addUser(t, a.Name, a.Login+"-op", "operator", a.Password)
		login(t, op, account{Name: a.Name, Login: a.Login + "-op", Password: a.Password})
		inst := seedInstance(t, op, "cn-hangzhou")
		open(t, page, instancePath(inst))
		must(t, expect.Locator(page.Locator("h1")).Not().ToBeEmpty())
		must(t, expect.Locator(link(page, "Edit")).ToHaveCount(0))
		resp, err := page.Goto(instancePath(inst) + "/edit")
		if err != nil || resp.Status() != 403 {
			t.Fatalf("a viewer opening Edit: %v, status %d, want 403", err, resp.Status())
		}
	})
}

// Screenshots of the Edit Instance dialog: light, dark, 390 px, and a
// refused name; without JavaScript, the dialog as a page.
func TestInstanceEditScreenshots(t *testing.T) {
	for _, o := range screenLooks {
		t.Run(lookName(o), func(t *testing.T) {
			page, _ := loggedIn(t, o, "operator")
			look := lookName(o)
			inst := seedInstance(t, page, "cn-hangzhou")
			open(t, page, instancePath(inst))
			shot(t, page, "instance-page-edit-"+look)
			d := openDialogWith(t, page, link(page, "Edit"), "Edit Instance")
			shot(t, page, "instance-edit-"+look)
			fillIn(t, d, "Instance name", "")
			pressIn(t, d, "Save")
			must(t, expect.Locator(fieldErrorIn(dialog(page, "Edit Instance"), "instance-edit", "name")).ToBeVisible())
			shot(t, page, "instance-edit-refused-"+look)
		})
	}
	page, _ := loggedIn(t, pageOpts{NoJS: true}, "operator")
	inst := seedInstance(t, page, "cn-hangzhou")
	open(t, page, instancePath(inst)+"/edit")
	shot(t, page, "instance-edit-nojs")
}
