package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// One `gatehouse serve` per database. A server keeps state beside the
// database that assumes it is the only one: the OpenAPI nonce memory (a
// signed request replayed on a second server would pass once more) and
// the rate limits of logins. So serve takes an exclusive lock on
// <db>.lock at start, held until it exits (the kernel drops it if the
// process dies), and writes into the file who holds it: its pid, then the
// addresses it serves once they are bound. A second serve on the same
// database exits at once and names the first. The other commands (migrate,
// demo, user, accesskey) take no lock: they work beside a running server.

// serveLockPath is the lock file of a database: beside it, named after
// the file itself (symbolic links followed), so two paths of one database
// share one lock.
func serveLockPath(dbPath string) string {
	if real, err := filepath.EvalSymlinks(dbPath); err == nil {
		dbPath = real
	}
	return dbPath + ".lock"
}

// servedError is the refusal of a second serve: the database is served.
type servedError struct {
	db     string
	holder string // what the lock file says of the first server, one line
}

func (e *servedError) Error() string {
	who := "another gatehouse serve"
	if e.holder != "" {
		who += " (" + e.holder + ")"
	}
	return fmt.Sprintf("the database %s is already served by %s; one server per database: stop that one first, or serve another --db", e.db, who)
}

// listener is a bound address serve announces in the lock file.
type listener struct{ name, url string }

// describeHolder turns the lock file's lines ("pid 123", "console
// http://…") into one line for the refusal: "pid 123, console http://…".
func describeHolder(content string) string {
	var parts []string
	for line := range strings.Lines(content) {
		if line = strings.TrimSpace(line); line != "" {
			parts = append(parts, line)
		}
	}
	return strings.Join(parts, ", ")
}

// holderText is what the lock file says while a server holds it.
func holderText(pid int, ls []listener) string {
	var b strings.Builder
	fmt.Fprintf(&b, "pid %d\n", pid)
	for _, l := range ls {
		fmt.Fprintf(&b, "%s %s\n", l.name, l.url)
	}
	return b.String()
}

// serveLock is the held lock of a serving process.
type serveLock struct {
	f *os.File
}

// announce writes the bound addresses into the lock file, for a second
// serve's refusal to name.
func (l *serveLock) announce(ls []listener) error {
	return l.write(holderText(os.Getpid(), ls))
}

func (l *serveLock) write(text string) error {
	if err := l.f.Truncate(0); err != nil {
		return fmt.Errorf("write %s: %w", l.f.Name(), err)
	}
	if _, err := l.f.WriteAt([]byte(text), 0); err != nil {
		return fmt.Errorf("write %s: %w", l.f.Name(), err)
	}
	return nil
}

// release empties the file and drops the lock. The file stays: removing a
// lock file lets a process that opened it before the removal lock a file
// no other process will ever open again.
func (l *serveLock) release() error {
	return errors.Join(l.f.Truncate(0), l.f.Close()) // closing drops the lock
}
