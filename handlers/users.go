package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// UsersPage lists the account's users, with forms to add one and to change
// roles (admins only).
func (h *Handler) UsersPage(c echo.Context) error {
	return h.renderUsers(c, http.StatusOK, pages.UsersProps{Role: string(rules.RoleOperator)})
}

func (h *Handler) renderUsers(c echo.Context, status int, props pages.UsersProps) error {
	p := currentPrincipal(c)
	users, err := h.store.ListUsers(c.Request().Context(), p.Account.ID)
	if err != nil {
		return err
	}
	props.Users, props.Me = users, p.User.Login
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
		errs, status, ok := formErrors(err)
		if !ok {
			return fmt.Errorf("add user: %w", err)
		}
		return h.renderUsers(c, status, pages.UsersProps{Login: in.Login, Role: string(in.Role), Errors: errs})
	}
	h.flash(c, "success", fmt.Sprintf("User %s added as %s.", u.Login, u.Role))
	return redirect(c, paths.Users)
}

// UserSetRole changes a user's role; the account's last admin stays admin.
func (h *Handler) UserSetRole(c echo.Context) error {
	login := c.Param("login")
	role := rules.Role(c.FormValue("role"))
	u, err := h.store.SetUserRole(c.Request().Context(), currentPrincipal(c).actor(), login, role)
	if err != nil {
		errs, status, ok := formErrors(err)
		if !ok || status == http.StatusNotFound {
			return notFoundOr(err)
		}
		return h.renderUsers(c, status, pages.UsersProps{Role: string(rules.RoleOperator), RoleError: anyMessage(errs), RoleErrorFor: login})
	}
	h.flash(c, "success", fmt.Sprintf("%s is now %s.", u.Login, u.Role))
	return redirect(c, paths.Users)
}
