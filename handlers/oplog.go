package handlers

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// OpLogPage lists the account's operation log, newest first, filtered by
// action and target, in pages keyed by sequence number.
func (h *Handler) OpLogPage(c echo.Context) error {
	p := currentPrincipal(c)
	props := pages.OpLogProps{
		Action: rules.TrimField(c.QueryParam("action")),
		Target: rules.TrimField(c.QueryParam("target")),
	}
	q := store.OpLogQuery{Action: props.Action, Target: props.Target, Limit: 50}
	if b := c.QueryParam("before"); b != "" {
		n, err := strconv.ParseInt(b, 10, 64)
		if err != nil || n <= 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "The page link is not valid. Start again from the newest entries.")
		}
		q.Before = n
		props.Paged = true
	}
	if len(props.Action) > 64 || len(props.Target) > 253 {
		return echo.NewHTTPError(http.StatusBadRequest, "The filter is too long.")
	}
	entries, next, err := h.store.ListOpLog(c.Request().Context(), p.Account.ID, q)
	if err != nil {
		return err
	}
	props.Entries = entries
	if next > 0 {
		v := url.Values{"before": {strconv.FormatInt(next, 10)}}
		if props.Action != "" {
			v.Set("action", props.Action)
		}
		if props.Target != "" {
			v.Set("target", props.Target)
		}
		props.Next = paths.WithQuery(paths.OpLog, v)
	}
	return render(c, http.StatusOK, h.chrome(c, "Operation log", "oplog"), pages.OpLogPage(props))
}
