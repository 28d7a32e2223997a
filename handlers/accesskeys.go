package handlers

import (
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// AccessKeysPage lists the account's access keys (admins only), each with
// when it was last used.
func (h *Handler) AccessKeysPage(c echo.Context) error {
	ctx := c.Request().Context()
	keys, err := h.store.ListAccessKeys(ctx, currentPrincipal(c).Account.ID)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, h.chrome(c, "AccessKeys", "accesskeys"), pages.AccessKeysPage(pages.AccessKeysProps{Keys: keys}))
}

// AccessKeyNewPage shows the Create AccessKey dialog: the user the key acts
// as, chosen by the admin (nothing is chosen for them).
func (h *Handler) AccessKeyNewPage(c echo.Context) error {
	return h.renderAccessKeyNew(c, http.StatusOK, "", nil)
}

func (h *Handler) renderAccessKeyNew(c echo.Context, status int, login string, errs components.Errors) error {
	users, err := h.store.ListUsers(c.Request().Context(), currentPrincipal(c).Account.ID)
	if err != nil {
		return err
	}
	props := pages.AccessKeyNewProps{Modal: isFragmentRequest(c), Users: users, User: login, Errors: errs}
	return render(c, status, h.chrome(c, "Create AccessKey", "accesskeys"), pages.AccessKeyNewPage(props))
}

// AccessKeyCreate makes a key for a user of the account and shows its
// secret this once, in a dialog that offers it as a CSV file too: it is
// never shown again.
func (h *Handler) AccessKeyCreate(c echo.Context) error {
	p := currentPrincipal(c)
	login := rules.TrimField(c.FormValue("user"))
	if login == "" {
		errs := components.Errors{"user": {"Choose the user the AccessKey acts as."}}
		noteInvalid(c, rules.CodeInvalidID, errs)
		return h.renderAccessKeyNew(c, http.StatusUnprocessableEntity, login, errs)
	}
	key, secret, err := h.store.CreateAccessKey(c.Request().Context(), p.actor(), login)
	if err != nil {
		errs, status, ok := formErrors(c, err)
		if !ok {
			return fmt.Errorf("create access key: %w", err)
		}
		// The only input is the user: every refusal belongs beside it.
		return h.renderAccessKeyNew(c, status, login, components.Errors{"user": {anyMessage(errs)}})
	}
	props := pages.AccessKeySecretProps{Modal: isFragmentRequest(c), ID: key.ID, Secret: secret, User: key.UserLogin}
	return render(c, http.StatusCreated, h.chrome(c, "AccessKey created", "accesskeys"), pages.AccessKeySecretPage(props))
}

// AccessKeyEnable, AccessKeyDisable and AccessKeyDelete change a key of the
// account; another account's key answers 404.
func (h *Handler) AccessKeyEnable(c echo.Context) error  { return h.setAccessKey(c, true) }
func (h *Handler) AccessKeyDisable(c echo.Context) error { return h.setAccessKey(c, false) }

func (h *Handler) setAccessKey(c echo.Context, enabled bool) error {
	id := c.Param("id")
	if _, err := h.store.SetAccessKeyEnabled(c.Request().Context(), currentPrincipal(c).actor(), id, enabled); err != nil {
		return notFoundOr(err)
	}
	state := "disabled"
	if enabled {
		state = "enabled"
	}
	h.flash(c, "success", fmt.Sprintf("AccessKey %s %s.", id, state))
	return redirect(c, paths.AccessKeys)
}

// AccessKeyDeletePage asks to confirm deleting a key: clients using it
// stop working, and it cannot be undone.
func (h *Handler) AccessKeyDeletePage(c echo.Context) error {
	id := c.Param("id")
	keys, err := h.store.ListAccessKeys(c.Request().Context(), currentPrincipal(c).Account.ID)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if k.ID != id {
			continue
		}
		props := pages.ConfirmProps{
			Dialog: dialogOf(c, "accesskey-delete", "Delete AccessKey", paths.AccessKeys),
			Action: paths.AccessKey(id) + "/delete",
			Lines:  []string{fmt.Sprintf("Delete the AccessKey %s of %s?", k.ID, k.UserLogin)},
			Notes: []string{"Every client signing with this key is refused from now on. A deleted key cannot be restored; " +
				"to stop it for a while, disable it instead."},
			Submit: "Delete",
			Danger: true,
		}
		return h.renderConfirm(c, "accesskeys", props)
	}
	return echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("The AccessKey %q does not exist.", id))
}

func (h *Handler) AccessKeyDelete(c echo.Context) error {
	id := c.Param("id")
	if err := h.store.DeleteAccessKey(c.Request().Context(), currentPrincipal(c).actor(), id); err != nil {
		return notFoundOr(err)
	}
	h.flash(c, "success", fmt.Sprintf("AccessKey %s deleted. Clients using it can no longer call the OpenAPI endpoint.", id))
	return redirect(c, paths.AccessKeys)
}
