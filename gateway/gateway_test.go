package gateway

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// fixture is a store with two accounts and what R2–R10 need, and a
// gateway on it.
type fixture struct {
	st                *store.Store
	gw                *Gateway
	key               []byte
	a, b              store.Actor
	vpcA, vpcA2, vpcB rules.VPC
	vpcBSh            rules.VPC // account B, cn-shanghai
	vswA, vswA2       rules.VSwitch
	dedicated         rules.Instance // A's, bound to vpcA
	unbound           rules.Instance // A's, not bound
	shared            rules.Group    // A's, on the shared instance, VPC domain enabled
	onDedicated       rules.Group    // A's, on the dedicated instance, VPC domain enabled
	onUnbound         rules.Group    // A's, on the unbound instance
	vpcOff            rules.Group    // A's, on the shared instance, VPC domain not enabled
	internetDomain    string         // INTERNET custom domain of shared
	intranetDomain    string         // INTRANET custom domain of onDedicated
	sharedInstanceID  string
	limits            rules.Limits
	ca                *CA
}

// ok fails the test on err and returns v: ok(t)(f()) reads f's result.
func ok[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "gw.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, limits: rules.Limits{MainlandDaily: 5, OtherDaily: 3}}
	acct := func(name string) store.Actor {
		a, _, err := st.EnsureAccount(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		return store.Actor{AccountID: a.ID, Name: name, Source: rules.SourceCLI}
	}
	f.a, f.b = acct("alpha"), acct("bravo")
	vpc := func(a store.Actor, region, cidr string) rules.VPC {
		return ok[rules.VPC](t)(st.CreateVpc(ctx, a, rules.VpcInput{Name: "net", RegionID: region, CIDR: cidr}))
	}
	vsw := func(a store.Actor, v rules.VPC, zone, cidr string) rules.VSwitch {
		return ok[rules.VSwitch](t)(st.CreateVSwitch(ctx, a, rules.VSwitchInput{VpcID: v.ID, ZoneID: zone, Name: "sw", CIDR: cidr}))
	}
	f.vpcA, f.vpcA2 = vpc(f.a, "cn-hangzhou", "172.16.0.0/12"), vpc(f.a, "cn-hangzhou", "192.168.0.0/16")
	f.vswA, f.vswA2 = vsw(f.a, f.vpcA, "cn-hangzhou-g", "172.16.0.0/24"), vsw(f.a, f.vpcA2, "cn-hangzhou-h", "192.168.1.0/24")
	f.vpcB, f.vpcBSh = vpc(f.b, "cn-hangzhou", "10.0.0.0/8"), vpc(f.b, "cn-shanghai", "10.0.0.0/8")
	inst := func() rules.Instance {
		return ok[rules.Instance](t)(st.CreateInstance(ctx, f.a, rules.InstanceInput{Name: "gw", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: "HTTPS2_TLS1_2"}))
	}
	f.dedicated = ok[store.BindingChange](t)(st.BindVpc(ctx, f.a, inst().ID, f.vpcA.ID, f.vswA.ID)).Instance
	f.unbound = inst()
	f.sharedInstanceID, _ = rules.DefaultSharedInstanceID("cn-hangzhou")
	group := func(name, instance string, vpcOn bool) rules.Group {
		g := ok[rules.Group](t)(st.CreateGroup(ctx, f.a, rules.GroupInput{Name: name, RegionID: "cn-hangzhou", InstanceID: instance}))
		if vpcOn {
			g = ok[rules.Group](t)(st.EnableVpcDomain(ctx, f.a, g.ID))
		}
		return g
	}
	f.shared = group("on_shared", f.sharedInstanceID, true)
	f.onDedicated = group("on_dedicated", f.dedicated.ID, true)
	f.onUnbound = group("on_unbound", f.unbound.ID, false)
	f.vpcOff = group("vpc_off", f.sharedInstanceID, false)
	f.internetDomain, f.intranetDomain = "api.example.com", "intra.example.com"
	ok[store.BoundDomain](t)(st.BindDomain(ctx, f.a, f.shared.ID, rules.DomainInput{Name: f.internetDomain, NetworkType: rules.NetworkInternet}))
	ok[store.BoundDomain](t)(st.BindDomain(ctx, f.a, f.onDedicated.ID, rules.DomainInput{Name: f.intranetDomain, NetworkType: rules.NetworkIntranet}))
	f.key = ok[[]byte](t)(st.SecretKey(ctx, ProxyKeyName, ProxyKeySize))
	f.ca = newTestCA(t)
	f.gw = New(Config{Limits: f.limits, ProxyKey: f.key, BackendAllow: loopback, CA: f.ca}, st)
	return f
}

var loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// via is how a test call is made: straight to the gateway, or through
// the proxy as a network.
type via struct {
	proxied bool
	network Network
	auth    string // a Proxy-Authorization header of the test's own, instead of the network's
}

var direct = via{}

func (f *fixture) proxy(kind rules.CallerKind, v rules.VPC) via {
	return via{proxied: true, network: Network{Kind: kind, Vpc: &v}}
}

// do sends method host+path the way v says and returns the answer.
func (f *fixture) do(t testing.TB, v via, method, host, path string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	target := path
	if v.proxied {
		target = "http://" + host + path
	}
	r := httptest.NewRequest(method, target, nil)
	r.Host = host
	if !v.proxied {
		r.RequestURI = path
		r.Host = host + ":8082"
	}
	if v.proxied {
		switch {
		case v.auth != "":
			r.Header.Set("Proxy-Authorization", v.auth)
		case v.network.Kind != "" && v.network.Kind != rules.CallerInternet:
			r.Header.Set("Proxy-Authorization", basic(v.network.UserName(), Credential(f.key, v.network)))
		}
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.gw.ServeHTTP(w, r)
	if w.Header().Get(headerRequestID) == "" {
		t.Errorf("%s %s: no %s", method, target, headerRequestID)
	}
	return w
}

// outcome is what a test expects of an answer: a status and either the
// gateway's error code or the rule that refused.
type outcome struct {
	status  int
	code    string // X-Ca-Error-Code
	refused string // X-Gatehouse-Refused
}

func (o outcome) check(t testing.TB, what string, w *httptest.ResponseRecorder) {
	t.Helper()
	got := outcome{w.Code, w.Header().Get(headerErrorCode), w.Header().Get(HeaderRefused)}
	if got != o {
		t.Errorf("%s: %+v, want %+v; body %q", what, got, o, w.Body.String())
	}
}

// Before any API is deployed, a reachable name answers I404NF (the
// gateway found the group and no API) and an unreachable one is refused by
// the access decision's rule: the decision is enforced on every call.
func TestNetworkDecisionOnCalls(t *testing.T) {
	f := newFixture(t)
	noAPI := outcome{http.StatusNotFound, "I404NF", ""}
	refused := func(rule string) outcome { return outcome{http.StatusBadGateway, "", rule} }
	inVpcA, inVpcA2, inVpcB := f.proxy(rules.CallerVpc, f.vpcA), f.proxy(rules.CallerVpc, f.vpcA2), f.proxy(rules.CallerVpc, f.vpcB)
	inVpcBSh, hybridA := f.proxy(rules.CallerVpc, f.vpcBSh), f.proxy(rules.CallerHybrid, f.vpcA)
	internet := via{proxied: true, network: Internet}
	cases := []struct {
		name string
		v    via
		host string
		want outcome
	}{
		{"R2 public domain, directly", direct, f.shared.PublicDomain(), noAPI},
		{"R2 public domain, from a VPC", inVpcB, f.shared.PublicDomain(), noAPI},
		{"R2 public domain, through the proxy from the Internet", internet, f.shared.PublicDomain(), noAPI},
		{"R3 shared VPC domain, from the owner's VPC", inVpcA, f.shared.VpcDomain(), noAPI},
		{"R3 shared VPC domain, from another account's VPC", inVpcB, f.shared.VpcDomain(), noAPI},
		{"R3 shared VPC domain, from a VPC of another region", inVpcBSh, f.shared.VpcDomain(), refused("R3")},
		{"R11 VPC domain, from the Internet via the proxy", internet, f.shared.VpcDomain(), refused("R11")},
		{"R11 VPC domain, directly", direct, f.shared.VpcDomain(), refused("R11")},
		{"R2 VPC domain not enabled", inVpcA, f.vpcOff.VpcDomain(), refused("R2")},
		{"R4 dedicated, from the bound VPC", inVpcA, f.onDedicated.VpcDomain(), noAPI},
		{"R4 dedicated, from another VPC of the account", inVpcA2, f.onDedicated.VpcDomain(), refused("R4")},
		{"R4 dedicated, from another account's VPC", inVpcB, f.onDedicated.VpcDomain(), refused("R4")},
		{"R10 dedicated, from a hybrid network joined to the bound VPC", hybridA, f.onDedicated.VpcDomain(), noAPI},
		{"R10 shared, from a hybrid network", hybridA, f.shared.VpcDomain(), refused("R10")},
		{"R9 INTERNET custom domain, directly", direct, f.internetDomain, noAPI},
		{"R9 INTERNET custom domain, in upper case with the root dot", direct, "API.Example.COM.", noAPI},
		{"R9 INTRANET custom domain, from the bound VPC", inVpcA, f.intranetDomain, noAPI},
		{"R9 INTRANET custom domain, from another VPC", inVpcA2, f.intranetDomain, refused("R4")},
		{"R9 INTRANET custom domain, directly", direct, f.intranetDomain, refused("R11")},
		{"R11 a group that does not exist, through the proxy", inVpcA, rules.VpcDomain(strings.Repeat("0", 32), "cn-hangzhou"), refused("R11")},
		{"a group that does not exist, directly", direct, rules.PublicDomain(strings.Repeat("0", 32), "cn-hangzhou"), outcome{http.StatusNotFound, "I404DO", ""}},
		{"a group's domain under another region", direct, rules.PublicDomain(f.shared.ID, "cn-beijing"), outcome{http.StatusNotFound, "I404DO", ""}},
		{"a host outside Gatehouse, through the proxy", inVpcA, "www.example.org", outcome{http.StatusForbidden, "", "not-gatehouse"}},
		{"an address, through the proxy", inVpcA, "127.0.0.1", outcome{http.StatusForbidden, "", "not-gatehouse"}},
		{"a host outside Gatehouse, directly", direct, "www.example.org", outcome{http.StatusNotFound, "I404DO", ""}},
		{"a host outside Gatehouse on another port, through the proxy", inVpcA, "www.example.org:8080", outcome{http.StatusForbidden, "", "not-gatehouse"}},
		{"a Gatehouse domain on another port, through the proxy", inVpcA, f.shared.PublicDomain() + ":8080", outcome{http.StatusBadGateway, "", "proxy"}},
		{"a Gatehouse domain on port 80, through the proxy", inVpcA, f.shared.PublicDomain() + ":80", noAPI},
	}
	for _, c := range cases {
		c.want.check(t, c.name, f.do(t, c.v, "GET", c.host, "/anything"))
	}
}

// A refusal tells why, by which rule; to a stranger it names nothing of
// the owner's.
func TestRefusalSaysWhy(t *testing.T) {
	f := newFixture(t)
	w := f.do(t, f.proxy(rules.CallerVpc, f.vpcA2), "GET", f.onDedicated.VpcDomain(), "/")
	body := w.Body.String()
	if !strings.Contains(body, "(R4)") || !strings.Contains(body, f.vpcA2.ID) {
		t.Errorf("refusal body %q", body)
	}
	// Account B's VPC learns nothing of A's but that it is refused.
	w = f.do(t, f.proxy(rules.CallerVpc, f.vpcB), "GET", f.onDedicated.VpcDomain(), "/")
	body = w.Body.String()
	for _, secret := range []string{f.onDedicated.Name, f.dedicated.ID, f.vpcA.ID, f.dedicated.EndpointIP} {
		if strings.Contains(body, secret) {
			t.Errorf("a stranger's refusal reveals %q: %q", secret, body)
		}
	}
	if w.Code != http.StatusBadGateway || !strings.Contains(body, "(R4)") {
		t.Errorf("a stranger's refusal: %d %q", w.Code, body)
	}
}

func TestProxyCredentials(t *testing.T) {
	f := newFixture(t)
	denied := outcome{http.StatusProxyAuthRequired, "", "proxy-auth"}
	mine := Network{Kind: rules.CallerVpc, Vpc: &f.vpcB}
	cases := []struct {
		name string
		auth string
		want outcome
	}{
		{"the VPC's own credential", basic(f.vpcB.ID, Credential(f.key, mine)), outcome{http.StatusNotFound, "I404NF", ""}},
		{"another tenant's VPC with one's own credential", basic(f.vpcA.ID, Credential(f.key, mine)), denied},
		{"a wrong password", basic(f.vpcA.ID, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"), denied},
		{"no password", basic(f.vpcA.ID, ""), denied},
		{"not Basic", "Bearer " + Credential(f.key, mine), denied},
		{"not base64", "Basic %%%", denied},
		{"a user that names no network", basic("root", "x"), denied},
		{"a VPC that does not exist", basic("vpc-zzzzzzzzzzzzzzzzzzzzzz", Credential(f.key, Network{Kind: rules.CallerVpc, Vpc: &rules.VPC{ID: "vpc-zzzzzzzzzzzzzzzzzzzzzz"}})), denied},
	}
	for _, c := range cases {
		w := f.do(t, via{proxied: true, auth: c.auth}, "GET", f.onDedicated.VpcDomain(), "/")
		if c.want.status == http.StatusOK || c.want.code == "I404NF" {
			// vpcB is not the bound VPC: a proven network meets the decision.
			c.want = outcome{http.StatusBadGateway, "", "R4"}
		}
		c.want.check(t, c.name, w)
		if w.Code == http.StatusProxyAuthRequired && !strings.HasPrefix(w.Header().Get("Proxy-Authenticate"), "Basic ") {
			t.Errorf("%s: no Proxy-Authenticate challenge", c.name)
		}
	}
	// Direct calls ignore proxy credentials: they come from the Internet.
	r := httptest.NewRequest("GET", "/", nil)
	r.Host = f.onDedicated.VpcDomain()
	r.Header.Set("Proxy-Authorization", basic(f.vpcA.ID, Credential(f.key, Network{Kind: rules.CallerVpc, Vpc: &f.vpcA})))
	w := httptest.NewRecorder()
	f.gw.ServeHTTP(w, r)
	outcome{http.StatusBadGateway, "", "R11"}.check(t, "a direct call with proxy credentials", w)
}

// R6: right after the rebind commits, the old VPC is refused and the new
// one reaches the groups; R8: a group moved to the dedicated instance
// follows its binding at once.
func TestChangesAreInForceForTheNextCall(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	host := f.onDedicated.VpcDomain()
	inA, inA2 := f.proxy(rules.CallerVpc, f.vpcA), f.proxy(rules.CallerVpc, f.vpcA2)
	outcome{http.StatusNotFound, "I404NF", ""}.check(t, "before: the bound VPC", f.do(t, inA, "GET", host, "/"))
	outcome{http.StatusBadGateway, "", "R4"}.check(t, "before: the other VPC", f.do(t, inA2, "GET", host, "/"))
	ok[store.BindingChange](t)(f.st.BindVpc(ctx, f.a, f.dedicated.ID, f.vpcA2.ID, f.vswA2.ID))
	outcome{http.StatusBadGateway, "", "R4"}.check(t, "after: the old VPC", f.do(t, inA, "GET", host, "/"))
	outcome{http.StatusNotFound, "I404NF", ""}.check(t, "after: the new VPC", f.do(t, inA2, "GET", host, "/"))

	outcome{http.StatusNotFound, "I404NF", ""}.check(t, "shared, before the move", f.do(t, f.proxy(rules.CallerVpc, f.vpcB), "GET", f.shared.VpcDomain(), "/"))
	ok[rules.Group](t)(f.st.MoveGroup(ctx, f.a, f.shared.ID, f.dedicated.ID))
	outcome{http.StatusBadGateway, "", "R4"}.check(t, "after the move, another account's VPC", f.do(t, f.proxy(rules.CallerVpc, f.vpcB), "GET", f.shared.VpcDomain(), "/"))
	outcome{http.StatusNotFound, "I404NF", ""}.check(t, "after the move, the bound VPC", f.do(t, inA2, "GET", f.shared.VpcDomain(), "/"))

	// A group with nothing served on it is read when named, and read
	// again after a change.
	outcome{http.StatusBadGateway, "", "R2"}.check(t, "a group read alone, before", f.do(t, inA, "GET", f.vpcOff.VpcDomain(), "/"))
	ok[rules.Group](t)(f.st.EnableVpcDomain(ctx, f.a, f.vpcOff.ID))
	outcome{http.StatusNotFound, "I404NF", ""}.check(t, "a group read alone, after enabling", f.do(t, inA, "GET", f.vpcOff.VpcDomain(), "/"))

	ok[rules.Group](t)(f.st.DisableVpcDomain(ctx, f.a, f.shared.ID))
	outcome{http.StatusBadGateway, "", "R2"}.check(t, "after disabling the VPC domain", f.do(t, inA2, "GET", f.shared.VpcDomain(), "/"))
}

func TestBadRequests(t *testing.T) {
	f := newFixture(t)
	host := f.shared.PublicDomain()
	cases := []struct {
		name   string
		method string
		path   string
		header []string
		want   outcome
	}{
		{"an unknown stage", "GET", "/", []string{"X-Ca-Stage", "PROD"}, outcome{http.StatusBadRequest, "I400SG", ""}},
		{"a stage in any case", "GET", "/", []string{"X-Ca-Stage", "test"}, outcome{http.StatusNotFound, "I404NF", ""}},
		{"an absurdly large header", "GET", "/", []string{"X-Big", strings.Repeat("x", 70<<10)}, outcome{http.StatusBadRequest, "I400HD", ""}},
		{"an absurdly long URL", "GET", "/" + strings.Repeat("a", 33<<10), nil, outcome{http.StatusRequestEntityTooLarge, "I413UL", ""}},
		{"a method no API has", "TRACE", "/", nil, outcome{http.StatusMethodNotAllowed, "I405UM", ""}},
	}
	for _, c := range cases {
		c.want.check(t, c.name, f.do(t, direct, c.method, host, c.path, c.header...))
	}
	w := f.do(t, direct, "GET", host, "/", "X-Ca-Stage", "\x7f\x01bad")
	if v := w.Header().Get(headerErrorMessage); strings.ContainsAny(v, "\x7f\x01") {
		t.Errorf("the error message header carries control characters: %q", v)
	}
	// A request target that is no path.
	star := httptest.NewRequest("OPTIONS", "/", nil)
	star.Host, star.RequestURI, star.URL.Path = host, "*", "*"
	rec0 := httptest.NewRecorder()
	f.gw.ServeHTTP(rec0, star)
	outcome{http.StatusBadRequest, "I400PA", ""}.check(t, "OPTIONS *", rec0)
	// CONNECT without a TLS server to tunnel to.
	r := httptest.NewRequest("CONNECT", host+":443", nil)
	rec := httptest.NewRecorder()
	f.gw.ServeHTTP(rec, r)
	outcome{http.StatusNotImplemented, "", "connect"}.check(t, "CONNECT without a TLS listener", rec)
}

// A change another process commits (the command line beside the server)
// is in force once the watcher has looked: the test hands it its ticks
// instead of waiting for a timer.
func TestWatchSeesOtherProcessesChanges(t *testing.T) {
	f := newFixture(t)
	inA := f.proxy(rules.CallerVpc, f.vpcA)
	outcome{http.StatusBadGateway, "", "R2"}.check(t, "before", f.do(t, inA, "GET", f.vpcOff.VpcDomain(), "/"))
	other, err := store.Open(context.Background(), f.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.EnableVpcDomain(context.Background(), f.a, f.vpcOff.ID); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ticks := make(chan time.Time)
	go f.gw.watch(ctx, ticks)
	// Not in force before the watcher looks: no process is told.
	outcome{http.StatusBadGateway, "", "R2"}.check(t, "before the watcher looks", f.do(t, inA, "GET", f.vpcOff.VpcDomain(), "/"))
	for i := range 2 { // the second tick is taken once the first look is done
		select {
		case ticks <- time.Now():
		case <-time.After(10 * time.Second):
			t.Fatalf("the watcher took no tick %d in 10 s", i+1)
		}
	}
	w := f.do(t, inA, "GET", f.vpcOff.VpcDomain(), "/")
	if w.Header().Get(headerErrorCode) != "I404NF" {
		t.Fatalf("another process's change is not in force once the watcher has looked: %d %q", w.Code, w.Body.String())
	}
}

// countingStore counts the groups the gateway reads one at a time.
type countingStore struct {
	*store.Store
	reads sync.Map // group id → *atomic.Int64
}

func (c *countingStore) GatewayGroup(ctx context.Context, id string) (store.GatewayGroup, error) {
	n, _ := c.reads.LoadOrStore(id, new(atomic.Int64))
	n.(*atomic.Int64).Add(1)
	return c.Store.GatewayGroup(ctx, id)
}

func (c *countingStore) readsOf(id string) int64 {
	n, ok := c.reads.Load(id)
	if !ok {
		return 0
	}
	return n.(*atomic.Int64).Load()
}

// A group is read once, however many calls name it at once; after a
// change, the groups it did not touch are not read again, and those it
// did are.
func TestGroupsAreReadOnceAndKeptAcrossOtherChanges(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	cs := &countingStore{Store: f.st}
	f.gw = New(Config{Limits: f.limits, ProxyKey: f.key, BackendAllow: loopback}, cs)
	f.deploy(t, f.shared.ID, mockAPI("hello", "GET", "/hello", "shared"))
	f.deploy(t, f.onDedicated.ID, mockAPI("hello", "GET", "/hello", "dedicated"))
	inA := f.proxy(rules.CallerVpc, f.vpcA)

	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() { f.do(t, inA, "GET", f.shared.VpcDomain(), "/hello") })
	}
	wg.Wait()
	f.do(t, inA, "GET", f.onDedicated.VpcDomain(), "/hello")
	if n := cs.readsOf(f.shared.ID); n != 1 {
		t.Fatalf("32 calls at once read the group %d times", n)
	}

	// A new API in one group: that group is read again, not the other.
	f.deploy(t, f.shared.ID, mockAPI("goodbye", "GET", "/bye", "bye"))
	if w := f.do(t, inA, "GET", f.shared.VpcDomain(), "/bye"); w.Code != 200 || w.Body.String() != "bye" {
		t.Fatalf("the new API: %d %q", w.Code, w.Body.String())
	}
	if w := f.do(t, inA, "GET", f.onDedicated.VpcDomain(), "/hello"); w.Body.String() != "dedicated" {
		t.Fatalf("the other group: %d %q", w.Code, w.Body.String())
	}
	if a, b := cs.readsOf(f.shared.ID), cs.readsOf(f.onDedicated.ID); a != 2 || b != 1 {
		t.Errorf("after a deployment in one group: read %d and %d times, want 2 and 1", a, b)
	}

	// A rebind: the groups of the instance are read again, not the others.
	ok[store.BindingChange](t)(f.st.BindVpc(ctx, f.a, f.dedicated.ID, f.vpcA2.ID, f.vswA2.ID))
	outcome{http.StatusBadGateway, "", "R4"}.check(t, "after the rebind, the old VPC", f.do(t, inA, "GET", f.onDedicated.VpcDomain(), "/hello"))
	f.do(t, inA, "GET", f.shared.VpcDomain(), "/hello")
	if a, b := cs.readsOf(f.shared.ID), cs.readsOf(f.onDedicated.ID); a != 2 || b != 2 {
		t.Errorf("after a rebind: read %d and %d times, want 2 and 2", a, b)
	}
}
