package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/gateway"
	"gatehouse/rules"
	"gatehouse/web/webtest"
)

// The gateway seen from the console (issue 15): Recent calls, an API's
// Debug panel, and the traffic of Group Details and the proxy URL of a
// VPC's page (their routes' tests call testGroupTraffic and
// testVpcProxyURL). Calls are made to the console's own gateway
// (rt.Gateway, served on rt.GatewayServer), straight as the Internet or
// through its proxy as a network; each test calls a group of its own, so
// its counts are its own.
var trafficRoutes = map[string]routeTest{
	"GET /calls":           testCallsPage,
	"POST /apis/:id/debug": testAPIDebug,
}

// trafficGroup is a group of the first tenant on a shared instance of
// cn-hangzhou, its VPC domain enabled, with a Mock API on GET /<name>
// deployed to RELEASE.
func (rt *routeT) trafficGroup(t *testing.T) (rules.Group, rules.API) {
	t.Helper()
	g := rt.newGroup(t, rt.hangzhouShared, true)
	api := rt.newAPIIn(t, g.ID, rt.name("traffic"), rules.StageRelease)
	return g, api
}

// call makes a call on domain through the gateway: straight to it (the
// Internet) when n is nil, else through its proxy as the network n. It
// answers the status and the X-Ca-Error-Code or X-Gatehouse-Refused.
func (rt *routeT) call(t *testing.T, n *gateway.Network, domain, path string) (int, string) {
	t.Helper()
	tr := &http.Transport{}
	defer tr.CloseIdleConnections()
	target := rt.GatewayServer.URL + path
	if n != nil {
		proxy, err := url.Parse(rt.Gateway.ProxyURL(*n))
		if err != nil {
			t.Fatal(err)
		}
		tr.Proxy = http.ProxyURL(proxy)
		target = "http://" + domain + path
	}
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = domain
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	code := resp.Header.Get("X-Ca-Error-Code")
	if code == "" {
		code = resp.Header.Get(gateway.HeaderRefused)
	}
	return resp.StatusCode, code
}

// expectCall makes a call and checks its status.
func (rt *routeT) expectCall(t *testing.T, n *gateway.Network, domain, path string, status int) {
	t.Helper()
	if got, code := rt.call(t, n, domain, path); got != status {
		t.Fatalf("call %s%s: status %d (%s), want %d", domain, path, got, code, status)
	}
}

// vpcOf is a VPC as the store holds it.
func (rt *routeT) vpcOf(t *testing.T, accountID, id string) rules.VPC {
	t.Helper()
	v, err := rt.Store.GetVpc(context.Background(), accountID, id)
	if err != nil {
		t.Fatal(err)
	}
	return v.VPC
}

