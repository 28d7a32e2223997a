package gateway

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"gatehouse/rules"
)

// Routing inside a group: the stage from X-Ca-Stage, then method and path
// to the API deployed there, by the rules' Router (rules/routes.go).

// Stages, by index.
const (
	stageRelease = iota
	stageTest
	stagePre
	numStages
)

var stageNames = [numStages]rules.Stage{stageRelease: rules.StageRelease, stageTest: rules.StageTest, stagePre: rules.StagePre}

// stageIndex is a stage's index; ok false for a stage the gateway does not
// know.
func stageIndex(s rules.Stage) (int, bool) {
	for i, name := range stageNames {
		if name == s {
			return i, true
		}
	}
	return 0, false
}

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
		if strings.EqualFold(v[0], string(s)) {
			return i, true
		}
	}
	return 0, false
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
	id         string
	deployment *rules.Deployment
	backend    backend
}

// answers reports whether the API answers calls over proto (I403PT when
// not).
func (a *deployedAPI) answers(proto rules.Protocol) bool {
	return a.deployment.Definition.Protocols.Allows(proto == rules.ProtocolHTTPS)
}

// reachable reports whether the API answers on a name of that kind: one
// with DisableInternet only on the VPC domain and INTRANET custom domains.
func (a *deployedAPI) reachable(t rules.Target) bool {
	intranet := t.Kind == rules.DomainVpc || (t.Custom != nil && t.Custom.NetworkType == rules.NetworkIntranet)
	return rules.APIReachable(a.deployment.Definition, intranet)
}

// newDeployedAPI readies a deployment: its backend, built once.
func newDeployedAPI(d *rules.Deployment, fwd *forwarder) (*deployedAPI, error) {
	def := d.Definition
	a := &deployedAPI{id: d.APIID, deployment: d}
	switch def.Backend {
	case rules.BackendMock:
		h := http.Header{"Content-Type": {contentTypes[def.ResultType]}}
		for _, mh := range def.MockHeaders {
			h.Add(mh.Name, mh.Value)
		}
		a.backend = newMockBackend(def.MockStatus, h, []byte(def.MockBody))
	case rules.BackendHTTP:
		base, err := url.Parse(def.ServiceAddress)
		if err != nil || (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
			return nil, fmt.Errorf("API %s: backend address %q", d.APIID, def.ServiceAddress)
		}
		method := def.ServiceMethod
		if method == rules.MethodAny {
			method = "" // the caller's
		}
		a.backend = &httpBackend{base: &url.URL{Scheme: base.Scheme, Host: base.Host}, path: pathTemplate(def.ServicePath),
			method: method, timeout: time.Duration(def.ServiceTimeout) * time.Millisecond, fwd: fwd}
	default:
		return nil, fmt.Errorf("API %s: backend %q", d.APIID, def.Backend)
	}
	return a, nil
}

// contentTypes is a Mock answer's Content-Type by the API's result type,
// unless its own headers say otherwise.
var contentTypes = map[string]string{
	"JSON": "application/json; charset=utf-8", "TEXT": "text/plain; charset=utf-8", "XML": "application/xml; charset=utf-8",
	"HTML": "text/html; charset=utf-8", "BINARY": "application/octet-stream", "PASSTHROUGH": "application/json; charset=utf-8",
	"": "application/json; charset=utf-8",
}

// routeTable finds the API of one group and stage that answers a method
// and path. The zero value has no APIs.
type routeTable struct {
	router *rules.Router
	apis   map[string]*deployedAPI // by API id
}

func newRouteTable(ds []rules.Deployment, fwd *forwarder) (routeTable, error) {
	t := routeTable{router: rules.NewRouter(ds), apis: make(map[string]*deployedAPI, len(ds))}
	for i := range ds {
		a, err := newDeployedAPI(&ds[i], fwd)
		if err != nil {
			return routeTable{}, err
		}
		t.apis[a.id] = a
	}
	if t.router.Len() != len(ds) {
		return routeTable{}, fmt.Errorf("%d deployments make %d routes", len(ds), t.router.Len())
	}
	return t, nil
}

// apiMethod reports whether an API can have the method: GET, POST, PUT,
// DELETE, PATCH, HEAD or OPTIONS (ANY stands for them).
func apiMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

// match finds the API for method and path (as sent, escaped); the
// placeholders' values are appended to params.
func (t routeTable) match(method, path string, params []rules.PathParam) (*deployedAPI, []rules.PathParam, matchOutcome) {
	if !apiMethod(method) {
		return nil, params, matchBadMethod
	}
	d, params, o := t.router.Match(method, path, params)
	switch o {
	case rules.MatchFound:
		return t.apis[d.APIID], params, matchFound
	case rules.MatchMethodNotAllowed:
		return nil, params, matchNoMethod
	}
	return nil, params, matchNoPath
}

// pathTemplate is a service path whose [name] segments take the values of
// the request path's placeholders of the same name.
type pathTemplate string

// fill writes the path with each [name] replaced by its value, escaped as
// a path segment.
func (p pathTemplate) fill(params []rules.PathParam) string {
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
			if pr.Name == name {
				b.WriteString(url.PathEscape(pr.Value))
				break
			}
		}
		s = s[j+1:]
	}
	return b.String()
}
