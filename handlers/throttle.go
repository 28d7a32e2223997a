package handlers

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// throttle slows password guessing two ways: by user name (a run of wrong
// passwords locks the name for a while) and by client address (a token
// bucket over every attempt from it).
type throttle struct {
	cfg Config

	mu      sync.Mutex
	names   map[string]*nameState
	clients map[string]*clientState
	swept   time.Time
}

type nameState struct {
	failures    int
	lockedUntil time.Time
	last        time.Time
}

type clientState struct {
	limiter *rate.Limiter
	last    time.Time
}

func newThrottle(cfg Config) *throttle {
	return &throttle{cfg: cfg, names: map[string]*nameState{}, clients: map[string]*clientState{}}
}

// allow reports whether a login attempt for name from client may be
// checked at all, and if not, how long to wait.
func (t *throttle) allow(name, client string) (bool, time.Duration) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.cfg.Now()
	t.sweep(now)
	if n := t.names[name]; n != nil && now.Before(n.lockedUntil) {
		return false, n.lockedUntil.Sub(now)
	}
	c := t.clients[client]
	if c == nil {
		c = &clientState{limiter: rate.NewLimiter(rate.Every(t.cfg.LoginEvery), t.cfg.LoginBurst)}
		t.clients[client] = c
	}
	c.last = now
	if r := c.limiter.ReserveN(now, 1); r.OK() && r.DelayFrom(now) > 0 {
		d := r.DelayFrom(now)
		r.CancelAt(now)
		return false, d
	}
	return true, 0
}

// failed records a wrong password for name; the LoginFailures-th in a row
// locks it.
func (t *throttle) failed(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.cfg.Now()
	n := t.names[name]
	if n == nil {
		n = &nameState{}
		t.names[name] = n
	}
	n.failures++
	n.last = now
	if n.failures >= t.cfg.LoginFailures {
		n.lockedUntil = now.Add(t.cfg.LoginLockout)
		n.failures = 0
	}
}

// succeeded clears the run of failures of a name.
func (t *throttle) succeeded(name string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.names, name)
}

// sweep forgets idle entries, so the maps stay small under a spray of
// made-up names and addresses.
func (t *throttle) sweep(now time.Time) {
	if now.Sub(t.swept) < time.Minute {
		return
	}
	t.swept = now
	idle := t.cfg.LoginLockout + 10*time.Minute
	for k, n := range t.names {
		if now.Sub(n.last) > idle && now.After(n.lockedUntil) {
			delete(t.names, k)
		}
	}
	for k, c := range t.clients {
		if now.Sub(c.last) > idle {
			delete(t.clients, k)
		}
	}
}
