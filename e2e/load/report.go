package main

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"
)

// Budgets (the performance issue), on this machine, at 32 clients.
const (
	budgetGroupsRatio = 0.12
	budgetGroupsP99   = 30 * time.Millisecond
	budgetSearchP99   = 60 * time.Millisecond
	budgetDetailRatio = 0.15
	budgetToggleRate  = 1500
	budgetDescribe    = 0.08  // DescribeApiGroups (1.0 and V3) and DescribeApis
	budgetV3Spread    = 0.15  // DescribeApiGroups signed V3 against 1.0
	budgetRSS         = 150e6 // bytes, console and gateway together
	budgetGwCustom    = 0.50  // a Mock API on a custom domain, against the bare handler
	budgetGwProxy     = 0.45  // the same through the proxy as a VPC caller
	budgetGwHTTP      = 0.30  // an HTTP API whose backend is the bare handler, against calling it directly
	budgetGwCounted   = 0.10  // what counting the public domain may cost, against an uncounted domain
	budgetGwHTTPS     = 0.35  // a Mock API over HTTPS (keep-alive), against the bare handler over plain HTTP
	budgetStartup     = 300 * time.Millisecond
	budgetScaleSpread = 0.20 // 1,000 against 100,000 groups
	markerBegin       = "<!-- load-run:begin (written by `make bench`; edit outside the markers) -->"
	markerEnd         = "<!-- load-run:end -->"
	markerBeginPrefix = "<!-- load-run:begin"
)

// check is one budget and whether it held.
type check struct {
	what, got string
	met       bool
}

