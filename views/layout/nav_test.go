package layout

import (
	"context"
	"strings"
	"testing"
)

var testNav = []NavSection{
	{Heading: "Console", Items: []NavItem{{Key: "home", Label: "Overview", Href: "/"}}},
	{Heading: `Odd "<&'>" ✓`, Items: []NavItem{
		{Key: "odd", Label: `Größe "<&'>"`, Href: `/odd?a=1&b="2"<3>'4'`},
		{Key: "admin-one", Label: "Admin only", Href: "/admin", AdminOnly: true},
		{Key: "", Label: "", Href: ""},
	}},
	{Heading: "Security", Items: []NavItem{
		{Key: "keys", Label: "AccessKeys", Href: "/keys", AdminOnly: true},
		{Key: "users", Label: "Users", Href: "/users", AdminOnly: true},
	}},
	{Heading: "Empty"},
}

// TestSideNavMarkup holds sideNav to what base.templ's loop over the
// sections wrote, captured from templ v0.3.1100 before it was replaced:
// headings, hrefs and labels escaped as templ escapes them, the page's
// entry marked current, admin-only entries and sections left to admins,
// a section with nothing to show left out.
func TestSideNavMarkup(t *testing.T) {
	for _, c := range []struct {
		active   string
		canAdmin bool
		want     string
	}{
		{"home", false,
			`<div><h2>Console</h2><ul><li><a href="/" aria-current="page">Overview</a></li></ul></div><div><h2>Odd &#34;&lt;&amp;&#39;&gt;&#34; ✓</h2><ul><li><a href="/odd?a=1&amp;b=&#34;2&#34;&lt;3&gt;&#39;4&#39;">Größe &#34;&lt;&amp;&#39;&gt;&#34;</a></li><li><a href=""></a></li></ul></div>`},
		{"odd", true,
			`<div><h2>Console</h2><ul><li><a href="/">Overview</a></li></ul></div><div><h2>Odd &#34;&lt;&amp;&#39;&gt;&#34; ✓</h2><ul><li><a href="/odd?a=1&amp;b=&#34;2&#34;&lt;3&gt;&#39;4&#39;" aria-current="page">Größe &#34;&lt;&amp;&#39;&gt;&#34;</a></li><li><a href="/admin">Admin only</a></li><li><a href=""></a></li></ul></div><div><h2>Security</h2><ul><li><a href="/keys">AccessKeys</a></li><li><a href="/users">Users</a></li></ul></div>`},
		{"users", true,
			`<div><h2>Console</h2><ul><li><a href="/">Overview</a></li></ul></div><div><h2>Odd &#34;&lt;&amp;&#39;&gt;&#34; ✓</h2><ul><li><a href="/odd?a=1&amp;b=&#34;2&#34;&lt;3&gt;&#39;4&#39;">Größe &#34;&lt;&amp;&#39;&gt;&#34;</a></li><li><a href="/admin">Admin only</a></li><li><a href=""></a></li></ul></div><div><h2>Security</h2><ul><li><a href="/keys">AccessKeys</a></li><li><a href="/users" aria-current="page">Users</a></li></ul></div>`},
		{"", false,
			`<div><h2>Console</h2><ul><li><a href="/">Overview</a></li></ul></div><div><h2>Odd &#34;&lt;&amp;&#39;&gt;&#34; ✓</h2><ul><li><a href="/odd?a=1&amp;b=&#34;2&#34;&lt;3&gt;&#39;4&#39;">Größe &#34;&lt;&amp;&#39;&gt;&#34;</a></li><li><a href="" aria-current="page"></a></li></ul></div>`},
		{"", true,
			`<div><h2>Console</h2><ul><li><a href="/">Overview</a></li></ul></div><div><h2>Odd &#34;&lt;&amp;&#39;&gt;&#34; ✓</h2><ul><li><a href="/odd?a=1&amp;b=&#34;2&#34;&lt;3&gt;&#39;4&#39;">Größe &#34;&lt;&amp;&#39;&gt;&#34;</a></li><li><a href="/admin">Admin only</a></li><li><a href="" aria-current="page"></a></li></ul></div><div><h2>Security</h2><ul><li><a href="/keys">AccessKeys</a></li><li><a href="/users">Users</a></li></ul></div>`},
	} {
		var b strings.Builder
		if err := sideNav(testNav, c.active, c.canAdmin).Render(context.Background(), &b); err != nil {
			t.Fatal(err)
		}
		if b.String() != c.want {
			t.Errorf("sideNav(%q, admin %v) renders\n%s\nwant\n%s", c.active, c.canAdmin, b.String(), c.want)
		}
	}
}
