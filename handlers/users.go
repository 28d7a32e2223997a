package handlers

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// UsersPage lists the account's users, with forms to add one, change a
// role, reset a password and remove a user (admins only).
func (h *Handler) UsersPage(c echo.Context) error {
	return h.renderUsers(c, http.StatusOK, pages.UsersProps{Role: string(rules.RoleOperator)})
}

func (h *Handler) renderUsers(c echo.Context, status int, props pages.UsersProps) error {
	p := currentPrincipal(c)
	users, err := h.store.ListUsers(c.Request().Context(), p.Account.ID)
	if err != nil {
		return err
	}
	admins := 0
	for _, u := range users {
		if u.Role == rules.RoleAdmin {
			admins++
		}
	}
	props.Users = make([]pages.UserRow, len(users))
	for i, u := range users {
		props.Users[i] = pages.UserRow{User: u, Me: u.ID == p.User.ID,
			LastAdmin: rules.CheckRoleChange(u, rules.RoleViewer, admins) != nil,
			Remove: components.Action{ID: "user-" + u.Login + "-remove", Href: paths.UserAction(u.Login, "remove"), Label: "Remove",
				Class: "btn small danger", Refusal: userRemoveRefusal(u, admins)}}
	}
	return render(c, status, h.chrome(c, "Users", "users"), pages.UsersPage(props))
}

// UserCreate adds a user to the admin's account.
func (h *Handler) UserCreate(c echo.Context) error {
	in := rules.UserInput{
		Login:    c.FormValue("login"),
		Password: c.FormValue("password"),
		Role:     rules.Role(c.FormValue("role")),
	}.Normalize() // the store does it too; the form shows what was read
	u, err := h.store.AddAccountUser(c.Request().Context(), currentPrincipal(c).actor(), in)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return fmt.Errorf("add user: %w", err)
		}
		return h.renderUsers(c, status, pages.UsersProps{Login: in.Login, Role: string(in.Role), Errors: errs})
	}
	h.flash(c, "success", fmt.Sprintf("User %s added as %s.", u.Login, u.Role))
	return redirect(c, paths.Users)
}

// UserSetRole changes a user's role; the account's last admin stays admin.
// The user's open sessions have the new role from their next request.
func (h *Handler) UserSetRole(c echo.Context) error {
	login := c.Param("login")
	role := rules.Role(c.FormValue("role"))
	p := currentPrincipal(c)
	u, err := h.store.SetUserRole(c.Request().Context(), p.actor(), login, role)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok || status == http.StatusNotFound {
			return notFoundOr(err)
		}
		return h.renderUsers(c, status, pages.UsersProps{Role: string(rules.RoleOperator), RoleError: anyMessage(errs), RoleErrorFor: login})
	}
	if u.ID == p.User.ID && !u.Role.CanAdminister() {
		// No longer an admin: the Users page is closed to them now.
		h.flash(c, "success", fmt.Sprintf("You are now %s: users and AccessKeys are managed by the account's admins.", u.Role))
		return redirect(c, paths.Home)
	}
	h.flash(c, "success", fmt.Sprintf("%s is now %s. Their open sessions have the new role from their next request.", u.Login, u.Role))
	return redirect(c, paths.Users)
}

// userResetProps describes the Reset password dialog.
func userResetProps(c echo.Context, u rules.User, errs components.Errors) pages.ConfirmProps {
	return pages.ConfirmProps{
		Dialog: dialogOf(c, "user-reset", "Reset password", paths.Users),
		Action: paths.UserAction(u.Login, "password"),
		Lines:  []string{fmt.Sprintf("Give %s (%s) a new password?", u.Login, u.Role)},
		Fields: pages.ResetPasswordFields(u.Login, errs),
		Notes:  []string{"Their open sessions end at once: they log in again with the new password. Their AccessKeys keep working."},
		Submit: "Reset password",
		Danger: true,
		Errors: formFields(errs, rules.FieldPassword),
	}
}

// UserResetPasswordPage asks to confirm a password reset.
func (h *Handler) UserResetPasswordPage(c echo.Context) error {
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, "users", userResetProps(c, u, nil))
}

// UserResetPassword gives a user a new password, the one the admin typed
// or, without one, a random one shown once in the dialog; the user's
// sessions end.
func (h *Handler) UserResetPassword(c echo.Context) error {
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	typed := c.FormValue(rules.FieldPassword)
	_, password, err := h.store.ResetUserPassword(c.Request().Context(), currentPrincipal(c).actor(), u.Login, typed)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok || status == http.StatusNotFound {
			return notFoundOr(err)
		}
		props := userResetProps(c, u, errs)
		return render(c, status, h.chrome(c, props.Dialog.Title, "users"), pages.ConfirmPage(props))
	}
	if typed != "" {
		h.flash(c, "success", fmt.Sprintf("%s has the password you typed; their open sessions have ended.", u.Login))
		return redirect(c, paths.Users)
	}
	// Made by Gatehouse: shown in the dialog itself, never kept in a cookie.
	props := pages.PasswordIssuedProps{Dialog: dialogOf(c, "user-password-issued", "New password", paths.Users), Login: u.Login, Password: password}
	return render(c, http.StatusOK, h.chrome(c, "New password", "users"), pages.PasswordIssuedPage(props))
}

