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
		// The account's VPCs and the region's instances are the same for
		// each of its groups: read once a version.
		var known bool
		if v.Vpcs, known = s.groupViews.vpcs(accountID, version); !known {
			if v.Vpcs, err = s.ListVpcsWithoutVSwitches(ctx, accountID, ""); err != nil {
				return err
			}
		}
		if v.Instances, known = s.groupViews.instances(accountID, version, v.RegionID); !known {
			if v.Instances, err = s.RegionInstances(ctx, accountID, v.RegionID); err != nil {
				return err
			}
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
	v.Version = version
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
// An account's VPCs and each region's instances are kept once for all its
// groups. What a view holds is rows; what the rules decide from them, what
// time it is and the gateway's traffic are worked out again on every page.
type groupViewCache struct {
	mu       sync.Mutex
	accounts map[string]*accountViews // by account id
	n        int                      // groups held, every account's
}

// accountViews is what is kept of one account, all read at one version.
type accountViews struct {
	version   int64
	vpcs      []rules.VPC
	vpcsRead  bool
	instances map[string][]rules.Instance // by region
	groups    map[string]groupRows        // by group id
}

// groupRows is a view's own part.
type groupRows struct {
	detail      GroupDetail
	apis        APIPage
	deleteCheck error
}

// groupViewCacheSize bounds the groups held; when full, the cache starts
// over.
const groupViewCacheSize = 2048

// account returns the account's views at version, nil if none. Call it
// with c.mu held.
func (c *groupViewCache) account(accountID string, version int64) *accountViews {
	if a := c.accounts[accountID]; a != nil && a.version == version {
		return a
	}
	return nil
}

func (c *groupViewCache) get(accountID, groupID string, version int64) (GroupView, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a := c.account(accountID, version)
	if a == nil {
		return GroupView{}, false
	}
	g, ok := a.groups[groupID]
	if !ok || !a.vpcsRead {
		return GroupView{}, false
	}
	insts, ok := a.instances[g.detail.RegionID]
	if !ok {
		return GroupView{}, false
	}
	return GroupView{Version: version, GroupDetail: g.detail, Vpcs: a.vpcs, Instances: insts, APIs: g.apis, DeleteCheck: g.deleteCheck}, true
}

// vpcs returns the account's VPCs kept at version.
func (c *groupViewCache) vpcs(accountID string, version int64) ([]rules.VPC, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a := c.account(accountID, version); a != nil && a.vpcsRead {
		return a.vpcs, true
	}
	return nil, false
}

// instances returns the region's instances kept for the account at
// version.
func (c *groupViewCache) instances(accountID string, version int64, regionID string) ([]rules.Instance, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if a := c.account(accountID, version); a != nil {
		insts, ok := a.instances[regionID]
		return insts, ok
	}
	return nil, false
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
	case version < a.version:
		return
	case version > a.version:
		c.n -= len(a.groups)
		a = nil
	}
	if a == nil {
		a = &accountViews{version: version, instances: map[string][]rules.Instance{}, groups: map[string]groupRows{}}
		c.accounts[accountID] = a
	}
	a.vpcs, a.vpcsRead = v.Vpcs, true
	a.instances[v.RegionID] = v.Instances
	if _, ok := a.groups[groupID]; !ok {
		c.n++
	}
	a.groups[groupID] = groupRows{detail: v.GroupDetail, apis: v.APIs, deleteCheck: v.DeleteCheck}
}

// choiceCache keeps each account's group choices (GroupChoices) by the
// account's version the request read, as groupViewCache keeps views.
type choiceCache struct {
	mu       sync.Mutex
	accounts map[string]versioned[groupChoices]
}

type versioned[T any] struct {
	version int64
	v       T
}

type groupChoices struct {
	max    int
	groups []GroupChoice
	more   bool
}

// choiceCacheSize bounds the accounts whose choices are kept; when full,
// the cache starts over.
const choiceCacheSize = 1024

func (c *choiceCache) get(accountID string, version int64, max int) (groupChoices, bool) {
	if version == 0 {
		return groupChoices{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.accounts[accountID]
	if !ok || e.version != version || e.v.max != max {
		return groupChoices{}, false
	}
	return e.v, true
}

func (c *choiceCache) put(accountID string, version int64, g groupChoices) {
	if version == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.accounts == nil || len(c.accounts) >= choiceCacheSize {
		c.accounts = make(map[string]versioned[groupChoices])
	}
	if e, ok := c.accounts[accountID]; ok && e.version > version {
		return
	}
	c.accounts[accountID] = versioned[groupChoices]{version, g}
}
