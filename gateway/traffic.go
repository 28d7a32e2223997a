package gateway

import (
	"context"
	"hash/maphash"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// What the gateway keeps of its traffic, for the console (SPEC §7): the
// calls per domain per hour, which survive restarts, and each account's
// recent calls, which live in memory only.
//
// Counts. Each answered call on a group's name adds one to its group,
// domain and hour (UTC), and to the failed ones when its status is 400 or
// more, in memory: a map in one of 64 shards chosen by the domain, each
// with its own lock, so calls on different domains never wait for each
// other and no call writes to the database. FlushCalls adds the counts to
// the store in one transaction (every few seconds, and when the server
// stops); a kill -9 loses the counts since the last flush, at most one
// interval's, which a chart can afford. Reading the chart adds the counts
// not yet stored to the stored ones, so it is exact in a running server.
//
// Recent calls. Each account keeps its last recentPerAccount calls (those
// on its groups' names: whose traffic it is), newest first, in a ring of
// its own, so one account's load does not push another's calls out. A
// caller in another account's VPC is kept as "a VPC of another account",
// without the VPC's id. At most maxRecentAccounts accounts are kept; past
// that, the account whose last call is the oldest is forgotten.

// CallCounter stores the counts (the store).
type CallCounter interface {
	AddDomainCalls(ctx context.Context, counts []store.HourlyCalls) error
	GroupCallsStored(ctx context.Context, groupID string, day, hour int64) (int64, []store.HourlyCalls, error)
}

// RecentPerAccount is how many recent calls each account keeps.
const RecentPerAccount = recentPerAccount

const (
	countShards       = 64
	recentPerAccount  = 300
	maxRecentAccounts = 1024
)

// traffic is the counts and the recent calls.
type traffic struct {
	st     CallCounter
	seed   maphash.Seed
	shards [countShards]countShard

	// pending holds the counts taken from the shards and not yet stored;
	// flushMu is held from taking them to storing them, and read-held by
	// the chart's readers (many at once), so a count is never seen twice
	// nor missed.
	flushMu sync.RWMutex
	pending map[string]groupCounts
	flushes uint64 // flushes stored; written with flushMu held, read with it read-held

	// stored keeps what GroupTraffic read of each group from the store,
	// by its account's traffic version (storedOf).
	stored *store.Kept[storedKey, storedTraffic]

	recent recentCalls
}

// storedTraffic is what the store held of a group's traffic: its
// reservation of a day, its counts from an hour on.
type storedTraffic struct {
	reserved int64
	counts   []store.HourlyCalls
}

// storedKey is what storedTraffic was read for: the group, the day and the
// first hour, after the gateway's flushes flushes.
type storedKey struct {
	groupID    string
	day, first int64
	flushes    uint64
}

// storedBytes bounds what is kept of the groups' stored traffic.
const storedBytes = 4 << 20

// countShard holds the counts of the groups whose id hashes to it, by
// group: a chart reads its group's counts, not everyone's.
type countShard struct {
	mu sync.Mutex
	m  map[string]groupCounts // group id →
	_  [40]byte               // a cache line each
}

// groupCounts is one group's counts by domain and hour.
type groupCounts map[hourKey]counts

type hourKey struct {
	domain string
	hour   int64
}

type counts struct{ calls, failed int64 }

func newTraffic(st CallCounter) *traffic {
	t := &traffic{st: st, seed: maphash.MakeSeed(), pending: map[string]groupCounts{}, stored: store.NewKept[storedKey, storedTraffic](storedBytes)}
	for i := range t.shards {
		t.shards[i].m = map[string]groupCounts{}
	}
	return t
}

// hourOf is the hour t falls in, counted from 1970-01-01 00:00 UTC.
func hourOf(t time.Time) int64 {
	s := t.Unix()
	h := s / 3600
	if s < 0 && s%3600 != 0 {
		h--
	}
	return h
}

// record counts an answered call and keeps it among its account's recent
// calls; calls on no group's name are nobody's and are not kept.
func (t *traffic) record(c *Call) {
	if c.GroupID == "" {
		return
	}
	k := hourKey{c.Host, hourOf(c.Start)}
	sh := t.shard(c.GroupID)
	sh.mu.Lock()
	gc := sh.m[c.GroupID]
	if gc == nil {
		gc = groupCounts{}
		sh.m[c.GroupID] = gc
	}
	n := gc[k]
	n.calls++
	if c.Status >= 400 {
		n.failed++
	}
	gc[k] = n
	sh.mu.Unlock()
	t.recent.add(c)
}

// shard is where groupID's counts are kept.
func (t *traffic) shard(groupID string) *countShard {
	return &t.shards[maphash.String(t.seed, groupID)%countShards]
}

// add adds from's counts to into's.
func (into groupCounts) add(from groupCounts) {
	for k, n := range from {
		p := into[k]
		into[k] = counts{p.calls + n.calls, p.failed + n.failed}
	}
}

// flush stores the counts made since the last flush. On failure they are
// kept for the next one.
func (t *traffic) flush(ctx context.Context) error {
	t.flushMu.Lock()
	defer t.flushMu.Unlock()
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		m := sh.m
		if len(m) == 0 {
			sh.mu.Unlock()
			continue
		}
		sh.m = make(map[string]groupCounts, len(m))
		sh.mu.Unlock()
		for g, gc := range m {
			if p, ok := t.pending[g]; ok {
				p.add(gc)
			} else {
				t.pending[g] = gc
			}
		}
	}
	if len(t.pending) == 0 {
		return nil
	}
	var batch []store.HourlyCalls
	for g, gc := range t.pending {
		for k, n := range gc {
			batch = append(batch, store.HourlyCalls{GroupID: g, Domain: k.domain, Hour: k.hour, Calls: n.calls, Failed: n.failed})
		}
	}
	if err := t.st.AddDomainCalls(ctx, batch); err != nil {
		return err
	}
	clear(t.pending)
	t.flushes++
	return nil
}

