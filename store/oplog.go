package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"gatehouse/rules"
)

// OpLogQuery filters the operation log. Entries come newest first.
type OpLogQuery struct {
	Action string // exact action, "" = all
	Target string // exact target id, "" = all
	Limit  int    // default 50, at most 200
	Before int64  // keyset cursor: only entries with a smaller seq; 0 = from the newest
}

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

// ListOpLog returns the account's operation log, newest first, and the
// cursor for the next (older) page, 0 when there is none.
func (s *Store) ListOpLog(ctx context.Context, accountID string, q OpLogQuery) ([]rules.OpLogEntry, int64, error) {
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
	if q.Before > 0 {
		where = append(where, "seq < ?")
		args = append(args, q.Before)
	}
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, `SELECT seq, account_id, actor, source, action, target, outcome, detail, at
		FROM op_log WHERE `+strings.Join(where, " AND ")+` ORDER BY seq DESC LIMIT ?`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list op log: %w", err)
	}
	defer rows.Close()
	var out []rules.OpLogEntry
	for rows.Next() {
		var e rules.OpLogEntry
		if err := rows.Scan(&e.Seq, &e.AccountID, &e.Actor, &e.Source, &e.Action, &e.Target, &e.Outcome, &e.Detail, nanoTime{&e.Time}); err != nil {
			return nil, 0, fmt.Errorf("store: list op log: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: list op log: %w", err)
	}
	var next int64
	if len(out) > limit {
		out = out[:limit]
		next = out[limit-1].Seq
	}
	return out, next, nil
}
