package handlers

import (
	"gatehouse/rules"
	"gatehouse/store"
)

// Group Details is kept rendered but its traffic (store.Kept), so that a
// group shown again while its account has not changed is not worked out
// and rendered again. It never shows what the database no longer holds:
//   - the parts are rendered from the account's rows read at one version
//     of the account (store.GroupView: every change to a row the page shows
//     moves it, by trigger, in the transaction of the change, whichever
//     process makes it) and kept under that version;
//   - they are served to a request that read the same version with its
//     session (store.Session.AccountVersion), as the request began;
//   - they show nothing but those rows, the rules and the console's
//     configuration, for a viewer who may or may not change things (in the
//     key): not the time, not the request, not the CSRF token (the layout
//     and the traffic, rendered on every request, hold those;
//     TestGroupPagePartsIgnoreTheRequest).

// groupPageKey is what one of an account's kept pages is for.
type groupPageKey struct {
	groupID   string
	canChange bool
}

// groupPage is Group Details rendered but its traffic: the group (for the
// title and the traffic), the markup before the traffic and after it.
type groupPage struct {
	group      rules.Group
	head, tail string
}

// groupPagesBytes bounds the pages kept: about a thousand of a typical
// group (15 KB).
const groupPagesBytes = 16 << 20

func newGroupPageCache() *store.Kept[groupPageKey, groupPage] {
	return store.NewKept[groupPageKey, groupPage](groupPagesBytes)
}
