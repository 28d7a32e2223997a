package rules_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
)

const testGroup = "0123456789abcdef0123456789abcdef"

// deployed makes a deployment of "METHOD /path" in testGroup's RELEASE
// stage, named after its position.
func deployed(routes ...string) []rules.Deployment {
	out := make([]rules.Deployment, len(routes))
	for i, r := range routes {
		method, path, _ := strings.Cut(r, " ")
		out[i] = rules.Deployment{APIID: fmt.Sprintf("%032x", i+1), GroupID: testGroup, Stage: rules.StageRelease,
			Definition: rules.APIDefinition{Name: fmt.Sprintf("api_%d", i), Method: method, Path: path}}
	}
	return out
}

func TestRouterMatch(t *testing.T) {
	r := rules.NewRouter(deployed(
		"GET /",
		"GET /users",
		"POST /users",
		"GET /users/me",
		"GET /users/[id]",
		"DELETE /users/[uid]/sessions/[sid]",
		"ANY /users/[id]/avatar",
		"PUT /users/[id]/avatar",
		"POST /users/[id]/orders",
		"ANY /files/[name]",
		"GET /a/b/[y]",
		"GET /a/[x]/c",
		"GET /a/[x]/[y]",
		"PATCH /only/patch",
		"HEAD /only/head",
		"OPTIONS /only/options",
		"GET /enc/a b",      // not a valid path: left out
		"TRACE /trace",      // not an API method: left out
		"POST /users",       // the same route again: left out
		"POST /users/[x]",   // a fresh route
		"GET /users/[name]", // the same shape as GET /users/[id]: left out
	))
	if r.Len() != 17 {
		t.Fatalf("router keeps %d routes, want 17", r.Len())
	}
	tests := []struct {
		method, path string
		want         string // the API's path, "" for none
		outcome      rules.MatchOutcome
		params       string // name=value,...
	}{
		{"GET", "/", "/", rules.MatchFound, ""},
		{"POST", "/", "", rules.MatchMethodNotAllowed, ""},
		{"GET", "/users", "/users", rules.MatchFound, ""},
		{"POST", "/users", "/users", rules.MatchFound, ""},
		{"PUT", "/users", "", rules.MatchMethodNotAllowed, ""},
		{"GET", "/users/me", "/users/me", rules.MatchFound, ""},        // a literal beats a placeholder
		{"GET", "/users/42", "/users/[id]", rules.MatchFound, "id=42"}, // the first of the shape kept its name
		{"POST", "/users/me", "/users/[x]", rules.MatchFound, "x=me"},  // /users/me has no POST: the placeholder path has
		{"DELETE", "/users/me", "", rules.MatchMethodNotAllowed, ""},
		{"DELETE", "/users/7/sessions/abc", "/users/[uid]/sessions/[sid]", rules.MatchFound, "uid=7,sid=abc"},
		{"PUT", "/users/7/avatar", "/users/[id]/avatar", rules.MatchFound, "id=7"}, // the exact method beats ANY
		{"GET", "/users/7/avatar", "/users/[id]/avatar", rules.MatchFound, "id=7"}, // ANY takes the others
		{"HEAD", "/users/7/avatar", "/users/[id]/avatar", rules.MatchFound, "id=7"},
		{"TRACE", "/users/7/avatar", "", rules.MatchMethodNotAllowed, ""}, // ANY is not every method
		{"ANY", "/users/7/avatar", "", rules.MatchMethodNotAllowed, ""},   // nor a method itself
		{"GET", "/users/7/orders", "", rules.MatchMethodNotAllowed, ""},
		{"POST", "/users/7/orders", "/users/[id]/orders", rules.MatchFound, "id=7"},
		{"GET", "/a/b/c", "/a/b/[y]", rules.MatchFound, "y=c"}, // leftmost literal first
		{"GET", "/a/z/c", "/a/[x]/c", rules.MatchFound, "x=z"},
		{"GET", "/a/z/q", "/a/[x]/[y]", rules.MatchFound, "x=z,y=q"},
		{"GET", "/a/b/c/d", "", rules.MatchNoPath, ""},
		{"HEAD", "/only/head", "/only/head", rules.MatchFound, ""},
		{"GET", "/only/head", "", rules.MatchMethodNotAllowed, ""}, // HEAD is its own method
		{"PATCH", "/only/patch", "/only/patch", rules.MatchFound, ""},
		{"OPTIONS", "/only/options", "/only/options", rules.MatchFound, ""},

		// Paths: case, trailing and double slashes, empty placeholders.
		{"GET", "/Users", "", rules.MatchNoPath, ""},
		{"GET", "/users/", "", rules.MatchNoPath, ""},
		{"GET", "//users", "", rules.MatchNoPath, ""},
		{"GET", "/users//sessions", "", rules.MatchNoPath, ""},
		{"DELETE", "/users//sessions/x", "", rules.MatchNoPath, ""},
		{"GET", "/nothing", "", rules.MatchNoPath, ""},
		{"GET", "", "", rules.MatchNoPath, ""},
		{"GET", "users", "", rules.MatchNoPath, ""},

		// Percent-encoding: decoded before comparing and in values; an
		// encoded slash stays in its segment; a bad escape matches nothing.
		{"GET", "/us%65rs/m%65", "/users/me", rules.MatchFound, ""},
		{"GET", "/users/a%2Fb", "/users/[id]", rules.MatchFound, "id=a/b"},
		{"GET", "/users/%E7%94%A8", "/users/[id]", rules.MatchFound, "id=用"},
		{"GET", "/files/a%20b.txt", "/files/[name]", rules.MatchFound, "name=a b.txt"},
		{"GET", "/users/%zz", "", rules.MatchNoPath, ""},
		{"GET", "/users/..", "/users/[id]", rules.MatchFound, "id=.."},
	}
	for _, tc := range tests {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			d, params, outcome := r.Match(tc.method, tc.path, nil)
			if outcome != tc.outcome {
				t.Fatalf("outcome %v, want %v", outcome, tc.outcome)
			}
			got := ""
			if d != nil {
				got = d.Definition.Path
			}
			if got != tc.want || (d == nil) != (tc.want == "") {
				t.Fatalf("matched %q, want %q", got, tc.want)
			}
			var ps []string
			for _, p := range params {
				ps = append(ps, p.Name+"="+p.Value)
			}
			if s := strings.Join(ps, ","); s != tc.params {
				t.Fatalf("params %q, want %q", s, tc.params)
			}
		})
	}
}

