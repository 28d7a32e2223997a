// Package store keeps Gatehouse's state in one SQLite file: SQL in, domain
// types of package rules out.
//
// Connections. A Store holds two pools on the same file: one writer
// connection (SetMaxOpenConns(1), every transaction BEGIN IMMEDIATE) and a
// read-only pool of several connections (opened in SQLite's multi-thread
// mode, without its per-call locking: database/sql already keeps each
// connection to one goroutine at a time). With WAL journaling readers never
// wait for the writer and the writer never waits for readers; because there
// is exactly one writer connection in the process, writers queue inside
// database/sql instead of inside SQLite, so "database is locked" cannot
// happen between goroutines. The busy timeout only matters when another
// process (for example `gatehouse demo` beside a running server) writes the
// same file.
//
// Reads. A read of several statements runs in one read transaction (read),
// and View makes every read inside it one: a page built from several
// methods shows one state of the database. Neither uses database/sql's Tx,
// whose goroutines (one per transaction to watch its context, one per
// query's rows) cost more than the few indexed rows a console read
// fetches: the connection runs BEGIN and ROLLBACK itself, and every read
// statement checks the caller's context before it runs, then runs without
// its cancellation (pool, snapshot).
//
// What a request reads again. Versions, each moved by trigger in the
// very transaction of a change, whichever process makes it, let a request
// reuse what an earlier one read or worked out, with no read of its own:
// the auth version (schemaV5: roles, passwords, logins, sessions ended)
// keys the sessions SessionByID keeps; each account's version (schemaV15:
// its groups, domains, instances, VPCs, vSwitches, APIs and deployments,
// and the shared instances for every account) keys what Kept holds for it
// (Group Details rendered, the group choices of a form); its traffic
// version (schemaV16: the calls per hour stored, the public domains'
// reservations) keys what the gateway read of a group's traffic.
// SessionByID reads all three in one statement as a request begins. A
// value is answered only to a request that read the version it was kept
// under, and never kept under a version newer than the rows it came from,
// so no request sees rows older than its start.
//
// Durability. synchronous=NORMAL in WAL mode: a commit is in the WAL file
// when Commit returns, so a killed process (kill -9) loses nothing committed;
// only a power loss or OS crash may lose the last transactions (never
// corrupting the file).
//
// Statements. Each connection keeps its prepared statements (stmtCache).
// The driver clears a statement's bindings before each run, and SQLite then
// re-compiles any statement whose plan looked at a bound value: a
// "col = ?" it weighed as an extra condition (joins, most multi-index
// tables), "LIKE ?", "LIMIT ?". The queries of the hot paths (sessions, the
// group list, Group Details, access keys) therefore write their parameters
// CAST(? AS TEXT) and CAST(? AS INTEGER), which mean the same for these
// columns and which the planner does not look into (docs/performance.md).
//
// Mutations. Every exported method that changes data takes an Actor, runs in
// one write transaction that reads the rows it needs, asks package rules
// with those rows, writes, and appends one op_log row. A refusal rolls the
// transaction back and changes nothing. Every read and write is scoped by
// the account id: another account's resource answers rules.NotFound exactly
// like an absent one. Shared instances are visible to every account.
//
// The gateway's view. The gateway serves calls from an in-memory snapshot
// (deployed APIs, groups, domains, bindings), never from a query per call.
// Triggers number, in the very transaction of the change, every change the
// gateway serves from: deployments, custom domains, groups (creation,
// deletion, instance, VPC domain), instances (binding, endpoint, HTTPS
// policy, status) and VPCs (schemaV7), whichever process makes it; the
// highest number is the gateway generation, which only grows. The Store
// mirrors it in memory: every write transaction reads it before committing, and once committed, when it grew,
// GatewayGeneration returns the new value and the functions given to
// OnGatewayChange run, before the mutating method returns. So a caller that
// compares GatewayGeneration (an atomic load, no lock, no query) with the
// generation its snapshot was read at (DeployedAPIs returns both from one
// read transaction) sees a committed change on its very next call. Changes
// made by another process (gatehouse demo beside a running server) are
// seen by RefreshGatewayGeneration, which reads the number and announces
// it the same way; call it on a timer. To refresh a snapshot without
// reading everything again, GatewayChangesSince says what changed (a
// group's deployments, a domain, a group, an instance, a VPC) since the
// snapshot's generation, and DeployedAPIsOfGroup reads one group's
// deployments.
package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"gatehouse/rules"
)

