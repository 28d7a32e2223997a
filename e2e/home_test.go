//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// The home page loads in Chromium with the console's navigation.
func TestHomeShowsNavigation(t *testing.T) {
	for _, dark := range []bool{false, true} {
		page, _ := loggedIn(t, pageOpts{Dark: dark}, "admin")
		open(t, page, "/")
		must(t, expect.Page(page).ToHaveTitle("Overview · Gatehouse"))
		nav := page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Console"})
		for _, label := range []string{"API Groups", "Dedicated Instances", "VPCs", "Access check", "Operation log", "AccessKeys"} {
			must(t, expect.Locator(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: label, Exact: playwright.Bool(true)})).ToBeVisible())
		}
		// Only admins manage keys and users; a viewer's navigation has no
		// such entries (checked below).
		name := "home-light"
		if dark {
			name = "home-dark"
		}
		shot(t, page, name)
	}
	viewer, _ := loggedIn(t, pageOpts{}, "viewer")
	open(t, viewer, "/")
	nav := viewer.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Console"})
	must(t, expect.Locator(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "API Groups"})).ToBeVisible())
	must(t, expect.Locator(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "AccessKeys"})).ToHaveCount(0))
}
