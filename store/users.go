package store

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"

	"gatehouse/rules"
)

// Codes of refusals about accounts and users that package rules does not
// define.
const (
	CodeUserNotFound = "EntityNotExist.User"
)

// ErrBadCredentials is Authenticate's only refusal: it does not say whether
// the login or the password was wrong.
var ErrBadCredentials = errors.New("store: wrong login or password")

// systemActor records changes made by the command line (bootstrap, demo).
func systemActor(accountID string) Actor {
	return Actor{AccountID: accountID, Name: "system", Source: rules.SourceCLI}
}

// EnsureAccount returns the account named name, creating it when new.
func (s *Store) EnsureAccount(ctx context.Context, name string) (acct rules.Account, created bool, err error) {
	if err := rules.CheckAccountName(name); err != nil {
		return rules.Account{}, false, fmt.Errorf("store: ensure account: %w", asInputError(err))
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		acct, created, err = s.ensureAccount(ctx, tx, name)
		return err
	})
	if err != nil {
		return rules.Account{}, false, fmt.Errorf("store: ensure account %s: %w", name, err)
	}
	return acct, created, nil
}

func (s *Store) ensureAccount(ctx context.Context, tx *sql.Tx, name string) (rules.Account, bool, error) {
	acct, err := accountByName(ctx, tx, name)
	if err == nil {
		return acct, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return rules.Account{}, false, err
	}
	acct = rules.Account{ID: rules.NewAccountID(), Name: name, CreatedAt: s.now().UTC()}
	if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (id, name, created_at) VALUES (?, ?, ?)`,
		acct.ID, acct.Name, unixNano(acct.CreatedAt)); err != nil {
		return rules.Account{}, false, err
	}
	if err := s.logOp(ctx, tx, systemActor(acct.ID), rules.ActionCreateAccount, acct.ID, name); err != nil {
		return rules.Account{}, false, err
	}
	return acct, true, nil
}

func accountByID(ctx context.Context, q querier, id string) (rules.Account, error) {
	var a rules.Account
	err := q.QueryRowContext(ctx, `SELECT id, name, created_at FROM accounts WHERE id = ?`, id).
		Scan(&a.ID, &a.Name, nanoTime{&a.CreatedAt})
	return a, err
}

func accountByName(ctx context.Context, q querier, name string) (rules.Account, error) {
	var a rules.Account
	err := q.QueryRowContext(ctx, `SELECT id, name, created_at FROM accounts WHERE name = ?`, name).
		Scan(&a.ID, &a.Name, nanoTime{&a.CreatedAt})
	return a, err
}

// AccountByName returns the account named name.
func (s *Store) AccountByName(ctx context.Context, name string) (rules.Account, error) {
	a, err := accountByName(ctx, s.rq, name)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.Account{}, rules.NotFound("EntityNotExist.Account", "account", name)
	}
	if err != nil {
		return rules.Account{}, fmt.Errorf("store: account %s: %w", name, err)
	}
	return a, nil
}

// AccountByID returns the account with id.
func (s *Store) AccountByID(ctx context.Context, id string) (rules.Account, error) {
	a, err := accountByID(ctx, s.rq, id)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.Account{}, rules.NotFound("EntityNotExist.Account", "account", id)
	}
	if err != nil {
		return rules.Account{}, fmt.Errorf("store: account %s: %w", id, err)
	}
	return a, nil
}

// AddUser creates a user in the account named accountName, creating the
// account when new (rules.UserInput and rules.CheckAccountName validate).
// Logins are unique system-wide, case-insensitively.
// The password is stored as an argon2id hash. The command line's way in.
func (s *Store) AddUser(ctx context.Context, accountName, login string, role rules.Role, password string) (rules.User, error) {
	in := rules.UserInput{Login: login, Password: password, Role: role}.Normalize()
	errs := in.Validate()
	if re, ok := rules.AsError(rules.CheckAccountName(accountName)); ok {
		errs = append(errs, re)
	}
	return s.addUser(ctx, in, errs, func(tx *sql.Tx) (rules.Account, Actor, error) {
		acct, _, err := s.ensureAccount(ctx, tx, accountName)
		return acct, systemActor(acct.ID), err
	})
}

// AddAccountUser creates a user in the actor's own account: an admin adding
// a colleague from the console.
func (s *Store) AddAccountUser(ctx context.Context, a Actor, in rules.UserInput) (rules.User, error) {
	in = in.Normalize()
	return s.addUser(ctx, in, in.Validate(), func(tx *sql.Tx) (rules.Account, Actor, error) {
		acct, err := accountByID(ctx, tx, a.AccountID)
		return acct, a, err
	})
}

// addUser hashes the password outside the transaction (it is slow on
// purpose), then inserts the user into the account resolve names.
func (s *Store) addUser(ctx context.Context, in rules.UserInput, errs []*rules.Error, resolve func(*sql.Tx) (rules.Account, Actor, error)) (rules.User, error) {
	if err := inputError(errs); err != nil {
		return rules.User{}, fmt.Errorf("store: add user: %w", err)
	}
	hash, err := hashPassword(in.Password)
	if err != nil {
		return rules.User{}, fmt.Errorf("store: add user %s: %w", in.Login, err)
	}
	var u rules.User
	err = s.write(ctx, func(tx *sql.Tx) error {
		acct, actor, err := resolve(tx)
		if err != nil {
			return err
		}
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE login = ?`, in.Login).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return rules.DuplicateLogin(in.Login)
		}
		u = rules.User{AccountID: acct.ID, Login: in.Login, Role: in.Role, CreatedAt: s.now().UTC()}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (account_id, login, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.AccountID, u.Login, string(u.Role), hash, unixNano(u.CreatedAt))
		if isUniqueViolation(err) {
			return rules.DuplicateLogin(in.Login)
		}
		if err != nil {
			return err
		}
		if u.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		return s.logOp(ctx, tx, actor, rules.ActionCreateUser, in.Login, string(in.Role))
	})
	if err != nil {
		return rules.User{}, fmt.Errorf("store: add user %s: %w", in.Login, err)
	}
	return u, nil
}

