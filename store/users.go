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
	if err := s.logOp(ctx, tx, systemActor(acct.ID), "CreateAccount", acct.ID, name); err != nil {
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
	a, err := accountByName(ctx, s.r, name)
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
	a, err := accountByID(ctx, s.r, id)
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
		return s.logOp(ctx, tx, actor, "CreateUser", in.Login, string(in.Role))
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
	err := s.r.QueryRowContext(ctx, `SELECT `+userCols+`, u.password_hash FROM users u WHERE u.login = ?`, login).
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
	err := s.r.QueryRowContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.id = ?`, id).Scan(userDest(&u)...)
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
	rows, err := s.r.QueryContext(ctx, `SELECT `+userCols+` FROM users u WHERE u.account_id = ? ORDER BY u.login`, accountID)
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
		var admins int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE account_id = ? AND role = 'admin'`, a.AccountID).Scan(&admins); err != nil {
			return err
		}
		if err := rules.CheckRoleChange(u, role, admins); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = ? WHERE id = ?`, string(role), u.ID); err != nil {
			return err
		}
		u.Role = role
		return s.logOp(ctx, tx, a, "SetUserRole", u.Login, string(role))
	})
	if err != nil {
		return rules.User{}, fmt.Errorf("store: set role of %s: %w", login, err)
	}
	s.sessions.dropAll() // the user's sessions carry the old role
	return u, nil
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
