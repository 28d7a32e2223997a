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

// The hot-path state, held in an immutable snapshot that calls read
// without a lock: every account's instances, VPCs and custom domains, read
// whole; and each group with its instance and deployed APIs (its routes),
// read once when a call first names it and kept with the snapshot. So a
// database of 100,000 groups and 200,000 deployments costs the gateway the
// groups it is called on, and a new snapshot is read in milliseconds.
//
// The store moves its gateway generation in the transaction of every change
// the gateway serves from, and mirrors it in memory before the changing
// method returns (GatewayGeneration, an atomic load). A call that finds it
// moved since the snapshot was read reads a new one first, so a change is
// in force for every call that starts after the change's method returned
// (no stale window); the new snapshot keeps the groups the changes did not
// touch (GatewayChangesSince), so a change to one group costs the others
// nothing. While one call reads, the others that need the new snapshot wait
// for it; calls never wait otherwise. Changes made by another process (the
// command line beside a running server) are seen within a second
// (Gateway.Watch).

// Source is what the gateway reads its snapshot from (the store).
type Source interface {
	GatewayGeneration() int64
	GatewayState(ctx context.Context) (store.GatewayState, error)
	GatewayGroup(ctx context.Context, id string) (store.GatewayGroup, error)
	GatewayChangesSince(ctx context.Context, since int64) ([]store.GatewayChange, int64, bool, error)
}

// snapshot is the state at one generation. Nothing in it changes after
// build but its caches, which remember what was read or worked out from it.
type snapshot struct {
	gen       int64
	src       Source
	fwd       *forwarder
	customs   map[string]*rules.CustomDomain // by normalised name
	vpcs      map[string]*rules.VPC          // by id
	instances map[string]*rules.Instance     // by id

	groups   sync.Map // group id → *groupEntry
	nGroups  atomic.Int64
	names    cache[name]    // host as sent → what it means (names of Gatehouse's only)
	networks cache[Network] // Proxy-Authorization header → the network it proved
}

// maxGroups is how many groups a snapshot keeps; past it, a call on
// another group reads it for itself.
const maxGroups = 16384

// groupEntry is a group read once for the snapshot, however many calls
// ask for it at the same time.
type groupEntry struct {
	once  sync.Once
	done  atomic.Bool // read, successfully or not
	route *groupRoute // nil when no group has the id
	gen   int64       // the generation it was read at
	err   error
}

// readEntry is an entry already read, at generation gen.
func readEntry(route *groupRoute, gen int64) *groupEntry {
	e := &groupEntry{route: route, gen: gen}
	e.once.Do(func() {})
	e.done.Store(true)
	return e
}

