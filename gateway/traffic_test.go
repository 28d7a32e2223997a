package gateway

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// clock is a test's time, moved by hand.
type clock struct{ ns atomic.Int64 }

func newClock(t time.Time) *clock {
	c := &clock{}
	c.ns.Store(t.UnixNano())
	return c
}

func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// withClock gives the fixture a gateway on the same store whose time is c:
// a restarted server when called again.
func (f *fixture) withClock(c *clock) {
	f.gw = New(Config{Limits: f.limits, ProxyKey: f.key, BackendAllow: loopback, CA: f.ca, Now: c.now}, f.st)
}

// The calls of each domain of a group, hour by hour for the last day:
// counted in memory, read back exactly before and after they are stored,
// kept across a restart once stored, and only the group's.
func TestCallsPerHour(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	clk := newClock(time.Date(2026, 5, 1, 10, 30, 0, 0, time.UTC))
	f.withClock(clk)
	f.deploy(t, f.shared.ID, mockAPI("hello", "GET", "/hello", "hi"))
	public, vpc := f.shared.PublicDomain(), f.shared.VpcDomain()
	inB := f.proxy(rules.CallerVpc, f.vpcB)
	f.do(t, direct, "GET", public, "/hello")
	f.do(t, direct, "GET", public, "/hello")
	f.do(t, direct, "GET", public, "/missing")
	f.do(t, inB, "GET", vpc, "/hello")
	f.do(t, direct, "GET", "nowhere.example.org", "/") // nobody's: not counted
	clk.advance(time.Hour)
	f.do(t, direct, "GET", public, "/hello")

	check := func(what string) {
		t.Helper()
		got, err := callsPerHour(ctx, f.gw, f.shared.ID, 24)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Domain > got[1].Domain {
			t.Fatalf("%s: %d domains %+v, want public and VPC sorted by name", what, len(got), got)
		}
		byDomain := map[string][]HourCalls{got[0].Domain: got[0].Hours, got[1].Domain: got[1].Hours}
		p, v := byDomain[public], byDomain[vpc]
		if len(p) != 24 || len(v) != 24 {
			t.Fatalf("%s: %d and %d hours, want 24", what, len(p), len(v))
		}
		last := time.Date(2026, 5, 1, 11, 0, 0, 0, time.UTC)
		if !p[23].Start.Equal(last) || !p[0].Start.Equal(last.Add(-23*time.Hour)) {
			t.Errorf("%s: the window is %v … %v", what, p[0].Start, p[23].Start)
		}
		if p[22] != (HourCalls{last.Add(-time.Hour), 3, 1}) || p[23] != (HourCalls{last, 1, 0}) {
			t.Errorf("%s: public domain's last hours %+v %+v, want 3 calls (1 failed) then 1", what, p[22], p[23])
		}
		if v[22].Calls != 1 || v[22].Failed != 0 || v[23].Calls != 0 {
			t.Errorf("%s: VPC domain's last hours %+v %+v", what, v[22], v[23])
		}
		var total int64
		for _, h := range p {
			total += h.Calls
		}
		if total != 4 {
			t.Errorf("%s: %d calls on the public domain in all, want 4", what, total)
		}
	}
	check("in memory")
	if err := f.gw.FlushCalls(ctx); err != nil {
		t.Fatal(err)
	}
	check("stored")
	rows, err := storedCalls(ctx, f.st, f.shared.ID, 0)
	if err != nil || len(rows) != 3 {
		t.Fatalf("stored rows %+v, %v", rows, err)
	}
	if err := f.gw.FlushCalls(ctx); err != nil {
		t.Fatal(err)
	}
	check("flushed twice")

	f.withClock(clk) // restart
	check("after a restart")
	f.do(t, direct, "GET", public, "/hello")
	if got, _ := callsPerHour(ctx, f.gw, f.shared.ID, 1); len(got) != 1 || got[0].Hours[0].Calls != 2 {
		t.Errorf("stored and new calls of the hour: %+v, want 2", got)
	}
	if got, _ := callsPerHour(ctx, f.gw, f.onDedicated.ID, 24); len(got) != 0 {
		t.Errorf("another group's chart shows %+v", got)
	}
	clk.advance(48 * time.Hour)
	if got, _ := callsPerHour(ctx, f.gw, f.shared.ID, 24); len(got) != 0 {
		t.Errorf("two days later, the last day shows %+v", got)
	}
}