// storedOf is what the store holds of group's traffic: its reservation of
// day and its counts from hour first on. Call it with flushMu read-held.
//
// It reads the store unless it read it already since the gateway's last
// flush, at the same traffic version of the group's account (schemaV16:
// every change to those rows, by any process, moves it), for the same
// day and hour. version is the one the caller read as its request began
// (0: not read, so nothing is kept): what is kept under it was read
// afterwards, never older. The gateway's own flushes move the counts from
// pending to the store while flushMu is held, so the counts kept and
// pending never hold a count twice nor miss one.
func (t *traffic) storedOf(ctx context.Context, group rules.Group, version, day, first int64) (int64, []store.HourlyCalls, error) {
	key := storedKey{groupID: group.ID, day: day, first: first, flushes: t.flushes}
	if e, ok := t.stored.Get(group.AccountID, version, key); ok {
		return e.reserved, e.counts, nil
	}
	reserved, counts, err := t.st.GroupCallsStored(ctx, group.ID, day, first)
	if err != nil {
		return 0, nil, err
	}
	t.stored.Put(group.AccountID, version, key, storedTraffic{reserved, counts}, 128+len(counts)*96)
	return reserved, counts, nil
}

// FlushCalls stores the counts of the calls answered since the last
// flush: call it when the server stops, after its listeners have closed.
func (g *Gateway) FlushCalls(ctx context.Context) error { return g.traffic.flush(ctx) }

// FlushCallsEvery stores the counts every interval until ctx ends.
func (g *Gateway) FlushCallsEvery(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	g.flushEach(ctx, tick.C)
}

// flushEach stores the counts at each tick, one flush at a time (a tick
// is taken once the previous flush is done).
func (g *Gateway) flushEach(ctx context.Context, ticks <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticks:
			if err := g.traffic.flush(ctx); err != nil && ctx.Err() == nil {
				g.cfg.Log.Warn("gateway: store the calls per hour (kept for the next try)", "err", err)
			}
		}
	}
}

// DomainCalls is one domain's calls per hour.
type DomainCalls struct {
	Domain string
	Hours  []HourCalls // oldest first, one per hour of the window, the current hour last
}

// HourCalls is the calls of one hour.
type HourCalls struct {
	Start  time.Time // the hour's start, UTC
	Calls  int64     // every call answered on the domain
	Failed int64     // of which answered with a status of 400 or more
}