const userCols = `u.id, u.account_id, u.login, u.role, u.created_at`

func userDest(u *rules.User) []any {
	return []any{&u.ID, &u.AccountID, &u.Login, &u.Role, nanoTime{&u.CreatedAt}}
}

// Authenticate checks a login and password. Every refusal is
// ErrBadCredentials, and an unknown login costs the same time as a wrong
// password.
func (s *Store) Authenticate(ctx context.Context, login, password string) (rules.User, error) {
	var u rules.User
	var hash string
	err := s.rq.QueryRowContext(ctx, `SELECT `+userCols+`, u.password_hash FROM users u WHERE u.login = ?`, login).
		Scan(append(userDest(&u), &hash)...)
	if errors.Is(err, sql.ErrNoRows) {
		verifyPassword(dummyHash, password) //nolint:errcheck // equal timing for unknown logins
		return rules.User{}, ErrBadCredentials
	}
	if err != nil {
		return rules.User{}, fmt.Errorf("store: authenticate: %w", err)
	}
	ok, err := verifyPassword(hash, password)
	if err != nil {
		return rules.User{}, fmt.Errorf("store: authenticate %s: %w", login, err)
	}
	if !ok {
		return rules.User{}, ErrBadCredentials
	}
	return u, nil
}

// UserByID returns a user (for a session holding its id). Not account
// scoped: the id comes from the server's own session.
func (s *Store) UserByID(ctx context.Context, id int64) (rules.User, error) {
	var u rules.User
	err := s.rq.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = ?`, id).Scan(userDest(&u)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.User{}, rules.NotFound(CodeUserNotFound, "user", fmt.Sprint(id))
	}
	if err != nil {
		return rules.User{}, fmt.Errorf("store: user %d: %w", id, err)
	}
	return u, nil
}

// ListUsers returns the account's users by login.
func (s *Store) ListUsers(ctx context.Context, accountID string) ([]rules.User, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.account_id = ? ORDER BY u.login`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	var out []rules.User
	for rows.Next() {
		var u rules.User
		if err := rows.Scan(userDest(&u)...); err != nil {
			return nil, fmt.Errorf("store: list users: %w", err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return out, nil
}

// userByLogin reads a user of the account (NotFound for another account's).
func userByLogin(ctx context.Context, q querier, accountID, login string) (rules.User, error) {
	var u rules.User
	err := q.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.login = ? AND u.account_id = ?`, login, accountID).
		Scan(userDest(&u)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.User{}, rules.NotFound(CodeUserNotFound, "user", login)
	}
	return u, err
}

// SetUserRole changes the role of a user of the actor's account. Demoting
// the account's last admin is refused (rules.CheckRoleChange).
func (s *Store) SetUserRole(ctx context.Context, a Actor, login string, role rules.Role) (rules.User, error) {
	if errs := role.Validate(); len(errs) > 0 {
		return rules.User{}, fmt.Errorf("store: set role of %s: %w", login, &InputError{Errs: errs})
	}
	var u rules.User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = userByLogin(ctx, tx, a.AccountID, login); err != nil {
			return err
		}
		admins, err := countAdmins(ctx, tx, a.AccountID)
		if err != nil {
			return err
		}
		if err := rules.CheckRoleChange(u, role, admins); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, string(role), u.ID); err != nil {
			return err
		}
		u.Role = role
		return s.logOp(ctx, tx, a, rules.ActionSetUserRole, u.Login, string(role))
	})
	if err != nil {
		return rules.User{}, fmt.Errorf("store: set role of %s: %w", login, err)
	}
	return u, nil
}

// countAdmins counts the account's admins, inside the transaction that
// asks the last-admin rule.
func countAdmins(ctx context.Context, tx *sql.Tx, accountID string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE account_id = ? AND role = 'admin'`, accountID).Scan(&n)
	return n, err
}

// ResetUserPassword gives a user of the actor's account a new password
// (an admin's reset, or the command line's): password, or when it is ""
// a random one (rules.NewPassword), returned to be shown once. Every
// session of the user ends with it.
func (s *Store) ResetUserPassword(ctx context.Context, a Actor, login, password string) (rules.User, string, error) {
	if password == "" {
		password = rules.NewPassword()
	} else if err := rules.CheckPassword(password, login); err != nil {
		return rules.User{}, "", fmt.Errorf("store: reset password of %s: %w", login, asInputError(err))
	}
	hash, err := hashPassword(password) // slow on purpose: outside the transaction
	if err != nil {
		return rules.User{}, "", fmt.Errorf("store: reset password of %s: %w", login, err)
	}
	var u rules.User
	err = s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = userByLogin(ctx, tx, a.AccountID, login); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, u.ID); err != nil {
			return err
		}
		ended, err := endSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionResetUserPassword, u.Login, sessionsEnded(ended))
	})
	if err != nil {
		return rules.User{}, "", fmt.Errorf("store: reset password of %s: %w", login, err)
	}
	return u, password, nil
}

