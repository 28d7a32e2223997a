package store

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/rules"
)

func TestMigrationsAreOrderedWithoutGaps(t *testing.T) {
	for i, m := range migrations {
		if m.version != i+1 {
			t.Fatalf("migration %d has version %d, want %d", i, m.version, i+1)
		}
	}
}

func TestMigrateIsIdempotentAndSeedsTheCatalogue(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	before := dump(t, s)
	for range 2 {
		if err := s.Migrate(ctx); err != nil {
			t.Fatalf("migrate again: %v", err)
		}
	}
	if after := dump(t, s); after != before {
		t.Fatalf("migrating again changed data")
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != LatestSchemaVersion() {
		t.Fatalf("schema version %d, %v; want %d", v, err, LatestSchemaVersion())
	}
	if n := count(t, s, `SELECT COUNT(*) FROM schema_migrations`); n != len(migrations) {
		t.Fatalf("%d recorded migrations, want %d", n, len(migrations))
	}
	if n := count(t, s, `SELECT COUNT(*) FROM regions`); n != len(rules.Regions()) {
		t.Fatalf("%d regions, want %d", n, len(rules.Regions()))
	}
	zones := 0
	for _, r := range rules.Regions() {
		zones += len(r.Zones)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM zones`); n != zones {
		t.Fatalf("%d zones, want %d", n, zones)
	}
	for _, in := range rules.SharedInstances() {
		got, err := s.GetInstance(ctx, "any-account", in.ID)
		if err != nil {
			t.Fatalf("shared instance %s: %v", in.ID, err)
		}
		if got.Type != rules.InstanceShared || got.RegionID != in.RegionID || got.AccountID != "" {
			t.Fatalf("shared instance %s = %+v", in.ID, got.Instance)
		}
	}
}

func TestMigrateRefusesANewerDatabase(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.w.Exec(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, 'future', 0)`, LatestSchemaVersion()+1); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("migrate a newer database: %v", err)
	}
}