// Store is Gatehouse's database.
type Store struct {
	path string
	w    *sql.DB // exactly one connection: every write transaction
	r    *sql.DB // read-only pool
	rq   pool    // r for single statements, see pool

	keyMu sync.Mutex
	key   []byte // master key from <path>.key, loaded on first use

	now func() time.Time // the clock; tests may replace it

	counts   countCache               // filtered list totals, see ListGroups and ListAPIs
	sessions sessionCache             // live console sessions, see SessionByID
	choices  *Kept[int, groupChoices] // the groups a form offers, by account version, see GroupChoices
	gen      generation               // the gateway generation, see GatewayGeneration
	uses     keyUses                  // access keys' last uses, see NoteAccessKeyUse

	reservationsSwept atomic.Int64 // the day whose old public-call reservations were last removed

	closeOnce sync.Once
	closeErr  error
}

// Actor is who makes a change and through which door. Every mutation takes
// one: AccountID scopes the change, Name (a login or an access key id) and
// Source go to the operation log. Roles are checked by the callers.
type Actor struct {
	AccountID string
	Name      string
	Source    rules.Source
}

// InputError carries every field error of a validation, so a form can mark
// all bad fields at once. errors.As with a *rules.Error target finds the
// first of them, so callers that only look for *rules.Error still work.
type InputError struct {
	Errs []*rules.Error
}

func (e *InputError) Error() string {
	msgs := make([]string, len(e.Errs))
	for i, fe := range e.Errs {
		msgs[i] = fe.Error()
	}
	return "invalid input: " + strings.Join(msgs, "; ")
}

// Unwrap exposes each field error to errors.Is and errors.As.
func (e *InputError) Unwrap() []error {
	errs := make([]error, len(e.Errs))
	for i, fe := range e.Errs {
		errs[i] = fe
	}
	return errs
}

// inputError turns a validator's answer into an error, nil when empty.
func inputError(errs []*rules.Error) error {
	if len(errs) == 0 {
		return nil
	}
	return &InputError{Errs: errs}
}

// checkAlso adds to a form's field refusals (errs) those of a check that
// reads the database or another resource (placement, uniqueness), run
// unless errs already refuse one of the fields it reads: a form marks every
// bad field at once. The check's refusal comes after the fields' own, so
// the first refusal, which decides the answer's status and OpenAPI code,
// is the same as when the check ran only on well-formed input. An error
// of check that is no refusal is returned as is.
func checkAlso(errs []*rules.Error, reads []string, check func() error) ([]*rules.Error, error) {
	for _, field := range reads {
		if hasFieldError(errs, field) {
			return errs, nil
		}
	}
	err := check()
	if err == nil {
		return errs, nil
	}
	var in *InputError
	if errors.As(err, &in) {
		return append(errs, in.Errs...), nil
	}
	if re, ok := rules.AsError(err); ok {
		return append(errs, re), nil
	}
	return errs, err
}

// hasFieldError reports whether errs hold a refusal of field.
func hasFieldError(errs []*rules.Error, field string) bool {
	for _, e := range errs {
		if e.Field == field {
			return true
		}
	}
	return false
}

// asInputError turns a validator's single refusal into an InputError;
// other errors pass unchanged.
func asInputError(err error) error {
	if re, ok := rules.AsError(err); ok {
		return &InputError{Errs: []*rules.Error{re}}
	}
	return err
}

