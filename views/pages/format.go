// Package pages holds one component per console page, each with its props.
package pages

import (
	"net/url"
	"time"

	"gatehouse/rules"
	"gatehouse/views/components"
	"gatehouse/views/paths"
)

// count writes a number with thousands separators: 100000 → "100,000".
func count(n int) string { return rules.FormatThousands(n) }

// dateLayout and clockLayout are how the console writes a moment, on every page: UTC, to
// the second.
const (
	dateLayout  = "2006-01-02"
	clockLayout = "15:04:05 UTC"
)

// formatTime writes a moment as the console shows it: "2026-05-01
// 09:30:00 UTC"; "—" for none.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return formatDate(t) + " " + formatClock(t)
}

// formatDate and formatClock are formatTime's two halves, for tables that
// put the time of day under the date.
func formatDate(t time.Time) string  { return t.UTC().Format(dateLayout) }
func formatClock(t time.Time) string { return t.UTC().Format(clockLayout) }

// regionQuery carries a region choice to a dialog's page.
func regionQuery(region string) url.Values {
	if region == "" {
		return nil
	}
	return url.Values{"region": {region}}
}

// oplogFilter links the operation log filtered by one field.
func oplogFilter(field, value string) string {
	return paths.WithQuery(paths.OpLog, url.Values{field: {value}})
}

func userOptions(users []rules.User) []components.Option {
	out := make([]components.Option, len(users))
	for i, u := range users {
		out[i] = components.Option{Value: u.Login, Label: u.Login + " (" + string(u.Role) + ")"}
	}
	return out
}

func roleOptions() []components.Option {
	return []components.Option{
		{Value: string(rules.RoleAdmin), Label: "admin — everything, users and AccessKeys included"},
		{Value: string(rules.RoleOperator), Label: "operator — every resource change"},
		{Value: string(rules.RoleViewer), Label: "viewer — read only"},
	}
}

func roleErrors(p UsersProps, login string) components.Errors {
	if p.RoleErrorFor == login && p.RoleError != "" {
		return components.Errors{"role": {p.RoleError}}
	}
	return nil
}

// ruleTitle names a rule of SPEC.md §2 in words.
func ruleTitle(rule string) string {
	titles := map[string]string{
		"R2":  "R2 · VPC second-level domain",
		"R3":  "R3 · shared instance",
		"R4":  "R4 · dedicated instance bound to one VPC",
		"R5":  "R5 · unbound dedicated instance",
		"R9":  "R9 · custom domains",
		"R10": "R10 · hybrid cloud",
		"R11": "R11 · access decision",
	}
	if t, ok := titles[rule]; ok {
		return t
	}
	return rule
}

// bindCancel is where the Bind to VPC dialog's Cancel leads.
func bindCancel(next string) string {
	if next == "" {
		return paths.Instances
	}
	return next
}

// lastAdminHint says why the account's last admin keeps the admin role.
func lastAdminHint(last bool) string {
	if last {
		return "The last admin: make another user admin first."
	}
	return ""
}
