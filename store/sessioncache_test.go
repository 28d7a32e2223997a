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

// An entry is served only at the auth version it was read at: a read from
// before a change (an older version) is not kept, and a newer version
// empties what was kept.
func TestSessionCacheVersions(t *testing.T) {
	var c sessionCache
	now := time.Now()
	sess := Session{ID: "tok", ExpiresAt: now.Add(time.Hour), idleUntil: now.Add(time.Hour)}
	c.put(sess, 3)
	if _, ok := c.get("tok", now, 3); !ok {
		t.Fatal("a session read at the current version was not kept")
	}
	if _, ok := c.get("tok", now, 4); ok {
		t.Fatal("a session read before a change answered after it")
	}
	c.put(sess, 3) // a read that began before the change ends after it
	if _, ok := c.get("tok", now, 4); ok {
		t.Fatal("a read from before the change was kept")
	}
	if _, ok := c.get("tok", now, 3); ok {
		t.Fatal("a request at an older version was answered from memory after a newer one was seen")
	}
	c.put(sess, 4)
	if _, ok := c.get("tok", now, 4); !ok {
		t.Fatal("a read after the change was not kept")
	}
	if _, ok := c.get("tok", now.Add(2*time.Hour), 4); ok {
		t.Fatal("an expired session answered")
	}
}

// Another process (the command line beside a running server) changing a
// role, a password or removing a user: this process's memory follows on
// the next read, because the auth version moved in the database.
func TestSessionCacheFollowsAnotherProcess(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if _, err := s.AddUser(ctx, "acme", "ada", rules.RoleAdmin, "a-long-password-1"); err != nil {
		t.Fatal(err)
	}
	other, err := OpenAndMigrate(ctx, s.Path()) // a second handle: another process's view
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	login := func(name string) Session {
		t.Helper()
		u, err := s.Authenticate(ctx, name, "a-long-password-1")
		if err != nil {
			t.Fatal(err)
		}
		sess, err := s.CreateSession(ctx, u, time.Now(), time.Hour, 30*time.Minute)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 { // read, then from memory
			if _, err := s.SessionByID(ctx, sess.ID, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		return sess
	}
	for _, name := range []string{"sam", "pat", "rem"} {
		if _, err := s.AddUser(ctx, "acme", name, rules.RoleOperator, "a-long-password-1"); err != nil {
			t.Fatal(err)
		}
	}
	sam, pat, rem := login("sam"), login("pat"), login("rem")
	cli, err := other.LoginActor(ctx, "ada")
	if err != nil {
		t.Fatal(err)
	}

	if _, err := other.SetUserRole(ctx, cli, "sam", rules.RoleViewer); err != nil {
		t.Fatal(err)
	}
	if got, err := s.SessionByID(ctx, sam.ID, time.Now()); err != nil || got.User.Role != rules.RoleViewer {
		t.Errorf("role changed by another process: %+v, %v; want a viewer", got.User, err)
	}
	if _, _, err := other.ResetUserPassword(ctx, cli, "pat", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByID(ctx, pat.ID, time.Now()); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("password reset by another process: %v, want ErrSessionNotFound", err)
	}
	if _, err := other.RemoveUser(ctx, cli, "rem"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByID(ctx, rem.ID, time.Now()); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("user removed by another process: %v, want ErrSessionNotFound", err)
	}
}
