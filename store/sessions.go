package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gatehouse/rules"
)

// ErrSessionNotFound means the session token names no live session: never
// issued, logged out, or expired.
var ErrSessionNotFound = errors.New("store: no such session")

// Session is a logged-in console session with who it belongs to.
type Session struct {
	ID        string // the token the cookie carries
	User      rules.User
	Account   rules.Account
	CreatedAt time.Time
	ExpiresAt time.Time
	// AccountVersion is the version of the account's resources
	// (schemaV15) and TrafficVersion that of its stored traffic
	// (schemaV16), read with the session as the request began: what is
	// kept by them (Kept) is answered at these versions only.
	AccountVersion, TrafficVersion int64

	idleUntil time.Time // as read; the database may have moved it since
}

func sessionKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateSession starts a session for a user at now that lasts at most ttl
// and ends sooner when unused for idle (TouchSession extends that), and
// drops every session expired by now while it is at it. The caller's clock
// decides, as for SessionByID and TouchSession: the console's handlers own
// the session's time.
func (s *Store) CreateSession(ctx context.Context, u rules.User, now time.Time, ttl, idle time.Duration) (Session, error) {
	var raw [32]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return Session{}, fmt.Errorf("store: create session: %w", err)
	}
	now = now.UTC()
	sess := Session{ID: base64.RawURLEncoding.EncodeToString(raw[:]), User: u, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, unixNano(now)); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT id, name, created_at FROM accounts WHERE id = ?`, u.AccountID).
			Scan(&sess.Account.ID, &sess.Account.Name, nanoTime{&sess.Account.CreatedAt}); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, user_id, created_at, expires_at, idle_until) VALUES (?, ?, ?, ?, ?)`,
			sessionKey(sess.ID), u.ID, unixNano(sess.CreatedAt), unixNano(sess.ExpiresAt), unixNano(idleUntil(now, idle, sess.ExpiresAt)))
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("store: create session for %s: %w", u.Login, err)
	}
	return sess, nil
}

// SessionByID returns the live session a token names, with its user (and
// the user's current role) and account, in one read, or from the sessions
// this process has read already (sessionCache) when nothing that changes
// what a session may do has committed since (the auth version). The same
// read takes the account's versions (Session.AccountVersion and
// TrafficVersion).
func (s *Store) SessionByID(ctx context.Context, token string, now time.Time) (Session, error) {
	var version, accountVersion, trafficVersion int64
	// The account of a session read before, if any: its versions are read
	// with the auth version, in one statement.
	cachedAccount := s.sessions.accountOf(token)
	if err := s.rq.QueryRowContext(ctx, `SELECT (`+authVersionQuery+`), (`+accountVersionQuery+`), (`+trafficVersionQuery+`)`, cachedAccount, cachedAccount).
		Scan(&version, &accountVersion, &trafficVersion); err != nil {
		return Session{}, fmt.Errorf("store: session: auth version: %w", err)
	}
	if sess, ok := s.sessions.get(token, now, version); ok && sess.Account.ID == cachedAccount {
		sess.AccountVersion, sess.TrafficVersion = accountVersion, trafficVersion
		return sess, nil
	}
	sess := Session{ID: token}
	u := &sess.User
	err := s.rq.QueryRowContext(ctx, `SELECT `+userCols+`, a.id, a.name, a.created_at, s.created_at, s.expires_at, s.idle_until,
			(`+authVersionQuery+`), (SELECT COALESCE(SUM(v), 0) FROM account_versions WHERE account_id IN ('', a.id)),
			COALESCE((SELECT v FROM traffic_versions WHERE account_id = a.id), 0) + 1
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN accounts a ON a.id = u.account_id
		WHERE s.id = CAST(? AS TEXT) AND s.expires_at > ? AND s.idle_until > ?`, sessionKey(token), unixNano(now), unixNano(now)).
		Scan(append(userDest(u), &sess.Account.ID, &sess.Account.Name, nanoTime{&sess.Account.CreatedAt},
			nanoTime{&sess.CreatedAt}, nanoTime{&sess.ExpiresAt}, nanoTime{&sess.idleUntil}, &version, &sess.AccountVersion, &sess.TrafficVersion)...)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, ErrSessionNotFound
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	s.sessions.put(sess, version) // the version of the snapshot the rows come from
	return sess, nil
}

// authVersionQuery reads the auth version (schemaV5).
const authVersionQuery = `SELECT v FROM auth_version WHERE id = 1`

// TouchSession records that a session was used at now: it stays alive for
// idle more, never past its absolute expiry.
func (s *Store) TouchSession(ctx context.Context, token string, now time.Time, idle time.Duration) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET idle_until = MIN(expires_at, ?) WHERE id = ?`,
			unixNano(now.Add(idle)), sessionKey(token))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: touch session: %w", err)
	}
	return nil
}

func idleUntil(now time.Time, idle time.Duration, expires time.Time) time.Time {
	if t := now.Add(idle); t.Before(expires) {
		return t
	}
	return expires
}

// DeleteSession ends a session; ending an absent one is not an error. The
// auth version moves with the row (schemaV5), so no process serves the
// session from memory afterwards.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id = ?`, sessionKey(token))
		return err
	})
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// AccountIDOfLogin returns the account of a login, for recording failed
// logins in the right operation log.
func (s *Store) AccountIDOfLogin(ctx context.Context, login string) (string, error) {
	var id string
	err := s.rq.QueryRowContext(ctx, `SELECT account_id FROM users WHERE login = ?`, login).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", rules.NotFound(CodeUserNotFound, "user", login)
	}
	if err != nil {
		return "", fmt.Errorf("store: account of %s: %w", login, err)
	}
	return id, nil
}
