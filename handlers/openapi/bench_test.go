package openapi_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// BenchmarkDescribeApiGroups serves signed DescribeApiGroups requests for a
// full page (PageSize 50) in process, every step included (parameters,
// signature 1.0, key lookup, nonce, query, JSON), next to a bare handler.
// The requests are signed before the clock starts, each with its own nonce.
func BenchmarkDescribeApiGroups(b *testing.B) {
	w, h := describeBench(b)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		v := signedValues(w.admin, http.MethodGet, map[string]string{"Action": "DescribeApiGroups", "PageSize": "50"})
		reqs[i] = httptest.NewRequest(http.MethodGet, "/?"+v.Encode(), nil)
	}
	serveAll(b, h, reqs)
}

// BenchmarkDescribeApiGroupsV3 is BenchmarkDescribeApiGroups signed with V3
// (ACS3-HMAC-SHA256) by the Go SDK's signer, as the current SDKs send it:
// the same request, so the two differ by the signature alone.
func BenchmarkDescribeApiGroupsV3(b *testing.B) {
	w, h := describeBench(b)
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		r := buildV3(b, "gatehouse.test", w.admin, v3Request{method: http.MethodGet, action: "DescribeApiGroups",
			query: map[string]string{"PageSize": "50", "RegionId": "cn-hangzhou"}})
		reqs[i] = asServed(r)
	}
	serveAll(b, h, reqs)
}

// describeBench is a store with 60 groups of acme's, and the endpoint.
func describeBench(b *testing.B) (*world, http.Handler) {
	w := newWorld(b)
	ctx := context.Background()
	actor := store.Actor{AccountID: w.acme, Name: "bench", Source: rules.SourceCLI}
	shared, _ := rules.DefaultSharedInstanceID("cn-hangzhou")
	for i := range 60 {
		if _, err := w.st.CreateGroup(ctx, actor, rules.GroupInput{Name: fmt.Sprintf("bench_group_%03d", i),
			RegionID: "cn-hangzhou", InstanceID: shared}); err != nil {
			b.Fatal(err)
		}
	}
	return w, openapi.New(w.st, nil, openapi.Options{})
}

// serveAll serves each request once, on the clock, and wants 200s.
func serveAll(b *testing.B, h http.Handler, reqs []*http.Request) {
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, reqs[i])
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkDescribeApis is BenchmarkDescribeApiGroups for the API list:
// a full page (PageSize 50) of 60 APIs, half of them deployed.
func BenchmarkDescribeApis(b *testing.B) {
	w := newWorld(b)
	ctx := context.Background()
	actor := store.Actor{AccountID: w.acme, Name: "bench", Source: rules.SourceCLI}
	shared, _ := rules.DefaultSharedInstanceID("cn-hangzhou")
	g, err := w.st.CreateGroup(ctx, actor, rules.GroupInput{Name: "bench_apis", RegionID: "cn-hangzhou", InstanceID: shared})
	if err != nil {
		b.Fatal(err)
	}
	for i := range 60 {
		api, err := w.st.CreateAPI(ctx, actor, g.ID, rules.APIDefinition{Name: fmt.Sprintf("bench_api_%03d", i), Method: "GET",
			Path: fmt.Sprintf("/items%03d/[id]", i), Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: `{"ok":true}`})
		if err != nil {
			b.Fatal(err)
		}
		if i%2 == 0 {
			if _, err := w.st.DeployAPI(ctx, actor, api.ID, rules.StageRelease, ""); err != nil {
				b.Fatal(err)
			}
		}
	}
	h := openapi.New(w.st, nil, openapi.Options{})
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		v := signedValues(w.admin, http.MethodGet, map[string]string{"Action": "DescribeApis", "PageSize": "50"})
		reqs[i] = httptest.NewRequest(http.MethodGet, "/?"+v.Encode(), nil)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, reqs[i])
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkBareHandler is the yardstick: a handler that only answers.
func BenchmarkBareHandler(b *testing.B) {
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"ok":true}`)) })
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	b.ReportAllocs()
	for range b.N {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
}
