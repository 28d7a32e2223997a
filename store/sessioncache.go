package store

import (
	"sync"
	"time"
)

// sessionCache keeps the live sessions SessionByID has read, so that a
// console request learns who is asking without reading the database.
//
// It never answers for a session the database would refuse:
//   - an entry is used only while its absolute expiry and its idle deadline
//     (as read) are both ahead of the request's time; TouchSession moves the
//     deadline forward in the database only, so an entry can only run out
//     sooner than the row, and is then read again;
//   - DeleteSession (logout, an ended session, a new login from the same
//     browser) drops the token's entry, and SetUserRole drops them all, once
//     the change is committed;
//   - every drop moves the epoch, and a read that began before a drop does
//     not store what it read: it may have seen the row the drop removed.
//
// It holds the sessions of this process's database handle: logout and role
// changes made through it take effect at once. Like the OpenAPI endpoint's
// nonce memory, it assumes one `gatehouse serve` per database file; the
// command-line tools never end sessions or change roles.
type sessionCache struct {
	mu    sync.Mutex
	epoch uint64
	m     map[string]Session // by token
}

// sessionCacheSize bounds the entries; when full, the cache starts over.
const sessionCacheSize = 10_000

// get returns the cached session of token if it is live at now.
func (c *sessionCache) get(token string, now time.Time) (Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sess, ok := c.m[token]
	if !ok || !now.Before(sess.ExpiresAt) || !now.Before(sess.idleUntil) {
		return Session{}, false
	}
	return sess, true
}

// begin returns the epoch a database read starts in, for put.
func (c *sessionCache) begin() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.epoch
}

// put stores a session read from the database, unless something was
// dropped since the read began.
func (c *sessionCache) put(epoch uint64, sess Session) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if epoch != c.epoch {
		return
	}
	if c.m == nil || len(c.m) >= sessionCacheSize {
		c.m = make(map[string]Session)
	}
	c.m[sess.ID] = sess
}

// drop forgets token's session.
func (c *sessionCache) drop(token string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	delete(c.m, token)
}

// dropAll forgets every session.
func (c *sessionCache) dropAll() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.epoch++
	c.m = nil
}
