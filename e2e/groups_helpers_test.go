//go:build e2e

package e2e

import (
	"regexp"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Helpers of the API Groups flows: what an operator does in the console.

var groupURLRE = regexp.MustCompile(`/groups/([0-9a-f]{32})$`)

// label finds a form control by its exact label inside a dialog or page.
func label(l playwright.Locator, name string) playwright.Locator {
	return l.GetByLabel(name, playwright.LocatorGetByLabelOptions{Exact: playwright.Bool(true)})
}

// dialogButton finds a button of a dialog by its exact name.
func dialogButton(d playwright.Locator, name string) playwright.Locator {
	return d.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: name, Exact: playwright.Bool(true)})
}

// choose selects an option of a select by its value.
func choose(t *testing.T, l playwright.Locator, value string) {
	t.Helper()
	if _, err := l.SelectOption(playwright.SelectOptionValues{Values: playwright.StringSlice(value)}); err != nil {
		t.Fatalf("select %q: %v", value, err)
	}
}

// openDialog clicks the link that opens a dialog and waits for it: a modal
// with JavaScript, a page of its own without.
func openDialog(t *testing.T, page playwright.Page, linkName, title string) playwright.Locator {
	t.Helper()
	must(t, link(page, linkName).First().Click())
	d := dialog(page, title)
	must(t, expect.Locator(d).ToBeVisible())
	return d
}

// onGroupPage waits for Group Details and returns the group's id.
func onGroupPage(t *testing.T, page playwright.Page, name string) string {
	t.Helper()
	must(t, expect.Page(page).ToHaveURL(groupURLRE))
	must(t, expect.Locator(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: name, Level: playwright.Int(1)})).ToBeVisible())
	return groupURLRE.FindStringSubmatch(page.URL())[1]
}

// createGroupInConsole creates a group in the Create Group dialog on the
// instance given (the region's shared instance when empty) and returns its
// id from Group Details.
func createGroupInConsole(t *testing.T, page playwright.Page, name, instance string) string {
	t.Helper()
	open(t, page, "/groups")
	d := openDialog(t, page, "Create Group", "Create Group")
	must(t, label(d, "Group name").Fill(name))
	must(t, label(d, "Description").Fill("Created by the e2e tests."))
	if instance != "" {
		choose(t, label(d, "Instance"), instance)
	}
	must(t, dialogButton(d, "Create").Click())
	id := onGroupPage(t, page, name)
	must(t, expect.Locator(page.Locator("#flashes")).ToContainText("API group "+name+" created."))
	return id
}

// flash is the page's one-time message area.
func flash(page playwright.Page) playwright.Locator { return page.Locator("#flashes") }

// domainPanel is the Second-level domains card of Group Details.
func domainPanel(page playwright.Page) playwright.Locator { return page.Locator("#domain-panel") }

func vpcDomain(id, region string) string    { return id + "-" + region + "-vpc.alicloudapi.com" }
func publicDomain(id, region string) string { return id + "-" + region + ".alicloudapi.com" }
