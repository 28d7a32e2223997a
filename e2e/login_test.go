//go:build e2e

package e2e

import (
	"regexp"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Log in, use the console, log out; afterwards the old session is gone and
// a wrong password gets the one generic answer.
func TestLoginUseLogout(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		a := newAccount(t, "operator")
		page := browserPage(t, o)
		open(t, page, "/groups")
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/login\?next=%2Fgroups$`)))
		shot(t, page, "login-"+modeName(o))

		must(t, page.GetByLabel("User name").Fill(a.Login))
		must(t, page.GetByLabel("Password").Fill("not-the-password-at-all"))
		must(t, button(page, "Log in").Click())
		must(t, expect.Locator(page.GetByRole("alert")).ToContainText("Wrong user name or password."))

		must(t, page.GetByLabel("Password").Fill(a.Password))
		must(t, button(page, "Log in").Click())
		// Back where the visitor wanted to go.
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/groups$`)))
		must(t, expect.Locator(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: "API Groups", Level: playwright.Int(1)})).ToBeVisible())
		must(t, expect.Locator(page.Locator(".topbar")).ToContainText(a.Login))

		must(t, button(page, "Log out").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/login$`)))
		must(t, expect.Locator(page.Locator("#flashes")).ToContainText("You have logged out."))
		open(t, page, "/vpcs")
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/login`)))
	})
}

func modeName(o pageOpts) string {
	if o.NoJS {
		return "nojs"
	}
	return "js"
}