// Values are appended to the slice given; on a miss it comes back as
// given; the route table splits deployments by group and stage.
func TestRouterParamsAndTables(t *testing.T) {
	r := rules.NewRouter(deployed("GET /x/[a]/[b]", "GET /y"))
	buf := make([]rules.PathParam, 1, 8)
	buf[0] = rules.PathParam{Name: "keep", Value: "me"}
	_, out, outcome := r.Match("GET", "/x/1/2", buf)
	if outcome != rules.MatchFound || len(out) != 3 || out[0].Name != "keep" || out[1] != (rules.PathParam{Name: "a", Value: "1"}) || out[2] != (rules.PathParam{Name: "b", Value: "2"}) {
		t.Fatalf("appended: %v %v", outcome, out)
	}
	_, out, outcome = r.Match("GET", "/x/1", buf[:1])
	if outcome != rules.MatchNoPath || len(out) != 1 || out[0].Name != "keep" {
		t.Fatalf("miss: %v %v", outcome, out)
	}
	var nilRouter *rules.Router
	if _, _, o := nilRouter.Match("GET", "/y", nil); o != rules.MatchNoPath {
		t.Fatalf("a nil router: %v", o)
	}

	ds := deployed("GET /y", "GET /z")
	ds[1].Stage = rules.StageTest
	other := deployed("GET /y")
	other[0].GroupID = strings.Repeat("f", 32)
	tables := rules.NewRouteTables(append(ds, other...))
	if len(tables) != 3 {
		t.Fatalf("%d tables", len(tables))
	}
	release := tables[rules.RouteKey{GroupID: testGroup, Stage: rules.StageRelease}]
	if _, _, o := release.Match("GET", "/z", nil); o != rules.MatchNoPath {
		t.Fatalf("RELEASE serves TEST's API: %v", o)
	}
	if d, _, o := tables[rules.RouteKey{GroupID: testGroup, Stage: rules.StageTest}].Match("GET", "/z", nil); o != rules.MatchFound || d.APIID != ds[1].APIID {
		t.Fatalf("TEST: %v %v", o, d)
	}
	if _, _, o := tables[rules.RouteKey{GroupID: testGroup, Stage: rules.StagePre}].Match("GET", "/y", nil); o != rules.MatchNoPath {
		t.Fatalf("PRE has nothing: %v", o)
	}
	// The router keeps its own copy of the deployments.
	ds[0].Definition.Path = "/changed"
	if d, _, _ := release.Match("GET", "/y", nil); d == nil || d.Definition.Path != "/y" {
		t.Fatalf("the router's copy changed: %+v", d)
	}
}

