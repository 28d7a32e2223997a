package layout

import (
	"html"
	"slices"

	"github.com/a-h/templ"

	"gatehouse/views/components"
	"gatehouse/views/paths"
)

// Navigation mirrors the cloud console's left-side pane (SPEC.md §3).
var Navigation = []NavSection{
	{Heading: "Console", Items: []NavItem{{Key: "home", Label: "Overview", Href: paths.Home}}},
	{Heading: "Manage APIs", Items: []NavItem{
		{Key: "groups", Label: "API Groups", Href: paths.Groups},
		{Key: "apis", Label: "APIs", Href: paths.APIs},
	}},
	{Heading: "Instances and Clusters", Items: []NavItem{
		{Key: "instances", Label: "Dedicated Instances", Href: paths.Instances},
		{Key: "shared", Label: "Shared Instances", Href: paths.SharedInstances},
	}},
	{Heading: "Network", Items: []NavItem{{Key: "vpcs", Label: "VPCs", Href: paths.Vpcs}}},
	{Heading: "Tools", Items: []NavItem{
		{Key: "access", Label: "Access check", Href: paths.Access},
		{Key: "calls", Label: "Recent calls", Href: paths.Calls},
		{Key: "oplog", Label: "Operation log", Href: paths.OpLog},
	}},
	{Heading: "Security", Items: []NavItem{
		{Key: "accesskeys", Label: "AccessKeys", Href: paths.AccessKeys, AdminOnly: true},
		{Key: "users", Label: "Users", Href: paths.Users, AdminOnly: true},
	}},
}

// sideNav is the side navigation's sections, the entry of the page
// (active, a NavItem key) marked current; sections with no entry this
// user may open are left out. It is written in Go rather than by the
// template, as the components of views/components are: the templ version
// in use resolved each entry's href and label through its attribute and
// fmt.Sprint machinery on every page. The markup is the template's own
// (TestSideNavMarkup).
func sideNav(sections []NavSection, active string, canAdmin bool) templ.Component {
	return components.Markup(1024, func(b []byte) []byte {
		for _, s := range sections {
			b = appendNavSection(b, s, active, canAdmin)
		}
		return b
	})
}

func appendNavSection(b []byte, s NavSection, active string, canAdmin bool) []byte {
	if !slices.ContainsFunc(s.Items, func(it NavItem) bool { return visible(it, canAdmin) }) {
		return b
	}
	b = append(b, `<div><h2>`...)
	b = append(b, html.EscapeString(s.Heading)...)
	b = append(b, `</h2><ul>`...)
	for _, it := range s.Items {
		if !visible(it, canAdmin) {
			continue
		}
		b = append(b, `<li><a href="`...)
		b = append(b, html.EscapeString(it.Href)...)
		if it.Key == active {
			b = append(b, `" aria-current="page">`...)
		} else {
			b = append(b, `">`...)
		}
		b = append(b, html.EscapeString(it.Label)...)
		b = append(b, `</a></li>`...)
	}
	return append(b, `</ul></div>`...)
}

// visible reports whether this user may open the entry.
func visible(it NavItem, canAdmin bool) bool { return !it.AdminOnly || canAdmin }