func testCallsPage(t *testing.T, rt *routeT) {
	g, api := rt.trafficGroup(t)
	path := "/" + api.Name
	// Account B's VPC calls A's group on the shared instance (R3): A sees
	// the call, from "a VPC of another account".
	bVpc := rt.vpcOf(t, rt.b.Account.ID, rt.b.Vpc)
	rt.expectCall(t, nil, g.PublicDomain(), path, http.StatusOK)
	rt.expectCall(t, nil, g.PublicDomain(), "/nothing-here", http.StatusNotFound)
	rt.expectCall(t, &gateway.Network{Kind: rules.CallerVpc, Vpc: &bVpc}, g.VpcDomain(), path, http.StatusOK)
	rt.expectCall(t, &gateway.Internet, g.VpcDomain(), path, http.StatusBadGateway)

	viewer := rt.as(t, rt.viewer)
	rt.expectGetModes(t, viewer, "/calls?group="+g.ID, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows("4 calls", "a VPC of another account", "the Internet", api.Name, "RELEASE", "I404NF", "refused by the network").ShowsNot(rt.b.Vpc)
		rows := p.Doc().Find("#calls-table tbody tr")
		if rows.Length() != 4 {
			t.Fatalf("%s: %d rows, want 4", p, rows.Length())
		}
		// Newest first: the Internet's refused call, then B's VPC's.
		if first := rows.First().Text(); !strings.Contains(first, "502") || !strings.Contains(first, g.VpcDomain()) {
			t.Errorf("%s: the first row is %q, want the last call (502 on the VPC domain)", p, first)
		}
		if last := rows.Last().Text(); !strings.Contains(last, "200") || !strings.Contains(last, g.PublicDomain()) {
			t.Errorf("%s: the last row is %q, want the first call", p, last)
		}
		if !p.Has(`[hx-trigger="every 5s"]`) {
			t.Errorf("%s: the list does not refresh itself", p)
		}
		if !p.Has(`#calls-table a[href="/apis/` + api.ID + `"]`) {
			t.Errorf("%s: the API is not linked", p)
		}
	})
	for outcome, want := range map[string]int{"ok": 2, "error": 1, "refused": 1} {
		p := viewer.Get(t, "/calls?group="+g.ID+"&outcome="+outcome).Expect(http.StatusOK)
		if n := p.Doc().Find("#calls-table tbody tr").Length(); n != want {
			t.Errorf("%s: %d rows, want %d", p, n, want)
		}
		if p.Value("outcome") != outcome {
			t.Errorf("%s: the outcome filter holds %q", p, p.Value("outcome"))
		}
	}
	// Paused: the same list, no refresh, the filters kept in the links.
	paused := viewer.Get(t, "/calls?group="+g.ID+"&paused=1").Expect(http.StatusOK).Shows("4 calls", "Resume auto-refresh")
	if paused.Has(`[hx-trigger]`) || !paused.Has(`a#calls-resume[href="/calls?group=`+g.ID+`"]`) {
		t.Errorf("%s: a paused list refreshes itself, or Resume loses the group", paused)
	}
	// Bad filters: 400, said beside the filter, the list without it.
	viewer.Get(t, "/calls?group="+rt.b.Group).Expect(http.StatusBadRequest).
		ExpectFieldError("group", "Your account has no API group").ShowsNot(rt.b.Account.Name)
	viewer.Get(t, "/calls?outcome=maybe").Expect(http.StatusBadRequest).ExpectFieldError("outcome", `There is no outcome "maybe"`)
	viewer.Get(t, "/calls?outcome=maybe&group="+g.ID).Expect(http.StatusBadRequest).Shows("4 calls")

	// Account B sees none of it: the calls were on A's names.
	bViewer := rt.login(t, rt.b.Viewer, rt.b.Password)
	bViewer.Get(t, "/calls").Expect(http.StatusOK).ShowsNot(g.ID).ShowsNot(api.Name)
	if p := rt.anonymous(t).Get(t, "/calls"); p.Status != http.StatusFound || !strings.HasPrefix(p.Header.Get("Location"), "/login") {
		t.Errorf("%s: a visitor is not sent to log in", p)
	}
}