// Matching allocates nothing when the caller gives room for the values and
// no segment is percent-encoded.
func TestRouterMatchAllocatesNothing(t *testing.T) {
	r := rules.NewRouter(benchRoutes(500))
	buf := make([]rules.PathParam, 0, 16)
	allocs := testing.AllocsPerRun(200, func() {
		if _, _, o := r.Match("GET", "/svc12/items/abc/detail", buf[:0]); o != rules.MatchFound {
			t.Fatal("no match")
		}
		if _, _, o := r.Match("DELETE", "/svc7/items/abc/detail", buf[:0]); o != rules.MatchMethodNotAllowed {
			t.Fatal("method")
		}
		if _, _, o := r.Match("GET", "/nothing/here", buf[:0]); o != rules.MatchNoPath {
			t.Fatal("miss")
		}
	})
	if allocs != 0 {
		t.Fatalf("%v allocations a match", allocs)
	}
}

// reference is the precedence written the slow and obvious way: among the
// routes whose path matches segment by segment and that have the method
// (or ANY), the one whose path is most specific (comparing from the left,
// a literal beats a placeholder), then the exact method over ANY.
func reference(ds []rules.Deployment, method, path string) (*rules.Deployment, map[string]string, rules.MatchOutcome) {
	if path == "" || path[0] != '/' {
		return nil, nil, rules.MatchNoPath
	}
	var segs []string
	if path != "/" {
		for _, s := range strings.Split(path[1:], "/") {
			v, err := url.PathUnescape(s)
			if err != nil || s == "" {
				return nil, nil, rules.MatchNoPath
			}
			segs = append(segs, v)
		}
	}
	type cand struct {
		d      *rules.Deployment
		spec   string // per segment: 1 literal, 0 placeholder
		exact  bool
		params map[string]string
	}
	var best *cand
	pathSeen := false
	seenRoute := map[string]bool{}
	for i := range ds {
		d := &ds[i]
		key := d.Definition.Method + " " + rules.RouteShape(d.Definition.Path)
		if seenRoute[key] {
			continue // the router keeps the first of a route
		}
		seenRoute[key] = true
		var pat []string
		if d.Definition.Path != "/" {
			pat = strings.Split(d.Definition.Path[1:], "/")
		}
		if len(pat) != len(segs) {
			continue
		}
		spec, params, ok := "", map[string]string{}, true
		for j, p := range pat {
			switch {
			case strings.HasPrefix(p, "["):
				spec += "0"
				params[strings.Trim(p, "[]")] = segs[j]
			case p == segs[j]:
				spec += "1"
			default:
				ok = false
			}
		}
		if !ok {
			continue
		}
		pathSeen = true
		exact := d.Definition.Method == method && method != "ANY"
		if !exact && (d.Definition.Method != "ANY" || method == "ANY" || !isAPIMethod(method)) {
			continue
		}
		c := &cand{d, spec, exact, params}
		if best == nil || c.spec > best.spec || c.spec == best.spec && c.exact && !best.exact {
			best = c
		}
	}
	switch {
	case best != nil:
		return best.d, best.params, rules.MatchFound
	case pathSeen:
		return nil, nil, rules.MatchMethodNotAllowed
	}
	return nil, nil, rules.MatchNoPath
}

