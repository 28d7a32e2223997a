package handlers

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/layout"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

const (
	sessionCookie = "gatehouse_session"
	keySessionID  = "sid"
	keySeen       = "seen"
	keyFlash      = "flash"
	ctxPrincipal  = "principal"
	ctxSession    = "session"
	// Touching the cookie on every request would rewrite it every time; once
	// a minute is precise enough for an idle timeout counted in minutes.
	seenResolution = time.Minute
)

// CSRFContextKey is where the CSRF middleware leaves the request's token.
const CSRFContextKey = "csrf"

func cookieOptions(cfg Config) *sessions.Options {
	return &sessions.Options{
		Path:     "/",
		MaxAge:   int(cfg.AbsoluteTimeout / time.Second),
		HttpOnly: true,
		Secure:   cfg.SecureCookies,
		SameSite: http.SameSiteLaxMode,
	}
}

// principal is who is asking: the user, their account and their session.
type principal struct {
	User    rules.User
	Account rules.Account
	Session store.Session
}

func (p principal) actor() store.Actor {
	return store.Actor{AccountID: p.Account.ID, Name: p.User.Login, Source: rules.SourceConsole}
}

func currentPrincipal(c echo.Context) principal {
	p, _ := c.Get(ctxPrincipal).(principal)
	return p
}

func (h *Handler) cookieSession(c echo.Context) *sessions.Session {
	if s, ok := c.Get(ctxSession).(*sessions.Session); ok {
		return s
	}
	// A cookie that fails to decode (tampered, old keys) gives a new, empty
	// session: the visitor is simply not logged in.
	s, err := h.cookies.Get(c.Request(), sessionCookie)
	if err != nil {
		s, _ = h.cookies.New(c.Request(), sessionCookie)
	}
	c.Set(ctxSession, s)
	return s
}

func (h *Handler) saveSession(c echo.Context, s *sessions.Session) error {
	return s.Save(c.Request(), c.Response())
}

// RequireLogin lets a request through only with a live session: its row
// exists in the database (logout deletes it), it is younger than the
// absolute timeout and was used within the idle timeout. Anyone else is
// sent to the login page, with the page they wanted kept for afterwards.
func (h *Handler) RequireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s := h.cookieSession(c)
		sid, _ := s.Values[keySessionID].(string)
		seen, _ := s.Values[keySeen].(int64)
		now := h.cfg.Now()
		if sid != "" && now.Sub(time.Unix(seen, 0)) <= h.cfg.IdleTimeout {
			sess, err := h.store.SessionByID(c.Request().Context(), sid, now)
			if err == nil {
				c.Set(ctxPrincipal, principal{User: sess.User, Account: sess.Account, Session: sess})
				// A page's own refresh on a timer is not the user: it
				// keeps nobody logged in.
				auto := c.Request().Header.Get(pages.AutoRefreshHeader) != ""
				if !auto && now.Sub(time.Unix(seen, 0)) >= seenResolution {
					// The server keeps its own idle clock, so a copied cookie
					// that stays unused also expires.
					if err := h.store.TouchSession(c.Request().Context(), sid, now, h.cfg.IdleTimeout); err != nil {
						return err
					}
					s.Values[keySeen] = now.Unix()
					if err := h.saveSession(c, s); err != nil {
						return err
					}
				}
				return next(c)
			}
			if !errors.Is(err, store.ErrSessionNotFound) {
				return err
			}
		}
		return h.toLogin(c, s, sid != "")
	}
}

// toLogin sends an anonymous visitor to the login page.
func (h *Handler) toLogin(c echo.Context, s *sessions.Session, expired bool) error {
	if expired {
		if sid, _ := s.Values[keySessionID].(string); sid != "" {
			if err := h.store.DeleteSession(c.Request().Context(), sid); err != nil {
				return err
			}
		}
		delete(s.Values, keySessionID)
		s.Values[keyFlash] = []string{"info", "Your session has ended. Log in again."}
		if err := h.saveSession(c, s); err != nil {
			return err
		}
	}
	target := paths.Login
	if r := c.Request(); r.Method == http.MethodGet && r.URL.Path != paths.Home {
		target += "?" + url.Values{"next": {r.URL.RequestURI()}}.Encode()
	}
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", target)
		return c.NoContent(http.StatusUnauthorized)
	}
	if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
		return c.Redirect(http.StatusSeeOther, target)
	}
	return c.Redirect(http.StatusFound, target)
}

// RequireChange stops viewers from changing anything.
func (h *Handler) RequireChange(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !currentPrincipal(c).User.Role.CanChange() {
			return echo.NewHTTPError(http.StatusForbidden, "Your role (viewer) can look but not change anything. Ask an admin of your account for the operator role.")
		}
		return next(c)
	}
}

// RequireAdmin lets only admins manage users and access keys.
func (h *Handler) RequireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !currentPrincipal(c).User.Role.CanAdminister() {
			return echo.NewHTTPError(http.StatusForbidden, "Only an admin of your account can manage users and access keys.")
		}
		return next(c)
	}
}

// flash keeps a message for the next page the visitor sees. It is called
// after a change has committed, so failing to keep the message must not
// turn the committed change into an error page: it is logged instead.
func (h *Handler) flash(c echo.Context, kind, message string) {
	s := h.cookieSession(c)
	s.Values[keyFlash] = []string{kind, message}
	if err := h.saveSession(c, s); err != nil {
		h.log.Warn("keep flash message", "err", err)
	}
}

// takeFlashes returns and clears the waiting message, if any.
func (h *Handler) takeFlashes(c echo.Context) []layout.Flash {
	s := h.cookieSession(c)
	v, ok := s.Values[keyFlash].([]string)
	if !ok || len(v) != 2 {
		return nil
	}
	delete(s.Values, keyFlash)
	if err := h.saveSession(c, s); err != nil {
		h.log.Warn("clear flash", "err", err)
	}
	return []layout.Flash{{Kind: v[0], Message: v[1]}}
}

// chrome describes the page shell for the current request.
func (h *Handler) chrome(c echo.Context, title, active string) layout.Chrome {
	p := currentPrincipal(c)
	token, _ := c.Get(CSRFContextKey).(string)
	ch := layout.Chrome{
		Title:     title,
		Active:    active,
		CSRFToken: token,
	}
	// A fragment has no place for messages: leave them for the next page.
	if !isFragmentRequest(c) {
		ch.Flashes = h.takeFlashes(c)
	}
	if p.User.Login != "" {
		ch.User = p.User.Login
		ch.Account = p.Account.Name
		ch.Role = string(p.User.Role)
		ch.CanChange = p.User.Role.CanChange()
		ch.CanAdmin = p.User.Role.CanAdminister()
	} else {
		ch.Bare = true
	}
	return ch
}

// redirect ends a successful form: 303 See Other for a browser, or an
// HX-Location for an htmx fragment request, which loads the page like a
// boosted link.
func redirect(c echo.Context, to string) error {
	if isFragmentRequest(c) {
		// HX-Boosted makes the follow-up GET a page load (layout, navigation,
		// flash), not a fragment: render decides on that header.
		loc, err := json.Marshal(map[string]any{"path": to, "target": "body", "headers": map[string]string{"HX-Boosted": "true"}})
		if err != nil {
			return err
		}
		c.Response().Header().Set("HX-Location", string(loc))
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// CSRFCookie is the cookie the CSRF middleware keeps its token in.
const CSRFCookie = "gatehouse_csrf"

// rotateCSRF drops the CSRF cookie, so the next page gets a new token: a
// token seen before login or after logout is worth nothing.
func rotateCSRF(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: CSRFCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
}
