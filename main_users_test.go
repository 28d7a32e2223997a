package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/store"
)

// user passwd: the new password is one line on standard input (or made
// with --generate and printed alone on standard output); the old one stops
// working. Exit codes: 0 done, 1 refused or failed, 2 bad usage.
func TestUserPasswd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	if code, _, errOut := runCLI(t, "first-password-1\n", "user", "add", "--db", db, "--account", "acme", "--name", "ops"); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errOut)
	}
	authenticates := func(password string) bool {
		t.Helper()
		st, err := store.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		_, err = st.Authenticate(context.Background(), "ops", password)
		return err == nil
	}

	code, out, errOut := runCLI(t, "second-password-2\r\n", "user", "passwd", "--db", db, "--name", "ops")
	if code != 0 || out != "" {
		t.Fatalf("user passwd: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	if authenticates("first-password-1") || !authenticates("second-password-2") {
		t.Fatal("the password did not change to the line read from standard input")
	}

	code, out, errOut = runCLI(t, "", "user", "passwd", "--db", db, "--name", "OPS", "--generate")
	generated := strings.TrimSuffix(out, "\n")
	if code != 0 || strings.Count(out, "\n") != 1 || len(generated) != 20 {
		t.Fatalf("user passwd --generate: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	if authenticates("second-password-2") || !authenticates(generated) {
		t.Fatal("--generate did not set the printed password")
	}

	refusals := []struct {
		name  string
		stdin string
		args  []string
		code  int
		say   string
	}{
		{"no password on standard input", "", []string{"--name", "ops"}, 1, "no password"},
		{"a password too short", "short\n", []string{"--name", "ops"}, 1, "at least 12"},
		{"an unknown user", "third-password-3\n", []string{"--name", "ghost"}, 1, "does not exist"},
		{"no --name", "third-password-3\n", nil, 2, "--name is required"},
		{"an argument too many", "third-password-3\n", []string{"--name", "ops", "extra"}, 2, "unexpected argument"},
	}
	for _, tt := range refusals {
		code, out, errOut := runCLI(t, tt.stdin, append([]string{"user", "passwd", "--db", db}, tt.args...)...)
		if code != tt.code || out != "" || !strings.Contains(errOut, tt.say) {
			t.Errorf("%s: exit %d (want %d), stdout %q, stderr %q (want %q)", tt.name, code, tt.code, out, errOut, tt.say)
		}
	}
	if !authenticates(generated) {
		t.Error("a refused passwd changed the password")
	}

	missing := filepath.Join(t.TempDir(), "typo.db")
	if code, _, errOut := runCLI(t, "third-password-3\n", "user", "passwd", "--db", missing, "--name", "ops"); code != 1 || !strings.Contains(errOut, "no database") {
		t.Errorf("a database that does not exist: exit %d, stderr %q", code, errOut)
	}
	if _, err := os.Stat(missing); !os.IsNotExist(err) {
		t.Errorf("user passwd left a new database at a mistyped path: %v", err)
	}
}

// user remove: the user goes with their access keys; the account's last
// admin is refused (exit 1, the reason on standard error, nothing changed).
func TestUserRemove(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	for _, u := range []struct{ name, role string }{{"boss", "admin"}, {"ops", "operator"}} {
		if code, _, errOut := runCLI(t, "a-long-password-1\n", "user", "add", "--db", db, "--account", "acme", "--name", u.name, "--role", u.role); code != 0 {
			t.Fatalf("user add %s: exit %d: %s", u.name, code, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "", "accesskey", "create", "--db", db, "--user", "ops"); code != 0 {
		t.Fatalf("accesskey create: exit %d: %s", code, errOut)
	}

	code, out, errOut := runCLI(t, "", "user", "remove", "--db", db, "--name", "boss")
	if code != 1 || out != "" || !strings.Contains(errOut, "last admin") {
		t.Fatalf("removing the last admin: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "", "user", "remove", "--db", db, "--name", "ops")
	if code != 0 || out != "" {
		t.Fatalf("user remove: exit %d, stdout %q, stderr %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, "", "user", "remove", "--db", db, "--name", "ops"); code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Errorf("removing again: exit %d, stderr %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "accesskey", "create", "--db", db, "--user", "ops"); code != 1 || !strings.Contains(errOut, "does not exist") {
		t.Errorf("the removed user still takes keys: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "", "user", "remove", "--db", db); code != 2 {
		t.Errorf("user remove without --name: exit %d, want 2", code)
	}

	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	acct, err := st.AccountByName(context.Background(), "acme")
	if err != nil {
		t.Fatal(err)
	}
	users, err := st.ListUsers(context.Background(), acct.ID)
	if err != nil || len(users) != 1 || users[0].Login != "boss" {
		t.Errorf("users left: %+v %v", users, err)
	}
	keys, err := st.ListAccessKeys(context.Background(), acct.ID)
	if err != nil || len(keys) != 0 {
		t.Errorf("access keys left: %+v %v", keys, err)
	}
}
