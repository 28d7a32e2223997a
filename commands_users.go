package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"gatehouse/store"
)

// The command line's user management beside `user add`: a new password
// for a user, and removing one. Both work beside a running server, which
// sees the change on the user's next request (the auth version, see
// store.sessionCache).

func (e *cmdEnv) userPasswd(args []string) int {
	fs := e.flags("user passwd", "user passwd --db FILE --name LOGIN [--generate] < password")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file (env GATEHOUSE_DB)")
	name := fs.String("name", "", "login name of the user")
	generate := fs.Bool("generate", false, "make a random password and print it (one line) instead of reading one from standard input")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if *name == "" {
		fmt.Fprintln(e.stderr, "gatehouse user passwd: --name is required; the new password is read from standard input (or use --generate)")
		return exitUsage
	}
	password := ""
	if !*generate {
		var err error
		if password, err = readPassword(e.stdin); err != nil {
			return e.fail("user passwd", err)
		}
	}
	ctx := context.Background()
	st, err := e.openExistingStore(ctx, *dbPath)
	if err != nil {
		return e.fail("user passwd", err)
	}
	defer st.Close()
	actor, err := st.LoginActor(ctx, *name)
	if err != nil {
		return e.fail("user passwd", err)
	}
	u, password, err := st.ResetUserPassword(ctx, actor, *name, password)
	if err != nil {
		return e.fail("user passwd", err)
	}
	e.log.Info("password changed; the user's sessions have ended", "login", u.Login)
	if *generate {
		fmt.Fprintln(e.stdout, password)
	}
	return exitOK
}

func (e *cmdEnv) userRemove(args []string) int {
	fs := e.flags("user remove", "user remove --db FILE --name LOGIN")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file (env GATEHOUSE_DB)")
	name := fs.String("name", "", "login name of the user to remove, with their access keys and sessions")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if *name == "" {
		fmt.Fprintln(e.stderr, "gatehouse user remove: --name is required")
		return exitUsage
	}
	ctx := context.Background()
	st, err := e.openExistingStore(ctx, *dbPath)
	if err != nil {
		return e.fail("user remove", err)
	}
	defer st.Close()
	actor, err := st.LoginActor(ctx, *name)
	if err != nil {
		return e.fail("user remove", err)
	}
	u, err := st.RemoveUser(ctx, actor, *name)
	if err != nil {
		return e.fail("user remove", err)
	}
	e.log.Info("user removed", "login", u.Login, "role", u.Role)
	return exitOK
}

// openExistingStore opens and migrates a database that must exist already:
// a command about its users has nothing to do in a new, empty one (and
// must not leave one behind for a mistyped path).
func (e *cmdEnv) openExistingStore(ctx context.Context, path string) (*store.Store, error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("no database at %s (give its path with --db)", path)
	} else if err != nil {
		return nil, err
	}
	return e.openStore(ctx, path)
}
