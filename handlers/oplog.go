package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// OpLogPage lists the account's operation log, newest first, filtered by
// action (one of the list), outcome, target and time range, in pages keyed
// by time and sequence number. The filter is a GET form: it works without
// JavaScript and a filtered page can be shared as a link.
func (h *Handler) OpLogPage(c echo.Context) error {
	p := currentPrincipal(c)
	get := func(name string) string { return rules.TrimField(c.QueryParam(name)) }
	props := pages.OpLogProps{
		Action: get(rules.FieldAction), Outcome: get(rules.FieldOutcome), Target: get(rules.FieldTarget),
		Since: get(rules.FieldSince), Until: get(rules.FieldUntil),
		Actions: rules.OpLogActions(),
	}
	status := http.StatusOK
	f, ferrs := rules.ParseOpLogFilter(props.Action, props.Outcome, props.Target, props.Since, props.Until)
	if len(ferrs) > 0 {
		status = http.StatusUnprocessableEntity
		props.Errors = components.Errors{}
		for _, e := range ferrs {
			props.Errors.Add(e.Field, e.Message)
		}
		props.Errors.Add("", "Part of the filter cannot be used: the entries below leave out the fields marked.")
	}
	q := store.OpLogQuery{Action: f.Action, Outcome: f.Outcome, Target: f.Target, Since: f.Since, Until: f.Until, Limit: 50}
	if b := c.QueryParam("before"); b != "" {
		cur, ok := parseOpLogCursor(b)
		if !ok {
			return echo.NewHTTPError(http.StatusBadRequest, "The page link is not valid. Start again from the newest entries.")
		}
		q.Before = cur
		props.Paged = true
	}
	entries, next, err := h.store.ListOpLog(c.Request().Context(), p.Account.ID, q)
	if err != nil {
		return err
	}
	props.Entries = entries
	props.Filtered = !f.Empty()
	props.Newest = paths.WithQuery(paths.OpLog, opLogQuery(f, store.OpLogCursor{}))
	if !next.IsZero() {
		props.Next = paths.WithQuery(paths.OpLog, opLogQuery(f, next))
	}
	return render(c, status, h.chrome(c, "Operation log", "oplog"), pages.OpLogPage(props))
}

// opLogQuery is the query string of a page of the filtered log.
func opLogQuery(f rules.OpLogFilter, before store.OpLogCursor) url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set(rules.FieldAction, f.Action)
	set(rules.FieldOutcome, f.Outcome)
	set(rules.FieldTarget, f.Target)
	if !f.Since.IsZero() {
		v.Set(rules.FieldSince, f.Since.UTC().Format(rules.OpLogTimeLayout))
	}
	if !f.Until.IsZero() {
		v.Set(rules.FieldUntil, f.Until.UTC().Format(rules.OpLogTimeLayout))
	}
	if !before.IsZero() {
		v.Set("before", fmt.Sprintf("%d.%d", before.At.UnixNano(), before.Seq))
	}
	return v
}

// parseOpLogCursor reads "<unix nanoseconds>.<seq>", the cursor a Next
// link carries.
func parseOpLogCursor(s string) (store.OpLogCursor, bool) {
	at, seq, ok := strings.Cut(s, ".")
	if !ok {
		return store.OpLogCursor{}, false
	}
	ns, err1 := strconv.ParseInt(at, 10, 64)
	n, err2 := strconv.ParseInt(seq, 10, 64)
	if err1 != nil || err2 != nil || ns < 0 || n <= 0 {
		return store.OpLogCursor{}, false
	}
	return store.OpLogCursor{At: time.Unix(0, ns).UTC(), Seq: n}, true
}
