package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/pages"
)

// overviewRefusedWindow is how far back the Overview counts refused changes.
const overviewRefusedWindow = 24 * time.Hour

// overviewNearLimitPercent is how much of today's public calls a group has
// used when the Overview points at it.
const overviewNearLimitPercent = 80

// HomePage is the Overview: what needs attention in the account, each a
// link to where it is fixed, and what the account has.
func (h *Handler) HomePage(c echo.Context) error {
	p := currentPrincipal(c)
	now := time.Now()
	since := now.Add(-overviewRefusedWindow).Truncate(time.Minute)
	o, err := h.store.GetOverview(c.Request().Context(), p.Account.ID, since, rules.LimitDay(now))
	if err != nil {
		return err
	}
	var near []pages.NearLimit
	for _, u := range o.PublicToday {
		limit := int64(h.cfg.Limits.PublicDaily(u.Group.RegionID))
		if limit > 0 && u.Reserved*100 >= overviewNearLimitPercent*limit {
			near = append(near, pages.NearLimit{Group: u.Group, Used: u.Reserved, Limit: limit})
		}
	}
	behind := make([]pages.ReleaseBehind, len(o.ReleaseBehind))
	for i, r := range o.ReleaseBehind {
		behind[i] = pages.ReleaseBehind{ID: r.ID, Name: r.Name, GroupID: r.GroupID, GroupName: r.Group, Revision: r.Revision, Release: r.Release}
	}
	props := pages.HomeProps{Account: p.Account.Name, CanChange: p.User.Role.CanChange(), Overview: pages.Overview{
		Unbound: o.Unbound, VpcOff: o.VpcOff, VpcOffTotal: o.VpcOffTotal, ReleaseBehind: behind, ReleaseBehindTotal: o.ReleaseBehindTotal, Refused: o.Refused, Since: o.Since,
		Groups: o.Groups, APIs: o.APIs, Dedicated: o.Dedicated, Vpcs: o.Vpcs, CountMax: store.OverviewCountMax, NearLimit: near,
	}}
	return render(c, http.StatusOK, h.chrome(c, "Overview", "home"), pages.HomePage(props))
}
