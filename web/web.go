// Package web wires Gatehouse's HTTP side: Echo, its middleware, static
// files, the error handler and the route table. Nothing imports it but main.
package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"gatehouse/handlers"
	"gatehouse/static"
	"gatehouse/store"
)

// Config is what the console needs to know about its environment.
type Config struct {
	Logger *slog.Logger
	// Handlers tunes sessions, login throttling and limits; start from
	// handlers.DefaultConfig(). Set SecureCookies in it when the console is
	// served over TLS (directly or behind a terminating proxy).
	Handlers handlers.Config
	// Gateway is the gateway `serve` runs beside the console: Group
	// Details shows its traffic, an API's page debugs through it, Recent
	// calls lists its calls, a VPC's page its proxy URL. Required.
	Gateway handlers.Gateway
}

// DefaultConfig is the configuration `gatehouse serve` starts from.
func DefaultConfig(log *slog.Logger) Config {
	return Config{Logger: log, Handlers: handlers.DefaultConfig()}
}

// New builds the console's Echo instance over an opened, migrated store.
func New(ctx context.Context, cfg Config, st *store.Store) (*echo.Echo, error) {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.Logger.SetOutput(discard{})
	// The client's address is the connection's: X-Forwarded-For from an
	// arbitrary client would let it pick the address login throttling and
	// the operation log see.
	e.IPExtractor = echo.ExtractIPDirect()

	if cfg.Gateway == nil {
		return nil, errors.New("web: no gateway to show the traffic of")
	}
	hcfg := cfg.Handlers
	// The session cookie's keys are made at first start and kept beside the
	// database, never in the code.
	hashKey, err := st.SecretKey(ctx, "session-hash", 64)
	if err != nil {
		return nil, fmt.Errorf("web: session keys: %w", err)
	}
	blockKey, err := st.SecretKey(ctx, "session-block", 32)
	if err != nil {
		return nil, fmt.Errorf("web: session keys: %w", err)
	}
	h := handlers.New(st, cfg.Gateway, cfg.Logger, hcfg, hashKey, blockKey)
	e.HTTPErrorHandler = h.ErrorHandler

	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{
		TargetHeader: echo.HeaderXRequestID,
	}))
	e.Use(requestLogger(cfg.Logger))
	e.Use(middleware.RecoverWithConfig(middleware.RecoverConfig{
		DisableStackAll:   true,
		DisablePrintStack: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			cfg.Logger.Error("panic", "err", err, "request_id", requestID(c), "stack", string(stack))
			return err
		},
	}))
	e.Use(securityHeaders(hcfg.SecureCookies))
	// Console forms are small; a certificate and key are 64 KiB each at most.
	e.Use(middleware.BodyLimit("256K"))
	// Pages and fragments are compressed by the handlers, which hold them
	// whole (handlers.writeBody); static files by staticHandler.

	csrf := middleware.CSRFWithConfig(middleware.CSRFConfig{
		TokenLookup:    "header:X-CSRF-Token,form:_csrf",
		CookieName:     handlers.CSRFCookie,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   hcfg.SecureCookies,
		CookieSameSite: http.SameSiteLaxMode,
		ContextKey:     handlers.CSRFContextKey,
		ErrorHandler: func(err error, c echo.Context) error {
			return echo.NewHTTPError(http.StatusForbidden,
				"This form has expired or did not come from this console (missing or wrong CSRF token). Nothing was changed. Reload the page and try again.")
		},
	})
	routes(e, h, tokenAlways(csrf))
	return e, nil
}

// staticHandler serves the embedded assets, gzip-compressed for browsers
// that accept it. URLs carry a content hash (static.URL), so a year of
// caching is safe.
func staticHandler() echo.HandlerFunc {
	files := http.FileServer(http.FS(static.Files))
	compress := middleware.GzipWithConfig(middleware.GzipConfig{Level: 1, MinLength: 1024})
	return compress(func(c echo.Context) error {
		name := strings.TrimPrefix(c.Request().URL.Path, static.Prefix)
		if name == "" || strings.HasSuffix(name, "/") || strings.Contains(name, "/.") || !static.Has(name) {
			return echo.ErrNotFound
		}
		hdr := c.Response().Header()
		if c.QueryParam("v") != "" {
			hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			hdr.Set("Cache-Control", "public, max-age=300")
		}
		r := c.Request().Clone(c.Request().Context())
		r.URL.Path = "/" + name
		files.ServeHTTP(c.Response(), r)
		return nil
	})
}

// requestLogger writes one line a request: method, path, status, latency.
func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod:    true,
		LogURIPath:   true,
		LogStatus:    true,
		LogLatency:   true,
		LogRequestID: true,
		LogRemoteIP:  true,
		HandleError:  true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			level := slog.LevelInfo
			if v.Status >= 500 {
				level = slog.LevelError
			}
			log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("method", v.Method),
				slog.String("path", v.URIPath),
				slog.Int("status", v.Status),
				slog.Duration("latency", v.Latency),
				slog.String("request_id", v.RequestID),
				slog.String("remote_ip", v.RemoteIP),
			)
			return nil
		},
	})
}

// securityHeaders sets the headers every response carries: a CSP with no
// inline script or style and no third-party origin, no framing, no sniffing.
func securityHeaders(tls bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			setSecurityHeaders(c.Response().Header(), tls)
			return next(c)
		}
	}
}

// setSecurityHeaders writes the headers; over TLS, browsers are also told
// to come back over TLS only.
func setSecurityHeaders(h http.Header, tls bool) {
	if tls {
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
}

func requestID(c echo.Context) string {
	return c.Response().Header().Get(echo.HeaderXRequestID)
}

// healthz answers load balancers and scripts waiting for the server.
func healthz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.String(http.StatusOK, "ok\n")
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// tokenAlways makes every state-changing request show its CSRF token. Echo's
// CSRF middleware waves a browser's same-origin request through on its
// Sec-Fetch-Site header alone; here that header only adds a refusal (a
// cross-site or same-site change is refused outright) and the token is
// checked whatever it says, so a token from another session never passes.
func tokenAlways(csrf echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		checked := csrf(next)
		return func(c echo.Context) error {
			r := c.Request()
			site := r.Header.Get(echo.HeaderSecFetchSite)
			unsafe := r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions
			if unsafe && (site == "cross-site" || site == "same-site") {
				return echo.NewHTTPError(http.StatusForbidden,
					"This request came from another site, so it was refused. Nothing was changed.")
			}
			r.Header.Del(echo.HeaderSecFetchSite)
			return checked(c)
		}
	}
}