// ChangeOwnPassword is a user changing their own password: the current
// one must be right (rules.WrongPassword otherwise). The user's other
// sessions end; the session keep (the one asking) stays. a names the user
// (a.Name is their login).
func (s *Store) ChangeOwnPassword(ctx context.Context, a Actor, in rules.PasswordChange, keep string) error {
	in.Login = a.Name
	if err := inputError(in.Validate()); err != nil {
		return fmt.Errorf("store: change password of %s: %w", a.Name, err)
	}
	var old string
	err := s.rq.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE login = ? AND account_id = ?`, a.Name, a.AccountID).Scan(&old)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("store: change password of %s: %w", a.Name, rules.NotFound(CodeUserNotFound, "user", a.Name))
	}
	if err != nil {
		return fmt.Errorf("store: change password of %s: %w", a.Name, err)
	}
	// Both hashes are slow on purpose: outside the transaction, which then
	// checks that the password it verified is still the one stored.
	ok, err := verifyPassword(old, in.Current)
	if err != nil {
		return fmt.Errorf("store: change password of %s: %w", a.Name, err)
	}
	if !ok {
		return fmt.Errorf("store: change password of %s: %w", a.Name, rules.WrongPassword())
	}
	hash, err := hashPassword(in.New)
	if err != nil {
		return fmt.Errorf("store: change password of %s: %w", a.Name, err)
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		u, err := userByLogin(ctx, tx, a.AccountID, a.Name)
		if err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?`, hash, u.ID, old)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 { // changed meanwhile: what was verified is no longer the password
			return rules.WrongPassword()
		}
		ended, err := endSessions(ctx, tx, u.ID, keep)
		if err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionChangePassword, u.Login, sessionsEnded(ended))
	})
	if err != nil {
		return fmt.Errorf("store: change password of %s: %w", a.Name, err)
	}
	return nil
}

