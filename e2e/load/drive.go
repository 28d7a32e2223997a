package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// scenario is one kind of request driven for a fixed time by every client.
type scenario struct {
	name string
	// next appends client w's i-th request to dst. Requests are built
	// while the clock runs, as a browser or the SDK builds them.
	next func(w *worker, i int, dst []byte) []byte
	// want is the expected status; done is called after each answer (to
	// follow state, such as a toggled group).
	want int
	done func(w *worker, r *response)
}

// worker is one client: a browser (cookies, connection) and what it
// records.
type worker struct {
	id  int
	b   *browser
	buf []byte
	lat []uint32 // nanoseconds, capped at ~4.29 s

	// scenario state
	toggle   string // the group this client enables and disables
	enabled  bool
	seq      int
	ok, errs int64
	lastErr  string
}

// result is what one scenario measured.
type result struct {
	name                string
	requests, errors    int64 // answers as expected, and everything else
	elapsed             time.Duration
	rps                 float64
	minRPS, maxRPS      float64 // of the rounds
	p50, p99, max       time.Duration
	wireBytes           int64   // body bytes per answer, as sent
	plainBytes          int64   // body bytes per answer, decompressed
	encoding            string  // Content-Encoding of the answers
	serverCPU, loadCPU  float64 // CPU µs per request: server process, load generator
	lastErr             string
	locked, serverError int64 // from the server's log during the run
}

// tally adds up a scenario's rounds.
type tally struct {
	lat                []uint32
	ok, errs           int64
	elapsed            time.Duration
	serverCPU, loadCPU time.Duration
	roundRPS           []float64
	lastErr            string
	logs               logCounts
}

// round runs sc on ws for d (or until maxRequests answers) and adds what
// it measured, with the CPU time srv and this process used meanwhile and
// what srv logged.
func (t *tally) round(ctx context.Context, sc scenario, srv *server, ws []*worker, d time.Duration, maxRequests int64) error {
	for _, w := range ws {
		w.lat, w.ok, w.errs, w.lastErr = w.lat[:0], 0, 0, ""
	}
	if _, err := srv.scanLog(); err != nil {
		return err
	}
	cpu0, err := srv.cpuTime()
	if err != nil {
		return err
	}
	self0 := selfCPU()
	elapsed := run(ctx, sc, ws, d, maxRequests)
	cpu1, err := srv.cpuTime()
	if err != nil {
		return err
	}
	t.loadCPU += selfCPU() - self0
	t.serverCPU += cpu1 - cpu0
	if err := ctx.Err(); err != nil {
		return err
	}
	var ok int64
	for _, w := range ws {
		ok += w.ok
		t.errs += w.errs
		if w.lastErr != "" {
			t.lastErr = w.lastErr
		}
		t.lat = append(t.lat, w.lat...)
	}
	t.ok += ok
	t.elapsed += elapsed
	t.roundRPS = append(t.roundRPS, float64(ok)/elapsed.Seconds())
	lc, err := srv.scanLog()
	t.logs.locked += lc.locked
	t.logs.errors += lc.errors
	return err
}

// result sums the rounds up.
func (t *tally) result(name string, s sample) result {
	r := result{name: name, requests: t.ok, errors: t.errs, elapsed: t.elapsed, lastErr: t.lastErr,
		wireBytes: s.wire, plainBytes: s.plain, encoding: s.encoding, locked: t.logs.locked, serverError: t.logs.errors}
	if t.elapsed > 0 {
		r.rps = float64(t.ok) / t.elapsed.Seconds()
	}
	if len(t.roundRPS) > 0 {
		r.minRPS, r.maxRPS = slices.Min(t.roundRPS), slices.Max(t.roundRPS)
	}
	if total := float64(t.ok + t.errs); total > 0 {
		r.serverCPU = float64(t.serverCPU.Microseconds()) / total
		r.loadCPU = float64(t.loadCPU.Microseconds()) / total
	}
	if len(t.lat) > 0 {
		slices.Sort(t.lat)
		r.p50 = time.Duration(t.lat[percentileIndex(len(t.lat), 0.50)])
		r.p99 = time.Duration(t.lat[percentileIndex(len(t.lat), 0.99)])
		r.max = time.Duration(t.lat[len(t.lat)-1])
	}
	return r
}

func percentileIndex(n int, p float64) int {
	i := int(math.Ceil(p*float64(n))) - 1
	return min(max(i, 0), n-1)
}

// run is one timed phase; it returns how long it took until the last
// client's last answer.
func run(ctx context.Context, sc scenario, workers []*worker, d time.Duration, maxRequests int64) time.Duration {
	var sent atomic.Int64
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			for ctx.Err() == nil && time.Now().Before(deadline) && sent.Add(1) <= maxRequests {
				w.seq++
				w.buf = sc.next(w, w.seq, w.buf[:0])
				t0 := time.Now()
				r, err := w.b.send(w.buf, false)
				lat := time.Since(t0)
				switch {
				case err != nil:
					w.errs++
					w.lastErr = err.Error()
					continue
				case r.status != sc.want:
					w.errs++
					w.lastErr = fmt.Sprintf("status %d, want %d", r.status, sc.want)
				default:
					w.ok++
					w.lat = append(w.lat, uint32(min(lat, math.MaxUint32)))
				}
				if sc.done != nil {
					sc.done(w, r)
				}
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}