// userRemoveProps describes the Remove user dialog. The rules answer first:
// the account's last admin stays, and the way out is the Users page, where
// another user can be made admin.
func userRemoveProps(c echo.Context, u rules.User, me bool, admins, keys int) pages.ConfirmProps {
	props := pages.ConfirmProps{
		Dialog: dialogOf(c, "user-remove", "Remove user", paths.Users),
		Action: paths.UserAction(u.Login, "remove"),
		Lines:  []string{fmt.Sprintf("Remove the user %s (%s) from the account?", u.Login, u.Role)},
		Submit: "Remove",
		Danger: true,
	}
	if props.Refusal = userRemoveRefusal(u, admins); props.Refusal != nil {
		return props
	}
	note := "Their open sessions end at once"
	if keys > 0 {
		if keys == 1 {
			note += " and their AccessKey is deleted: clients signing with it are refused"
		} else {
			note += " and their " + rules.Plural(keys, "AccessKey", "AccessKeys") + " are deleted: clients signing with them are refused"
		}
	}
	props.Notes = []string{note + ". This cannot be undone; the operation log keeps what they did."}
	if me {
		props.Notes = append(props.Notes, "This is you: you are logged out when you confirm.")
	}
	return props
}

// userRemoveRefusal refuses removing the account's last admin; the way out
// is to make another user admin. nil when allowed.
func userRemoveRefusal(u rules.User, admins int) *components.Refusal {
	return refusalOf(rules.CheckRemoveUser(u, admins), components.Link{Href: paths.Users + "#users", Label: "Make another user admin on the Users page"})
}

// UserRemovePage asks to confirm removing a user.
func (h *Handler) UserRemovePage(c echo.Context) error {
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	props, err := h.userRemoveDialog(c, u)
	if err != nil {
		return err
	}
	return h.renderConfirm(c, "users", props)
}

func (h *Handler) userRemoveDialog(c echo.Context, u rules.User) (pages.ConfirmProps, error) {
	ctx := c.Request().Context()
	p := currentPrincipal(c)
	users, err := h.store.ListUsers(ctx, p.Account.ID)
	if err != nil {
		return pages.ConfirmProps{}, err
	}
	admins := 0
	for _, o := range users {
		if o.Role == rules.RoleAdmin {
			admins++
		}
	}
	keys, err := h.store.ListAccessKeys(ctx, p.Account.ID)
	if err != nil {
		return pages.ConfirmProps{}, err
	}
	n := 0
	for _, k := range keys {
		if k.UserLogin == u.Login {
			n++
		}
	}
	return userRemoveProps(c, u, u.ID == p.User.ID, admins, n), nil
}

// UserRemove removes a user with their AccessKeys; their sessions end.
func (h *Handler) UserRemove(c echo.Context) error {
	u, err := h.accountUser(c)
	if err != nil {
		return err
	}
	p := currentPrincipal(c)
	if _, err := h.store.RemoveUser(c.Request().Context(), p.actor(), u.Login); err != nil {
		props, perr := h.userRemoveDialog(c, u)
		if perr != nil {
			return perr
		}
		return h.confirmRefused(c, err, "users", props)
	}
	h.flash(c, "success", fmt.Sprintf("User %s removed; their sessions have ended.", u.Login))
	if u.ID == p.User.ID {
		return redirect(c, paths.Login) // their own session has just ended
	}
	return redirect(c, paths.Users)
}

// accountUser is the user of the admin's account named in the path; any
// other login (absent, or another account's) is the 404 page.
func (h *Handler) accountUser(c echo.Context) (rules.User, error) {
	p := currentPrincipal(c)
	users, err := h.store.ListUsers(c.Request().Context(), p.Account.ID)
	if err != nil {
		return rules.User{}, err
	}
	login := c.Param("login")
	for _, u := range users {
		if strings.EqualFold(u.Login, login) {
			return u, nil
		}
	}
	return rules.User{}, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("The user %q does not exist.", rules.Shorten(login)))
}

// PasswordPage is the Change password page of the user logged in (any
// role: it changes nothing of the account's resources).
func (h *Handler) PasswordPage(c echo.Context) error {
	return h.renderPassword(c, http.StatusOK, nil)
}

func (h *Handler) renderPassword(c echo.Context, status int, errs components.Errors) error {
	props := pages.PasswordProps{Login: currentPrincipal(c).User.Login, Errors: errs}
	return render(c, status, h.chrome(c, "Change password", ""), pages.PasswordPage(props))
}

// PasswordChange changes the password of the user logged in: the current
// one must be right (wrong ones count towards the login throttle, so a
// session left open is no way to guess it); the user's other sessions end,
// this one stays.
func (h *Handler) PasswordChange(c echo.Context) error {
	p := currentPrincipal(c)
	in := rules.PasswordChange{
		Current: c.FormValue(rules.FieldCurrentPassword),
		New:     c.FormValue(rules.FieldPassword),
		Repeat:  c.FormValue(rules.FieldPasswordRepeat),
		Repeats: true,
	}
	key := strings.ToLower(p.User.Login)
	if ok, wait := h.throttle.allow(key, c.RealIP()); !ok {
		errs := components.Errors{"": {"Too many wrong passwords. " + tryAgainIn(wait)}}
		noteInvalid(c, "Throttling", errs)
		return h.renderPassword(c, http.StatusTooManyRequests, errs)
	}
	err := h.store.ChangeOwnPassword(c.Request().Context(), p.actor(), in, p.Session.ID)
	if rules.HasCode(err, rules.CodeWrongPassword) {
		h.throttle.failed(key)
	}
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return fmt.Errorf("change password: %w", err)
		}
		return h.renderPassword(c, status, formFields(errs, rules.FieldCurrentPassword, rules.FieldPassword, rules.FieldPasswordRepeat))
	}
	h.throttle.succeeded(key)
	h.flash(c, "success", "Your password is changed. Your other sessions have ended; this one goes on.")
	return redirect(c, paths.Home)
}
