package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The gateway's calls per domain per hour (SPEC §7, what Group Details
// charts). The gateway counts calls in memory and adds its counts here in
// one transaction every few seconds and when it stops (AddDomainCalls), so
// no call writes to the database; a process killed with kill -9 loses the
// counts since its last flush, which the chart can afford (the daily limit
// of public domains does not: it is reserved ahead, see publiccalls.go).

// schemaV9: the counts, one row per group, hour and domain. hour is the
// number of hours since 1970-01-01 00:00 UTC. No foreign key: a deleted
// group's rows age out with the others.
const schemaV9 = `
CREATE TABLE domain_hourly_calls (
	group_id TEXT NOT NULL,
	hour     INTEGER NOT NULL,
	domain   TEXT NOT NULL,
	calls    INTEGER NOT NULL CHECK (calls >= 0),
	failed   INTEGER NOT NULL CHECK (failed >= 0 AND failed <= calls),
	PRIMARY KEY (group_id, hour, domain)
) STRICT, WITHOUT ROWID;
CREATE INDEX domain_hourly_calls_hour ON domain_hourly_calls(hour);
`

// DomainCallsKept is how many hours of counts AddDomainCalls keeps: a
// week, more than the chart's day.
const DomainCallsKept = 7 * 24

// HourlyCalls is the count of one domain of a group in one hour.
type HourlyCalls struct {
	GroupID string
	Domain  string
	Hour    int64 // hours since 1970-01-01 00:00 UTC
	Calls   int64 // every call answered on the domain
	Failed  int64 // of which answered with a status of 400 or more
}

// AddDomainCalls adds counts to the stored ones, in one transaction, and
// removes the rows older than DomainCallsKept hours before the newest hour
// added.
func (s *Store) AddDomainCalls(ctx context.Context, counts []HourlyCalls) error {
	if len(counts) == 0 {
		return nil
	}
	newest := counts[0].Hour
	err := s.write(ctx, func(tx *sql.Tx) error {
		for _, c := range counts {
			if c.Calls < 0 || c.Failed < 0 || c.Failed > c.Calls {
				return fmt.Errorf("bad count %+v", c)
			}
			newest = max(newest, c.Hour)
			if _, err := tx.ExecContext(ctx, `INSERT INTO domain_hourly_calls (group_id, hour, domain, calls, failed) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (group_id, hour, domain) DO UPDATE SET calls = calls + excluded.calls, failed = failed + excluded.failed`,
				c.GroupID, c.Hour, c.Domain, c.Calls, c.Failed); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM domain_hourly_calls WHERE hour < CAST(? AS INTEGER)`, newest-DomainCallsKept)
		return err
	})
	if err != nil {
		return fmt.Errorf("store: add domain calls: %w", err)
	}
	return nil
}

// GroupCallsStored returns in one read what the database holds of a
// group's traffic for Group Details: the calls reserved for its public
// second-level domain on day (0 when none),
// and its counts from hour on, by hour, then domain.
func (s *Store) GroupCallsStored(ctx context.Context, groupID string, day, hour int64) (int64, []HourlyCalls, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT 0, hour, domain, calls, failed FROM domain_hourly_calls
			WHERE group_id = CAST(? AS TEXT) AND hour >= CAST(? AS INTEGER)
		UNION ALL
		SELECT 1, 0, '', reserved, 0 FROM public_call_reservations
			WHERE group_id = CAST(? AS TEXT) AND day = CAST(? AS INTEGER)
		ORDER BY 1, 2, 3`, groupID, hour, groupID, day)
	if err != nil {
		return 0, nil, fmt.Errorf("store: stored calls of %s: %w", groupID, err)
	}
	defer rows.Close()
	var reserved int64
	var out []HourlyCalls
	for rows.Next() {
		var isReservation bool
		c := HourlyCalls{GroupID: groupID}
		if err := rows.Scan(&isReservation, &c.Hour, &c.Domain, &c.Calls, &c.Failed); err != nil {
			return 0, nil, fmt.Errorf("store: stored calls of %s: %w", groupID, err)
		}
		if isReservation {
			reserved = c.Calls
			continue
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("store: stored calls of %s: %w", groupID, err)
	}
	return reserved, out, nil
}
