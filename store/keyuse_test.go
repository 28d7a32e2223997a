package store

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/rules"
)

// An access key's last use shows at once in the list, reaches the
// database at most once a minute, and survives a restart once the store
// is closed.
func TestAccessKeyLastUse(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	s, err := OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, "acme", "alice", rules.RoleAdmin, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	acme, err := s.AccountByName(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	a := Actor{AccountID: acme.ID, Name: "alice", Source: rules.SourceConsole}
	k, _, err := s.CreateAccessKey(ctx, a, "alice")
	if err != nil {
		t.Fatal(err)
	}
	listed := func() time.Time {
		t.Helper()
		keys, err := s.ListAccessKeys(ctx, acme.ID)
		if err != nil || len(keys) != 1 {
			t.Fatalf("list: %v %v", keys, err)
		}
		return keys[0].LastUsed
	}
	stored := func() int64 {
		t.Helper()
		s.uses.wg.Wait() // the background write, if one started
		var n int64
		if err := s.rq.QueryRowContext(ctx, `SELECT COALESCE(last_used_at, 0) FROM access_keys WHERE id = ?`, k.ID).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if !listed().IsZero() || stored() != 0 {
		t.Fatal("a new key shows a last use")
	}

	t0 := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	s.NoteAccessKeyUse(k.ID, t0)
	if got := listed(); !got.Equal(t0) {
		t.Fatalf("listed %v, want %v", got, t0)
	}
	if got := stored(); got != t0.UnixNano() {
		t.Fatalf("first use not written: %d", got)
	}

	// Uses within the minute are shown but not written.
	for i := 1; i <= 50; i++ {
		s.NoteAccessKeyUse(k.ID, t0.Add(time.Duration(i)*time.Second))
	}
	s.NoteAccessKeyUse(k.ID, t0.Add(10*time.Second)) // an older use noted late changes nothing
	if got := listed(); !got.Equal(t0.Add(50 * time.Second)) {
		t.Fatalf("listed %v after uses in the minute", got)
	}
	if got := stored(); got != t0.UnixNano() {
		t.Fatalf("a use within the minute was written: %d", got)
	}

	// A minute after the last write, the next use writes.
	t1 := t0.Add(61 * time.Second)
	s.NoteAccessKeyUse(k.ID, t1)
	if got := stored(); got != t1.UnixNano() {
		t.Fatalf("use a minute on not written: %d, want %d", got, t1.UnixNano())
	}

	// What was noted since is written on Close and read after a restart.
	t2 := t1.Add(5 * time.Second)
	s.NoteAccessKeyUse(k.ID, t2)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2, err := OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	keys, err := s2.ListAccessKeys(ctx, acme.ID)
	if err != nil || len(keys) != 1 || !keys[0].LastUsed.Equal(t2) {
		t.Fatalf("after restart: %+v %v, want last use %v", keys, err, t2)
	}
}

// Noting a use is cheap enough for every signed call: no write, no lock
// held across calls.
func BenchmarkNoteAccessKeyUse(b *testing.B) {
	s := newStore(b)
	at := time.Now()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			s.NoteAccessKeyUse("LTAI00000000000000000000", at)
		}
	})
}