// Counting under load loses and doubles nothing, whatever flushes and
// chart reads happen meanwhile.
func TestCountsUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tr := f.gw.traffic
	start := time.Now()
	const writers, each = 8, 2000
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var readErr atomic.Value
	go func() {
		var last int64
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := tr.flush(ctx); err != nil {
				readErr.Store(err)
				return
			}
			got, err := callsPerHour(ctx, f.gw, "g", 2)
			if err != nil {
				readErr.Store(err)
				return
			}
			var n int64
			for _, d := range got {
				for _, h := range d.Hours {
					n += h.Calls
				}
			}
			if n < last {
				readErr.Store(fmt.Errorf("the chart went back from %d to %d calls", last, n))
				return
			}
			last = n
		}
	}()
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				tr.record(&Call{GroupID: "g", Account: "acct", Host: fmt.Sprintf("d%d.example.com", (w+i)%5), Start: start, Status: 200 + 300*(i%2)})
			}
		}()
	}
	wg.Wait()
	close(stop)
	if err, _ := readErr.Load().(error); err != nil {
		t.Fatal(err)
	}
	if err := tr.flush(ctx); err != nil {
		t.Fatal(err)
	}
	rows, err := storedCalls(ctx, f.st, "g", 0)
	if err != nil {
		t.Fatal(err)
	}
	var calls, failed int64
	for _, r := range rows {
		calls += r.Calls
		failed += r.Failed
	}
	if calls != writers*each || failed != writers*each/2 {
		t.Errorf("stored %d calls (%d failed), want %d (%d)", calls, failed, writers*each, writers*each/2)
	}
}

// A flush that fails keeps its counts for the next one.
func TestFailedFlushKeepsCounts(t *testing.T) {
	st := &failingCounter{}
	tr := newTraffic(st)
	tr.record(&Call{GroupID: "g", Account: "a", Host: "x.example.com", Start: time.Now(), Status: 200})
	st.fail = true
	if err := tr.flush(context.Background()); err == nil {
		t.Fatal("the failure was not reported")
	}
	tr.record(&Call{GroupID: "g", Account: "a", Host: "x.example.com", Start: time.Now(), Status: 500})
	st.fail = false
	if err := tr.flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(st.added) != 1 || st.added[0].Calls != 2 || st.added[0].Failed != 1 {
		t.Errorf("stored %+v, want the 2 calls of both flushes", st.added)
	}
}

type failingCounter struct {
	fail  bool
	added []store.HourlyCalls
}

func (c *failingCounter) AddDomainCalls(_ context.Context, counts []store.HourlyCalls) error {
	if c.fail {
		return fmt.Errorf("disk full")
	}
	c.added = append(c.added, counts...)
	return nil
}

func (c *failingCounter) GroupCallsStored(context.Context, string, int64, int64) (int64, []store.HourlyCalls, error) {
	return 0, nil, nil
}

// callsPerHour is GroupTraffic's chart of groupID.
func callsPerHour(ctx context.Context, gw *Gateway, groupID string, hours int) ([]DomainCalls, error) {
	_, series, err := gw.GroupTraffic(ctx, rules.Group{ID: groupID}, 0, hours)
	return series, err
}

// publicCallsToday is GroupTraffic's meter of g.
func publicCallsToday(ctx context.Context, gw *Gateway, g rules.Group) (DailyMeter, error) {
	m, _, err := gw.GroupTraffic(ctx, g, 0, 1)
	return m, err
}

// storedCalls are a group's stored counts, as GroupTraffic reads them.
func storedCalls(ctx context.Context, st *store.Store, groupID string, hour int64) ([]store.HourlyCalls, error) {
	_, out, err := st.GroupCallsStored(ctx, groupID, 0, hour)
	return out, err
}

