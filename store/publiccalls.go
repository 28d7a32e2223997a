package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Calls through a group's public second-level domain, counted per group per
// day against R2's daily limit.
//
// The gateway counts calls in memory and never writes per call. What the
// database keeps is a reservation: how many calls of the day the gateway
// may admit. Before it admits a call beyond what is reserved, the gateway
// reserves another block, and it admits the call only once the reservation
// is committed. A process that is killed (kill -9) loses the count of the
// calls it made, never the reservation; the next process starts the day at
// the reserved number, as if every reserved call had been made. So the
// limit is never exceeded across a crash: at worst, calls reserved and not
// made are lost for the day (at most one block).

// schemaV8: the reservations, one row per group per day. day is the number
// of days since 1970-01-01 in the gateway's counting time zone (UTC+8,
// Beijing time). No foreign key: a deleted group's rows go with their day.
const schemaV8 = `
CREATE TABLE public_call_reservations (
	group_id TEXT NOT NULL,
	day      INTEGER NOT NULL,
	reserved INTEGER NOT NULL CHECK (reserved >= 0),
	PRIMARY KEY (group_id, day)
) STRICT, WITHOUT ROWID;
CREATE INDEX public_call_reservations_day ON public_call_reservations(day);
`

// Reservation is a group's reserved calls of a day before and after
// ReservePublicCalls.
type Reservation struct {
	Before int64 // reserved before this call: calls a previous process may have made
	After  int64 // reserved now: calls the gateway may admit in all
}

// ReservePublicCalls raises the number of calls reserved for the public
// second-level domain of groupID on day by block, but never above limit
// (nor lowers it, when the limit was higher before), and returns the
// numbers before and after, once committed. Rows of days before day-1 are
// removed along the way, once per day.
func (s *Store) ReservePublicCalls(ctx context.Context, groupID string, day, block, limit int64) (Reservation, error) {
	if block < 1 || limit < 0 {
		return Reservation{}, fmt.Errorf("store: reserve public calls of %s: block %d, limit %d", groupID, block, limit)
	}
	var r Reservation
	err := s.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT reserved FROM public_call_reservations WHERE group_id = CAST(? AS TEXT) AND day = CAST(? AS INTEGER)`,
			groupID, day).Scan(&r.Before)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		r.After = max(r.Before, min(limit, r.Before+block))
		if r.After == r.Before {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO public_call_reservations (group_id, day, reserved) VALUES (?, ?, ?)
			ON CONFLICT (group_id, day) DO UPDATE SET reserved = excluded.reserved`, groupID, day, r.After); err != nil {
			return err
		}
		if s.reservationsSwept.Swap(day) != day {
			if _, err := tx.ExecContext(ctx, `DELETE FROM public_call_reservations WHERE day < ?`, day-1); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Reservation{}, fmt.Errorf("store: reserve public calls of %s on day %d: %w", groupID, day, err)
	}
	return r, nil
}
