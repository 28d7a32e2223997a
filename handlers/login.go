package handlers

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/views/components"
	"gatehouse/views/pages"
	"gatehouse/views/paths"
)

// wrongCredentials is the one answer to a failed login: it does not tell
// which of the two was wrong.
const wrongCredentials = "Wrong user name or password."

// LoginPage shows the login form.
func (h *Handler) LoginPage(c echo.Context) error {
	props := pages.LoginProps{Next: safeNext(c.QueryParam("next"))}
	return render(c, http.StatusOK, h.chrome(c, "Log in", ""), pages.LoginPage(props))
}

// LoginSubmit checks the credentials and starts a new session: a new
// server-side session id in a fresh cookie, so a session id planted before
// login is worthless (no fixation).
func (h *Handler) LoginSubmit(c echo.Context) error {
	login := rules.TrimField(c.FormValue("login"))
	password := c.FormValue("password")
	props := pages.LoginProps{Login: login, Next: safeNext(c.FormValue("next"))}
	ctx := c.Request().Context()

	if login == "" || password == "" {
		props.Errors = components.Errors{}
		if login == "" {
			props.Errors.Add("login", "Enter your user name.")
		}
		if password == "" {
			props.Errors.Add("password", "Enter your password.")
		}
		return render(c, http.StatusUnprocessableEntity, h.chrome(c, "Log in", ""), pages.LoginPage(props))
	}
	if ok, wait := h.throttle.allow(strings.ToLower(login), c.RealIP()); !ok {
		h.logLoginEvent(c, "", login, rules.ActionLoginThrottled)
		props.Errors = components.Errors{"": {"Too many failed attempts. " + tryAgainIn(wait)}}
		return render(c, http.StatusTooManyRequests, h.chrome(c, "Log in", ""), pages.LoginPage(props))
	}
	user, err := h.store.Authenticate(ctx, login, password)
	if errors.Is(err, store.ErrBadCredentials) {
		h.throttle.failed(strings.ToLower(login))
		h.logLoginEvent(c, "", login, rules.ActionLoginFailed)
		props.Errors = components.Errors{"": {wrongCredentials}}
		return render(c, http.StatusUnauthorized, h.chrome(c, "Log in", ""), pages.LoginPage(props))
	} else if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	h.throttle.succeeded(strings.ToLower(login))

	s := h.cookieSession(c)
	// A session this browser had before ends: one login, one live session.
	if old, _ := s.Values[keySessionID].(string); old != "" {
		if err := h.store.DeleteSession(ctx, old); err != nil {
			return fmt.Errorf("login: %w", err)
		}
	}
	sess, err := h.store.CreateSession(ctx, user, h.cfg.Now(), h.cfg.AbsoluteTimeout, h.cfg.IdleTimeout)
	if err != nil {
		return fmt.Errorf("login: %w", err)
	}
	// Drop whatever the old cookie held and issue a new one.
	for k := range s.Values {
		delete(s.Values, k)
	}
	s.Values[keySessionID] = sess.ID
	s.Values[keySeen] = sess.CreatedAt.Unix()
	if err := h.saveSession(c, s); err != nil {
		return err
	}
	rotateCSRF(c)
	h.logLoginEvent(c, user.AccountID, user.Login, rules.ActionLogin)
	return redirect(c, props.Next)
}

// Logout deletes the session on the server, so a copy of the cookie stops
// working too, and clears the cookie.
func (h *Handler) Logout(c echo.Context) error {
	s := h.cookieSession(c)
	if sid, _ := s.Values[keySessionID].(string); sid != "" {
		p, err := h.store.SessionByID(c.Request().Context(), sid, h.cfg.Now())
		if err := h.store.DeleteSession(c.Request().Context(), sid); err != nil {
			return fmt.Errorf("logout: %w", err)
		}
		if err == nil {
			h.logLoginEvent(c, p.Account.ID, p.User.Login, rules.ActionLogout)
		}
	}
	for k := range s.Values {
		delete(s.Values, k)
	}
	s.Values[keyFlash] = []string{"success", "You have logged out."}
	if err := h.saveSession(c, s); err != nil {
		return err
	}
	rotateCSRF(c)
	return redirect(c, paths.Login)
}

// logLoginEvent records logins, logouts and failures in the operation log
// of the account concerned. A failure for an unknown name is written too
// (to no account, which no one lists), so that a known and an unknown name
// cost the same; what was typed as the name is kept only as a short hash,
// since people type passwords into the wrong field.
func (h *Handler) logLoginEvent(c echo.Context, accountID, login, action string) {
	ctx := c.Request().Context()
	target := login
	if accountID == "" {
		id, err := h.store.AccountIDOfLogin(ctx, login)
		if err == nil {
			accountID = id
		} else {
			sum := sha256.Sum256([]byte(login))
			target = "unknown user " + hex.EncodeToString(sum[:4])
			h.log.Warn("login event for unknown user", "action", action, "user_hash", target, "remote_ip", c.RealIP())
		}
	}
	outcome := "ok"
	if action != rules.ActionLogin && action != rules.ActionLogout {
		outcome = action
	}
	a := store.Actor{AccountID: accountID, Name: target, Source: rules.SourceConsole}
	if err := h.store.LogEvent(ctx, a, action, target, outcome, "from "+c.RealIP()); err != nil {
		h.log.Error("log login event", "err", err)
	}
}

// safeNext keeps a post-login destination only when it is a path of this
// console, never another site.
func safeNext(next string) string { return safeNextOr(next, paths.Home) }

// safeNextOr is next when it is a path of this console, else def. Browsers
// drop tabs and newlines from URLs and read "\\" as "/", so "/\t/evil" or
// "/\\evil" would lead away: any control character or backslash refuses the
// path, and what is left must parse as a bare path.
func safeNextOr(next, def string) string {
	if next == "" || len(next) > 2048 || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return def
	}
	for i := 0; i < len(next); i++ {
		if b := next[i]; b < 0x20 || b == 0x7f || b == '\\' {
			return def
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") {
		return def
	}
	return next
}

// tryAgainIn tells a throttled user when to try again, in whole seconds
// rounded up: "Try again in 1 second."
func tryAgainIn(wait time.Duration) string {
	return "Try again in " + rules.Plural(int(math.Ceil(wait.Seconds())), "second", "seconds") + "."
}
