package store

import (
	"context"
	"fmt"
	"sync"

	"gatehouse/rules"
)

// GroupView is what Group Details shows from the database, read in one
// snapshot: the group with its instance, binding and domains, the
// account's VPCs (for the reachability table), the instances of the
// group's region (for the Move check), and the group's first page of APIs.
// Its slices are shared with later calls: read them, never change them.
type GroupView struct {
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
// its page shows beside it, with apis APIs at most. A group shown again
// while nothing of its account has changed is answered from the views
// this process has read (groupViewCache), by the account's version
// (schemaV15): version, when the caller has read it already
// (Session.AccountVersion, read as its request began, before any change
// the request makes), else 0 and GroupView reads it.
func (s *Store) GroupView(ctx context.Context, accountID string, version int64, groupID string, apis int) (GroupView, error) {
	var err error
	if version == 0 {
		if version, err = accountVersion(ctx, s.rq, accountID); err != nil {
			return GroupView{}, fmt.Errorf("store: group view: %w", err)
		}
	}
	if v, ok := s.groupViews.get(accountID, groupID, version); ok {
		return v, nil
	}
	var v GroupView
	err = s.View(ctx, func(ctx context.Context) error {
		// The version again, now in the snapshot the rows come from.
		if version, err = accountVersion(ctx, s.rq, accountID); err != nil {
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
	s.groupViews.put(accountID, groupID, version, v)
	return v, nil
}

// accountVersionQuery reads an account's version (schemaV15): its own
// rows' count of changes plus the shared instances', so that a change to
// either moves it. Both only grow, so their sum does.
const accountVersionQuery = `SELECT COALESCE(SUM(v), 0) FROM account_versions WHERE account_id IN ('', CAST(? AS TEXT))`

func accountVersion(ctx context.Context, q querier, accountID string) (int64, error) {
	var v int64
	if err := q.QueryRowContext(ctx, accountVersionQuery, accountID).Scan(&v); err != nil {
		return 0, fmt.Errorf("account version: %w", err)
	}
	return v, nil
}

// groupViewCache keeps the group views GroupView has read, by account and
// group, so that Group Details shown again costs one read instead of
// seven. It never answers with rows the database no longer holds, by the
// same reasoning as sessionCache:
//   - every change to a row a view holds moves its account's version
//     (schemaV15), by trigger, in the transaction that makes the change,
//     whichever process makes it;
//   - a view is kept with the version of the snapshot it was read in, and
//     served only to a call that has just read the same version: once a
//     change has committed, no call that starts afterwards is answered
//     from before it.
//
// What a view holds is rows; what the rules decide from them, what time
// it is and the gateway's traffic are worked out again on every page.
type groupViewCache struct {
	mu       sync.Mutex
	accounts map[string]*accountViews // by account id
	n        int                      // views held, every account's
}

// accountViews are one account's views, all read at one version.
type accountViews struct {
	version int64
	groups  map[string]GroupView // by group id
}

// groupViewCacheSize bounds the views held; when full, the cache starts
// over.
const groupViewCacheSize = 2048

func (c *groupViewCache) get(accountID, groupID string, version int64) (GroupView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.accounts[accountID]
	if a == nil || a.version != version {
		return GroupView{}, false
	}
	v, ok := a.groups[groupID]
	return v, ok
}

// put keeps a view read at version. One read at an older version than the
// account's views is not kept; a newer one replaces them.
func (c *groupViewCache) put(accountID, groupID string, version int64, v GroupView) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.accounts == nil || c.n >= groupViewCacheSize {
		c.accounts, c.n = make(map[string]*accountViews), 0
	}
	a := c.accounts[accountID]
	switch {
	case a == nil:
		a = &accountViews{version: version}
		c.accounts[accountID] = a
	case version < a.version:
		return
	case version > a.version:
		c.n -= len(a.groups)
		a.version, a.groups = version, nil
	}
	if a.groups == nil {
		a.groups = make(map[string]GroupView)
	}
	if _, ok := a.groups[groupID]; !ok {
		c.n++
	}
	a.groups[groupID] = v
}