// Open opens (creating if needed) the database at path. It does not
// migrate: call Migrate, or use OpenAndMigrate.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") || strings.HasPrefix(path, "file:") {
		return nil, fmt.Errorf("store: open: need a plain file path, got %q", path)
	}
	file := "file:" + escapePath(path)
	// Every connection keeps its prepared statements (_stmt_cache_size):
	// preparing a statement costs more than running most of them.
	w, err := sql.Open("sqlite3", file+"?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=5000&_synchronous=NORMAL&_txlock=immediate"+stmtCache)
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// The writer's first connection creates the file and switches it to WAL
	// before any read-only connection looks at it.
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	var mode string
	if err := w.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || !strings.EqualFold(mode, "wal") {
		w.Close()
		return nil, fmt.Errorf("store: open %s: journal mode %q, want wal: %v", path, mode, err)
	}

	// The readers open without SQLite's own locking (_mutex=no, SQLite's
	// multi-thread mode): database/sql never uses one connection, or its
	// statements, from two goroutines at once, and the locking was about 4%
	// of the APIs page's CPU in process (a lock around every column of
	// every row).
	r, err := sql.Open("sqlite3", file+"?mode=ro&_query_only=1&_foreign_keys=on&_busy_timeout=5000&_txlock=deferred&_mutex=no"+stmtCache)
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s read-only: %w", path, err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("store: open %s read-only: %w", path, err)
	}
	s := &Store{path: path, w: w, r: r, rq: pool{r}, now: time.Now, choices: NewKept[int, groupChoices](4 << 20)}
	if _, err := s.gen.load(ctx, w); err != nil {
		s.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	return s, nil
}

// stmtCache is the DSN option that keeps up to this many prepared
// statements per connection: every query the store writes out, with room
// for the variants of the group list.
const stmtCache = "&_stmt_cache_size=128"

// OpenAndMigrate opens the database and applies pending migrations.
func OpenAndMigrate(ctx context.Context, path string) (*Store, error) {
	s, err := Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the read pool, then the writer, whose last connection
// checkpoints the WAL into the database file. Closing again is a no-op.
func (s *Store) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		uerr := s.flushKeyUses(ctx)
		cancel()
		rerr := s.r.Close()
		// Keep the planner's statistics fresh; cheap when nothing changed.
		_, oerr := s.w.Exec("PRAGMA optimize")
		werr := s.w.Close()
		if err := errors.Join(uerr, rerr, oerr, werr); err != nil {
			s.closeErr = fmt.Errorf("store: close: %w", err)
		}
	})
	return s.closeErr
}

// Path is the database file's path.
func (s *Store) Path() string { return s.path }

// escapePath makes a file path safe inside a file: URI.
func escapePath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// querier is what both *sql.DB and *sql.Tx offer; reads that serve both a
// mutation (inside its transaction) and a page (on the read pool) take one.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// scanner is a *sql.Row or *sql.Rows.
type scanner interface {
	Scan(dest ...any) error
}

// write runs fn in one write transaction (BEGIN IMMEDIATE on the single
// writer connection) and commits when fn returns nil. Once committed, a
// change to what the gateway serves is announced (see GatewayGeneration).
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	err = fn(tx)
	var gen int64
	if err == nil {
		gen, err = s.gen.read(ctx, tx)
	}
	if err != nil {
		if rerr := tx.Rollback(); rerr != nil && !errors.Is(rerr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("rollback: %w", rerr))
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	s.gen.advance(gen)
	return nil
}

// View runs fn with a context that makes every read of this Store inside
// it (each method called with that context, on fn's goroutine) one
// snapshot: one read transaction on one connection. A page made of several
// reads shows one state of the database, and pays for one transaction
// instead of one a statement. Writes are not affected: they run on the
// writer as always. fn should only read, and only with the context it is
// given: the connection is held until fn returns, and a read made with
// another context takes a second one (and with every connection of the
// pool held that way, it would wait for ever).
func (s *Store) View(ctx context.Context, fn func(ctx context.Context) error) error {
	if _, ok := s.rq.snapshotIn(ctx); ok {
		return fn(ctx) // already in one
	}
	return s.read(ctx, func(q querier) error {
		return fn(context.WithValue(ctx, snapshotKey{}, q.(snapshot)))
	})
}

