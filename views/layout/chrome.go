// Package layout holds the page shell every console page is drawn in.
package layout

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind    string // success, error, info
	Message string
}

// Chrome is what the shell needs to know about the request: the page title,
// which navigation entry is current, who is logged in and the CSRF token.
type Chrome struct {
	Title     string
	Active    string // a NavItem key
	Account   string
	User      string
	Role      string
	CSRFToken string
	Flashes   []Flash
	// What the user may do: views hide the controls they may not use.
	CanChange bool
	CanAdmin  bool
	// Bare pages (login, errors for anonymous users) have no navigation.
	Bare bool
}

// NavSection is a heading of the side navigation and its entries.
type NavSection struct {
	Heading string
	Items   []NavItem
}

// NavItem is one link of the side navigation.
type NavItem struct {
	Key   string
	Label string
	Href  string
	// AdminOnly entries lead to pages only admins may open; others do not
	// see them.
	AdminOnly bool
}