func isAPIMethod(m string) bool {
	for _, a := range rules.APIMethods() {
		if a == m {
			return true
		}
	}
	return false
}

// fuzzRoutes is a set of routes dense in overlaps: literals against
// placeholders at every depth, ANY against exact methods.
var fuzzRoutes = deployed(
	"GET /", "ANY /", "GET /a", "POST /a", "ANY /[p]", "GET /a/b", "GET /a/[x]", "ANY /a/[x]", "GET /[p]/b",
	"PUT /[p]/[q]", "GET /a/b/c", "DELETE /a/[x]/c", "GET /[p]/b/[r]", "ANY /[p]/[q]/[r]", "HEAD /a/b/c", "OPTIONS /[p]/b/c",
	"GET /x%y/z", "PATCH /a/[x]/c/[y]", "GET /a:b/@c", "GET /ä",
)

// The router agrees with the reference on every method and path.
func FuzzRouterMatch(f *testing.F) {
	for _, s := range []string{"/", "/a", "/a/b", "/a/b/c", "/q/b/c", "/a/z/c", "/a/b/c/d", "/a%2Fb", "/%61/b", "/a/", "//", "/a//b", "/a:b/@c"} {
		for _, m := range []string{"GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "ANY", "TRACE"} {
			f.Add(m, s)
		}
	}
	r := rules.NewRouter(fuzzRoutes)
	f.Fuzz(func(t *testing.T, method, path string) {
		d, params, outcome := r.Match(method, path, nil)
		wd, wparams, woutcome := reference(fuzzRoutes, method, path)
		if outcome != woutcome {
			t.Fatalf("%s %q: outcome %v, reference %v", method, path, outcome, woutcome)
		}
		if (d == nil) != (wd == nil) || d != nil && d.APIID != wd.APIID {
			t.Fatalf("%s %q: matched %+v, reference %+v", method, path, d, wd)
		}
		if len(params) != len(wparams) {
			t.Fatalf("%s %q: params %v, reference %v", method, path, params, wparams)
		}
		for _, p := range params {
			if v, ok := wparams[p.Name]; !ok || v != p.Value {
				t.Fatalf("%s %q: param %+v, reference %v", method, path, p, wparams)
			}
		}
	})
}

// benchRoutes is a group of n services with the usual shapes of a REST API.
func benchRoutes(n int) []rules.Deployment {
	var routes []string
	for i := range n / 5 {
		s := fmt.Sprintf("/svc%d", i)
		routes = append(routes, "GET "+s+"/items", "POST "+s+"/items", "GET "+s+"/items/[id]", "PUT "+s+"/items/[id]", "GET "+s+"/items/[id]/detail")
	}
	return deployed(routes...)
}

func BenchmarkRouterMatch(b *testing.B) {
	r := rules.NewRouter(benchRoutes(1000))
	cases := []struct{ name, method, path string }{
		{"Literal", "GET", "/svc150/items"},
		{"OnePlaceholder", "GET", "/svc150/items/abc"},
		{"Deep", "GET", "/svc150/items/abc/detail"},
		{"Encoded", "GET", "/svc150/items/a%20b"},
		{"NoPath", "GET", "/svc150/nothing/here"},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			buf := make([]rules.PathParam, 0, 16)
			b.ReportAllocs()
			for b.Loop() {
				r.Match(c.method, c.path, buf[:0])
			}
		})
	}
}

func BenchmarkNewRouter(b *testing.B) {
	ds := benchRoutes(1000)
	b.ReportAllocs()
	for b.Loop() {
		rules.NewRouter(ds)
	}
}
