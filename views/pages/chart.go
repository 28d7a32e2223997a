package pages

import (
	"fmt"
	"strconv"
	"time"

	"gatehouse/rules"
)

// The geometry of Group Details' chart of calls per hour: one small bar
// chart a domain, drawn as SVG on the server. The chart's box is
// chartWidth × chartHeight user units, stretched to the card's width by
// CSS (preserveAspectRatio none); labels are HTML around it, so they keep
// their size.
const (
	chartWidth  = 240.0
	chartHeight = 60.0
	chartMinBar = 1.5 // a bar of 1 call stays visible
)

// chartBar is one hour's bar: the calls answered below 400 (ok) with the
// failed ones stacked on top.
type chartBar struct {
	X, W         string
	OkY, OkH     string
	FailY, FailH string
	HasOk        bool
	HasFail      bool
	Title        string
}

// chartBars lays out a domain's hours, scaled to its busiest hour.
func chartBars(s DomainSeries) []chartBar {
	peak := s.Peak()
	if peak == 0 || len(s.Hours) == 0 {
		return nil
	}
	slot := chartWidth / float64(len(s.Hours))
	out := make([]chartBar, 0, len(s.Hours))
	for i, h := range s.Hours {
		if h.Calls == 0 {
			continue
		}
		total := max(float64(h.Calls)/float64(peak)*chartHeight, chartMinBar)
		failH := 0.0
		if h.Failed > 0 {
			failH = max(float64(h.Failed)/float64(h.Calls)*total, chartMinBar)
			failH = min(failH, total)
		}
		okH := total - failH
		b := chartBar{
			X: num(float64(i)*slot + slot*0.15), W: num(slot * 0.7),
			OkY: num(chartHeight - okH), OkH: num(okH), HasOk: okH > 0,
			FailY: num(chartHeight - total), FailH: num(failH), HasFail: failH > 0,
			Title: hourTitle(h),
		}
		out = append(out, b)
	}
	return out
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }

// hourTitle words one hour's calls: "14:00–15:00 UTC: 20 calls, 3 failed".
func hourTitle(h HourCount) string {
	s := hourRange(h.Start) + ": " + rules.Plural(int(h.Calls), "call", "calls")
	if h.Failed > 0 {
		s += ", " + count(int(h.Failed)) + " failed"
	}
	return s
}

// hourRange is an hour of the chart: "14:00–15:00 UTC".
func hourRange(start time.Time) string {
	start = start.UTC()
	return start.Format("15:04") + "–" + start.Add(time.Hour).Format("15:04") + " UTC"
}

// chartSummary is the chart's text for screen readers.
func chartSummary(s DomainSeries) string {
	sum := fmt.Sprintf("Calls per hour on %s over the last %d hours: %s", s.Domain, len(s.Hours), rules.Plural(int(s.Total()), "call", "calls"))
	if f := s.TotalFailed(); f > 0 {
		sum += fmt.Sprintf(", %s failed", count(int(f)))
	}
	peak := s.Peak()
	for _, h := range s.Hours {
		if h.Calls == peak && peak > 0 {
			sum += fmt.Sprintf("; the busiest hour %s with %s", hourRange(h.Start), count(int(peak)))
			break
		}
	}
	return sum + ". The table below lists each hour."
}

// untilWords says how long until a moment: "in 5 h 12 min", "in 40 min",
// "in under a minute".
func untilWords(d time.Duration) string {
	if d < time.Minute {
		return "in under a minute"
	}
	d = d.Round(time.Minute)
	h, m := int(d/time.Hour), int(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return fmt.Sprintf("in %d min", m)
	case m == 0:
		return fmt.Sprintf("in %d h", h)
	}
	return fmt.Sprintf("in %d h %d min", h, m)
}
