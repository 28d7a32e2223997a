package store

import (
	"context"
	"fmt"
	"time"

	"gatehouse/rules"
)

// Overview is what needs an operator's attention in an account, each a
// count and the first few of them: unbound dedicated instances (their
// groups' VPC domains cannot be enabled), groups whose VPC domain is off,
// and refused changes since a time.
type Overview struct {
	Unbound     []rules.Instance
	VpcOff      []rules.Group // the newest few
	VpcOffTotal int           // at most OverviewCountMax
	// ReleaseBehind are the most recently changed APIs whose RELEASE stage
	// serves an older revision than their definition's.
	ReleaseBehind      []ReleaseBehind
	ReleaseBehindTotal int // at most OverviewCountMax
	Refused            int // refused changes since Since, at most OverviewCountMax
	Groups             int
	APIs               int
	Dedicated          int
	Vpcs               int
	Since              time.Time
	// PublicToday are the groups whose public second-level domain has
	// calls reserved today (rules.LimitDay), busiest first: the gateway
	// reserves a fiftieth of the limit ahead of the calls it admits, so
	// this is what was used, to within 2% of the limit.
	PublicToday []PublicUse
}

// ReleaseBehind is an API whose RELEASE stage serves an older revision.
type ReleaseBehind struct {
	ID, Name          string
	GroupID, Group    string // the group's id and name
	Revision, Release int64  // the definition's revision, and RELEASE's
}

// PublicUse is a group's public domain calls reserved on a day.
type PublicUse struct {
	Group    rules.Group
	Reserved int64
}

// OverviewCountMax bounds the Overview's counts: past it, the page says
// "more than".
const OverviewCountMax = 1000

// overviewShown is how many of each problem the Overview names.
const overviewShown = 5

// GetOverview reads an account's Overview from one snapshot. Every count
// reads an index that holds only what it counts (or stops at
// OverviewCountMax), so its cost does not grow with the account.
func (s *Store) GetOverview(ctx context.Context, accountID string, since time.Time, day int64) (Overview, error) {
	o := Overview{Since: since}
	err := s.read(ctx, func(tx querier) error {
		if err := publicToday(ctx, tx, accountID, day, &o); err != nil {
			return err
		}
		rows, err := queryInstanceRows(ctx, tx, accountID, "i.account_id = ?", accountID)
		if err != nil {
			return err
		}
		o.Dedicated = len(rows)
		for _, r := range rows {
			if !r.Bound() {
				o.Unbound = append(o.Unbound, r.Instance)
			}
		}
		if o.VpcOff, err = queryGroups(ctx, tx, `WHERE g.id IN (SELECT id FROM api_groups INDEXED BY api_groups_vpc_off WHERE account_id = ? AND vpc_domain_enabled = 0
			ORDER BY created_at DESC, id DESC LIMIT ?)`, accountID, overviewShown); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM api_groups INDEXED BY api_groups_vpc_off
			WHERE account_id = ? AND vpc_domain_enabled = 0 LIMIT ?)`, accountID, OverviewCountMax).Scan(&o.VpcOffTotal); err != nil {
			return err
		}
		if err := releaseBehind(ctx, tx, accountID, &o); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM op_log
			WHERE account_id = ? AND refused = 1 AND at >= ? LIMIT ?)`, accountID, unixNano(since), OverviewCountMax).Scan(&o.Refused); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vpcs WHERE account_id = ?`, accountID).Scan(&o.Vpcs); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, apiCountQuery, accountID).Scan(&o.APIs); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM group_counts WHERE account_id = CAST(? AS TEXT)`, accountID).Scan(&o.Groups)
	})
	if err != nil {
		return Overview{}, fmt.Errorf("store: overview: %w", err)
	}
	return o, nil
}

// publicToday reads the account's groups with public calls reserved on
// day, the busiest overviewShown, from the day's index.
func publicToday(ctx context.Context, tx querier, accountID string, day int64, o *Overview) error {
	rows, err := tx.QueryContext(ctx, `SELECT `+groupCols+`, r.reserved
		FROM public_call_reservations r JOIN api_groups g ON g.id = r.group_id
		WHERE r.day = ? AND g.account_id = ? ORDER BY r.reserved DESC, g.id LIMIT ?`, day, accountID, overviewShown)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var u PublicUse
		if err := rows.Scan(dest(groupDest(&u.Group), []any{&u.Reserved})...); err != nil {
			return err
		}
		o.PublicToday = append(o.PublicToday, u)
	}
	return rows.Err()
}

// releaseBehind reads the account's APIs whose RELEASE serves an older
// revision, the most recently changed few and their number, from the
// partial index that holds only them (schemaV14).
func releaseBehind(ctx context.Context, tx querier, accountID string, o *Overview) error {
	rows, err := tx.QueryContext(ctx, `SELECT a.id, a.name, a.group_id, a.group_name, a.revision, a.release_revision
		FROM apis a INDEXED BY apis_release_behind WHERE a.account_id = ? AND a.release_revision < a.revision
		ORDER BY a.modified_at DESC, a.id DESC LIMIT ?`, accountID, overviewShown)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ReleaseBehind
		if err := rows.Scan(&r.ID, &r.Name, &r.GroupID, &r.Group, &r.Revision, &r.Release); err != nil {
			return err
		}
		o.ReleaseBehind = append(o.ReleaseBehind, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM apis INDEXED BY apis_release_behind
		WHERE account_id = ? AND release_revision < revision LIMIT ?)`, accountID, OverviewCountMax).Scan(&o.ReleaseBehindTotal)
}
