package gateway

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// The hot-path state: every account's instances, custom domains, VPCs,
// deployed APIs and the groups they serve, held in an immutable snapshot
// that calls read without a lock. The store moves its gateway generation in
// the transaction of every change the gateway serves from, and mirrors it
// in memory before the changing method returns (GatewayGeneration, an
// atomic load); a call that finds it moved since the snapshot was read
// reads a new one first, so a change is in force for every call that starts
// after the change's method returned (no stale window). While one call
// reads, the others that need the new snapshot wait for it; calls never
// wait otherwise. Changes made by another process (the command line beside
// a running server) are seen within a second (Gateway.Watch).

// Source is what the gateway reads its snapshot from (the store).
type Source interface {
	GatewayGeneration() int64
	GatewayState(ctx context.Context) (store.GatewayState, error)
	GatewayGroup(ctx context.Context, id string) (store.GatewayGroup, error)
}

// snapshot is the state at one count of changes. Nothing in it changes
// after build but its caches, which remember answers worked out from it.
//
// It holds every instance, VPC and custom domain, and the groups that
// something is served on (a custom domain, deployed APIs). Any other group
// is read when a call first names it (loadGroup) and remembered with the
// snapshot: such a call finds no API, so the only question is whether the
// network reaches the name. A snapshot of a database of 100,000 groups
// thus holds the few it serves, and is read again in milliseconds.
type snapshot struct {
	gen       int64
	src       Source
	groups    map[string]*groupRoute  // by group id: those served on
	customs   map[string]*customRoute // by normalised name
	vpcs      map[string]*rules.VPC   // by id
	instances map[string]*rules.Instance

	others   cache[*groupRoute] // groups read one at a time, by id; nil for an id no group has
	names    cache[name]        // host as sent → what it means (names of Gatehouse's only)
	networks cache[Network]     // Proxy-Authorization header → the network it proved
}

// cache remembers up to maxCached answers worked out from a snapshot, so
// that a call repeating a host or credentials does not work them out
// again. It is dropped with its snapshot. Reads take no lock.
type cache[V any] struct {
	m sync.Map
	n atomic.Int64
}

const maxCached = 4096

func (c *cache[V]) get(k string) (*V, bool) {
	v, ok := c.m.Load(k)
	if !ok {
		return nil, false
	}
	return v.(*V), true
}

func (c *cache[V]) put(k string, v V) {
	if c.n.Add(1) <= maxCached {
		c.m.Store(k, &v)
	}
}

// groupRoute is a group with its instance and what each stage serves.
type groupRoute struct {
	group    rules.Group
	instance *rules.Instance // nil if the store knows no such instance (never, by its foreign key)
	stages   [numStages]routeTable
}

// customRoute is a custom domain and its group.
type customRoute struct {
	domain rules.CustomDomain
	group  *groupRoute
}

// build makes a snapshot of st; HTTP backends forward through fwd.
func build(src Source, st store.GatewayState, fwd *forwarder) (*snapshot, error) {
	s := &snapshot{
		gen:       st.Generation,
		src:       src,
		groups:    make(map[string]*groupRoute, len(st.Groups)),
		customs:   make(map[string]*customRoute, len(st.Domains)),
		vpcs:      make(map[string]*rules.VPC, len(st.Vpcs)),
		instances: make(map[string]*rules.Instance, len(st.Instances)),
	}
	for i := range st.Instances {
		s.instances[st.Instances[i].ID] = &st.Instances[i]
	}
	for i := range st.Vpcs {
		s.vpcs[st.Vpcs[i].ID] = &st.Vpcs[i]
	}
	for i := range st.Groups {
		g := &st.Groups[i]
		s.groups[g.ID] = &groupRoute{group: *g, instance: s.instances[g.InstanceID]}
	}
	for i := range st.Domains {
		d := st.Domains[i]
		if g := s.groups[d.GroupID]; g != nil {
			s.customs[rules.NormalizeDomain(d.Name)] = &customRoute{domain: d, group: g}
		}
	}
	byStage := map[*groupRoute]*[numStages][]rules.Deployment{}
	for _, d := range st.Deployments {
		g := s.groups[d.GroupID]
		st, known := stageIndex(d.Stage)
		if g == nil || !known {
			return nil, fmt.Errorf("API %s is deployed to %s of group %s, which the state lacks", d.APIID, d.Stage, d.GroupID)
		}
		lists := byStage[g]
		if lists == nil {
			lists = &[numStages][]rules.Deployment{}
			byStage[g] = lists
		}
		lists[st] = append(lists[st], d)
	}
	for g, lists := range byStage {
		for st, list := range lists {
			t, err := newRouteTable(list, fwd)
			if err != nil {
				return nil, fmt.Errorf("group %s, %s: %w", g.group.ID, stageNames[st], err)
			}
			g.stages[st] = t
		}
	}
	return s, nil
}

