package store

import (
	"context"
	"fmt"

	"gatehouse/rules"
)

// GroupView is what Group Details shows from the database, read in one
// snapshot: the group with its instance, binding and domains, the
// account's VPCs (for the reachability table), the instances of the
// group's region (for the Move check), and the group's first page of APIs.
type GroupView struct {
	// Version is the account's version the rows were read at: anything
	// worked out from them alone holds while the account's version stays
	// at it.
	Version int64
	GroupDetail
	Vpcs      []rules.VPC      // the account's VPCs, every region, without their vSwitches
	Instances []rules.Instance // the region's shared instances, then the account's dedicated ones
	APIs      APIPage          // the group's first page of APIs
	// DeleteCheck is CheckDeleteGroup's answer, asked only when APIs does
	// not hold every API of the group (nil otherwise: the caller decides
	// from APIs).
	DeleteCheck error
}

// GroupView reads Group Details' data: a group of the account and what
// its page shows beside it, with apis APIs at most, in one snapshot, and
// the account's version in that snapshot (GroupView.Version).
func (s *Store) GroupView(ctx context.Context, accountID, groupID string, apis int) (GroupView, error) {
	var v GroupView
	err := s.View(ctx, func(ctx context.Context) error {
		var err error
		if v.Version, err = accountVersion(ctx, s.rq, accountID); err != nil {
			return err
		}
		if v.GroupDetail, err = s.GetGroupDetail(ctx, accountID, groupID); err != nil {
			return err
		}
		if v.Vpcs, err = s.ListVpcsWithoutVSwitches(ctx, accountID, ""); err != nil {
			return err
		}
		if v.Instances, err = s.RegionInstances(ctx, accountID, v.RegionID); err != nil {
			return err
		}
		if v.APIs, err = s.ListAPIs(ctx, accountID, APIQuery{GroupID: groupID, Limit: apis}); err != nil {
			return err
		}
		if v.APIs.Total > len(v.APIs.Items) {
			v.DeleteCheck = s.CheckDeleteGroup(ctx, v.Group)
			if _, isRule := rules.AsError(v.DeleteCheck); v.DeleteCheck != nil && !isRule {
				return v.DeleteCheck
			}
		}
		return nil
	})
	if err != nil {
		if _, isRule := rules.AsError(err); isRule {
			return GroupView{}, err // the group is not the account's: as GetGroupDetail says
		}
		return GroupView{}, fmt.Errorf("store: group view: %w", err)
	}
	return v, nil
}

// accountVersionQuery reads an account's version (schemaV15): its own
// rows' count of changes plus the shared instances', so that a change to
// either moves it. Both only grow, so their sum does.
const accountVersionQuery = `SELECT COALESCE(SUM(v), 0) FROM account_versions WHERE account_id IN ('', CAST(? AS TEXT))`

// trafficVersionQuery reads an account's traffic version (schemaV16),
// plus one: an account without traffic yet is at 1.
const trafficVersionQuery = `SELECT COALESCE((SELECT v FROM traffic_versions WHERE account_id = CAST(? AS TEXT)), 0) + 1`

func accountVersion(ctx context.Context, q querier, accountID string) (int64, error) {
	var v int64
	if err := q.QueryRowContext(ctx, accountVersionQuery, accountID).Scan(&v); err != nil {
		return 0, fmt.Errorf("account version: %w", err)
	}
	return v, nil
}
