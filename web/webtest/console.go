// Package webtest runs the console in-process for tests: web.New over a
// migrated SQLite store, served by httptest on loopback, with a clock the
// test moves; tenants with look-alike resources; and a browser stand-in
// (cookie jar, CSRF token, htmx headers) whose answers are read as HTML
// with goquery, by what an operator sees: status, headings, field errors
// beside their fields, alerts, buttons, flashes and redirects.
//
// It is imported by tests only (web's and handlers'); nothing in the
// binary imports it.
package webtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/handlers"
	"gatehouse/store"
	"gatehouse/web"
)

// RouteHeader names, on every answer of a Console, the route Echo chose
// for the request ("GET /groups/:id"), so a test can tell which route of
// web/routes.go it exercised.
const RouteHeader = "Webtest-Route"

// Clock is a clock a test moves instead of sleeping. It starts at the real
// time and is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock starts a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time; pass it as handlers.Config.Now.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Console is the console's Echo app over a store, served on a loopback
// port.
type Console struct {
	Store  *store.Store
	Echo   *echo.Echo
	Server *httptest.Server
	// Clock is the handlers' clock (handlers.Config.Now), unless tune
	// replaced it.
	Clock *Clock

	ownStore bool
}

// Open creates and migrates a store in dir and serves a console over it.
// tune, if not nil, adjusts the handlers' configuration (the clock is
// already set to Console.Clock). Close it when done.
func Open(dir string, tune func(*handlers.Config)) (*Console, error) {
	ctx := context.Background()
	st, err := store.OpenAndMigrate(ctx, filepath.Join(dir, "console.db"))
	if err != nil {
		return nil, err
	}
	c, err := OpenOn(st, tune)
	if err != nil {
		st.Close()
		return nil, err
	}
	c.ownStore = true
	return c, nil
}

// OpenOn serves another console over an open store: its own handlers, with
// their own clock and login throttle, over the same data and session keys.
// It is cheap (no migration), so a test that moves the clock can have a
// console of its own beside a shared store.
func OpenOn(st *store.Store, tune func(*handlers.Config)) (*Console, error) {
	clock := NewClock(time.Now())
	cfg := web.Config{Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Handlers: handlers.DefaultConfig()}
	cfg.Handlers.Now = clock.Now
	if tune != nil {
		tune(&cfg.Handlers)
	}
	e, err := web.New(context.Background(), cfg, st)
	if err != nil {
		return nil, fmt.Errorf("webtest: %w", err)
	}
	// Global middleware runs after routing, so the matched route is known.
	e.Use(func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if p := c.Path(); p != "" {
				c.Response().Header().Set(RouteHeader, c.Request().Method+" "+p)
			}
			return next(c)
		}
	})
	return &Console{Store: st, Echo: e, Server: httptest.NewServer(e), Clock: clock}, nil
}

// Close stops the server, and closes the store if Open made it.
func (c *Console) Close() {
	c.Server.Close()
	if c.ownStore {
		c.Store.Close()
	}
}

// Route is one route of the console's route table.
type Route struct{ Method, Path string }

func (r Route) String() string { return r.Method + " " + r.Path }

// Routes lists every route Echo knows for the console (web/routes.go), in
// the order they were added; Echo's own not-found placeholders are left
// out.
func (c *Console) Routes() []Route {
	var out []Route
	for _, r := range c.Echo.Routes() {
		if r.Method == "echo_route_not_found" {
			continue
		}
		out = append(out, Route{r.Method, r.Path})
	}
	return out
}