// Recent calls: the account's own, newest first, filtered by group and
// outcome, at most recentPerAccount; a caller in another account's VPC is
// "a VPC of another account", its id nowhere; another account sees none
// of them.
func TestRecentCalls(t *testing.T) {
	f := newFixture(t)
	f.deploy(t, f.shared.ID, mockAPI("hello", "GET", "/hello", "hi"))
	f.deploy(t, f.onDedicated.ID, mockAPI("hello", "GET", "/hello", "hi"))
	vpc := f.shared.VpcDomain()
	f.do(t, f.proxy(rules.CallerVpc, f.vpcA), "GET", vpc, "/hello")
	f.do(t, f.proxy(rules.CallerVpc, f.vpcB), "GET", vpc, "/hello")
	f.do(t, f.proxy(rules.CallerHybrid, f.vpcB), "GET", vpc, "/hello")
	f.do(t, f.proxy(rules.CallerVpc, f.vpcBSh), "GET", vpc, "/hello")
	f.do(t, direct, "GET", f.shared.PublicDomain(), "/missing")
	f.do(t, direct, "GET", f.onDedicated.PublicDomain(), "/hello")

	all := f.gw.RecentCalls(f.a.AccountID, RecentFilter{})
	if len(all) != 6 {
		t.Fatalf("%d recent calls, want 6: %+v", len(all), all)
	}
	if all[0].GroupID != f.onDedicated.ID || all[5].Caller.VpcID != f.vpcA.ID {
		t.Errorf("not newest first: %+v", all)
	}
	want := []struct {
		caller  string
		outcome Outcome
		code    string
	}{
		{"the Internet", OutcomeOK, ""},
		{"the Internet", OutcomeError, "I404NF"},
		{"a VPC of another account", OutcomeRefused, "R3"},
		{"an on-premises network of another account", OutcomeRefused, "R10"},
		{"a VPC of another account", OutcomeOK, ""},
		{f.vpcA.ID, OutcomeOK, ""},
	}
	for i, w := range want {
		c := all[i]
		if c.Caller.String() != w.caller || c.Outcome != w.outcome || c.Code != w.code || c.ID == "" || c.Domain == "" || c.Time.IsZero() {
			t.Errorf("call %d: %+v (%s), want %+v", i, c, c.Caller, w)
		}
		if s := fmt.Sprintf("%+v", c); strings.Contains(s, f.vpcB.ID) || strings.Contains(s, f.vpcBSh.ID) {
			t.Errorf("call %d names B's VPC to A: %s", i, s)
		}
	}
	if all[4].APIName != "hello" || all[4].Stage != "RELEASE" || all[4].Protocol != rules.ProtocolHTTP || all[4].Kind != rules.DomainVpc {
		t.Errorf("a served call: %+v", all[4])
	}
	if got := f.gw.RecentCalls(f.b.AccountID, RecentFilter{}); len(got) != 0 {
		t.Errorf("B sees A's calls: %+v", got)
	}
	for _, c := range []struct {
		f    RecentFilter
		want int
	}{
		{RecentFilter{GroupID: f.shared.ID}, 5},
		{RecentFilter{GroupID: f.onDedicated.ID}, 1},
		{RecentFilter{GroupID: f.vpcOff.ID}, 0},
		{RecentFilter{Outcome: OutcomeRefused}, 2},
		{RecentFilter{Outcome: OutcomeError}, 1},
		{RecentFilter{Outcome: OutcomeOK, GroupID: f.shared.ID}, 2},
		{RecentFilter{Limit: 2}, 2},
	} {
		if got := f.gw.RecentCalls(f.a.AccountID, c.f); len(got) != c.want {
			t.Errorf("%+v: %d calls, want %d", c.f, len(got), c.want)
		}
	}
	for range recentPerAccount + 20 {
		f.do(t, direct, "GET", f.onDedicated.PublicDomain(), "/hello")
	}
	all = f.gw.RecentCalls(f.a.AccountID, RecentFilter{})
	if len(all) != recentPerAccount {
		t.Fatalf("%d calls kept, want %d", len(all), recentPerAccount)
	}
	for i := 1; i < len(all); i++ {
		if all[i].Time.After(all[i-1].Time) {
			t.Fatalf("call %d is newer than call %d", i, i-1)
		}
	}
	if _, ok := ParseOutcome("lost"); ok {
		t.Error("an unknown outcome parses")
	}
}