// GroupTraffic is the Traffic card of Group Details, from one read of
// what the database holds (store.GroupCallsStored):
//
//   - the meter of the group's public second-level domain: Used is what
//     the limiter counts, the calls this process admitted today and those
//     reserved by earlier processes, so after a restart it starts where
//     the limit does;
//   - the chart: the calls of each of the group's domains that had any in
//     the last hours hours (the current one included), hour by hour,
//     sorted by domain name. A domain without calls in the window is
//     absent.
//
// version is the traffic version of the group's account the caller read
// as its request began (store.Session.TrafficVersion), or 0: what was
// read of the store is kept by it (storedOf). The caller checks that the group is
// the viewer's account's.
func (g *Gateway) GroupTraffic(ctx context.Context, group rules.Group, version int64, hours int) (DailyMeter, []DomainCalls, error) {
	if hours < 1 {
		hours = 1
	}
	now := g.cfg.Now()
	day := DayOf(now)
	last := hourOf(now)
	first := last - int64(hours) + 1
	t := g.traffic
	t.flushMu.RLock()
	reserved, stored, err := t.storedOf(ctx, group, version, day, first)
	if err != nil {
		t.flushMu.RUnlock()
		return DailyMeter{}, nil, err
	}
	byDomain := map[string][]HourCalls{}
	add := func(domain string, hour int64, n counts) {
		if hour < first || hour > last {
			return
		}
		series, ok := byDomain[domain]
		if !ok {
			series = make([]HourCalls, hours)
			for i := range series {
				series[i].Start = time.Unix((first+int64(i))*3600, 0).UTC()
			}
			byDomain[domain] = series
		}
		series[hour-first].Calls += n.calls
		series[hour-first].Failed += n.failed
	}
	for _, c := range stored {
		add(c.Domain, c.Hour, counts{c.Calls, c.Failed})
	}
	for k, n := range t.pending[group.ID] {
		add(k.domain, k.hour, n)
	}
	sh := t.shard(group.ID)
	sh.mu.Lock()
	for k, n := range sh.m[group.ID] {
		add(k.domain, k.hour, n)
	}
	sh.mu.Unlock()
	t.flushMu.RUnlock()
	out := make([]DomainCalls, 0, len(byDomain))
	for d, series := range byDomain {
		out = append(out, DomainCalls{Domain: d, Hours: series})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Domain < out[j].Domain })

	m := DailyMeter{
		Used:   reserved,
		Limit:  int64(g.cfg.Limits.PublicDaily(group.RegionID)),
		Day:    time.Unix(day*86400-beijingOffset, 0).UTC(),
		Resets: time.Unix((day+1)*86400-beijingOffset, 0).UTC(),
	}
	if used, ok := g.limits.usedToday(group.ID); ok {
		m.Used = used
	}
	return m, out, nil
}

// DailyMeter is the meter of Group Details: today's calls through the
// public second-level domain against R2's limit.
type DailyMeter struct {
	Used   int64     // calls counted today (reserved by earlier processes included: see limits.go)
	Limit  int64     // R2's limit for the group's region
	Day    time.Time // the start of the day counted: 00:00 in Beijing time (UTC+8)
	Resets time.Time // the start of the next day, when Used starts again from 0
}

// Outcome is how a call ended, as Recent calls filters them.
type Outcome string

const (
	OutcomeOK      Outcome = "ok"      // answered with a status below 400
	OutcomeRefused Outcome = "refused" // refused by the network before API Gateway (X-Gatehouse-Refused)
	OutcomeError   Outcome = "error"   // any other status of 400 or more: the gateway's or the backend's
)

// ParseOutcome reads an outcome ("" is every outcome).
func ParseOutcome(s string) (Outcome, bool) {
	switch o := Outcome(s); o {
	case "", OutcomeOK, OutcomeRefused, OutcomeError:
		return o, true
	}
	return "", false
}

// Caller is where a recent call came from, as its group's account may see
// it: a VPC of another account is not named.
type Caller struct {
	Kind         rules.CallerKind // internet, vpc or hybrid
	VpcID        string           // the VPC (a hybrid network's joined VPC); "" for the Internet and for another account's
	OtherAccount bool             // the VPC is another account's
}

// String words the caller as Recent calls shows it.
func (c Caller) String() string {
	switch {
	case c.Kind == rules.CallerInternet:
		return "the Internet"
	case c.OtherAccount && c.Kind == rules.CallerHybrid:
		return "an on-premises network of another account"
	case c.OtherAccount:
		return "a VPC of another account"
	case c.Kind == rules.CallerHybrid:
		return "an on-premises network joined to " + c.VpcID
	}
	return c.VpcID
}

