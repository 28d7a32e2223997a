//go:build e2e

package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// userRow is a user's line on the Users page.
func userRow(page playwright.Page, login string) playwright.Locator {
	return page.Locator("tr#user-" + login)
}

// expectLoggedOut: the page's session has ended, and it shows the login
// page saying so.
func expectLoggedOut(t *testing.T, page playwright.Page) {
	t.Helper()
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/login`)))
	must(t, expect.Locator(flashMessage(page)).ToContainText("Your session has ended."))
}

// An admin demotes, resets and removes a user while the user is logged in
// elsewhere: the user's open session is refused on its next change (the
// role), its next request (the password, the removal); the account's last
// admin can be neither demoted nor removed.
func TestUsersAdminDemotesResetsAndRemoves(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		admin, a := loggedIn(t, o, "admin")
		user := account{Name: a.Name, Login: a.Login + "-ops", Password: a.Password + "-ops"}
		addUser(t, user.Name, user.Login, "operator", user.Password)
		them := browserPage(t, o)
		login(t, them, user)

		// They open Create Group as an operator may ...
		open(t, them, "/groups")
		d := openDialog(t, them, "Create Group", "Create Group")
		must(t, label(d, "Group name").Fill("after_demotion"))

		// ... the admin makes them a viewer meanwhile ...
		open(t, admin, "/users")
		row := userRow(admin, user.Login)
		must(t, expect.Locator(row).ToContainText("operator"))
		choose(t, label(row, "Role of "+user.Login), "viewer")
		must(t, row.GetByRole("button", buttonInOpts("Change the role of "+user.Login)).Click())
		must(t, expect.Locator(flashMessage(admin)).ToContainText(user.Login+" is now viewer."))

		// ... and their next change is refused.
		must(t, dialogButton(d, "Create").Click())
		must(t, expect.Locator(them.Locator("#error")).ToContainText("Your role (viewer) can look but not change anything."))
		open(t, them, "/groups?q=after_demotion")
		must(t, expect.Locator(them.GetByText("after_demotion")).ToHaveCount(0))

		// A reset: the new password is shown once; their session ends.
		open(t, admin, "/users")
		rd := openDialogWith(t, admin, userRow(admin, user.Login).GetByRole("link", linkInOpts("Reset password")), "Reset password")
		must(t, expect.Locator(rd).ToContainText("Their open sessions end at once"))
		pressIn(t, rd, "Reset password")
		issued := dialog(admin, "New password")
		must(t, expect.Locator(issued).ToContainText("shown only this once"))
		password, err := issued.Locator("#password-issued-value").TextContent()
		must(t, err)
		shot(t, admin, "users-password-issued-"+modeName(o))
		open(t, them, "/groups")
		expectLoggedOut(t, them)
		login(t, them, account{Login: user.Login, Password: strings.TrimSpace(password)})

		// Removed: the session they just opened is refused on its next request.
		open(t, admin, "/users")
		md := openDialogWith(t, admin, userRow(admin, user.Login).GetByRole("link", linkInOpts("Remove")), "Remove user")
		pressIn(t, md, "Remove")
		must(t, expect.Locator(flashMessage(admin)).ToContainText("User "+user.Login+" removed"))
		must(t, expect.Locator(userRow(admin, user.Login)).ToHaveCount(0))
		must(t, link(them, "VPCs").Click())
		expectLoggedOut(t, them)

		// The last admin: the Remove dialog refuses before any Confirm, and
		// the role stays admin.
		open(t, admin, "/users")
		me := userRow(admin, a.Login)
		must(t, expect.Locator(me).ToContainText("The last admin: make another user admin first."))
		expectDisabled(t, me, "Remove", "last admin and cannot be removed")
		ld := openRefusedDialog(t, admin, "/users/"+a.Login+"/remove", "Remove user")
		must(t, expect.Locator(ld.GetByRole("alert")).ToContainText("last admin and cannot be removed"))
		must(t, expect.Locator(dialogButton(ld, "Remove")).ToHaveCount(0))
		shot(t, admin, "users-last-admin-"+modeName(o))
		open(t, admin, "/users")
		me = userRow(admin, a.Login)
		choose(t, label(me, "Role of "+a.Login), "operator")
		must(t, me.GetByRole("button", buttonInOpts("Change the role of "+a.Login)).Click())
		must(t, expect.Locator(userRow(admin, a.Login)).ToContainText("is the account's last admin; make another user admin first."))
		open(t, admin, "/users")
		must(t, expect.Locator(label(userRow(admin, a.Login), "Role of "+a.Login)).ToHaveValue("admin"))
	})
}

// A user (a viewer: any role may) changes their own password with the
// current one; their other session ends, this one goes on, and the new
// password logs in.
func TestUsersChangeOwnPassword(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, a := loggedIn(t, o, "viewer")
		other := browserPage(t, o)
		login(t, other, a)

		open(t, page, "/groups")
		must(t, link(page, "Change password").Click())
		must(t, expect.Locator(page.GetByRole("heading", headingOpts("Change password"))).ToBeVisible())
		form := page.Locator("main")
		fillIn(t, form, "Current password", "not-my-password-at-all")
		fillIn(t, form, "New password", "a-brand-new-password")
		fillIn(t, form, "New password again", "a-brand-new-password")
		must(t, button(page, "Change password").Click())
		must(t, expect.Locator(fieldErrorIn(form, "password", "current_password")).ToContainText("The current password is wrong."))
		// The first field in error has the focus (and keeps it: typing
		// goes where it is meant to).
		must(t, expect.Locator(form.GetByLabel("Current password")).ToBeFocused())

		fillIn(t, form, "Current password", a.Password)
		fillIn(t, form, "New password", "a-brand-new-password")
		fillIn(t, form, "New password again", "a-brand-new-passwort")
		must(t, button(page, "Change password").Click())
		must(t, expect.Locator(fieldErrorIn(form, "password", "password_repeat")).ToContainText("The two new passwords differ"))
		must(t, expect.Locator(form.GetByLabel("New password again")).ToBeFocused())

		fillIn(t, form, "Current password", a.Password)
		fillIn(t, form, "New password", "a-brand-new-password")
		fillIn(t, form, "New password again", "a-brand-new-password")
		must(t, button(page, "Change password").Click())
		must(t, expect.Locator(flashMessage(page)).ToContainText("Your password is changed."))
		open(t, page, "/vpcs")
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/vpcs$`)))

		open(t, other, "/vpcs")
		expectLoggedOut(t, other)
		login(t, other, account{Login: a.Login, Password: "a-brand-new-password"})
	})
}
