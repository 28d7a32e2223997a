package handlers

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/gateway"
	"gatehouse/rules"
	"gatehouse/views/components"
	"gatehouse/views/pages"
)

// Gateway is what the console reads of the gateway `serve` runs beside it
// (package gateway): the traffic of Group Details, Recent calls, the
// Debug panel of an API and the proxy URL of a VPC. Each method is cheap:
// the counts and the recent calls are kept in memory, the chart reads one
// indexed query.
type Gateway interface {
	GroupTraffic(ctx context.Context, group rules.Group, version int64, hours int) (gateway.DailyMeter, []gateway.DomainCalls, error)
	RecentCalls(accountID string, f gateway.RecentFilter) []gateway.RecentCall
	Debug(ctx context.Context, in gateway.DebugRequest) (gateway.DebugResult, error)
	ProxyURL(n gateway.Network) string
}

// chartHours is the window of Group Details' chart.
const chartHours = 24

// groupTraffic fills the Traffic card of Group Details: the public
// domain's meter (the limiter's count, in memory) and the chart (the
// stored hours and those not yet stored). What the gateway read of the
// store it keeps by the account's traffic version read with the session.
func (h *Handler) groupTraffic(ctx context.Context, g rules.Group, version int64) (pages.GroupTraffic, error) {
	m, series, err := h.gw.GroupTraffic(ctx, g, version, chartHours)
	if err != nil {
		return pages.GroupTraffic{}, fmt.Errorf("the group's traffic: %w", err)
	}
	t := pages.GroupTraffic{
		GroupID: g.ID, PublicDomain: g.PublicDomain(), RegionName: rules.RegionName(g.RegionID),
		Used: m.Used, Limit: m.Limit, Resets: m.Resets, ResetsIn: m.Resets.Sub(h.cfg.Now()), Hours: chartHours,
	}
	for _, s := range series {
		ds := pages.DomainSeries{Domain: s.Domain, Hours: make([]pages.HourCount, len(s.Hours))}
		for i, hc := range s.Hours {
			ds.Hours[i] = pages.HourCount{Start: hc.Start, Calls: hc.Calls, Failed: hc.Failed}
		}
		t.Series = append(t.Series, ds)
	}
	return t, nil
}

// callsNav is Recent calls' entry of the navigation (Tools).
const callsNav = "calls"

// CallsPage is Recent calls (Tools): the account's last calls through the
// gateway, newest first, by group and outcome. The filters live in the
// URL; a bad one is answered 400 with the reason beside it, the calls
// shown without it. The gateway keeps each account's calls apart: those
// on its groups' domains only, another account's VPC unnamed.
func (h *Handler) CallsPage(c echo.Context) error {
	p := currentPrincipal(c)
	ctx := c.Request().Context()
	props := pages.CallsProps{
		Group:    strings.TrimSpace(c.QueryParam("group")),
		Outcome:  c.QueryParam("outcome"),
		Outcomes: outcomeOptions(),
		Paused:   c.QueryParam("paused") != "",
		Kept:     gateway.RecentPerAccount,
		Errors:   components.Errors{},
	}
	status := http.StatusOK
	groups, many, err := h.groupChoices(ctx, p)
	if err != nil {
		return err
	}
	if !many {
		props.Groups = groups
	}
	var f gateway.RecentFilter
	if props.Group != "" {
		g, err := h.store.GetGroup(ctx, p.Account.ID, props.Group)
		if re, ok := rules.AsError(err); ok && re.Kind == rules.KindNotFound {
			props.Errors.Add("group", fmt.Sprintf("Your account has no API group %q; showing the calls of every group.", props.Group))
			status = http.StatusBadRequest
		} else if err != nil {
			return err
		} else {
			f.GroupID, props.GroupName = g.ID, g.Name
		}
	}
	if o, ok := gateway.ParseOutcome(props.Outcome); ok {
		f.Outcome = o
	} else {
		props.Errors.Add("outcome", fmt.Sprintf("There is no outcome %q; showing every outcome.", props.Outcome))
		status = http.StatusBadRequest
	}
	for _, rc := range h.gw.RecentCalls(p.Account.ID, f) {
		props.Rows = append(props.Rows, pages.CallRow{
			ID: rc.ID, Time: rc.Time, Caller: rc.Caller.String(), Protocol: string(rc.Protocol), Domain: rc.Domain,
			GroupID: rc.GroupID, APIID: rc.APIID, APIName: rc.APIName, Stage: rc.Stage, Status: rc.Status,
			Code: rc.Code, Refused: rc.Outcome == gateway.OutcomeRefused, Duration: durationWords(rc.Duration), Debug: rc.Debug,
		})
	}
	return render(c, status, h.chrome(c, "Recent calls", callsNav), pages.CallsPage(props))
}

func outcomeOptions() []components.Option {
	return []components.Option{
		{Value: string(gateway.OutcomeOK), Label: "Answered (status below 400)"},
		{Value: string(gateway.OutcomeError), Label: "Errors (status 400 or more)"},
		{Value: string(gateway.OutcomeRefused), Label: "Refused by the network"},
	}
}

// durationWords writes how long a call took: "0.42 ms", "12 ms", "1.5 s".
func durationWords(d time.Duration) string {
	switch {
	case d < 10*time.Millisecond:
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + " ms"
	case d < time.Second:
		return strconv.FormatInt(d.Milliseconds(), 10) + " ms"
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 1, 64) + " s"
}
