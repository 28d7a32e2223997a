package gateway

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// The public second-level domain's daily limit (R2).
//
// Calls through a group's public second-level domain count per group per
// day; the day is Beijing time (UTC+8) for every region, as API Gateway
// counts it. The count lives in memory (an atomic per group and day); the
// database holds a reservation ahead of it (store.ReservePublicCalls): a
// call beyond what is reserved waits for the next block to be committed
// before it is admitted, and when a block is half used the next one is
// reserved in the background, so that calls rarely wait. The limit is
// exact under any concurrency (a compare-and-swap admits each call), costs
// no database write per call (one per block), and holds across a kill -9:
// a new process starts the day at the reserved number. See
// store/publiccalls.go.

// Reserver commits reservations of public-domain calls (the store).
type Reserver interface {
	ReservePublicCalls(ctx context.Context, groupID string, day, block, limit int64) (store.Reservation, error)
}

// beijing is UTC+8, the day of the daily limit.
const beijingOffset = rules.LimitDayOffset

// DayOf is the number of the day t falls on, counted in Beijing time
// (UTC+8) from 1970-01-01: rules.LimitDay, which the console's Overview
// asks too.
func DayOf(t time.Time) int64 { return rules.LimitDay(t) }

// blockFor is how many calls one reservation covers: a fiftieth of the
// limit (so a crash costs at most 2% of a day's calls), at least 1 and at
// most 4,096 (so a busy domain reserves a few times a second at most).
func blockFor(limit int64) int64 {
	return min(max(limit/50, 1), 4096)
}

// limiter counts calls through public second-level domains.
type limiter struct {
	res      Reserver
	now      func() time.Time
	counters sync.Map // dayKey → *dayCounter
	swept    atomic.Int64
	ahead    sync.WaitGroup // reservations made in the background (tests wait for them)
}

type dayKey struct {
	group string
	day   int64
}

// dayCounter is one group's calls of one day.
type dayCounter struct {
	key      dayKey
	limit    int64
	used     atomic.Int64 // calls admitted, including those of earlier processes (the reservation found at start)
	reserved atomic.Int64 // calls the committed reservation covers
	mu       sync.Mutex   // one reservation at a time
	started  bool         // under mu: the first reservation has been made
}

func newLimiter(res Reserver, now func() time.Time) *limiter {
	return &limiter{res: res, now: now}
}

// admit counts a call through groupID's public domain against limit and
// reports whether it is within it. An error means no reservation could be
// committed: the call is not admitted.
func (l *limiter) admit(ctx context.Context, groupID string, limit int64) (bool, error) {
	c := l.counter(groupID, limit)
	block := blockFor(c.limit)
	for {
		u := c.used.Load()
		if u >= c.limit {
			return false, nil
		}
		r := c.reserved.Load()
		if u < r {
			if !c.used.CompareAndSwap(u, u+1) {
				continue
			}
			if block > 1 && r-(u+1) == block/2 && r < c.limit {
				l.ahead.Go(func() { l.reserveAhead(c, block, r) })
			}
			return true, nil
		}
		if err := l.reserve(ctx, c, block, r); err != nil {
			return false, err
		}
	}
}

// counter finds or makes the counter of groupID for today.
func (l *limiter) counter(groupID string, limit int64) *dayCounter {
	k := dayKey{groupID, DayOf(l.now())}
	if c, ok := l.counters.Load(k); ok {
		return c.(*dayCounter)
	}
	c, loaded := l.counters.LoadOrStore(k, &dayCounter{key: k, limit: limit})
	if !loaded && l.swept.Swap(k.day) != k.day {
		l.counters.Range(func(key, _ any) bool {
			if key.(dayKey).day < k.day {
				l.counters.Delete(key)
			}
			return true
		})
	}
	return c.(*dayCounter)
}

// reserve commits the next block after the reservation seen, unless
// another goroutine did meanwhile.
func (l *limiter) reserve(ctx context.Context, c *dayCounter, block, seen int64) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.started && c.reserved.Load() != seen {
		return nil
	}
	r, err := l.res.ReservePublicCalls(ctx, c.key.group, c.key.day, block, c.limit)
	if err != nil {
		return err
	}
	if !c.started {
		// Calls reserved by an earlier process count as made.
		c.used.Store(r.Before)
		c.started = true
	}
	c.reserved.Store(r.After)
	return nil
}

// reserveAhead reserves the block after seen in the background.
func (l *limiter) reserveAhead(c *dayCounter, block, seen int64) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = l.reserve(ctx, c, block, seen) // a failure here is met again, and answered, by the call that needs the block
}

// usedToday is how many calls through groupID's public domain this
// process has counted today, with those reserved by earlier processes;
// ok is false when it has counted none (the store's reservation then
// tells: store.GroupCallsStored).
func (l *limiter) usedToday(groupID string) (used int64, ok bool) {
	v, found := l.counters.Load(dayKey{groupID, DayOf(l.now())})
	if !found {
		return 0, false
	}
	c := v.(*dayCounter)
	c.mu.Lock()
	started := c.started
	c.mu.Unlock()
	return c.used.Load(), started
}
