//go:build e2e

package e2e

import (
	"html"
	"net/url"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Helpers of the VPCs and Dedicated Instances tests: filling the console's
// dialogs by label, as a person would.

// within finds a labelled field inside a dialog.
func fieldIn(d playwright.Locator, label string) playwright.Locator {
	return d.GetByLabel(label, playwright.LocatorGetByLabelOptions{Exact: playwright.Bool(true)})
}

// fill types into a dialog's labelled field.
func fillIn(t *testing.T, d playwright.Locator, label, value string) {
	t.Helper()
	must(t, fieldIn(d, label).Fill(value))
}

// choose picks an option of a dialog's labelled select by value.
func chooseIn(t *testing.T, d playwright.Locator, label, value string) {
	t.Helper()
	if _, err := fieldIn(d, label).SelectOption(playwright.SelectOptionValues{Values: &[]string{value}}); err != nil {
		t.Fatalf("choose %s = %s: %v", label, value, err)
	}
}

// press clicks a dialog's button.
func pressIn(t *testing.T, d playwright.Locator, name string) {
	t.Helper()
	must(t, d.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}).Click())
}

// openDialog clicks what opens a dialog and waits for it.
func openDialogWith(t *testing.T, page playwright.Page, opener playwright.Locator, title string) playwright.Locator {
	t.Helper()
	must(t, opener.Click())
	d := dialog(page, title)
	must(t, expect.Locator(d).ToBeVisible())
	return d
}

// fieldError is the message shown beside a form's field (ids follow
// components.Field: form-name-error).
func fieldErrorIn(d playwright.Locator, form, name string) playwright.Locator {
	return d.Locator("#" + form + "-" + name + "-error")
}

// formAlert is the message above a dialog's form.
func formAlertIn(d playwright.Locator) playwright.Locator {
	return d.Locator(`.notice.err[role="alert"]`)
}

// flashMessage is the one-time message at the top of a page.
func flashMessage(page playwright.Page) playwright.Locator {
	return page.Locator("#flashes .flash")
}

// row is the table row of an instance, a VPC or a vSwitch by its id.
func rowOf(page playwright.Page, kind, id string) playwright.Locator {
	return page.Locator("tr#" + kind + "-" + id)
}

// vpcPath is the VPC page of an id.
func vpcPath(id string) string { return "/vpcs/" + url.PathEscape(id) }

// instancePath is the instance page of an id.
func instancePath(id string) string { return "/instances/" + url.PathEscape(id) }

// statusOf posts a form and returns the status and the error messages.
func postStatus(t *testing.T, page playwright.Page, path string, fields map[string]string) (int, string) {
	t.Helper()
	resp := post(t, page, path, fields)
	body, err := resp.Text()
	if err != nil {
		t.Fatalf("POST %s: read body: %v", path, err)
	}
	return resp.Status(), html.UnescapeString(errorText(body))
}

func headingOpts(name string) playwright.PageGetByRoleOptions {
	return playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}

func exactText() playwright.PageGetByTextOptions {
	return playwright.PageGetByTextOptions{Exact: playwright.Bool(true)}
}

func linkOpts(name string) playwright.PageGetByRoleOptions {
	return playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}

func linkInOpts(name string) playwright.LocatorGetByRoleOptions {
	return playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}

func buttonInOpts(name string) playwright.LocatorGetByRoleOptions {
	return playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)}
}

// seedInstanceInZone makes a dedicated instance in a zone of any region.
func seedInstanceInZone(t *testing.T, page playwright.Page, region, zone string) string {
	t.Helper()
	return created(t, page, "/instances", map[string]string{
		"name": "far", "region": region, "zone": zone, "spec": "api.s1.medium", "https_policy": "HTTPS1_1_TLS1_0",
	}, "/instances", instanceIDRE(region))
}

// expectRefused checks a confirmation dialog the rules refuse: it shows the
// rule's message and offers no submit button.
func expectRefused(t *testing.T, d playwright.Locator, submit, says string) {
	t.Helper()
	must(t, expect.Locator(formAlertIn(d)).ToContainText(says))
	must(t, expect.Locator(d.GetByRole("button", buttonInOpts(submit))).ToHaveCount(0))
}

// openRefusedDialog opens, as a page, a dialog whose action the rules
// refuse (409): its button on the page is disabled, so an operator never
// gets here by a click, but the URL still answers with the refusal.
func openRefusedDialog(t *testing.T, page playwright.Page, path, title string) playwright.Locator {
	t.Helper()
	open409(t, page, path)
	d := dialog(page, title)
	must(t, expect.Locator(d).ToBeVisible())
	return d
}

// expectDisabled checks that the button named name in scope is disabled
// and that its reason, beside it, says says.
func expectDisabled(t *testing.T, scope playwright.Locator, name, says string) {
	t.Helper()
	b := scope.GetByRole("button", buttonInOpts(name))
	must(t, expect.Locator(b).ToBeDisabled())
	id, err := b.GetAttribute("aria-describedby")
	must(t, err)
	page, err := scope.Page()
	must(t, err)
	must(t, expect.Locator(page.Locator("#"+id)).ToContainText(says))
}

// expectBoundTo checks that an instance's row shows its VPC (by name, a
// link to the VPC's page).
func expectBoundTo(t *testing.T, row playwright.Locator, vpcID string) {
	t.Helper()
	must(t, expect.Locator(row.Locator(`a[href="`+vpcPath(vpcID)+`"]`)).ToBeVisible())
}
