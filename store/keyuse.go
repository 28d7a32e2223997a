package store

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// When each access key was last used. The OpenAPI endpoint notes every
// signed call (NoteAccessKeyUse), which costs a map lookup and an atomic
// store: no lock held across calls, no database write. What was noted
// reaches access_keys.last_used_at at most once a minute a key (a write
// starts, off the caller's path, when a key's last write is a minute old),
// and on Close. The console reads the newer of the two (ListAccessKeys), so
// it shows every use at once; a process killed with kill -9 forgets at most
// the last minute of uses, never a key or a secret (docs/performance.md).

// keyUseWriteEvery is how often, at most, a key's last use is written.
const keyUseWriteEvery = time.Minute

// keyUses holds the last uses noted since they were last written.
type keyUses struct {
	m       sync.Map // access key id → *keyUse
	writing atomic.Bool
	wg      sync.WaitGroup // the write in flight, for Close
}

// keyUse is one key's last use and what of it was written, in Unix
// nanoseconds.
type keyUse struct {
	last    atomic.Int64
	written atomic.Int64
}

// NoteAccessKeyUse records that the access key id signed a call at at. It
// never blocks on the database: the write, when one is due, runs in the
// background.
func (s *Store) NoteAccessKeyUse(id string, at time.Time) {
	v, ok := s.uses.m.Load(id)
	if !ok {
		v, _ = s.uses.m.LoadOrStore(id, &keyUse{})
	}
	u := v.(*keyUse)
	n := at.UTC().UnixNano()
	for {
		old := u.last.Load()
		if n <= old || u.last.CompareAndSwap(old, n) {
			break
		}
	}
	if n-u.written.Load() < int64(keyUseWriteEvery) || !s.uses.writing.CompareAndSwap(false, true) {
		return
	}
	s.uses.wg.Add(1)
	go func() {
		defer s.uses.wg.Done()
		defer s.uses.writing.Store(false)
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// A failed write is tried again with the next use a minute on; the
		// uses stay noted meanwhile.
		_ = s.writeKeyUses(ctx)
	}()
}

// writeKeyUses writes every noted use newer than what was written, in one
// transaction (no operation-log row: a use changes nothing).
func (s *Store) writeKeyUses(ctx context.Context) error {
	type due struct {
		id   string
		u    *keyUse
		last int64
	}
	var todo []due
	s.uses.m.Range(func(k, v any) bool {
		u := v.(*keyUse)
		if last := u.last.Load(); last > u.written.Load() {
			todo = append(todo, due{k.(string), u, last})
		}
		return true
	})
	if len(todo) == 0 {
		return nil
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, d := range todo {
			if _, err := tx.ExecContext(ctx, `UPDATE access_keys SET last_used_at = ?
				WHERE id = ? AND (last_used_at IS NULL OR last_used_at < ?)`, d.last, d.id, d.last); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: write access key uses: %w", err)
	}
	for _, d := range todo {
		for {
			old := d.u.written.Load()
			if d.last <= old || d.u.written.CompareAndSwap(old, d.last) {
				break
			}
		}
	}
	return nil
}

// lastUse is the newest use of a key noted in memory, zero when none.
func (s *Store) lastUse(id string) time.Time {
	if v, ok := s.uses.m.Load(id); ok {
		if n := v.(*keyUse).last.Load(); n > 0 {
			return time.Unix(0, n).UTC()
		}
	}
	return time.Time{}
}

// flushKeyUses waits for a write in flight, then writes what is left:
// Close calls it before the database closes.
func (s *Store) flushKeyUses(ctx context.Context) error {
	s.uses.wg.Wait()
	return s.writeKeyUses(ctx)
}
