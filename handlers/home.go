package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/store"
	"gatehouse/views/pages"
)

// overviewRefusedWindow is how far back the Overview counts refused changes.
const overviewRefusedWindow = 24 * time.Hour

// HomePage is the Overview: what needs attention in the account, each a
// link to where it is fixed, and what the account has.
func (h *Handler) HomePage(c echo.Context) error {
	p := currentPrincipal(c)
	since := time.Now().Add(-overviewRefusedWindow).Truncate(time.Minute)
	o, err := h.store.GetOverview(c.Request().Context(), p.Account.ID, since)
	if err != nil {
		return err
	}
	props := pages.HomeProps{Account: p.Account.Name, CanChange: p.User.Role.CanChange(), Overview: pages.Overview{
		Unbound: o.Unbound, VpcOff: o.VpcOff, VpcOffTotal: o.VpcOffTotal, Refused: o.Refused, Since: o.Since,
		Groups: o.Groups, Dedicated: o.Dedicated, Vpcs: o.Vpcs, CountMax: store.OverviewCountMax,
	}}
	return render(c, http.StatusOK, h.chrome(c, "Overview", "home"), pages.HomePage(props))
}
