package store

import "sync"

// Kept holds values worked out from an account's rows (a rendered page, a
// list of choices, stored counts), each under the version of the account
// it was worked out at, and answers one only to a caller that has just
// read the same version (Session.AccountVersion, Session.TrafficVersion).
// Every change to the rows moves the version in the transaction that
// makes it, whichever process makes it (schemaV15, schemaV16), so a value
// answered is never older than the caller's request; a value worked out
// from rows read after the caller's version was read may be kept under
// that version, since it is only newer.
//
// An account's values are all of one version: a value of a newer version
// replaces them, one of an older version is not kept. Version 0 (not
// read) keeps nothing. Kept holds at most maxBytes in all, as the callers
// estimate their values' sizes; a value over a sixteenth of it is not
// kept, and when full it starts over.
type Kept[K comparable, V any] struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	accounts map[string]*keptAccount[K, V]
}

type keptAccount[K comparable, V any] struct {
	version int64
	bytes   int
	values  map[K]keptValue[V]
}

type keptValue[V any] struct {
	v    V
	size int
}

// NewKept returns an empty Kept of at most maxBytes.
func NewKept[K comparable, V any](maxBytes int) *Kept[K, V] {
	return &Kept[K, V]{maxBytes: maxBytes, accounts: map[string]*keptAccount[K, V]{}}
}

// Get returns the value kept for the account under k at version.
func (c *Kept[K, V]) Get(accountID string, version int64, k K) (V, bool) {
	var zero V
	if version == 0 {
		return zero, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.accounts[accountID]
	if a == nil || a.version != version {
		return zero, false
	}
	e, ok := a.values[k]
	return e.v, ok
}

// Put keeps v, of about size bytes, for the account under k at version.
func (c *Kept[K, V]) Put(accountID string, version int64, k K, v V, size int) {
	if version == 0 || size > c.maxBytes/16 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.accounts[accountID]
	switch {
	case a == nil:
	case version < a.version:
		return
	case version > a.version:
		c.bytes -= a.bytes
		a = nil
	}
	if c.bytes+size > c.maxBytes {
		c.accounts, c.bytes, a = map[string]*keptAccount[K, V]{}, 0, nil
	}
	if a == nil {
		a = &keptAccount[K, V]{version: version, values: map[K]keptValue[V]{}}
		c.accounts[accountID] = a
	}
	if old, ok := a.values[k]; ok {
		a.bytes -= old.size
		c.bytes -= old.size
	}
	a.values[k] = keptValue[V]{v, size}
	a.bytes += size
	c.bytes += size
}
