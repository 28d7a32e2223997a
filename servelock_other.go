//go:build !unix

package main

import (
	"fmt"
	"os"
)

// lockForServe on a system without flock: the lock file is created and
// written, but not locked, so a second serve is not refused.
func lockForServe(dbPath string) (*serveLock, error) {
	f, err := os.OpenFile(serveLockPath(dbPath), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock the database: %w", err)
	}
	l := &serveLock{f: f}
	if err := l.write(holderText(os.Getpid(), nil)); err != nil {
		f.Close()
		return nil, err
	}
	return l, nil
}