// Past maxRecentAccounts accounts, the one whose last call is the oldest
// is forgotten.
func TestRecentCallsForgetTheQuietestAccount(t *testing.T) {
	var rc recentCalls
	base := time.Now()
	for i := range maxRecentAccounts + 1 {
		rc.add(&Call{Account: fmt.Sprintf("acct-%d", i), GroupID: "g", Start: base.Add(time.Duration(i) * time.Second)})
	}
	if n := rc.n.Load(); n != maxRecentAccounts {
		t.Errorf("%d accounts kept, want %d", n, maxRecentAccounts)
	}
	if got := rc.list("acct-0", RecentFilter{}); len(got) != 0 {
		t.Error("the quietest account was kept")
	}
	if got := rc.list(fmt.Sprintf("acct-%d", maxRecentAccounts), RecentFilter{}); len(got) != 1 {
		t.Error("the newest account was forgotten")
	}
}

// The meter: today's calls through the public domain against the limit,
// the day in Beijing time; after a restart it starts at the reservation.
func TestPublicCallsToday(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	clk := newClock(time.Date(2026, 5, 1, 15, 0, 0, 0, time.UTC)) // 23:00 in Beijing
	f.withClock(clk)
	f.deploy(t, f.shared.ID, mockAPI("hello", "GET", "/hello", "hi"))
	m, err := publicCallsToday(ctx, f.gw, f.shared)
	if err != nil || m.Used != 0 || m.Limit != 5 {
		t.Fatalf("before any call: %+v %v", m, err)
	}
	if !m.Day.Equal(time.Date(2026, 4, 30, 16, 0, 0, 0, time.UTC)) || !m.Resets.Equal(time.Date(2026, 5, 1, 16, 0, 0, 0, time.UTC)) {
		t.Errorf("the day: %v to %v", m.Day, m.Resets)
	}
	for range 3 {
		f.do(t, direct, "GET", f.shared.PublicDomain(), "/hello")
	}
	f.do(t, f.proxy(rules.CallerVpc, f.vpcA), "GET", f.shared.VpcDomain(), "/hello") // never counted
	if m, _ := publicCallsToday(ctx, f.gw, f.shared); m.Used != 3 {
		t.Errorf("after 3 calls: %+v", m)
	}
	f.withClock(clk) // restart
	if m, _ := publicCallsToday(ctx, f.gw, f.shared); m.Used != 3 {
		t.Errorf("after a restart: %+v, want the 3 reserved", m)
	}
	clk.advance(time.Hour) // a new day in Beijing
	if m, _ := publicCallsToday(ctx, f.gw, f.shared); m.Used != 0 {
		t.Errorf("the next day: %+v", m)
	}
}

