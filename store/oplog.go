package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gatehouse/rules"
)

// OpLogQuery is one page of the operation log: a filter, and where the
// page starts. Entries come newest first, by time and then sequence.
type OpLogQuery struct {
	Action  string      // exact action, "" = all
	Target  string      // exact target, "" = all
	Outcome string      // rules.OutcomeFilterOK, rules.OutcomeFilterRefused or "" (all)
	Since   time.Time   // from this time on; zero = from the first entry
	Until   time.Time   // before this time; zero = to the newest
	Limit   int         // default 50, at most 200
	Before  OpLogCursor // keyset cursor: only entries older than it; zero = from the newest
}

// OpLogCursor is where a page of the operation log ends: the time and
// sequence number of its last (oldest) entry.
type OpLogCursor struct {
	At  time.Time
	Seq int64
}

// IsZero reports whether the cursor is unset (the first page).
func (c OpLogCursor) IsZero() bool { return c.Seq == 0 }

// Operation-log page sizes.
const (
	defaultOpLogLimit = 50
	maxOpLogLimit     = 200
)

// insertOpLog writes one operation-log row inside tx.
func insertOpLog(ctx context.Context, q querier, a Actor, action, target, outcome, detail string, at time.Time) error {
	_, err := q.ExecContext(ctx, `INSERT INTO op_log (account_id, actor, source, action, target, outcome, detail, at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		a.AccountID, a.Name, string(a.Source), action, target, outcome, detail, unixNano(at))
	if err != nil {
		return fmt.Errorf("op log %s: %w", action, err)
	}
	return nil
}

// LogEvent records an event that changed no data: a failed login, a
// refused request a handler wants on record. outcome is "ok" or an error
// code. a.AccountID may be empty for events without an account.
func (s *Store) LogEvent(ctx context.Context, a Actor, action, target, outcome, detail string) error {
	err := s.write(ctx, func(tx *sql.Tx) error {
		return insertOpLog(ctx, tx, a, action, target, outcome, detail, s.now())
	})
	if err != nil {
		return fmt.Errorf("store: log event: %w", err)
	}
	return nil
}

// ListOpLog returns a page of the account's operation log, newest first,
// and the cursor of the next (older) page, zero when there is none. Each
// filter reads an index ordered as the page is (account, filter, at, seq),
// so a page costs its own rows, wherever in the log it starts.
func (s *Store) ListOpLog(ctx context.Context, accountID string, q OpLogQuery) ([]rules.OpLogEntry, OpLogCursor, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = defaultOpLogLimit
	}
	limit = min(limit, maxOpLogLimit)

	where := []string{"account_id = ?"}
	args := []any{accountID}
	if q.Action != "" {
		where = append(where, "action = ?")
		args = append(args, q.Action)
	}
	if q.Target != "" {
		where = append(where, "target = ?")
		args = append(args, q.Target)
	}
	switch q.Outcome {
	case rules.OutcomeFilterOK:
		where = append(where, "refused = 0")
	case rules.OutcomeFilterRefused:
		where = append(where, "refused = 1")
	}
	if !q.Since.IsZero() {
		where = append(where, "at >= ?")
		args = append(args, unixNano(q.Since))
	}
	if !q.Until.IsZero() {
		where = append(where, "at < ?")
		args = append(args, unixNano(q.Until))
	}
	if !q.Before.IsZero() {
		where = append(where, "(at, seq) < (?, ?)")
		args = append(args, unixNano(q.Before.At), q.Before.Seq)
	}
	args = append(args, limit+1)
	rows, err := s.rq.QueryContext(ctx, `SELECT seq, account_id, actor, source, action, target, outcome, detail, at
		FROM op_log WHERE `+strings.Join(where, " AND ")+` ORDER BY at DESC, seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, OpLogCursor{}, fmt.Errorf("store: list op log: %w", err)
	}
	defer rows.Close()
	var out []rules.OpLogEntry
	for rows.Next() {
		var e rules.OpLogEntry
		if err := rows.Scan(&e.Seq, &e.AccountID, &e.Actor, &e.Source, &e.Action, &e.Target, &e.Outcome, &e.Detail, nanoTime{&e.Time}); err != nil {
			return nil, OpLogCursor{}, fmt.Errorf("store: list op log: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, OpLogCursor{}, fmt.Errorf("store: list op log: %w", err)
	}
	var next OpLogCursor
	if len(out) > limit {
		out = out[:limit]
		next = OpLogCursor{At: out[limit-1].Time, Seq: out[limit-1].Seq}
	}
	return out, next, nil
}
