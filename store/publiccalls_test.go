package store

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
)

func TestReservePublicCalls(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const g, day = "0123456789abcdef0123456789abcdef", 20000
	steps := []struct {
		block, limit int64
		want         Reservation
	}{
		{10, 25, Reservation{0, 10}},
		{10, 25, Reservation{10, 20}},
		{10, 25, Reservation{20, 25}}, // never above the limit
		{10, 25, Reservation{25, 25}}, // the limit reached: nothing more
		{10, 5, Reservation{25, 25}},  // a lower limit never takes back what was reserved
		{10, 40, Reservation{25, 35}}, // a higher one goes on from there
	}
	for i, st := range steps {
		got, err := s.ReservePublicCalls(ctx, g, day, st.block, st.limit)
		if err != nil || got != st.want {
			t.Fatalf("step %d: %+v, %v; want %+v", i, got, err, st.want)
		}
	}
	if n, err := publicReserved(ctx, s, g, day); n != 35 || err != nil {
		t.Errorf("reserved %d, %v; want 35", n, err)
	}
	if n, err := publicReserved(ctx, s, g, day+1); n != 0 || err != nil {
		t.Errorf("another day: %d, %v; want 0", n, err)
	}
	if _, err := s.ReservePublicCalls(ctx, g, day, 0, 10); err == nil {
		t.Error("a block of 0 was accepted")
	}
}

// Two days later, the rows of the old days are gone: the table holds
// today and yesterday.
func TestReservePublicCallsForgetsOldDays(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	for _, day := range []int64{100, 101, 102, 103} {
		if _, err := s.ReservePublicCalls(ctx, "g1", day, 5, 100); err != nil {
			t.Fatal(err)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM public_call_reservations`); n != 2 {
		t.Errorf("%d rows, want 2 (days 102 and 103)", n)
	}
}

// Reservations made concurrently add up; and a store opened again on the
// same file (a restarted process) finds them.
func TestReservePublicCallsConcurrentlyAndAfterReopen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	s, err := OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if _, err := s.ReservePublicCalls(ctx, "g", 7, 3, 1000); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := publicReserved(ctx, s, "g", 7); n != 48 || err != nil {
		t.Errorf("after reopening: %d, %v; want 48", n, err)
	}
}

// publicReserved is the reservation GroupCallsStored reads beside a
// group's hours.
func publicReserved(ctx context.Context, s *Store, groupID string, day int64) (int64, error) {
	n, _, err := s.GroupCallsStored(ctx, groupID, day, 0)
	return n, err
}
