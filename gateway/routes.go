package gateway

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"gatehouse/rules"
)

// Routing inside a group: the stage from X-Ca-Stage, then method and path
// to the API deployed there.

// Stages, by index.
const (
	stageRelease = iota
	stageTest
	stagePre
	numStages
)

var stageNames = [numStages]string{stageRelease: "RELEASE", stageTest: "TEST", stagePre: "PRE"}

// parseStage reads X-Ca-Stage: RELEASE when absent, else RELEASE, TEST or
// PRE in any case.
func parseStage(h http.Header) (int, bool) {
	v := h[headerStage]
	if len(v) == 0 {
		return stageRelease, true
	}
	if len(v) > 1 {
		return 0, false
	}
	for i, s := range stageNames {
		if strings.EqualFold(v[0], s) {
			return i, true
		}
	}
	return 0, false
}

// param is the value a path placeholder took.
type param struct {
	name, value string
}

// matchOutcome says how a call's method and path met a stage's APIs.
type matchOutcome int

const (
	matchFound     matchOutcome = iota
	matchNoPath                 // no API of the stage has the path
	matchNoMethod               // APIs have the path, none the method
	matchBadMethod              // a method no API can have (TRACE, …)
)

// deployedAPI is an API as deployed to a stage of a group, ready to serve.
type deployedAPI struct {
	groupID, id, name string
	stage             int
	method            string // GET … OPTIONS, or ANY
	path              string
	http, https       bool // the protocols it answers on
	disableInternet   bool // only through the VPC domain and INTRANET custom domains
	backend           backend
}

// answers reports whether the API answers calls over proto (I403PT when
// not).
func (a *deployedAPI) answers(proto rules.Protocol) bool {
	if proto == rules.ProtocolHTTPS {
		return a.https
	}
	return a.http
}

// apiMethods are the methods an API may have; ANY answers each of them.
var apiMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}

// routeTable finds the API of one group and stage that answers a method
// and path. The zero value has no APIs.
type routeTable struct {
	byPath map[string]map[string]*deployedAPI // path → method (or ANY) → API
}

func newRouteTable(apis []deployedAPI) (routeTable, error) {
	t := routeTable{byPath: map[string]map[string]*deployedAPI{}}
	for i := range apis {
		a := &apis[i]
		m := t.byPath[a.path]
		if m == nil {
			m = map[string]*deployedAPI{}
			t.byPath[a.path] = m
		}
		if m[a.method] != nil {
			return routeTable{}, fmt.Errorf("two APIs for %s %s", a.method, a.path)
		}
		m[a.method] = a
	}
	return t, nil
}

// match finds the API for method and path (as sent, escaped).
func (t routeTable) match(method, path string, params []param) (*deployedAPI, []param, matchOutcome) {
	known := false
	for _, m := range apiMethods {
		if m == method {
			known = true
			break
		}
	}
	if !known {
		return nil, params, matchBadMethod
	}
	m := t.byPath[path]
	if m == nil {
		return nil, params, matchNoPath
	}
	if a := m[method]; a != nil {
		return a, params, matchFound
	}
	if a := m["ANY"]; a != nil {
		return a, params, matchFound
	}
	return nil, params, matchNoMethod
}

// pathTemplate is a service path whose [name] segments take the values of
// the request path's placeholders of the same name.
type pathTemplate string

// fill writes the path with each [name] replaced by its value, escaped as
// a path segment.
func (p pathTemplate) fill(params []param) string {
	s := string(p)
	if strings.IndexByte(s, '[') < 0 {
		return s
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '[')
		j := strings.IndexByte(s, ']')
		if i < 0 || j < i {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		name := s[i+1 : j]
		for _, pr := range params {
			if pr.name == name {
				b.WriteString(url.PathEscape(pr.value))
				break
			}
		}
		s = s[j+1:]
	}
	return b.String()
}