// debugForm is what the Debug panel posts; kv replaces fields.
func debugForm(domain, path string, kv ...string) url.Values {
	v := url.Values{"network": {"internet"}, "domain": {domain}, "protocol": {"HTTP"}, "stage": {"RELEASE"},
		"method": {"GET"}, "path": {path}, "headers": {"Accept: application/json"}, "body": {""}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func testAPIDebug(t *testing.T, rt *routeT) {
	g, api := rt.trafficGroup(t)
	path := "/" + api.Name
	debug := "/apis/" + api.ID + "/debug"
	op := rt.as(t, rt.operator)

	t.Run("allowed, without JavaScript and with htmx", func(t *testing.T) {
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := op.PostAs(t, mode, debug, debugForm(g.PublicDomain(), path)).Expect(http.StatusOK)
			if mode == webtest.Fragment {
				p.ExpectFragment()
			} else {
				p.ExpectFullPage()
			}
			p.Shows("200 OK", "answered by the API's backend", "Allowed", "GET http://"+g.PublicDomain()+path, "Accept: application/json",
				"X-Ca-Request-Id", "straight to the gateway, from the Internet")
			if !p.Has("#debug-result") || p.Value("domain") != g.PublicDomain() || p.Value("path") != path {
				t.Errorf("%s: no result, or the form does not keep the call", p)
			}
		}
		// Through a VPC over HTTPS: a tunnel of the proxy, the VPC domain.
		p := op.Post(t, debug, debugForm(g.VpcDomain(), path, "network", "vpc:"+rt.a.Vpc, "protocol", "HTTPS")).Expect(http.StatusOK)
		p.Shows("200 OK", "https://"+g.VpcDomain()+path, "through a tunnel of the proxy (CONNECT), as "+rt.a.Vpc, "R3")
	})
	t.Run("refused: what a caller in that network gets", func(t *testing.T) {
		// The Internet never resolves a VPC domain.
		p := op.PostAs(t, webtest.Fragment, debug, debugForm(g.VpcDomain(), path)).Expect(http.StatusOK)
		p.Shows("502 Bad Gateway", "refused by the network (R11)", "Refused", "X-Gatehouse-Refused: R11", "The Internet never resolves a VPC second-level domain")
		// Another VPC of the account on a dedicated instance bound to
		// the tenant's VPC (R4).
		other := rt.newVpc(t)
		var d = rt.apiOf(t, rt.a.API)
		p = op.Post(t, "/apis/"+rt.a.API+"/debug", debugForm(rules.VpcDomain(d.GroupID, d.Group.RegionID), "/orders", "network", "vpc:"+other.ID)).Expect(http.StatusOK)
		p.Shows("502 Bad Gateway", "refused by the network (R4)", "Refused")
		// API Gateway's own error: a stage the API is not deployed to.
		p = op.Post(t, debug, debugForm(g.PublicDomain(), path, "stage", "TEST")).Expect(http.StatusOK)
		p.Shows("404 Not Found", "API Gateway's error I404NF", "X-Ca-Error-Code: I404NF", "Allowed")
	})
	t.Run("a Debug call is a counted call", func(t *testing.T) {
		p := rt.as(t, rt.viewer).Get(t, "/calls?group="+g.ID).Expect(http.StatusOK).Shows("Debug panel")
		if p.Doc().Find("#calls-table tbody tr").Length() < 3 {
			t.Errorf("%s: the Debug calls are not listed", p)
		}
	})
	t.Run("bad input: 422 beside the field, nothing sent", func(t *testing.T) {
		for field, c := range map[string]struct{ value, want string }{
			"network":  {"vpc:" + rt.b.Vpc, "Your account has no VPC"},
			"domain":   {"evil.example.com", `The group has no domain "evil.example.com"`},
			"path":     {"orders", "The path starts with /"},
			"headers":  {"no colon here", "Line 1 of the headers is not of the form Name: Value"},
			"method":   {"TRACE", "Choose one of the methods"},
			"stage":    {"LIVE", "LIVE"},
			"protocol": {"FTP", "Choose HTTP or HTTPS."},
		} {
			for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
				p := op.PostAs(t, mode, debug, debugForm(g.PublicDomain(), path, field, c.value)).
					Expect(http.StatusUnprocessableEntity).ExpectFieldError(field, c.want).ShowsNot(rt.b.Account.Name)
				if p.Has("#debug-result") {
					t.Errorf("%s: %s %q was sent", p, field, c.value)
				}
			}
		}
		op.Post(t, debug, debugForm(g.PublicDomain(), path, "body", strings.Repeat("x", 65<<10))).
			Expect(http.StatusUnprocessableEntity).ExpectFieldError("body", "at most 64 KiB")
	})
	t.Run("another account's API, a viewer", func(t *testing.T) {
		op.Post(t, "/apis/"+rt.b.API+"/debug", debugForm(g.PublicDomain(), path)).Expect(http.StatusNotFound).ShowsNot(rt.b.Account.ID)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, debug, debugForm(g.PublicDomain(), path)), viewerRefusal)
	})
}

// testDebugPanel is the Debug panel on an API's page: the form for an
// operator, filled for the API; words instead for a viewer.
func testDebugPanel(t *testing.T, rt *routeT) {
	p := rt.as(t, rt.operator).Get(t, "/apis/"+rt.a.API).Expect(http.StatusOK)
	d := rt.apiOf(t, rt.a.API)
	g := rules.Group{ID: d.GroupID, RegionID: d.Group.RegionID}
	if p.Value("network") != "internet" || p.Value("domain") != g.PublicDomain() || p.Value("stage") != "RELEASE" ||
		p.Value("method") != "GET" || p.Value("path") != "/orders" {
		t.Errorf("%s: the Debug form holds %s %s %s %s %s", p, p.Value("network"), p.Value("domain"), p.Value("stage"), p.Value("method"), p.Value("path"))
	}
	for _, want := range []string{"internet", "vpc:" + rt.a.Vpc, "hybrid:" + rt.a.Vpc} {
		if !has(p.Options("network"), want) {
			t.Errorf("%s: networks %q lack %s", p, p.Options("network"), want)
		}
	}
	if has(p.Options("network"), "vpc:"+rt.b.Vpc) || !has(p.Options("domain"), g.VpcDomain()) || !has(p.Options("domain"), rt.a.Domain) {
		t.Errorf("%s: networks %q, domains %q", p, p.Options("network"), p.Options("domain"))
	}
	v := rt.as(t, rt.viewer).Get(t, "/apis/"+rt.a.API).Expect(http.StatusOK).Shows("for operators and admins")
	if v.Has(`form[action^="/apis/` + rt.a.API + `/debug"]`) {
		t.Errorf("%s: a viewer is offered Debug", v)
	}
}

