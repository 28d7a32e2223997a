//go:build unix

package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"syscall"
)

// lockForServe takes the database's serve lock, or says who holds it
// (*servedError).
func lockForServe(dbPath string) (*serveLock, error) {
	path := serveLockPath(dbPath)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock the database: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		defer f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			content, _ := io.ReadAll(io.LimitReader(f, 4096)) // what it says is a courtesy: the lock is the answer
			return nil, &servedError{db: dbPath, holder: describeHolder(string(content))}
		}
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	l := &serveLock{f: f}
	if err := l.write(holderText(os.Getpid(), nil)); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}
