package pages

import (
	"fmt"
	"html"
	"strconv"
	"strings"
	"time"

	"gatehouse/rules"
)

// The geometry of Group Details' chart of calls per hour: one small bar
// chart a domain, drawn as SVG on the server. The chart's box is
// chartWidth × chartHeight user units, stretched to the card's width by
// CSS (preserveAspectRatio none); labels are HTML around it, so they keep
// their size.
const (
	chartWidth  = 2400
	chartHeight = 600
	chartMinBar = 15 // a bar of 1 call stays visible
)

// chartSVG draws a domain's bars, scaled to its busiest hour, as SVG
// markup: written here with a strings.Builder rather than by a template
// (hundreds of small attributes a chart), holding only numbers and
// words this file writes, escaped all the same.
func chartSVG(s DomainSeries) string {
	var b strings.Builder
	b.Grow(256 + 160*len(s.Hours))
	b.WriteString(`<svg class="chart" viewBox="0 0 `)
	b.WriteString(strconv.Itoa(chartWidth))
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(chartHeight))
	b.WriteString(`" preserveAspectRatio="none" role="img" focusable="false" aria-label="`)
	b.WriteString(html.EscapeString(chartSummary(s)))
	b.WriteString(`"><line class="chart-base" x1="0" y1="600" x2="2400" y2="600" vector-effect="non-scaling-stroke"></line>`)
	peak := s.Peak()
	if peak > 0 && len(s.Hours) > 0 {
		slot := chartWidth / len(s.Hours)
		for i, h := range s.Hours {
			if h.Calls == 0 {
				continue
			}
			total := max(int(h.Calls*chartHeight/peak), chartMinBar)
			failH := 0
			if h.Failed > 0 {
				failH = min(max(int(h.Failed*int64(total)/h.Calls), chartMinBar), total)
			}
			x, w := i*slot+slot*15/100, slot*70/100
			b.WriteString(`<g><title>`)
			b.WriteString(html.EscapeString(hourTitle(h)))
			b.WriteString(`</title>`)
			if ok := total - failH; ok > 0 {
				writeRect(&b, "bar-ok", x, chartHeight-ok, w, ok)
			}
			if failH > 0 {
				writeRect(&b, "bar-failed", x, chartHeight-total, w, failH)
			}
			b.WriteString(`</g>`)
		}
	}
	b.WriteString(`</svg>`)
	return b.String()
}

func writeRect(b *strings.Builder, class string, x, y, w, h int) {
	b.WriteString(`<rect class="`)
	b.WriteString(class)
	b.WriteString(`" x="`)
	b.WriteString(strconv.Itoa(x))
	b.WriteString(`" y="`)
	b.WriteString(strconv.Itoa(y))
	b.WriteString(`" width="`)
	b.WriteString(strconv.Itoa(w))
	b.WriteString(`" height="`)
	b.WriteString(strconv.Itoa(h))
	b.WriteString(`"></rect>`)
}

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
	h := start.UTC().Hour()
	return twoDigits(h) + ":00–" + twoDigits((h+1)%24) + ":00 UTC"
}

func twoDigits(n int) string { return string([]byte{byte('0' + n/10), byte('0' + n%10)}) }

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