// name is what a host name means to Gatehouse: the access decision's
// target and the group that serves it.
type name struct {
	target rules.Target
	group  *groupRoute // nil when no group is behind the name
}

// lookup finds what host means: a custom domain of some group, a
// second-level domain of some group (public or VPC; its group nil when it
// names none), or nothing of Gatehouse's (ok false). host is as sent: it
// is normalised here (case, a trailing dot).
func (s *snapshot) lookup(ctx context.Context, host string) (name, bool, error) {
	if n, ok := s.names.get(host); ok {
		return *n, true, nil
	}
	n, ok, err := s.resolve(ctx, host)
	if ok && err == nil {
		s.names.put(host, n)
	}
	return n, ok, err
}

func (s *snapshot) resolve(ctx context.Context, host string) (n name, ok bool, err error) {
	h := rules.NormalizeDomain(host)
	if c := s.customs[h]; c != nil {
		g := c.group
		return name{target: rules.Target{Name: h, Kind: rules.DomainCustom, Group: &g.group, Instance: g.instance, Custom: &c.domain}, group: g}, true, nil
	}
	kind, groupID, regionID, derived := rules.ParseDerivedDomain(h)
	if !derived {
		return name{}, false, nil
	}
	n.target = rules.Target{Name: h, Kind: kind}
	g, err := s.group(ctx, groupID)
	if err != nil {
		return name{}, false, err
	}
	if g != nil && g.group.RegionID == regionID {
		n.target.Group, n.target.Instance, n.group = &g.group, g.instance, g
	}
	return n, true, nil
}

// group finds a group by id: among those served on, else read on its own
// (once per snapshot); nil when no group has the id.
func (s *snapshot) group(ctx context.Context, id string) (*groupRoute, error) {
	if g := s.groups[id]; g != nil {
		return g, nil
	}
	if g, ok := s.others.get(id); ok {
		return *g, nil
	}
	gg, err := s.src.GatewayGroup(ctx, id)
	if err != nil {
		return nil, err
	}
	var g *groupRoute
	if gg.OK {
		g = &groupRoute{group: gg.Group, instance: &gg.Instance}
	}
	if gg.Generation == s.gen {
		// Read after a change the snapshot lacks, the group is right for
		// this call (with its own instance) but not for the snapshot's
		// later calls; the next call reads a new snapshot anyway.
		s.others.put(id, g)
	}
	return g, nil
}

// snapshots keeps the current snapshot and reads a new one when the
// source's generation has moved.
type snapshots struct {
	src Source
	fwd *forwarder
	cur atomic.Pointer[snapshot]
	mu  sync.Mutex // one read of the source at a time; taken only when the generation moved
}

// current returns a snapshot at least as new as every change committed
// before it was called.
func (ss *snapshots) current(ctx context.Context) (*snapshot, error) {
	n := ss.src.GatewayGeneration()
	if s := ss.cur.Load(); s != nil && s.gen >= n {
		return s, nil
	}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if s := ss.cur.Load(); s != nil && s.gen >= ss.src.GatewayGeneration() {
		return s, nil // another call read it meanwhile
	}
	st, err := ss.src.GatewayState(ctx)
	if err != nil {
		return nil, err
	}
	s, err := build(ss.src, st, ss.fwd)
	if err != nil {
		return nil, err
	}
	ss.cur.Store(s)
	return s, nil
}

// refresher is a Source that can look for changes other processes made
// (the store's RefreshGatewayGeneration).
type refresher interface {
	RefreshGatewayGeneration(ctx context.Context) (int64, error)
}

// Watch looks every interval, until ctx ends, for changes another process
// committed to the database (the command line beside a running server),
// so that they are in force within that time; changes made through this
// process are in force at once without it.
func (g *Gateway) Watch(ctx context.Context, interval time.Duration) {
	r, ok := g.snaps.src.(refresher)
	if !ok {
		return
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := r.RefreshGatewayGeneration(ctx); err != nil && ctx.Err() == nil {
				g.cfg.Log.Warn("gateway: look for changes of other processes", "err", err)
			}
		}
	}
}
