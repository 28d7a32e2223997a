package gateway

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/store"
)

// memReserver keeps reservations in memory, as the store does in its
// table.
type memReserver struct {
	mu    sync.Mutex
	rows  map[dayKey]int64
	calls atomic.Int64
	fail  error
}

func (m *memReserver) ReservePublicCalls(_ context.Context, g string, day, block, limit int64) (store.Reservation, error) {
	m.calls.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return store.Reservation{}, m.fail
	}
	if m.rows == nil {
		m.rows = map[dayKey]int64{}
	}
	before := m.rows[dayKey{g, day}]
	after := max(before, min(limit, before+block))
	m.rows[dayKey{g, day}] = after
	return store.Reservation{Before: before, After: after}, nil
}

func TestDayOfIsBeijingTime(t *testing.T) {
	beijing := time.FixedZone("UTC+8", 8*3600)
	cases := []struct {
		t    time.Time
		same time.Time
		next time.Time
	}{
		{time.Date(2026, 3, 1, 0, 0, 0, 0, beijing), time.Date(2026, 3, 1, 23, 59, 59, 0, beijing), time.Date(2026, 3, 2, 0, 0, 0, 0, beijing)},
		// 16:00 UTC is midnight in Beijing.
		{time.Date(2026, 3, 1, 15, 59, 59, 0, time.UTC), time.Date(2026, 2, 28, 16, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 16, 0, 0, 0, time.UTC)},
		{time.Date(1969, 12, 31, 15, 0, 0, 0, time.UTC), time.Date(1969, 12, 30, 16, 0, 0, 0, time.UTC), time.Date(1969, 12, 31, 16, 0, 0, 0, time.UTC)},
	}
	for _, c := range cases {
		if DayOf(c.t) != DayOf(c.same) || DayOf(c.next) != DayOf(c.t)+1 {
			t.Errorf("%v: day %d, same %d, next %d", c.t, DayOf(c.t), DayOf(c.same), DayOf(c.next))
		}
	}
	if d := DayOf(time.Date(1970, 1, 1, 0, 0, 0, 0, beijing)); d != 0 {
		t.Errorf("1970-01-01 Beijing is day %d, want 0", d)
	}
}

func TestBlockFor(t *testing.T) {
	for limit, want := range map[int64]int64{1: 1, 49: 1, 100: 2, 1000: 20, 100_000: 2000, 1 << 40: 4096} {
		if got := blockFor(limit); got != want {
			t.Errorf("blockFor(%d) = %d, want %d", limit, got, want)
		}
	}
}

// However many callers race, exactly the limit is admitted, with one
// reservation a block (and none a call).
func TestLimiterIsExactUnderConcurrency(t *testing.T) {
	for _, limit := range []int64{1, 7, 100, 1000, 25_000} {
		res := &memReserver{}
		l := newLimiter(res, time.Now)
		var admitted atomic.Int64
		var wg sync.WaitGroup
		for range 64 {
			wg.Go(func() {
				for range limit/32 + 8 {
					ok, err := l.admit(context.Background(), "g", limit)
					if err != nil {
						t.Error(err)
						return
					}
					if ok {
						admitted.Add(1)
					}
				}
			})
		}
		wg.Wait()
		if admitted.Load() != limit {
			t.Errorf("limit %d: %d admitted", limit, admitted.Load())
		}
		if max := limit/blockFor(limit) + 2; res.calls.Load() > max {
			t.Errorf("limit %d: %d reservations, want at most %d", limit, res.calls.Load(), max)
		}
		if used, ok := l.usedToday("g"); used != limit || !ok {
			t.Errorf("limit %d: used %d (%v)", limit, used, ok)
		}
	}
}

// A new process (a new limiter on the same reservations) counts every
// reserved call as made: the limit holds across a crash.
func TestLimiterStartsAtTheReservationAfterARestart(t *testing.T) {
	res := &memReserver{}
	const limit = 1000 // blocks of 20
	first := newLimiter(res, time.Now)
	for range 15 {
		if ok, err := first.admit(context.Background(), "g", limit); !ok || err != nil {
			t.Fatal(ok, err)
		}
	}
	first.ahead.Wait() // the first one's reservation ahead has reached the store
	res.mu.Lock()
	reserved := res.rows[dayKey{"g", DayOf(time.Now())}]
	res.mu.Unlock()
	if reserved < 15 || reserved > 15+2*blockFor(limit) {
		t.Fatalf("reserved %d after 15 calls", reserved)
	}
	second := newLimiter(res, time.Now) // the first one was killed
	admitted := int64(0)
	for range 2 * limit {
		ok, err := second.admit(context.Background(), "g", limit)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			admitted++
		}
	}
	if admitted != limit-reserved {
		t.Errorf("after the restart %d admitted, want %d (the limit less the %d reserved)", admitted, limit-reserved, reserved)
	}
}

// Each group has its own count; a new day starts from nothing.
func TestLimiterCountsPerGroupAndDay(t *testing.T) {
	now := time.Date(2026, 5, 1, 15, 59, 0, 0, time.UTC) // 23:59 in Beijing
	l := newLimiter(&memReserver{}, func() time.Time { return now })
	admit := func(g string) bool {
		ok, err := l.admit(context.Background(), g, 2)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	got := []bool{admit("a"), admit("a"), admit("a"), admit("b")}
	if want := []bool{true, true, false, true}; !equalBools(got, want) {
		t.Fatalf("%v, want %v", got, want)
	}
	now = now.Add(time.Minute) // midnight in Beijing
	if !admit("a") || !admit("a") || admit("a") {
		t.Error("the new day did not start from nothing")
	}
	l.counters.Range(func(k, _ any) bool {
		if k.(dayKey).day != DayOf(now) {
			t.Errorf("yesterday's counter %v is kept", k)
		}
		return true
	})
}

// When no reservation can be committed, no call is admitted.
func TestLimiterRefusesWithoutAReservation(t *testing.T) {
	l := newLimiter(&memReserver{fail: errors.New("disk full")}, time.Now)
	if ok, err := l.admit(context.Background(), "g", 100); ok || err == nil {
		t.Errorf("admitted %t, %v", ok, err)
	}
}

func equalBools(a, b []bool) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
