// Package handlers serves the console's pages and actions: each reads the
// request, asks rules, calls the store and renders views. One file per
// resource.
package handlers

import (
	"log/slog"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/gorilla/sessions"

	"gatehouse/rules"
	"gatehouse/store"
)

// Config tunes the handlers; web.New fills it.
type Config struct {
	Limits        rules.Limits
	SecureCookies bool
	// Session lifetime: a session ends after IdleTimeout without a request,
	// and after AbsoluteTimeout whatever happens.
	IdleTimeout     time.Duration
	AbsoluteTimeout time.Duration
	// Login throttling: LoginFailures wrong passwords in a row lock a user
	// name for LoginLockout; a client address may try LoginBurst times,
	// then once every LoginEvery.
	LoginFailures int
	LoginLockout  time.Duration
	LoginBurst    int
	LoginEvery    time.Duration
	// Now is the clock session expiry and login throttling go by; time.Now
	// by default (and when nil). Tests move it instead of sleeping.
	Now func() time.Time
}

// DefaultConfig is what `gatehouse serve` uses.
func DefaultConfig() Config {
	return Config{
		Limits:          rules.DefaultLimits(),
		IdleTimeout:     30 * time.Minute,
		AbsoluteTimeout: 12 * time.Hour,
		LoginFailures:   10,
		LoginLockout:    time.Minute,
		LoginBurst:      30,
		LoginEvery:      2 * time.Second,
		Now:             time.Now,
	}
}

// Handler carries what every console handler needs.
type Handler struct {
	store    *store.Store
	log      *slog.Logger
	cfg      Config
	cookies  sessions.Store
	throttle *throttle
	gw       Gateway

	groupPages *store.Kept[groupPageKey, groupPage] // Group Details' head and tail, see GroupPage
}

// New returns the console's handlers over a store and the gateway whose
// traffic they show. hashKey and blockKey are the session cookie's
// authentication and encryption keys (64 and 32 bytes).
func New(st *store.Store, gw Gateway, log *slog.Logger, cfg Config, hashKey, blockKey []byte) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cs := sessions.NewCookieStore(hashKey, blockKey)
	cs.Options = cookieOptions(cfg)
	for _, codec := range cs.Codecs {
		if sc, ok := codec.(*securecookie.SecureCookie); ok {
			sc.SetSerializer(sessionSerializer{})
		}
	}
	return &Handler{
		store:    st,
		log:      log,
		cfg:      cfg,
		cookies:  cs,
		throttle: newThrottle(cfg),
		gw:       gw,

		groupPages: newGroupPageCache(),
	}
}
