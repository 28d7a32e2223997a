//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// The home page loads in Chromium with the console's navigation.
func TestHomeShowsNavigation(t *testing.T) {
	for _, dark := range []bool{false, true} {
		page, _ := loggedIn(t, pageOpts{Dark: dark}, "viewer")
		open(t, page, "/")
		must(t, expect.Page(page).ToHaveTitle("Overview · Gatehouse"))
		nav := page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Console"})
		for _, label := range []string{"API Groups", "Dedicated Instances", "VPCs", "Access check", "Operation log", "AccessKeys"} {
			must(t, expect.Locator(nav.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: label, Exact: playwright.Bool(true)})).ToBeVisible())
		}
		name := "home-light"
		if dark {
			name = "home-dark"
		}
		shot(t, page, name)
	}
}