func TestOpenSetsWALForeignKeysAndAReadOnlyPool(t *testing.T) {
	s := newStore(t)
	var mode string
	var fk, timeout int
	if err := s.w.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal mode %q, %v", mode, err)
	}
	if err := s.w.QueryRow(`PRAGMA foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Fatalf("foreign keys %d, %v", fk, err)
	}
	if err := s.w.QueryRow(`PRAGMA busy_timeout`).Scan(&timeout); err != nil || timeout != 5000 {
		t.Fatalf("busy timeout %d, %v", timeout, err)
	}
	if _, err := s.r.Exec(`INSERT INTO accounts (id, name, created_at) VALUES ('1', 'x', 0)`); err == nil {
		t.Fatal("the read pool accepted a write")
	}
	if _, err := Open(context.Background(), ":memory:"); err == nil {
		t.Fatal("Open accepted :memory:")
	}
}

func TestCloseCheckpointsTheWAL(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "g.db")
	s, err := OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	newAccount(t, s, "alpha")
	if err := s.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		t.Fatalf("WAL left with %d bytes after close", fi.Size())
	}
	s, err = OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.AccountByName(ctx, "alpha"); err != nil {
		t.Fatalf("account after reopen: %v", err)
	}
}

func TestEnsureAccount(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a, created, err := s.EnsureAccount(ctx, "acme")
	if err != nil || !created || !rules.IsAccountID(a.ID) {
		t.Fatalf("first ensure: %+v %v %v", a, created, err)
	}
	again, created, err := s.EnsureAccount(ctx, "acme")
	if err != nil || created || again.ID != a.ID {
		t.Fatalf("second ensure: %+v %v %v", again, created, err)
	}
	byID, err := s.AccountByID(ctx, a.ID)
	if err != nil || byID.Name != "acme" {
		t.Fatalf("by id: %+v %v", byID, err)
	}
	_, err = s.AccountByName(ctx, "nobody")
	notFound(t, "absent account", err)
	var ie *InputError
	if _, _, err := s.EnsureAccount(ctx, "x"); !errors.As(err, &ie) {
		t.Fatalf("short name: %v", err)
	}
}

func TestUsers(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const pw = "correct horse battery"
	u, err := s.AddUser(ctx, "acme", "alice", rules.RoleAdmin, pw)
	if err != nil {
		t.Fatalf("add user: %v", err)
	}
	acct, err := s.AccountByName(ctx, "acme")
	if err != nil || u.AccountID != acct.ID || u.ID == 0 {
		t.Fatalf("user %+v in account %+v: %v", u, acct, err)
	}
	var hash string
	if err := s.w.QueryRow(`SELECT password_hash FROM users WHERE id = ?`, u.ID).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, pw) {
		t.Fatalf("stored hash %q", hash)
	}

	t.Run("login unique system-wide, any case", func(t *testing.T) {
		unchanged(t, s, rules.CodeDuplicateLogin, func() error {
			_, err := s.AddUser(ctx, "other", "ALICE", rules.RoleViewer, pw)
			return err
		})
	})
	t.Run("every bad field at once", func(t *testing.T) {
		_, err := s.AddUser(ctx, "acme", "a", rules.Role("root"), "short")
		var ie *InputError
		if !errors.As(err, &ie) || len(ie.Errs) != 3 {
			t.Fatalf("want 3 field errors, got %v", err)
		}
	})
	t.Run("authenticate", func(t *testing.T) {
		got, err := s.Authenticate(ctx, "alice", pw)
		if err != nil || got.ID != u.ID || got.Role != rules.RoleAdmin {
			t.Fatalf("good password: %+v %v", got, err)
		}
		if _, err := s.Authenticate(ctx, "alice", pw+"x"); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("wrong password: %v", err)
		}
		if _, err := s.Authenticate(ctx, "mallory", pw); !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("unknown login: %v", err)
		}
		byID, err := s.UserByID(ctx, u.ID)
		if err != nil || byID.Login != "alice" {
			t.Fatalf("by id: %+v %v", byID, err)
		}
	})
	t.Run("roles", func(t *testing.T) {
		admin := Actor{AccountID: acct.ID, Name: "alice", Source: rules.SourceConsole}
		if _, err := s.AddUser(ctx, "acme", "bob", rules.RoleViewer, pw); err != nil {
			t.Fatal(err)
		}
		unchanged(t, s, rules.CodeLastAdmin, func() error {
			_, err := s.SetUserRole(ctx, admin, "alice", rules.RoleOperator)
			return err
		})
		bob, err := s.SetUserRole(ctx, admin, "bob", rules.RoleAdmin)
		if err != nil || bob.Role != rules.RoleAdmin {
			t.Fatalf("promote bob: %+v %v", bob, err)
		}
		if op := lastOp(t, s, acct.ID); op.Action != "SetUserRole" || op.Target != "bob" || op.Actor != "alice" {
			t.Fatalf("op log %+v", op)
		}
		if _, err := s.SetUserRole(ctx, admin, "alice", rules.RoleOperator); err != nil {
			t.Fatalf("demote alice with another admin: %v", err)
		}
		users, err := s.ListUsers(ctx, acct.ID)
		if err != nil || len(users) != 2 || users[0].Login != "alice" || users[1].Login != "bob" {
			t.Fatalf("list users: %+v %v", users, err)
		}
		other := newAccount(t, s, "other")
		_, err = s.SetUserRole(ctx, other, "bob", rules.RoleViewer)
		notFound(t, "another account's user", err)
	})
}

func TestAccessKeys(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	if _, err := s.AddUser(ctx, "acme", "alice", rules.RoleAdmin, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddUser(ctx, "rival", "eve", rules.RoleAdmin, "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	acme, _ := s.AccountByName(ctx, "acme")
	rival, _ := s.AccountByName(ctx, "rival")
	a := Actor{AccountID: acme.ID, Name: "alice", Source: rules.SourceConsole}
	b := Actor{AccountID: rival.ID, Name: "eve", Source: rules.SourceConsole}

	k, secret, err := s.CreateAccessKey(ctx, a, "alice")
	if err != nil || !rules.IsAccessKeyID(k.ID) || len(secret) != 30 || !k.Enabled || k.UserLogin != "alice" {
		t.Fatalf("create key: %+v %q %v", k, secret, err)
	}
	fi, err := os.Stat(s.KeyPath())
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Size() != masterKeySize {
		t.Fatalf("key file: %v %v", fi, err)
	}
	if _, _, err := s.CreateAccessKey(ctx, b, "alice"); err == nil {
		t.Fatal("another account created a key for alice")
	}

	gotKey, user, gotSecret, err := s.AccessKeyForSignature(ctx, k.ID)
	if err != nil || gotSecret != secret || user.Login != "alice" || gotKey.AccountID != acme.ID {
		t.Fatalf("for signature: %+v %+v %q %v", gotKey, user, gotSecret, err)
	}
	// The database alone does not hold the secret.
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte(secret)) {
		t.Fatal("the secret is in the database file in clear")
	}
	s, err = OpenAndMigrate(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, _, again, err := s.AccessKeyForSignature(ctx, k.ID); err != nil || again != secret {
		t.Fatalf("secret after reopen: %q %v", again, err)
	}

	keys, err := s.ListAccessKeys(ctx, acme.ID)
	if err != nil || len(keys) != 1 || keys[0].ID != k.ID {
		t.Fatalf("list: %+v %v", keys, err)
	}
	if keys, _ := s.ListAccessKeys(ctx, rival.ID); len(keys) != 0 {
		t.Fatalf("rival sees keys: %+v", keys)
	}
	_, err = s.SetAccessKeyEnabled(ctx, b, k.ID, false)
	notFound(t, "disable another account's key", err)
	notFound(t, "delete another account's key", s.DeleteAccessKey(ctx, b, k.ID))

	if _, err := s.SetAccessKeyEnabled(ctx, a, k.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.AccessKeyForSignature(ctx, k.ID); !rules.HasCode(err, CodeAccessKeyInactive) {
		t.Fatalf("disabled key: %v", err)
	}
	if err := s.DeleteAccessKey(ctx, a, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, _, err := s.AccessKeyForSignature(ctx, k.ID); !rules.HasCode(err, CodeAccessKeyNotFound) {
		t.Fatalf("deleted key: %v", err)
	}
}

func TestSecretKeyIsStableAndPerName(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	k1, err := s.SecretKey(ctx, "session-auth", 64)
	if err != nil || len(k1) != 64 {
		t.Fatalf("key: %d bytes, %v", len(k1), err)
	}
	k2, _ := s.SecretKey(ctx, "session-enc", 32)
	if bytes.Equal(k1[:32], k2) {
		t.Fatal("two names gave the same key")
	}
	other, err := OpenAndMigrate(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	again, _ := other.SecretKey(ctx, "session-auth", 64)
	if !bytes.Equal(k1, again) {
		t.Fatal("the key changed between opens")
	}
	if _, err := s.SecretKey(ctx, "", 32); err == nil {
		t.Fatal("empty name accepted")
	}
}

func TestLogEventAndOpLogPaging(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := newAccount(t, s, "alpha")
	for i := range 7 {
		action := "LoginFailed"
		if i%2 == 0 {
			action = "Refused"
		}
		if err := s.LogEvent(ctx, a, action, "target", "InvalidPassword", "try"); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.LogEvent(ctx, Actor{Name: "ghost", Source: rules.SourceConsole}, "LoginFailed", "ghost", "Unknown", ""); err != nil {
		t.Fatalf("event without account: %v", err)
	}
	var all []rules.OpLogEntry
	var before OpLogCursor
	for {
		page, next, err := s.ListOpLog(ctx, a.AccountID, OpLogQuery{Limit: 3, Before: before})
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, page...)
		if next.IsZero() {
			break
		}
		before = next
	}
	if len(all) != 8 { // 7 events + CreateAccount
		t.Fatalf("%d entries, want 8", len(all))
	}
	for i := 1; i < len(all); i++ {
		if all[i].Seq >= all[i-1].Seq {
			t.Fatal("not newest first")
		}
	}
	refused, _, err := s.ListOpLog(ctx, a.AccountID, OpLogQuery{Action: "Refused"})
	if err != nil || len(refused) != 4 {
		t.Fatalf("filter by action: %d, %v", len(refused), err)
	}
	if refused[0].Outcome != "InvalidPassword" || refused[0].Actor != a.Name || refused[0].Source != rules.SourceConsole {
		t.Fatalf("entry %+v", refused[0])
	}
}
