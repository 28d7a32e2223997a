package gateway

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"gatehouse/rules"
)

// discard is a ResponseWriter that keeps nothing, so a benchmark measures
// the gateway and not the recorder.
type discard struct {
	h      http.Header
	status int
}

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(s int)           { d.status = s }

// BenchmarkCall: a Mock API through each way in, one call at a time, in
// process (no network): what the line of steps costs a call.
func BenchmarkCall(b *testing.B) {
	f := newFixture(b)
	f.gw = New(Config{Limits: rules.Limits{MainlandDaily: 1 << 40, OtherDaily: 1 << 40}, ProxyKey: f.key, BackendAllow: loopback}, f.st)
	f.deploy(b, f.shared.ID, mockAPI("hello", "GET", "/hello", `{"ok":true}`))
	f.deploy(b, f.onDedicated.ID, mockAPI("hello", "GET", "/hello", `{"ok":true}`))
	vpcCred := basic(f.vpcA.ID, Credential(f.key, Network{Kind: rules.CallerVpc, Vpc: &f.vpcA}))
	cases := []struct {
		name, target, host, auth string
	}{
		{"CustomDomainDirect", "/hello", f.internetDomain, ""},
		{"VpcDomainProxied", "http://" + f.onDedicated.VpcDomain() + "/hello", f.onDedicated.VpcDomain(), vpcCred},
		{"PublicDomainCounted", "/hello", f.shared.PublicDomain(), ""},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			r := httptest.NewRequest("GET", c.target, nil)
			r.Host = c.host
			if c.auth != "" {
				r.Header.Set("Proxy-Authorization", c.auth)
			}
			w := &discard{h: http.Header{}}
			f.gw.ServeHTTP(w, r)
			if w.status != http.StatusOK {
				b.Fatalf("status %d, %v", w.status, w.h)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				clear(w.h)
				f.gw.ServeHTTP(w, r)
			}
		})
	}
}

// BenchmarkIssueLeaf: what a handshake naming a second-level domain for
// the first time costs to get its certificate.
func BenchmarkIssueLeaf(b *testing.B) {
	ca := newTestCA(b)
	now := time.Now()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ca.issue("0123456789abcdef0123456789abcdef-cn-hangzhou.alicloudapi.com", now); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCallsPerHour: Group Details' chart read (GroupTraffic) while the gateway holds
// the unstored counts of 100,000 groups (a busy gateway between flushes):
// a chart reads its own group's counts, whatever the others hold.
func BenchmarkCallsPerHour(b *testing.B) {
	now := time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	gw := &Gateway{cfg: Config{Now: clock}, traffic: newTraffic(&failingCounter{}), limits: newLimiter(nil, clock)}
	for i := range 100_000 {
		g := fmt.Sprintf("g%06d", i)
		for h := range 3 {
			gw.traffic.record(&Call{GroupID: g, Account: "a", Host: g + ".example.com", Start: now.Add(-time.Duration(h) * time.Hour), Status: 200})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		series, err := callsPerHour(context.Background(), gw, "g050000", 24)
		if err != nil || len(series) != 1 || series[0].Hours[23].Calls != 1 {
			b.Fatalf("%+v, %v", series, err)
		}
	}
}
