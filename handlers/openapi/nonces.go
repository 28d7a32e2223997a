package openapi

import (
	"hash/maphash"
	"sync"
	"time"
)

// nonceWindow remembers the SignatureNonces seen recently, in memory, so a
// replayed request is refused (SignatureNonceUsed) without a database write
// per request.
//
// A nonce is remembered per access key as a 64-bit hash (a false "used"
// needs two of the window's nonces to collide: about one chance in 10^12 at
// a million nonces). Entries live in three generations rotated every
// window: a nonce stays at least two windows (30 minutes by default), so a
// request whose Timestamp is up to one window in the future is still
// refused on replay until its Timestamp is more than one window old, and at
// most three windows. Memory is bounded: at max entries, new requests are
// refused with Throttling until the oldest generation expires; and one key
// may hold at most perKey of them, so one busy (or hostile) client cannot
// fill the window for every other tenant.
//
// A restart forgets every nonce: a request captured in the 15 minutes
// before a restart can be replayed once after it. That is the price of
// keeping the window out of the database.
type nonceWindow struct {
	mu      sync.Mutex
	seed    maphash.Seed
	every   time.Duration
	max     int
	rotated time.Time
	gens    [3]map[uint64]struct{} // gens[0] is the newest
	perGen  [3]map[string]int      // nonces of each key in each generation
	size    int
	perKey  int
}

func newNonceWindow(every time.Duration, limit int, now time.Time) *nonceWindow {
	w := &nonceWindow{seed: maphash.MakeSeed(), every: every, max: limit, perKey: max(limit/16, 1), rotated: now}
	for i := range w.gens {
		w.gens[i] = map[uint64]struct{}{}
		w.perGen[i] = map[string]int{}
	}
	return w
}

// nonceResult is what add answers.
type nonceResult int

const (
	nonceFresh nonceResult = iota
	nonceUsed
	nonceFull
)

// add records the nonce of an access key, answering whether it was fresh,
// already used, or could not be recorded because the window is full.
func (w *nonceWindow) add(keyID, nonce string, now time.Time) nonceResult {
	var h maphash.Hash
	h.SetSeed(w.seed)
	h.WriteString(keyID)
	h.WriteByte(0)
	h.WriteString(nonce)
	sum := h.Sum64()

	w.mu.Lock()
	defer w.mu.Unlock()
	w.rotate(now)
	for _, g := range w.gens {
		if _, seen := g[sum]; seen {
			return nonceUsed
		}
	}
	if w.size >= w.max || w.perGen[0][keyID]+w.perGen[1][keyID]+w.perGen[2][keyID] >= w.perKey {
		return nonceFull
	}
	w.gens[0][sum] = struct{}{}
	w.perGen[0][keyID]++
	w.size++
	return nonceFresh
}

// rotate drops the generations older than the window; the caller holds mu.
func (w *nonceWindow) rotate(now time.Time) {
	elapsed := now.Sub(w.rotated)
	if elapsed < w.every {
		return
	}
	steps := min(int(elapsed/w.every), len(w.gens))
	for range steps {
		w.size -= len(w.gens[len(w.gens)-1])
		copy(w.gens[1:], w.gens[:len(w.gens)-1])
		copy(w.perGen[1:], w.perGen[:len(w.perGen)-1])
		w.gens[0] = map[uint64]struct{}{}
		w.perGen[0] = map[string]int{}
	}
	w.rotated = w.rotated.Add(time.Duration(int(elapsed/w.every)) * w.every)
}