// endSessions ends every session of a user but the one whose token is
// keep ("" for none) and says how many ended.
func endSessions(ctx context.Context, tx *sql.Tx, userID int64, keep string) (int64, error) {
	res, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ? AND id <> ?`, userID, sessionKey(keep))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func sessionsEnded(n int64) string {
	if n == 1 {
		return "1 session ended"
	}
	return fmt.Sprintf("%d sessions ended", n)
}

// RemoveUser removes a user of the actor's account, with the user's
// access keys and sessions. The account's last admin cannot be removed
// (rules.CheckRemoveUser).
func (s *Store) RemoveUser(ctx context.Context, a Actor, login string) (rules.User, error) {
	var u rules.User
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if u, err = userByLogin(ctx, tx, a.AccountID, login); err != nil {
			return err
		}
		admins, err := countAdmins(ctx, tx, a.AccountID)
		if err != nil {
			return err
		}
		if err := rules.CheckRemoveUser(u, admins); err != nil {
			return err
		}
		keys, err := userAccessKeyIDs(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM access_keys WHERE user_id = ?`, u.ID); err != nil {
			return err
		}
		ended, err := endSessions(ctx, tx, u.ID, "")
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, u.ID); err != nil {
			return err
		}
		detail := string(u.Role) + "; " + sessionsEnded(ended)
		if len(keys) > 0 {
			detail += "; AccessKeys deleted: " + strings.Join(keys, ", ")
		}
		return s.logOp(ctx, tx, a, rules.ActionDeleteUser, u.Login, detail)
	})
	if err != nil {
		return rules.User{}, fmt.Errorf("store: remove user %s: %w", login, err)
	}
	return u, nil
}

func userAccessKeyIDs(ctx context.Context, tx *sql.Tx, userID int64) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id FROM access_keys WHERE user_id = ? ORDER BY created_at, id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// LoginActor is the command line's actor for a change to the user login:
// "system", in the login's account.
func (s *Store) LoginActor(ctx context.Context, login string) (Actor, error) {
	accountID, err := s.AccountIDOfLogin(ctx, login)
	if err != nil {
		return Actor{}, err
	}
	return systemActor(accountID), nil
}

// Password hashing: argon2id with OWASP's recommended minimum parameters
// (19 MiB, 2 passes, 1 lane), stored in the PHC string format
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash> so the parameters can be
// raised later without invalidating stored hashes.
const (
	argonTime      = 2
	argonMemoryKiB = 19 * 1024
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// dummyHash is verified against when a login is unknown, so that the
// answer takes as long as for a wrong password. No password matches it.
const dummyHash = "$argon2id$v=19$m=19456,t=2,p=1$Z2F0ZWhvdXNlLWR1bW15$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"

func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	sum := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, argonMemoryKiB, argonTime, argonThreads, b64.EncodeToString(salt), b64.EncodeToString(sum)), nil
}

// verifyPassword compares in constant time, with the parameters the hash
// was made with.
func verifyPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("password hash: not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("password hash: version %q", parts[2])
	}
	var m uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 {
		return false, fmt.Errorf("password hash: parameters %q", parts[3])
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password hash: salt: %w", err)
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("password hash: sum: %v", err)
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
