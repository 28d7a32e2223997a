package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gatehouse/rules"
)

// Codes of access-key refusals (Alibaba's).
const (
	CodeAccessKeyNotFound = "InvalidAccessKeyId.NotFound"
	CodeAccessKeyInactive = "InvalidAccessKeyId.Inactive"
)

func accessKeyNotFound(id string) *rules.Error {
	return rules.NotFound(CodeAccessKeyNotFound, "AccessKey", id)
}

const accessKeyCols = `k.id, k.account_id, u.login, k.enabled, k.created_at, k.last_used_at`

func accessKeyDest(k *rules.AccessKey) []any {
	return []any{&k.ID, &k.AccountID, &k.UserLogin, &k.Enabled, nanoTime{&k.CreatedAt}, nanoTime{&k.LastUsed}}
}

// CreateAccessKey creates an enabled access key for the user login of the
// actor's account and returns it with its secret, which the caller shows
// once. The secret is stored sealed (see keyring.go).
func (s *Store) CreateAccessKey(ctx context.Context, a Actor, login string) (rules.AccessKey, string, error) {
	id, secret := rules.NewAccessKeyID(), rules.NewAccessKeySecret()
	sealed, err := s.seal([]byte(secret), "access-key:"+id) // file I/O on first use: outside the transaction
	if err != nil {
		return rules.AccessKey{}, "", fmt.Errorf("store: create access key: %w", err)
	}
	var k rules.AccessKey
	err = s.write(ctx, func(tx *sql.Tx) error {
		u, err := userByLogin(ctx, tx, a.AccountID, login)
		if err != nil {
			return err
		}
		k = rules.AccessKey{ID: id, AccountID: a.AccountID, UserLogin: u.Login, Enabled: true, CreatedAt: s.now().UTC()}
		if _, err := tx.ExecContext(ctx, `INSERT INTO access_keys (id, account_id, user_id, secret_sealed, enabled, created_at)
			VALUES (?, ?, ?, ?, 1, ?)`, k.ID, k.AccountID, u.ID, sealed, unixNano(k.CreatedAt)); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionCreateAccessKey, k.ID, "for "+u.Login)
	})
	if err != nil {
		return rules.AccessKey{}, "", fmt.Errorf("store: create access key for %s: %w", login, err)
	}
	return k, secret, nil
}

// ListAccessKeys returns the account's access keys, oldest first, each
// with its last use: the newer of what was written and what was noted
// since (NoteAccessKeyUse).
func (s *Store) ListAccessKeys(ctx context.Context, accountID string) ([]rules.AccessKey, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT `+accessKeyCols+` FROM access_keys k JOIN users u ON u.id = k.user_id
		WHERE k.account_id = ? ORDER BY k.created_at, k.id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("store: list access keys: %w", err)
	}
	defer rows.Close()
	var out []rules.AccessKey
	for rows.Next() {
		var k rules.AccessKey
		if err := rows.Scan(accessKeyDest(&k)...); err != nil {
			return nil, fmt.Errorf("store: list access keys: %w", err)
		}
		if t := s.lastUse(k.ID); t.After(k.LastUsed) {
			k.LastUsed = t
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list access keys: %w", err)
	}
	return out, nil
}

func accessKeyOf(ctx context.Context, q querier, accountID, id string) (rules.AccessKey, error) {
	var k rules.AccessKey
	err := q.QueryRowContext(ctx, `SELECT `+accessKeyCols+` FROM access_keys k JOIN users u ON u.id = k.user_id
		WHERE k.id = ? AND k.account_id = ?`, id, accountID).Scan(accessKeyDest(&k)...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.AccessKey{}, accessKeyNotFound(id)
	}
	return k, err
}

// SetAccessKeyEnabled enables or disables an access key of the actor's
// account.
func (s *Store) SetAccessKeyEnabled(ctx context.Context, a Actor, id string, enabled bool) (rules.AccessKey, error) {
	var k rules.AccessKey
	err := s.write(ctx, func(tx *sql.Tx) error {
		var err error
		if k, err = accessKeyOf(ctx, tx, a.AccountID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE access_keys SET enabled = ? WHERE id = ?`, enabled, id); err != nil {
			return err
		}
		k.Enabled = enabled
		action := rules.ActionDisableAccessKey
		if enabled {
			action = rules.ActionEnableAccessKey
		}
		return s.logOp(ctx, tx, a, action, id, "")
	})
	if err != nil {
		return rules.AccessKey{}, fmt.Errorf("store: set access key %s enabled=%t: %w", id, enabled, err)
	}
	return k, nil
}

// DeleteAccessKey deletes an access key of the actor's account.
func (s *Store) DeleteAccessKey(ctx context.Context, a Actor, id string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		if _, err := accessKeyOf(ctx, tx, a.AccountID, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM access_keys WHERE id = ?`, id); err != nil {
			return err
		}
		return s.logOp(ctx, tx, a, rules.ActionDeleteAccessKey, id, "")
	})
	if err != nil {
		return fmt.Errorf("store: delete access key %s: %w", id, err)
	}
	return nil
}

// AccessKeyForSignature returns an enabled access key, its user and its
// secret, to verify a request's signature. It is not account scoped: the
// key id is what identifies the caller. An unknown key answers
// CodeAccessKeyNotFound, a disabled one CodeAccessKeyInactive (both
// *rules.Error).
func (s *Store) AccessKeyForSignature(ctx context.Context, id string) (rules.AccessKey, rules.User, string, error) {
	var k rules.AccessKey
	var u rules.User
	var sealed []byte
	err := s.rq.QueryRowContext(ctx, `SELECT `+accessKeyCols+`, k.secret_sealed, `+userCols+`
		FROM access_keys k JOIN users u ON u.id = k.user_id WHERE k.id = CAST(? AS TEXT)`, id).
		Scan(dest(accessKeyDest(&k), []any{&sealed}, userDest(&u))...)
	if errors.Is(err, sql.ErrNoRows) {
		return rules.AccessKey{}, rules.User{}, "", accessKeyNotFound(id)
	}
	if err != nil {
		return rules.AccessKey{}, rules.User{}, "", fmt.Errorf("store: access key %s: %w", id, err)
	}
	if !k.Enabled {
		return rules.AccessKey{}, rules.User{}, "", &rules.Error{Kind: rules.KindForbidden, Code: CodeAccessKeyInactive,
			Message: fmt.Sprintf("The AccessKey %q is disabled.", id)}
	}
	secret, err := s.unseal(sealed, "access-key:"+id)
	if err != nil {
		return rules.AccessKey{}, rules.User{}, "", fmt.Errorf("store: access key %s: %w", id, err)
	}
	return k, u, string(secret), nil
}

// CreateAccessKeyForLogin creates an access key for a user named by login
// alone, in that user's account: the command line's way in.
func (s *Store) CreateAccessKeyForLogin(ctx context.Context, source rules.Source, login string) (rules.AccessKey, string, error) {
	accountID, err := s.AccountIDOfLogin(ctx, login)
	if err != nil {
		return rules.AccessKey{}, "", fmt.Errorf("store: create access key for %s: %w", login, err)
	}
	return s.CreateAccessKey(ctx, Actor{AccountID: accountID, Name: "system", Source: source}, login)
}