// RecentCall is one of an account's recent calls.
type RecentCall struct {
	ID       string // X-Ca-Request-Id
	Time     time.Time
	Duration time.Duration
	Caller   Caller
	Protocol rules.Protocol
	Domain   string
	Kind     rules.DomainKind // public, vpc or custom
	GroupID  string
	APIID    string // "" when no API was found
	APIName  string
	Stage    string // "" when the call did not get as far as the stage
	Status   int
	Code     string // X-Ca-Error-Code, or the rule that refused it (Outcome refused)
	Outcome  Outcome
	Debug    bool // made by the console's Debug panel
}

// RecentFilter narrows Recent calls.
type RecentFilter struct {
	GroupID string  // "" for every group of the account
	Outcome Outcome // "" for every outcome
	Limit   int     // at most this many; 0 for all that are kept
}

// RecentCalls is the account's recent calls that pass f, newest first.
func (g *Gateway) RecentCalls(accountID string, f RecentFilter) []RecentCall {
	return g.traffic.recent.list(accountID, f)
}

// recentCalls keeps each account's recent calls.
type recentCalls struct {
	accounts sync.Map // account id → *recentRing
	n        atomic.Int64
	mu       sync.Mutex // taken to add or forget an account only
}

// recentRing is one account's recent calls: a ring that grows to
// recentPerAccount, then overwrites the oldest.
type recentRing struct {
	mu   sync.Mutex
	buf  []RecentCall
	next int
	last atomic.Int64 // when the last call was added (Unix nanoseconds)
}

func (rc *recentCalls) add(c *Call) {
	v, ok := rc.accounts.Load(c.Account)
	if !ok {
		v = rc.ring(c.Account)
	}
	r := v.(*recentRing)
	e := RecentCall{ID: c.ID, Time: c.Start, Duration: c.Duration, Protocol: c.Protocol, Domain: c.Host, Kind: c.Domain,
		GroupID: c.GroupID, APIID: c.APIID, APIName: c.APIName, Stage: c.Stage, Status: c.Status, Code: c.Code, Debug: c.Debug,
		Caller: Caller{Kind: c.Network.Kind}, Outcome: OutcomeOK}
	if v := c.Network.Vpc; v != nil {
		if v.AccountID == c.Account {
			e.Caller.VpcID = v.ID
		} else {
			e.Caller.OtherAccount = true
		}
	}
	switch {
	case c.Refused:
		e.Outcome = OutcomeRefused
	case c.Status >= 400:
		e.Outcome = OutcomeError
	}
	r.mu.Lock()
	if len(r.buf) < recentPerAccount {
		r.buf = append(r.buf, e)
	} else {
		r.buf[r.next] = e
	}
	r.next = (r.next + 1) % recentPerAccount
	r.mu.Unlock()
	r.last.Store(c.Start.UnixNano())
}

// ring finds or makes an account's ring, forgetting the account with the
// oldest last call when maxRecentAccounts are kept.
func (rc *recentCalls) ring(account string) any {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if v, ok := rc.accounts.Load(account); ok {
		return v
	}
	if rc.n.Load() >= maxRecentAccounts {
		var oldest any
		oldestAt := int64(1<<63 - 1)
		rc.accounts.Range(func(k, v any) bool {
			if at := v.(*recentRing).last.Load(); at < oldestAt {
				oldest, oldestAt = k, at
			}
			return true
		})
		rc.accounts.Delete(oldest)
		rc.n.Add(-1)
	}
	r := &recentRing{}
	rc.accounts.Store(account, r)
	rc.n.Add(1)
	return r
}

func (rc *recentCalls) list(account string, f RecentFilter) []RecentCall {
	v, ok := rc.accounts.Load(account)
	if !ok {
		return nil
	}
	r := v.(*recentRing)
	r.mu.Lock()
	all := make([]RecentCall, 0, len(r.buf))
	// Newest first: from the slot before next backwards.
	for i := range len(r.buf) {
		all = append(all, r.buf[(r.next-1-i+2*len(r.buf))%len(r.buf)])
	}
	r.mu.Unlock()
	all = slices.DeleteFunc(all, func(c RecentCall) bool {
		return (f.GroupID != "" && c.GroupID != f.GroupID) || (f.Outcome != "" && c.Outcome != f.Outcome)
	})
	if f.Limit > 0 && len(all) > f.Limit {
		all = all[:f.Limit]
	}
	return all
}
