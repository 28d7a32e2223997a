package store

import "sync"

// countCache remembers filtered totals of a list (a name search of the
// groups, a filter of the APIs) with the account's list version they were
// counted at (group_list_versions, schemaV4; api_list_versions, schemaV7):
// while the version stays, the total cannot change, so a search paged
// through, reloaded or run by several operators is counted once. A change
// to what the list filters on moves the version, in the transaction that
// makes it, whichever process makes it. At most countCacheSize
// entries; when full, any one goes.
type countCache struct {
	mu sync.Mutex
	m  map[countKey]countEntry
}

// countKey names one filtered total: the list ("groups", "apis"), the
// account and the list's filters written out.
type countKey struct{ list, account, filter string }

type countEntry struct {
	version int64
	total   int
}

const countCacheSize = 4096

func (c *countCache) get(k countKey, version int64) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[k]
	return e.total, ok && e.version == version
}

func (c *countCache) put(k countKey, version int64, total int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[countKey]countEntry)
	}
	if e, ok := c.m[k]; ok && e.version > version {
		return // a newer count is there already
	}
	if _, ok := c.m[k]; !ok && len(c.m) >= countCacheSize {
		for old := range c.m {
			delete(c.m, old)
			break
		}
	}
	c.m[k] = countEntry{version: version, total: total}
}
