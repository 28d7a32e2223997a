package layout

import "gatehouse/views/paths"

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

// visibleItems are a section's entries this user may open.
func visibleItems(items []NavItem, canAdmin bool) []NavItem {
	out := make([]NavItem, 0, len(items))
	for _, it := range items {
		if !it.AdminOnly || canAdmin {
			out = append(out, it)
		}
	}
	return out
}
