package store

import (
	"context"
	"errors"
	"testing"
	"time"

	"gatehouse/rules"
)

// A session lives until logout, its idle time without a touch, or its
// absolute lifetime, whichever comes first; the token alone opens it.
func TestSessionLifetimes(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	u, err := s.AddUser(ctx, "acme", "sam", rules.RoleOperator, "a-long-password-1")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sess, err := s.CreateSession(ctx, u, now, time.Hour, 10*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.SessionByID(ctx, sess.ID, now.Add(5*time.Minute))
	if err != nil || got.User.Login != "sam" || got.Account.Name != "acme" {
		t.Fatalf("fresh session: %+v, %v", got, err)
	}
	if _, err := s.SessionByID(ctx, sess.ID+"x", now); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("a wrong token: %v, want ErrSessionNotFound", err)
	}
	if _, err := s.SessionByID(ctx, sess.ID, now.Add(11*time.Minute)); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("after the idle time: %v, want ErrSessionNotFound", err)
	}
	// Used at minute 8: alive until minute 18, never past the hour.
	if err := s.TouchSession(ctx, sess.ID, now.Add(8*time.Minute), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByID(ctx, sess.ID, now.Add(15*time.Minute)); err != nil {
		t.Errorf("touched session at minute 15: %v", err)
	}
	if err := s.TouchSession(ctx, sess.ID, now.Add(55*time.Minute), 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByID(ctx, sess.ID, now.Add(61*time.Minute)); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("past the absolute lifetime: %v, want ErrSessionNotFound", err)
	}
	if err := s.DeleteSession(ctx, sess.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SessionByID(ctx, sess.ID, now); !errors.Is(err, ErrSessionNotFound) {
		t.Errorf("after logout: %v, want ErrSessionNotFound", err)
	}
}

// BenchmarkSessionByID is a console request learning who asks: the auth
// version, then the session from memory.
func BenchmarkSessionByID(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	u, err := s.AddUser(ctx, "acme", "sam", rules.RoleOperator, "a-long-password-1")
	if err != nil {
		b.Fatal(err)
	}
	sess, err := s.CreateSession(ctx, u, time.Now(), time.Hour, 30*time.Minute)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.SessionByID(ctx, sess.ID, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}
