package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
)

// generation mirrors the database's gateway generation (schemaV7) in
// memory and runs the change hooks when it grows. See the package
// documentation, "The gateway's view".
type generation struct {
	v     atomic.Int64
	ready atomic.Bool // the table exists: Migrate has run, or Open found it

	mu    sync.Mutex
	hooks []func(int64)
}

const generationQuery = `SELECT COALESCE(MAX(v), 0) FROM gateway_changes`

// read returns the generation inside a transaction, 0 before the
// migration that made it.
func (g *generation) read(ctx context.Context, q querier) (int64, error) {
	if !g.ready.Load() {
		return 0, nil
	}
	var v int64
	if err := q.QueryRowContext(ctx, generationQuery).Scan(&v); err != nil {
		return 0, fmt.Errorf("gateway generation: %w", err)
	}
	return v, nil
}

// load reads the generation on the connection pool, marks it ready, and
// announces it. A database without the table (before schemaV7) is not an
// error: the generation stays 0.
func (g *generation) load(ctx context.Context, q querier) (int64, error) {
	var v int64
	err := q.QueryRowContext(ctx, generationQuery).Scan(&v)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) || isMissingTable(err) {
			return g.v.Load(), nil
		}
		return 0, fmt.Errorf("gateway generation: %w", err)
	}
	g.ready.Store(true)
	g.advance(v)
	return g.v.Load(), nil
}

// advance records a committed generation; when it is newer than the one
// known, the hooks run with it, in the order they were added.
func (g *generation) advance(v int64) {
	for {
		cur := g.v.Load()
		if v <= cur {
			return
		}
		if g.v.CompareAndSwap(cur, v) {
			break
		}
	}
	g.mu.Lock()
	hooks := g.hooks
	g.mu.Unlock()
	for _, h := range hooks {
		h(v)
	}
}

// GatewayGeneration is the generation of what the gateway serves, as of the
// last change this Store committed or RefreshGatewayGeneration saw: an
// atomic load, cheap enough for every call. It only grows.
func (s *Store) GatewayGeneration() int64 { return s.gen.v.Load() }

// OnGatewayChange adds fn to the functions run, with the new generation,
// after a change to what the gateway serves commits. They run in the
// committing goroutine before the mutating method returns, so they must be
// quick and must not call the Store's mutating methods (mark a snapshot
// stale, signal a channel).
func (s *Store) OnGatewayChange(fn func(generation int64)) {
	s.gen.mu.Lock()
	defer s.gen.mu.Unlock()
	s.gen.hooks = append(s.gen.hooks[:len(s.gen.hooks):len(s.gen.hooks)], fn)
}

// RefreshGatewayGeneration reads the generation from the database, which
// also sees changes other processes committed, and announces it when it
// grew.
func (s *Store) RefreshGatewayGeneration(ctx context.Context) (int64, error) {
	v, err := s.gen.load(ctx, s.rq)
	if err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	return v, nil
}

// isMissingTable reports whether err is SQLite's "no such table".
func isMissingTable(err error) bool {
	return err != nil && strings.Contains(err.Error(), "no such table")
}

// GatewayChange is one step of the gateway generation: what changed.
type GatewayChange struct {
	Generation int64
	Kind       string // one of the Change… kinds
	Key        string // what of that kind changed
}

// The kinds of GatewayChange, and what their Key is.
const (
	ChangeDeployment = "deployment" // a deployment of the group Key (DeployedAPIsOfGroup reads them)
	ChangeDomain     = "domain"     // the custom domain Key (bound, changed or unbound)
	ChangeGroup      = "group"      // the group Key (created, deleted, moved, VPC domain on or off)
	ChangeInstance   = "instance"   // the instance Key (created, deleted, bound, unbound, HTTPS policy, status)
	ChangeVpc        = "vpc"        // the VPC Key (created or deleted)
)

// gatewayChangesKept is how many steps gateway_changes keeps at least
// (schemaV7).
const gatewayChangesKept = 65536

// GatewayChangesSince returns, in order, what changed after generation
// since, and the current generation, from one snapshot. complete is false
// when the journal no longer reaches back to since (it keeps at least the
// last 65,536 steps), or since is not a generation this database had:
// read everything again then.
func (s *Store) GatewayChangesSince(ctx context.Context, since int64) (changes []GatewayChange, current int64, complete bool, err error) {
	err = s.read(ctx, func(tx querier) error {
		if err := tx.QueryRowContext(ctx, generationQuery).Scan(&current); err != nil {
			return err
		}
		if since > current || since < 0 {
			return nil // not one of ours: incomplete
		}
		if since == current {
			complete = true
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT v, kind, key FROM gateway_changes WHERE v > CAST(? AS INTEGER) ORDER BY v`, since)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var c GatewayChange
			if err := rows.Scan(&c.Generation, &c.Kind, &c.Key); err != nil {
				return err
			}
			changes = append(changes, c)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		complete = len(changes) > 0 && changes[0].Generation == since+1 && changes[len(changes)-1].Generation == current
		return nil
	})
	if err != nil {
		return nil, 0, false, fmt.Errorf("store: gateway changes since %d: %w", since, err)
	}
	if !complete {
		changes = nil
	}
	return changes, current, complete, nil
}