// The Debug panel's call goes through the real steps as the chosen
// network, and shows the request, the answer and the decision.
func TestDebug(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.deploy(t, f.shared.ID, mockAPI("hello", "GET", "/hello", "hi"))
	secure := mockAPI("secure", "GET", "/secure", "secret")
	secure.Protocols = rules.ProtocolsHTTPS
	f.deploy(t, f.onDedicated.ID, secure)
	f.deploy(t, f.onDedicated.ID, mockAPI("staged", "POST", "/staged", "test stage"), rules.StageTest)
	big := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte(strings.Repeat("x", maxDebugAnswer+10)))
	}))
	defer big.Close()
	f.deploy(t, f.shared.ID, httpAPI("large", "/big", big.URL, "/", "GET", 5*time.Second))
	inA := Network{Kind: rules.CallerVpc, Vpc: &f.vpcA}
	inBSh := Network{Kind: rules.CallerVpc, Vpc: &f.vpcBSh}

	cases := []struct {
		what     string
		in       DebugRequest
		status   int
		body     string
		allowed  bool
		rule     string
		via, url string
	}{
		{"the Internet, public domain", DebugRequest{Network: Internet, Method: "get", Domain: f.shared.PublicDomain(), Path: "/hello"},
			200, "hi", true, "R2", "straight to the gateway", "http://" + f.shared.PublicDomain() + "/hello"},
		{"a VPC through the proxy", DebugRequest{Network: inA, Method: "GET", Domain: f.shared.VpcDomain(), Path: "/hello?x=1"},
			200, "hi", true, "R3", "through the proxy, as " + f.vpcA.ID, "http://" + f.shared.VpcDomain() + "/hello?x=1"},
		{"another region's VPC", DebugRequest{Network: inBSh, Method: "GET", Domain: f.shared.VpcDomain(), Path: "/hello"},
			502, "", false, "R3", "through the proxy", ""},
		{"HTTPS through a tunnel", DebugRequest{Network: inA, HTTPS: true, Method: "GET", Domain: f.onDedicated.VpcDomain(), Path: "/secure"},
			200, "secret", true, "R4", "through a tunnel", "https://" + f.onDedicated.VpcDomain() + "/secure"},
		{"an HTTPS-only API over HTTP", DebugRequest{Network: inA, Method: "GET", Domain: f.onDedicated.VpcDomain(), Path: "/secure"},
			403, "", true, "R4", "", ""},
		{"HTTPS on a custom domain without a certificate", DebugRequest{Network: Internet, HTTPS: true, Method: "GET", Domain: f.internetDomain, Path: "/hello"},
			502, "", false, "R9", "straight to the TLS listener", ""},
		{"a stage and a body", DebugRequest{Network: Internet, Method: "POST", Domain: f.onDedicated.PublicDomain(), Path: "/staged", Stage: "TEST", Body: []byte(`{"a":1}`),
			Header: http.Header{"Content-Type": {"application/json"}}}, 200, "test stage", true, "R2", "", ""},
	}
	for _, c := range cases {
		res, err := f.gw.Debug(ctx, c.in)
		if err != nil {
			t.Errorf("%s: %v", c.what, err)
			continue
		}
		if res.Status != c.status || (c.body != "" && string(res.Body) != c.body) || res.RequestID == "" {
			t.Errorf("%s: %d %q (id %q), want %d %q", c.what, res.Status, res.Body, res.RequestID, c.status, c.body)
		}
		if res.Decision == nil || res.Decision.Allowed != c.allowed || res.Decision.Rule != c.rule || res.Decision.Reason == "" {
			t.Errorf("%s: decision %+v, want allowed %t by %s", c.what, res.Decision, c.allowed, c.rule)
		}
		if !strings.Contains(res.Sent.Via, c.via) || (c.url != "" && res.Sent.URL != c.url) {
			t.Errorf("%s: sent %+v", c.what, res.Sent)
		}
		if auth := res.Sent.Header.Get("Proxy-Authorization"); strings.Contains(auth, Credential(f.key, inA)) {
			t.Errorf("%s: the panel shows the credential: %q", c.what, auth)
		}
		if !c.allowed && res.Header.Get(HeaderRefused) != c.rule {
			t.Errorf("%s: refused without %s: %v", c.what, HeaderRefused, res.Header)
		}
	}
	res, err := f.gw.Debug(ctx, DebugRequest{Network: Internet, Method: "GET", Domain: f.shared.PublicDomain(), Path: "/big"})
	if err != nil || res.Status != 200 || !res.Truncated || len(res.Body) != maxDebugAnswer {
		t.Errorf("a large answer: %d, truncated %t, %d bytes, %v", res.Status, res.Truncated, len(res.Body), err)
	}
	recent := f.gw.RecentCalls(f.a.AccountID, RecentFilter{Limit: 1})
	if len(recent) != 1 || !recent[0].Debug {
		t.Errorf("the Debug call is not among the recent calls, marked: %+v", recent)
	}
	for _, bad := range []DebugRequest{
		{Network: Internet, Method: "TRACE", Domain: f.shared.PublicDomain(), Path: "/"},
		{Network: Internet, Method: "GET", Domain: f.shared.PublicDomain(), Path: "hello"},
		{Network: Internet, Method: "GET", Domain: f.shared.PublicDomain(), Path: "/a b"},
		{Network: Internet, Method: "GET", Domain: "", Path: "/"},
		{Network: Internet, Method: "GET", Domain: "a.example.com:8080", Path: "/"},
		{Network: Internet, Method: "POST", Domain: f.shared.PublicDomain(), Path: "/", Body: make([]byte, maxDebugBody+1)},
		{Network: Network{Kind: rules.CallerVpc}, Method: "GET", Domain: f.shared.PublicDomain(), Path: "/"},
	} {
		if _, err := f.gw.Debug(ctx, bad); err == nil {
			t.Errorf("%+v was sent", bad)
		}
	}
}

