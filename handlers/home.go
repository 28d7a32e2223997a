package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/store"
	"gatehouse/views/pages"
)

// HomePage is the overview: what the account has, with links to each.
func (h *Handler) HomePage(c echo.Context) error {
	ctx := c.Request().Context()
	p := currentPrincipal(c)
	groups, err := h.store.ListGroups(ctx, p.Account.ID, store.GroupQuery{Limit: 1})
	if err != nil {
		return err
	}
	instances, err := h.store.ListInstances(ctx, p.Account.ID, "")
	if err != nil {
		return err
	}
	vpcs, err := h.store.ListVpcs(ctx, p.Account.ID, "")
	if err != nil {
		return err
	}
	props := pages.HomeProps{Account: p.Account.Name, Groups: groups.Total, Instances: len(instances), Vpcs: len(vpcs)}
	return render(c, http.StatusOK, h.chrome(c, "Overview", ""), pages.HomePage(props))
}