// snapshotKey is the context key of View's snapshot.
type snapshotKey struct{}

// read runs fn in one read transaction on one connection of the read
// pool, so reads made of several queries see one snapshot; inside View,
// in View's.
//
// It is not database/sql's Tx: a Tx starts a goroutine to watch its
// context, and every query in it another for its rows, and waking them
// cost more than the few indexed rows most reads fetch. The connection
// runs BEGIN and ROLLBACK itself, and the statements run without the
// caller's cancellation, which is checked before each one instead (see
// uncanceled).
func (s *Store) read(ctx context.Context, fn func(q querier) error) error {
	if sn, ok := s.rq.snapshotIn(ctx); ok {
		return fn(sn)
	}
	conn, err := s.r.Conn(ctx) // a canceled request gets no connection, and stops waiting for one
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer conn.Close()
	tx := snapshot{db: s.r, uncanceled: uncanceled{conn}}
	if _, err := tx.ExecContext(ctx, "BEGIN"); err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	err = fn(tx)
	if _, rerr := conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil {
		// The connection may still hold its snapshot: the pool must not
		// hand it out again.
		conn.Raw(func(any) error { return driver.ErrBadConn }) //nolint:errcheck // the point is the ErrBadConn
		return errors.Join(err, fmt.Errorf("end read: %w", rerr))
	}
	return err
}

// uncanceled runs each statement on q (the read pool, or a connection of
// it) once the caller's context is checked, without its cancellation:
// with a cancelable context database/sql starts a goroutine for every
// query's rows, and waking it costs more than the few indexed rows most
// reads fetch. A canceled request stops at its next statement.
type uncanceled struct{ q querier }

func (u uncanceled) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return u.q.ExecContext(context.WithoutCancel(ctx), query, args...)
}

func (u uncanceled) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return u.q.QueryContext(context.WithoutCancel(ctx), query, args...)
}

func (u uncanceled) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if ctx.Err() != nil {
		return u.q.QueryRowContext(ctx, query, args...) // a Row that carries the context's error
	}
	return u.q.QueryRowContext(context.WithoutCancel(ctx), query, args...)
}

// snapshot is a connection inside read's transaction.
type snapshot struct {
	db *sql.DB // the pool the connection came from
	uncanceled
}

// pool is the read pool as a querier for reads of one statement: each its
// own snapshot, or inside View, View's.
type pool struct{ db *sql.DB }

// snapshotIn returns View's snapshot on this pool that ctx carries, if any.
func (p pool) snapshotIn(ctx context.Context) (snapshot, bool) {
	sn, ok := ctx.Value(snapshotKey{}).(snapshot)
	return sn, ok && sn.db == p.db
}

// Each statement runs in View's snapshot when ctx carries one, else on the
// pool.

func (p pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if sn, ok := p.snapshotIn(ctx); ok {
		return sn.ExecContext(ctx, query, args...)
	}
	return uncanceled{p.db}.ExecContext(ctx, query, args...)
}

func (p pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if sn, ok := p.snapshotIn(ctx); ok {
		return sn.QueryContext(ctx, query, args...)
	}
	return uncanceled{p.db}.QueryContext(ctx, query, args...)
}

func (p pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if sn, ok := p.snapshotIn(ctx); ok {
		return sn.QueryRowContext(ctx, query, args...)
	}
	return uncanceled{p.db}.QueryRowContext(ctx, query, args...)
}

// logOp appends the operation-log row of a successful mutation.
func (s *Store) logOp(ctx context.Context, tx *sql.Tx, a Actor, action, target, detail string) error {
	return insertOpLog(ctx, tx, a, action, target, "ok", detail, s.now())
}

// unixNano and fromUnixNano convert times to and from the stored form:
// integer nanoseconds since the epoch, UTC; 0 is the zero time.
func unixNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UTC().UnixNano()
}

func fromUnixNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

// isUniqueViolation reports whether err is a UNIQUE or PRIMARY KEY
// constraint failure.
func isUniqueViolation(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// isBusy reports whether err is SQLITE_BUSY or SQLITE_LOCKED.
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}
