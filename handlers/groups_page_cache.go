package handlers

import (
	"sync"

	"gatehouse/rules"
)

// groupPageCache keeps Group Details rendered but its traffic, so that a
// group shown again while its account has not changed is not worked out
// and rendered again. It never shows what the database no longer holds:
//   - a part is rendered from the account's rows read at one version of the
//     account (store.GroupView: every change to a row the page shows moves
//     it, by trigger, in the transaction of the change, whichever process
//     makes it) and kept under that version;
//   - it is served to a request that read the same version with its
//     session (store.Session.AccountVersion), as the request began;
//   - the parts show nothing but those rows, the rules and the console's
//     configuration, for a viewer who may or may not change things (in the
//     key): not the time, not the request, not the CSRF token (the layout
//     and the traffic, rendered on every request, hold those).
//
// An account's parts are all of one version: a newer one replaces them.
type groupPageCache struct {
	mu       sync.Mutex
	accounts map[string]*accountPages // by account id
	n        int                      // parts held, every account's
}

type accountPages struct {
	version int64
	pages   map[groupPageKey]groupPage
}

type groupPageKey struct {
	accountID, groupID string
	version            int64
	canChange          bool
}

// groupPage is Group Details rendered but its traffic: the group (for the
// title and the traffic), the markup before the traffic and after it.
type groupPage struct {
	group      rules.Group
	head, tail string
}

// groupPagesKept bounds the pages kept (about 15 KB each); when full, the
// cache starts over.
const groupPagesKept = 512

func (c *groupPageCache) get(k groupPageKey) (groupPage, bool) {
	if k.version == 0 {
		return groupPage{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.accounts[k.accountID]
	if a == nil || a.version != k.version {
		return groupPage{}, false
	}
	p, ok := a.pages[k]
	return p, ok
}

// put keeps a page rendered from rows read at k.version. One read at an
// older version than the account's pages is not kept; a newer one replaces
// them.
func (c *groupPageCache) put(k groupPageKey, p groupPage) {
	if k.version == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.accounts == nil || c.n >= groupPagesKept {
		c.accounts, c.n = make(map[string]*accountPages), 0
	}
	a := c.accounts[k.accountID]
	switch {
	case a == nil:
	case k.version < a.version:
		return
	case k.version > a.version:
		c.n -= len(a.pages)
		a = nil
	}
	if a == nil {
		a = &accountPages{version: k.version, pages: map[groupPageKey]groupPage{}}
		c.accounts[k.accountID] = a
	}
	if _, ok := a.pages[k]; !ok {
		c.n++
	}
	a.pages[k] = p
}
