package store

import (
	"sync"
	"time"
)

// sessionCache keeps the live sessions SessionByID has read, so that a
// console request learns who is asking with one small read (the auth
// version) instead of the session, user and account rows.
//
// It never answers for a session the database would refuse:
//   - every change to what a session may do (a role, a password, a login
//     or an account changed; a user removed; any session ended) moves the
//     database's auth version (schemaV5), by trigger, in the transaction
//     that makes the change, whichever process makes it: the console, the
//     OpenAPI endpoint, or `gatehouse user passwd|remove` beside a running
//     server;
//   - an entry holds the auth version of the snapshot its rows were read
//     in (one statement), and is served only to a request that reads the
//     same version: once a change has committed, no request that starts
//     afterwards is answered from before it;
//   - an entry is used only while its absolute expiry and its idle deadline
//     (as read) are both ahead of the request's time; TouchSession moves the
//     deadline forward in the database only, so an entry can only run out
//     sooner than the row, and is then read again.
//
// A new version empties the cache: the sessions are read again once each.
type sessionCache struct {
	mu      sync.Mutex
	version int64              // the auth version of every entry
	m       map[string]Session // by token
}

// sessionCacheSize bounds the entries; when full, the cache starts over.
const sessionCacheSize = 10_000

// get returns the cached session of token if it is live at now and was
// read at version, the auth version the request has just read.
func (c *sessionCache) get(token string, now time.Time, version int64) (Session, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if version != c.version {
		if version > c.version {
			c.version, c.m = version, nil // what was kept is from before a change
		}
		return Session{}, false
	}
	sess, ok := c.m[token]
	if !ok || !now.Before(sess.ExpiresAt) || !now.Before(sess.idleUntil) {
		return Session{}, false
	}
	return sess, true
}

// accountOf returns the account of the cached session of token, "" when
// none is cached. It says nothing of whether the session is live: get
// does.
func (c *sessionCache) accountOf(token string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[token].Account.ID
}

// put stores a session read at version. A read from before the newest
// version known is not kept.
func (c *sessionCache) put(sess Session, version int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case version < c.version:
		return
	case version > c.version:
		c.version, c.m = version, nil
	}
	if c.m == nil || len(c.m) >= sessionCacheSize {
		c.m = make(map[string]Session)
	}
	c.m[sess.ID] = sess
}
