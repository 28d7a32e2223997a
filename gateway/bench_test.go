package gateway

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"gatehouse/rules"
)

// discard is a ResponseWriter that keeps nothing, so a benchmark measures
// the gateway and not the recorder.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkCall: a Mock API through each way in, one call at a time, in
// process (no network): what the line of steps costs a call.
func BenchmarkCall(b *testing.B) {
	f := newFixture(b)
	f.gw.cfg.Limits = rules.Limits{MainlandDaily: 1 << 40, OtherDaily: 1 << 40}
	mock := newMockBackend(200, nil, []byte(`{"ok":true}`))
	f.serveAPIs(b,
		deployedAPI{groupID: f.shared.ID, id: "m", stage: stageRelease, method: "GET", path: "/hello", http: true, backend: mock},
		deployedAPI{groupID: f.onDedicated.ID, id: "d", stage: stageRelease, method: "GET", path: "/hello", http: true, backend: mock},
	)
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
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				clear(w.h)
				f.gw.ServeHTTP(w, r)
			}
		})
	}
}