// groupRoute is a group with its instance and what each stage serves.
type groupRoute struct {
	group    rules.Group
	instance *rules.Instance // as read with the group
	stages   [numStages]routeTable
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

// build makes a snapshot of st; HTTP backends forward through fwd.
func build(src Source, st store.GatewayState, fwd *forwarder) *snapshot {
	s := &snapshot{
		gen:       st.Generation,
		src:       src,
		fwd:       fwd,
		customs:   make(map[string]*rules.CustomDomain, len(st.Domains)),
		vpcs:      make(map[string]*rules.VPC, len(st.Vpcs)),
		instances: make(map[string]*rules.Instance, len(st.Instances)),
	}
	for i := range st.Instances {
		s.instances[st.Instances[i].ID] = &st.Instances[i]
	}
	for i := range st.Vpcs {
		s.vpcs[st.Vpcs[i].ID] = &st.Vpcs[i]
	}
	for i := range st.Domains {
		s.customs[rules.NormalizeDomain(st.Domains[i].Name)] = &st.Domains[i]
	}
	return s
}

// newGroupRoute readies a group read from the store: its routes, stage by
// stage.
func newGroupRoute(gg store.GatewayGroup, fwd *forwarder) (*groupRoute, error) {
	g := &groupRoute{group: gg.Group, instance: &gg.Instance}
	var lists [numStages][]rules.Deployment
	for _, d := range gg.Deployments {
		st, ok := stageIndex(d.Stage)
		if !ok {
			return nil, fmt.Errorf("group %s: API %s is deployed to the unknown stage %q", gg.Group.ID, d.APIID, d.Stage)
		}
		lists[st] = append(lists[st], d)
	}
	for st, list := range lists {
		if len(list) == 0 {
			continue
		}
		t, err := newRouteTable(list, fwd)
		if err != nil {
			return nil, fmt.Errorf("group %s, %s: %w", gg.Group.ID, stageNames[st], err)
		}
		g.stages[st] = t
	}
	return g, nil
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
	n, ok, fresh, err := s.resolve(ctx, host)
	if ok && fresh && err == nil {
		s.names.put(host, n)
	}
	return n, ok, err
}

// resolve works out what host means; fresh is false when a group behind it
// was read at a later generation than the snapshot's, so the answer is
// right for this call but not one to keep.
func (s *snapshot) resolve(ctx context.Context, host string) (n name, ok, fresh bool, err error) {
	h := rules.NormalizeDomain(host)
	if d := s.customs[h]; d != nil {
		g, fresh, err := s.group(ctx, d.GroupID)
		if err != nil || g == nil {
			return name{}, false, fresh, err // the domain's group is gone: as if the name were unbound
		}
		return name{target: rules.Target{Name: h, Kind: rules.DomainCustom, Group: &g.group, Instance: g.instance, Custom: d}, group: g}, true, fresh, nil
	}
	kind, groupID, regionID, derived := rules.ParseDerivedDomain(h)
	if !derived {
		return name{}, false, true, nil
	}
	n.target = rules.Target{Name: h, Kind: kind}
	g, fresh, err := s.group(ctx, groupID)
	if err != nil {
		return name{}, false, fresh, err
	}
	if g != nil && g.group.RegionID == regionID {
		n.target.Group, n.target.Instance, n.group = &g.group, g.instance, g
	}
	return n, true, fresh, nil
}

// group finds a group by id, read once for the snapshot (nil when no group
// has the id). fresh is false when it had to be read at a later generation
// than the snapshot's: right for this call, and not kept.
func (s *snapshot) group(ctx context.Context, id string) (g *groupRoute, fresh bool, err error) {
	v, ok := s.groups.Load(id)
	if !ok {
		if s.nGroups.Load() >= maxGroups {
			route, gen, err := s.readGroup(ctx, id)
			return route, gen == s.gen, err
		}
		var loaded bool
		if v, loaded = s.groups.LoadOrStore(id, &groupEntry{}); !loaded {
			s.nGroups.Add(1)
		}
	}
	e := v.(*groupEntry)
	e.once.Do(func() {
		// Not the first caller's context: the others wait for this read too.
		e.route, e.gen, e.err = s.readGroup(context.WithoutCancel(ctx), id)
		e.done.Store(true)
	})
	if e.err != nil || e.gen != s.gen {
		if s.groups.CompareAndDelete(id, e) {
			s.nGroups.Add(-1)
		}
		return e.route, false, e.err
	}
	return e.route, true, nil
}

// readGroup reads a group with its routes, and the generation it is at;
// nil when no group has the id.
func (s *snapshot) readGroup(ctx context.Context, id string) (*groupRoute, int64, error) {
	gg, err := s.src.GatewayGroup(ctx, id)
	if err != nil || !gg.OK {
		return nil, gg.Generation, err
	}
	g, err := newGroupRoute(gg, s.fwd)
	return g, gg.Generation, err
}

// keep moves into s the groups old read that changes leave as they were:
// neither the group, nor its deployments, nor its instance changed.
func (s *snapshot) keep(old *snapshot, changes []store.GatewayChange) {
	groups, instances := map[string]bool{}, map[string]bool{}
	for _, c := range changes {
		switch c.Kind {
		case store.ChangeGroup, store.ChangeDeployment:
			groups[c.Key] = true
		case store.ChangeInstance:
			instances[c.Key] = true
		}
	}
	old.groups.Range(func(k, v any) bool {
		id, e := k.(string), v.(*groupEntry)
		if !e.done.Load() || e.err != nil || e.gen != old.gen || groups[id] || (e.route != nil && instances[e.route.instance.ID]) {
			return true
		}
		if s.nGroups.Add(1) > maxGroups {
			return false
		}
		s.groups.Store(id, readEntry(e.route, s.gen))
		return true
	})
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
	old := ss.cur.Load()
	if old != nil && old.gen >= ss.src.GatewayGeneration() {
		return old, nil // another call read it meanwhile
	}
	st, err := ss.src.GatewayState(ctx)
	if err != nil {
		return nil, err
	}
	s := build(ss.src, st, ss.fwd)
	if old != nil {
		// The changes are read after the state: they reach at least as far,
		// so a group they leave alone is as the state's generation has it.
		if changes, _, complete, err := ss.src.GatewayChangesSince(ctx, old.gen); err == nil && complete {
			s.keep(old, changes)
		}
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
	t := time.NewTicker(interval)
	defer t.Stop()
	g.watch(ctx, t.C)
}

// watch looks for other processes' changes at each tick, one look at a
// time: a tick is taken only once the previous look is done (so a test
// that hands it two ticks knows the first look has finished).
func (g *Gateway) watch(ctx context.Context, ticks <-chan time.Time) {
	r, ok := g.snaps.src.(refresher)
	if !ok {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			if _, err := r.RefreshGatewayGeneration(ctx); err != nil && ctx.Err() == nil {
				g.cfg.Log.Warn("gateway: look for changes of other processes", "err", err)
			}
		}
	}
}
