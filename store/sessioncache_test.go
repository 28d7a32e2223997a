package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"gatehouse/rules"
)

// A session read once answers from memory, but a role change shows on the
// next read and a logout ends it at once, whatever was read before.
func TestSessionCacheFollowsChanges(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	admin, err := s.AddUser(ctx, "acme", "ada", rules.RoleAdmin, "a-long-password-1")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.AddUser(ctx, "acme", "sam", rules.RoleOperator, "a-long-password-1")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := s.CreateSession(ctx, u, time.Now(), time.Hour, 30*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	for range 2 { // read, then from memory
		got, err := s.SessionByID(ctx, sess.ID, now)
		if err != nil || got.User.Role != rules.RoleOperator {
			t.Fatalf("session: %+v, %v", got, err)
		}
	}
	actor := Actor{AccountID: admin.AccountID, Name: "ada", Source: rules.SourceConsole}
	if _, err := s.SetUserRole(ctx, actor, "sam", rules.RoleViewer); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionByID(ctx, sess.ID, now); err != nil || got.User.Role != rules.RoleViewer {
		t.Fatalf("after the role change: %+v, %v; want a viewer", got.User, err)
	}
	if err := s.DeleteSession(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByID(ctx, sess.ID, now); !errors.Is(err, ErrSessionNotFound) {
		t.Fatalf("after logout: %v, want ErrSessionNotFound", err)
	}
}

// A read that began before a drop does not store what it read: it may be
// the row the drop removed.
func TestSessionCacheReadRacingADrop(t *testing.T) {
	var c sessionCache
	sess := Session{ID: "tok", ExpiresAt: time.Now().Add(time.Hour), idleUntil: time.Now().Add(time.Hour)}
	epoch := c.begin()
	c.drop("tok") // logout commits while the read is under way
	c.put(epoch, sess)
	if _, ok := c.get("tok", time.Now()); ok {
		t.Fatal("a read from before the logout was kept")
	}
	c.put(c.begin(), sess)
	if _, ok := c.get("tok", time.Now()); !ok {
		t.Fatal("a read after the logout was not kept")
	}
	if _, ok := c.get("tok", time.Now().Add(2*time.Hour)); ok {
		t.Fatal("an expired session answered")
	}
}
