package store

import (
	"context"
	"database/sql"
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
	Refused     int           // refused changes since Since, at most OverviewCountMax
	Groups      int
	Dedicated   int
	Vpcs        int
	Since       time.Time
}

// OverviewCountMax bounds the Overview's counts: past it, the page says
// "more than".
const OverviewCountMax = 1000

// overviewShown is how many of each problem the Overview names.
const overviewShown = 5

// GetOverview reads an account's Overview from one snapshot. Every count
// reads an index that holds only what it counts (or stops at
// OverviewCountMax), so its cost does not grow with the account.
func (s *Store) GetOverview(ctx context.Context, accountID string, since time.Time) (Overview, error) {
	o := Overview{Since: since}
	err := s.read(ctx, func(tx *sql.Tx) error {
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
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM op_log
			WHERE account_id = ? AND refused = 1 AND at >= ? LIMIT ?)`, accountID, unixNano(since), OverviewCountMax).Scan(&o.Refused); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM vpcs WHERE account_id = ?`, accountID).Scan(&o.Vpcs); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(n), 0) FROM group_counts WHERE account_id = CAST(? AS TEXT)`, accountID).Scan(&o.Groups)
	})
	if err != nil {
		return Overview{}, fmt.Errorf("store: overview: %w", err)
	}
	return o, nil
}