// The proxy URL the console shows points at the bound address, and is the
// command line's.
func TestProxyURLOfTheBoundAddress(t *testing.T) {
	f := newFixture(t)
	if p, s := f.gw.Addrs(); p != "" || s != "" {
		t.Errorf("addresses before listening: %q %q", p, s)
	}
	f.gw.Listening("127.0.0.1:40001", "127.0.0.1:40002")
	nw := Network{Kind: rules.CallerVpc, Vpc: &f.vpcA}
	if got, want := f.gw.ProxyURL(nw), ProxyURL("127.0.0.1:40001", f.key, nw); got != want {
		t.Errorf("%s, want %s", got, want)
	}
	if p, s := f.gw.Addrs(); p != "127.0.0.1:40001" || s != "127.0.0.1:40002" {
		t.Errorf("addresses: %q %q", p, s)
	}
	if string(f.gw.CACertificatePEM()) != string(f.ca.CertificatePEM()) {
		t.Error("the CA's certificate is not the gateway's")
	}
}

// The flusher stores the counts at each tick, without being asked.
func TestFlushEachTick(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	ticks := make(chan time.Time)
	go func() {
		f.gw.flushEach(ctx, ticks)
		close(done)
	}()
	f.deploy(t, f.shared.ID, mockAPI("hello", "GET", "/hello", "hi"))
	f.do(t, direct, "GET", f.shared.PublicDomain(), "/hello")
	ticks <- time.Now()
	ticks <- time.Now() // taken once the first flush is done
	rows, err := storedCalls(ctx, f.st, f.shared.ID, 0)
	if err != nil || len(rows) != 1 || rows[0].Calls != 1 {
		t.Errorf("after a tick, stored %+v (%v), want the call", rows, err)
	}
	cancel()
	<-done
}

// What GroupTraffic read of the store is kept by the account's version
// and the gateway's flushes: the same version with no flush since answers
// from memory; a new version, a flush of this gateway or a new day reads
// again; across a flush no count is lost or counted twice.
func TestGroupTrafficKeepsWhatItReadByVersion(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	clk := newClock(time.Date(2026, 5, 1, 10, 30, 0, 0, time.UTC))
	f.withClock(clk)
	f.deploy(t, f.shared.ID, mockAPI("hello", "GET", "/hello", "hi"))
	public := f.shared.PublicDomain()
	calls := func(version int64) (chart, meter int64) {
		t.Helper()
		m, series, err := f.gw.GroupTraffic(ctx, f.shared, version, 24)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range series {
			for _, h := range s.Hours {
				chart += h.Calls
			}
		}
		return chart, m.Used
	}
	f.do(t, direct, "GET", public, "/hello")
	f.do(t, direct, "GET", public, "/hello")
	if err := f.gw.FlushCalls(ctx); err != nil {
		t.Fatal(err)
	}
	const v = 7
	if got, _ := calls(v); got != 2 {
		t.Fatalf("%d calls charted, want 2", got)
	}
	// Another process stores counts of its own.
	if err := f.st.AddDomainCalls(ctx, []store.HourlyCalls{{GroupID: f.shared.ID, Domain: public, Hour: hourOf(clk.now()), Calls: 5}}); err != nil {
		t.Fatal(err)
	}
	if got, _ := calls(v); got != 2 {
		t.Errorf("the same version: %d calls, want the 2 read before", got)
	}
	if got, _ := calls(v + 1); got != 7 {
		t.Errorf("a new version: %d calls, want 7", got)
	}
	f.do(t, direct, "GET", public, "/hello")
	if got, _ := calls(v + 1); got != 8 {
		t.Errorf("a call not stored yet: %d calls, want 8", got)
	}
	if err := f.gw.FlushCalls(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := calls(v + 1); got != 8 {
		t.Errorf("after this gateway's flush, at the same version: %d calls, want 8 (none lost, none twice)", got)
	}
	if got, _ := calls(0); got != 8 {
		t.Errorf("no version: %d calls, want 8", got)
	}

	// The meter after a restart is the store's reservation, kept the same way.
	f.withClock(clk)
	_, before := calls(v + 2)
	if _, err := f.st.ReservePublicCalls(ctx, f.shared.ID, DayOf(clk.now()), 40, 1000); err != nil {
		t.Fatal(err)
	}
	if _, got := calls(v + 2); got != before {
		t.Errorf("the same version: the meter says %d, want the %d read before", got, before)
	}
	if _, got := calls(v + 3); got != before+40 {
		t.Errorf("a new version: the meter says %d, want %d", got, before+40)
	}
	clk.advance(24 * time.Hour)
	if chart, meter := calls(v + 3); chart != 0 || meter != 0 {
		t.Errorf("the next day, at the same version: %d calls charted, %d on the meter; want none", chart, meter)
	}
}