// markdown renders the report, and says whether every budget held.
func (rep *report) markdown() (string, bool) {
	var b strings.Builder
	var checks []check
	add := func(met bool, what, format string, args ...any) {
		checks = append(checks, check{what: what, got: fmt.Sprintf(format, args...), met: met})
	}
	bare := rep.bare
	ratio := func(r result) float64 { return r.rps / bare.rps }
	times := func(d, base time.Duration) string {
		if base <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.1f×", float64(d)/float64(base))
	}

	fmt.Fprintf(&b, "Run %s: %d concurrent clients; each scenario %v in all, in %d rounds taken in turn with the others, after a %v warm-up; on %s (%d cores, %s, %s, %s).\n\n",
		rep.started.UTC().Format("2006-01-02 15:04 UTC"), rep.cfg.clients, rep.cfg.duration, rep.cfg.rounds, rep.cfg.warm,
		rep.env.cpu, rep.env.cores, rep.env.memory, rep.env.kernel, rep.env.goVersion)
	b.WriteString("| Scenario | Account's groups | req/s | × bare | rounds' req/s | p50 | × bare | p99 | × bare | errors | server CPU/req | load gen. CPU/req | answer (wire / plain) |\n")
	b.WriteString("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n")
	line := func(r result, groups string) {
		fmt.Fprintf(&b, "| %s | %s | %s | %.3f | %s–%s | %s | %s | %s | %s | %d | %.0f µs | %.0f µs | %s |\n",
			r.name, groups, thousands(int(r.rps+0.5)), ratio(r), thousands(int(r.minRPS)), thousands(int(r.maxRPS+0.5)),
			ms(r.p50), times(r.p50, bare.p50), ms(r.p99), times(r.p99, bare.p99),
			r.errors, r.serverCPU, r.loadCPU, size(r))
	}
	line(bare, "–")
	for _, r := range rep.rows {
		line(r.result, thousands(r.db.groups))
	}

	// Budgets.
	find := func(name string, db *database) (result, bool) {
		i := slices.IndexFunc(rep.rows, func(r row) bool { return r.name == name && r.db == db })
		if i < 0 {
			return result{}, false
		}
		return rep.rows[i].result, true
	}
	for _, r := range rep.rows {
		add(r.errors == 0, r.name+" ("+thousands(r.db.groups)+" groups): no errors", "%d errors%s", r.errors, lastErr(r.result))
	}
	if r, ok := find(nameGroups, rep.big); ok {
		add(ratio(r) >= budgetGroupsRatio, fmt.Sprintf("API Groups page at %s groups: ≥ %.0f%% of the bare handler's req/s", thousands(rep.big.groups), budgetGroupsRatio*100),
			"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
		add(r.p99 < budgetGroupsP99, "API Groups page: p99 < "+ms(budgetGroupsP99), "%s", ms(r.p99))
	}
	if r, ok := find(nameAPIList, rep.big); ok { // the list page's budget, as API Groups'
		add(ratio(r) >= budgetGroupsRatio, fmt.Sprintf("APIs page at %s APIs: ≥ %.0f%% of the bare handler's req/s", thousands(rep.big.apis), budgetGroupsRatio*100),
			"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
		add(r.p99 < budgetGroupsP99, "APIs page: p99 < "+ms(budgetGroupsP99), "%s", ms(r.p99))
	}
	if r, ok := find(nameSearch, rep.big); ok {
		add(r.p99 < budgetSearchP99, "Name search: p99 < "+ms(budgetSearchP99), "%s", ms(r.p99))
	}
	if r, ok := find(nameDetail, rep.big); ok {
		add(ratio(r) >= budgetDetailRatio, fmt.Sprintf("Group Details: ≥ %.0f%% of the bare handler's req/s", budgetDetailRatio*100),
			"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
	}
	if r, ok := find(nameToggle, rep.big); ok {
		add(r.rps >= budgetToggleRate && r.errors == 0 && r.locked == 0,
			fmt.Sprintf("Enable/disable: ≥ %s committed changes/s, no errors, no \"database is locked\"", thousands(budgetToggleRate)),
			"%s changes/s, %d errors, %d \"database is locked\" in the server log, %d server errors logged",
			thousands(int(r.rps)), r.errors, r.locked, r.serverError)
	}
	for _, name := range []string{nameDescribe, nameDescribeV3} {
		if r, ok := find(name, rep.big); ok {
			add(ratio(r) >= budgetDescribe, fmt.Sprintf("%s: ≥ %.0f%% of the bare handler's req/s", name, budgetDescribe*100),
				"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
		}
	}
	v1, ok1 := find(nameDescribe, rep.big)
	v3, ok3 := find(nameDescribeV3, rep.big)
	if ok1 && ok3 && v1.serverCPU > 0 && v1.rps > 0 {
		cost, rate := v3.serverCPU/v1.serverCPU-1, v3.rps/v1.rps-1
		add(cost <= budgetV3Spread && rate >= 1/(1+budgetV3Spread)-1,
			fmt.Sprintf("DescribeApiGroups signed V3 costs within %.0f%% of signature 1.0 (server CPU a request, and req/s)", budgetV3Spread*100),
			"%.0f µs against %.0f µs a request (%+.0f%%); %s against %s req/s (%+.0f%%)",
			v3.serverCPU, v1.serverCPU, cost*100, thousands(int(v3.rps)), thousands(int(v1.rps)), rate*100)
	}
	if r, ok := find(nameAPIs, rep.big); ok {
		add(ratio(r) >= budgetDescribe, fmt.Sprintf("DescribeApis at %s APIs: ≥ %.0f%% of the bare handler's req/s", thousands(rep.big.apis), budgetDescribe*100),
			"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
	}
	for _, name := range []string{nameGroups, nameSearch} {
		large, ok1 := find(name, rep.big)
		small, ok2 := find(name, rep.small)
		if !ok1 || !ok2 {
			continue
		}
		worst, parts := 0.0, []string{}
		for _, f := range []struct {
			what       string
			big, small float64
			show       func(float64) string
		}{
			{"req/s", large.rps, small.rps, func(v float64) string { return thousands(int(v)) }},
			{"p50", float64(large.p50), float64(small.p50), func(v float64) string { return ms(time.Duration(v)) }},
			{"p99", float64(large.p99), float64(small.p99), func(v float64) string { return ms(time.Duration(v)) }},
		} {
			d := (f.big - f.small) / f.small
			worst = max(worst, abs(d))
			parts = append(parts, fmt.Sprintf("%s %s against %s (%+.0f%%)", f.what, f.show(f.big), f.show(f.small), d*100))
		}
		add(worst <= budgetScaleSpread, fmt.Sprintf("%s: the same at %s and %s groups (within %.0f%%)", name, thousands(rep.small.groups), thousands(rep.big.groups), budgetScaleSpread*100),
			"%s", strings.Join(parts, "; "))
	}
	if r, ok := find(nameGwCustom, rep.big); ok {
		add(ratio(r) >= budgetGwCustom, fmt.Sprintf("Gateway, Mock API on a custom domain: ≥ %.0f%% of the bare handler's req/s", budgetGwCustom*100),
			"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
		if p, ok := find(nameGwPublic, rep.big); ok {
			cost := 1 - p.rps/r.rps
			add(cost <= budgetGwCounted, fmt.Sprintf("Gateway, the public domain's count costs ≤ %.0f%% against an uncounted domain", budgetGwCounted*100),
				"%+.1f%% (%s against %s req/s)", cost*100, thousands(int(p.rps)), thousands(int(r.rps)))
		}
	}
	if r, ok := find(nameGwProxy, rep.big); ok {
		add(ratio(r) >= budgetGwProxy, fmt.Sprintf("Gateway, Mock API through the proxy as a VPC caller: ≥ %.0f%% of the bare handler's req/s", budgetGwProxy*100),
			"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
	}
	if r, ok := find(nameGwHTTP, rep.big); ok {
		add(ratio(r) >= budgetGwHTTP, fmt.Sprintf("Gateway, HTTP API to the bare handler: ≥ %.0f%% of calling it directly", budgetGwHTTP*100),
			"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
	}
	if r, ok := find(nameGwHTTPS, rep.big); ok {
		add(ratio(r) >= budgetGwHTTPS, fmt.Sprintf("Gateway, Mock API over HTTPS with keep-alive: ≥ %.0f%% of the bare handler's req/s over plain HTTP", budgetGwHTTPS*100),
			"%.1f%% (%s req/s)", ratio(r)*100, thousands(int(r.rps)))
	}
	add(rep.peakRSS > 0 && rep.peakRSS < budgetRSS, fmt.Sprintf("Peak RSS of gatehouse serve < %.0f MB (console and gateway)", budgetRSS/1e6), "%s", megabytes(rep.peakRSS))
	var starts []string
	startsMet := len(rep.bigStarts) > 0
	for _, s := range rep.bigStarts {
		starts = append(starts, fmt.Sprintf("%s (logged %s)", ms(s.readyAfter), s.startup))
		startsMet = startsMet && s.readyAfter < budgetStartup
	}
	add(startsMet, fmt.Sprintf("serve ready on %s groups in < %s (exec to the \"ready\" line, 3 starts)", thousands(rep.big.groups), ms(budgetStartup)),
		"%s", strings.Join(starts, ", "))

	b.WriteString("\n| Budget | Measured | Met |\n|---|---|---|\n")
	allMet := true
	for _, c := range checks {
		mark := "yes"
		if !c.met {
			mark, allMet = "**NO**", false
		}
		fmt.Fprintf(&b, "| %s | %s | %s |\n", c.what, c.got, mark)
	}

	fmt.Fprintf(&b, "\n| Figure | Value |\n|---|---|\n")
	fmt.Fprintf(&b, "| Peak RSS, gatehouse serve on %s groups (VmHWM, whole run) | %s |\n", thousands(rep.big.groups), megabytes(rep.peakRSS))
	fmt.Fprintf(&b, "| Peak RSS, bare handler | %s |\n", megabytes(rep.bareRSS))
	for _, db := range []*database{rep.big, rep.small} {
		fmt.Fprintf(&b, "| Database: %s groups and %s APIs of the account + %s groups of 4 other accounts | %s (generated in %s) |\n",
			thousands(db.groups), thousands(db.apis), thousands(db.others), megabytes(db.size), db.genTime.Round(10*time.Millisecond))
	}
	fmt.Fprintf(&b, "| serve start-up on %s groups (exec → \"ready\" line; the server's own figure) | %s |\n", thousands(rep.big.groups), strings.Join(starts, ", "))
	if rep.smallStart != nil {
		fmt.Fprintf(&b, "| serve start-up on %s groups | %s (logged %s) |\n", thousands(rep.small.groups), ms(rep.smallStart.readyAfter), rep.smallStart.startup)
	}
	return b.String(), allMet
}

func lastErr(r result) string {
	if r.lastErr == "" {
		return ""
	}
	return " (last: " + r.lastErr + ")"
}

func size(r result) string {
	if r.plainBytes == 0 {
		return "–"
	}
	enc := r.encoding
	if enc == "" {
		enc = "identity"
	}
	return fmt.Sprintf("%s / %s B (%s)", thousands(int(r.wireBytes)), thousands(int(r.plainBytes)), enc)
}

func ms(d time.Duration) string {
	switch {
	case d >= 100*time.Millisecond:
		return fmt.Sprintf("%.0f ms", float64(d)/1e6)
	case d >= 10*time.Millisecond:
		return fmt.Sprintf("%.1f ms", float64(d)/1e6)
	default:
		return fmt.Sprintf("%.2f ms", float64(d)/1e6)
	}
}

func megabytes(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func abs(f float64) float64 {
	if f < 0 {
		return -f
	}
	return f
}

// writeSection puts text between the load-run markers of the Markdown file
// path, creating the file or appending the markers when they are missing.
// What is outside the markers is kept as it is.
func writeSection(path, text string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	section := markerBegin + "\n\n" + strings.TrimSpace(text) + "\n\n" + markerEnd
	var out []byte
	i := bytes.Index(old, []byte(markerBeginPrefix))
	j := bytes.Index(old, []byte(markerEnd))
	switch {
	case len(old) == 0:
		out = []byte("# Gatehouse performance\n\n" + section + "\n")
	case i >= 0 && j > i:
		out = append(append(append([]byte{}, old[:i]...), section...), old[j+len(markerEnd):]...)
	default:
		out = append(append(bytes.TrimRight(old, "\n"), "\n\n"...), section+"\n"...)
	}
	return os.WriteFile(path, out, 0o644)
}

func procField(text, name string) string {
	for _, line := range strings.Split(text, "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == name {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func trimSpace(b []byte) []byte { return bytes.TrimSpace(b) }

func trimUnit(v string) string { return strings.TrimSpace(strings.TrimSuffix(v, "kB")) }

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