// testGroupTraffic is the Traffic card of Group Details: the public
// domain's meter and the chart, empty, then after calls.
func testGroupTraffic(t *testing.T, rt *routeT) {
	g, api := rt.trafficGroup(t)
	viewer := rt.as(t, rt.viewer)
	p := viewer.Get(t, "/groups/"+g.ID).Expect(http.StatusOK).
		Shows("0 of 1,000 calls today", "No calls on the group's domains in the last 24 hours", "resets at 00:00 Beijing time")
	if p.Has("svg.chart") {
		t.Errorf("%s: a chart without calls", p)
	}
	bVpc := rt.vpcOf(t, rt.b.Account.ID, rt.b.Vpc)
	for range 3 {
		rt.expectCall(t, nil, g.PublicDomain(), "/"+api.Name, http.StatusOK)
	}
	rt.expectCall(t, nil, g.PublicDomain(), "/missing", http.StatusNotFound)
	rt.expectCall(t, &gateway.Network{Kind: rules.CallerVpc, Vpc: &bVpc}, g.VpcDomain(), "/"+api.Name, http.StatusOK)

	rt.expectGetModes(t, viewer, "/groups/"+g.ID, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		// The limit counts the calls admitted to an API of the public
		// domain: not the 404, nor the VPC domain's call. The chart
		// counts every call.
		p.Shows("3 of 1,000 calls today", "4 calls", "1 failed", "1 call").ShowsNot("No calls on the group's domains")
		if v := p.Doc().Find("meter#public-meter").AttrOr("value", ""); v != "3" {
			t.Errorf("%s: the meter's value is %q, want 3", p, v)
		}
		charts := p.Doc().Find("#group-charts > li")
		if charts.Length() != 2 {
			t.Fatalf("%s: %d charts, want one a domain called (2)", p, charts.Length())
		}
		public := p.Doc().Find(`#group-charts svg[aria-label*="` + g.PublicDomain() + `"]`)
		if label := public.AttrOr("aria-label", ""); !strings.Contains(label, "4 calls, 1 failed") {
			t.Errorf("%s: the chart says %q", p, label)
		}
		if public.Find("rect.bar-ok").Length() != 1 || public.Find("rect.bar-failed").Length() != 1 {
			t.Errorf("%s: the public domain's chart has %d answered and %d failed bars, want 1 and 1", p,
				public.Find("rect.bar-ok").Length(), public.Find("rect.bar-failed").Length())
		}
		// The text alternative: one row an hour with calls.
		if rows := p.Doc().Find("#group-charts details table tbody tr"); rows.Length() != 2 {
			t.Errorf("%s: %d rows in the tables, want 2 (one hour, two domains)", p, rows.Length())
		}
	})
}

// testVpcProxyURL is the proxy URL on a VPC's page: the one `gatehouse
// network url` prints, and it works.
func testVpcProxyURL(t *testing.T, rt *routeT) {
	v := rt.vpcOf(t, rt.a.Account.ID, rt.a.Vpc)
	p := rt.as(t, rt.viewer).Get(t, "/vpcs/"+rt.a.Vpc).Expect(http.StatusOK)
	want := gateway.ProxyURL(strings.TrimPrefix(rt.GatewayServer.URL, "http://"), rt.proxyKey(t), gateway.Network{Kind: rules.CallerVpc, Vpc: &v})
	if got := p.Text("#vpc-proxy-url"); got != want {
		t.Errorf("%s: proxy URL %q, want %q", p, got, want)
	}
	if got := p.Doc().Find(`#vpc-proxy button[data-copy]`).First().AttrOr("data-copy", ""); got != want {
		t.Errorf("%s: the copy button copies %q", p, got)
	}
	if got := p.Text("#vpc-curl"); got != "curl -x '"+want+"' http://GROUP_ID-cn-hangzhou-vpc.alicloudapi.com/" {
		t.Errorf("%s: the example is %q", p, got)
	}
	if !strings.Contains(p.Text("#vpc-hybrid-proxy-url"), "hybrid."+rt.a.Vpc+":") {
		t.Errorf("%s: the hybrid network's URL is %q", p, p.Text("#vpc-hybrid-proxy-url"))
	}
	// The URL proves the VPC: the group on the instance bound to it answers.
	d := rt.apiOf(t, rt.a.API)
	rt.expectCall(t, &gateway.Network{Kind: rules.CallerVpc, Vpc: &v}, rules.VpcDomain(d.GroupID, d.Group.RegionID), "/orders", http.StatusOK)
}

// proxyKey is the key of the proxy's credentials.
func (rt *routeT) proxyKey(t *testing.T) []byte {
	t.Helper()
	k, err := rt.Store.SecretKey(context.Background(), gateway.ProxyKeyName, gateway.ProxyKeySize)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
