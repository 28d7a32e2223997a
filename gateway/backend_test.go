package gateway

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"gatehouse/rules"
)

// deploy creates an API in a group of account A through the store and
// deploys it to the stages (RELEASE when none); it returns the API's id.
func (f *fixture) deploy(t testing.TB, groupID string, def rules.APIDefinition, stages ...rules.Stage) string {
	t.Helper()
	ctx := context.Background()
	api, err := f.st.CreateAPI(ctx, f.a, groupID, def.WithDefaults())
	if err != nil {
		t.Fatalf("create API %s: %v", def.Name, err)
	}
	if len(stages) == 0 {
		stages = []rules.Stage{rules.StageRelease}
	}
	for _, st := range stages {
		if _, err := f.st.DeployAPI(ctx, f.a, api.ID, st, "test"); err != nil {
			t.Fatalf("deploy API %s to %s: %v", def.Name, st, err)
		}
	}
	return api.ID
}

// mockAPI is a Mock API over HTTP answering body.
func mockAPI(name, method, path, body string) rules.APIDefinition {
	return rules.APIDefinition{Name: name, Method: method, Path: path, Protocols: rules.ProtocolsHTTP,
		Backend: rules.BackendMock, MockBody: body, MockStatus: 200}
}

// httpAPI is an API over HTTP forwarding ANY method on path to a service.
func httpAPI(name, path, address, servicePath, serviceMethod string, timeout time.Duration) rules.APIDefinition {
	return rules.APIDefinition{Name: name, Method: rules.MethodAny, Path: path, Protocols: rules.ProtocolsHTTP,
		Backend: rules.BackendHTTP, ServiceAddress: address, ServicePath: servicePath, ServiceMethod: serviceMethod,
		ServiceTimeout: int(timeout / time.Millisecond)}
}

// seen is what a test service saw of a call.
type seen struct {
	method, path, query string
	header              http.Header
	bodySum             [32]byte
	bodyLen             int64
}

// echoService records each call and answers 201 with a header of its own.
func echoService(t testing.TB) (*httptest.Server, func() seen) {
	var mu sync.Mutex
	var last seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := sha256.New()
		n, _ := io.Copy(h, r.Body)
		mu.Lock()
		last = seen{method: r.Method, path: r.URL.EscapedPath(), query: r.URL.RawQuery, header: r.Header.Clone(), bodyLen: n}
		copy(last.bodySum[:], h.Sum(nil))
		mu.Unlock()
		w.Header().Set("X-Service", "echo")
		w.Header().Set("Connection", "close-after") // a hop-by-hop header the gateway must not pass back as is
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "made")
	}))
	t.Cleanup(srv.Close)
	return srv, func() seen { mu.Lock(); defer mu.Unlock(); return last }
}

// A forwarded call reaches the service with its method, the service path
// with the placeholders' values, the query, the body and its headers less
// the hop-by-hop ones, and says who called; the service's answer comes
// back as it is, without the gateway's error headers.
func TestForwardingToAnHTTPService(t *testing.T) {
	f := newFixture(t)
	svc, last := echoService(t)
	f.deploy(t, f.shared.ID, httpAPI("orders", "/orders", svc.URL, "/v1/orders", "POST", 2*time.Second))
	body := bytes.Repeat([]byte("0123456789"), 400_000) // 4 MB, streamed
	r := httptest.NewRequest("PUT", "/orders?page=2&q=a%20b", bytes.NewReader(body))
	r.Host = f.shared.PublicDomain()
	r.RemoteAddr = "192.0.2.7:5555"
	r.Header.Set("Connection", "X-Drop-Me, keep-alive")
	r.Header.Set("X-Drop-Me", "1")
	r.Header.Set("Keep-Alive", "timeout=5")
	r.Header.Set("Proxy-Authorization", basic("internet", ""))
	r.Header.Set("Te", "gzip")
	r.Header.Set("X-Keep-Me", "yes")
	w := httptest.NewRecorder()
	f.gw.ServeHTTP(w, r)

	if w.Code != http.StatusCreated || w.Body.String() != "made" || w.Header().Get("X-Service") != "echo" {
		t.Fatalf("answer %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	if w.Header().Get(headerErrorCode) != "" || w.Header().Get(headerRequestID) == "" || w.Header().Get("Connection") != "" {
		t.Errorf("answer headers %v", w.Header())
	}
	got := last()
	if got.method != "POST" || got.path != "/v1/orders" || got.query != "page=2&q=a%20b" {
		t.Errorf("the service saw %s %s?%s", got.method, got.path, got.query)
	}
	if got.bodyLen != int64(len(body)) || got.bodySum != sha256.Sum256(body) {
		t.Errorf("the service saw a body of %d bytes, not the %d sent", got.bodyLen, len(body))
	}
	for _, h := range []string{"X-Drop-Me", "Keep-Alive", "Proxy-Authorization", "Te"} {
		if v := got.header.Get(h); v != "" {
			t.Errorf("hop-by-hop %s reached the service: %q", h, v)
		}
	}
	if got.header.Get("X-Keep-Me") != "yes" || got.header.Get("X-Forwarded-For") != "192.0.2.7" ||
		got.header.Get(headerRequestID) != w.Header().Get(headerRequestID) {
		t.Errorf("the service saw headers %v", got.header)
	}
}

func TestForwardingFillsPathParameters(t *testing.T) {
	cases := []struct {
		template string
		params   []rules.PathParam
		want     string
	}{
		{"/v1/users", nil, "/v1/users"},
		{"/v1/users/[id]", []rules.PathParam{{Name: "id", Value: "42"}}, "/v1/users/42"},
		{"/[b]/x/[a]", []rules.PathParam{{Name: "a", Value: "1"}, {Name: "b", Value: "two words"}}, "/two%20words/x/1"},
		{"/users/[id]", []rules.PathParam{{Name: "id", Value: "a/b"}}, "/users/a%2Fb"},
	}
	for _, c := range cases {
		if got := pathTemplate(c.template).fill(c.params); got != c.want {
			t.Errorf("%s with %v: %s, want %s", c.template, c.params, got, c.want)
		}
	}
}

// A service that is down, slow, outside --backend-allow or broken gets
// Alibaba's code for it, in bounded time.
func TestBackendFailures(t *testing.T) {
	f := newFixture(t)
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer slow.Close()
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadAddr := "http://" + dead.Addr().String()
	dead.Close()
	broken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer broken.Close()
	go func() {
		for {
			c, err := broken.Accept()
			if err != nil {
				return
			}
			io.ReadAtLeast(c, make([]byte, 16), 16)
			c.Write([]byte("this is not HTTP\r\n\r\n"))
			c.Close()
		}
	}()

	cases := []struct {
		name    string
		address string
		allow   []netip.Prefix
		code    string
		status  int
		within  time.Duration
	}{
		{"a slow service", slow.URL, nil, "D504TO", http.StatusGatewayTimeout, 2 * time.Second},
		{"a dead service", deadAddr, nil, "D504CO", http.StatusGatewayTimeout, 2 * time.Second},
		{"a service outside --backend-allow", slow.URL, []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, "D504CO", http.StatusGatewayTimeout, time.Second},
		{"a broken service", "http://" + broken.Addr().String(), nil, "D504RE", http.StatusGatewayTimeout, 2 * time.Second},
	}
	for i, c := range cases {
		allow := loopback
		if c.allow != nil {
			allow = c.allow
		}
		f.gw = New(Config{Limits: f.limits, ProxyKey: f.key, BackendAllow: allow}, f.st)
		f.deploy(t, f.shared.ID, httpAPI(fmt.Sprintf("failing%d", i), fmt.Sprintf("/x%d", i), c.address, "/", "", 300*time.Millisecond))
		start := time.Now()
		w := f.do(t, direct, "GET", f.internetDomain, fmt.Sprintf("/x%d", i))
		if took := time.Since(start); took > c.within {
			t.Errorf("%s: answered after %v", c.name, took)
		}
		if w.Code != c.status || w.Header().Get(headerErrorCode) != c.code {
			t.Errorf("%s: %d %s %q, want %d %s", c.name, w.Code, w.Header().Get(headerErrorCode), w.Header().Get(headerErrorMessage), c.status, c.code)
		}
		if c.allow != nil && !strings.Contains(w.Header().Get(headerErrorMessage), "--backend-allow") {
			t.Errorf("%s: message %q does not name --backend-allow", c.name, w.Header().Get(headerErrorMessage))
		}
	}
}

// A body over 8 MB is refused before anything is forwarded when its
// length is announced, and stops the call when it is not.
func TestRequestBodyLimit(t *testing.T) {
	f := newFixture(t)
	svc, _ := echoService(t)
	f.deploy(t, f.shared.ID, httpAPI("uploads", "/up", svc.URL, "/", "", 5*time.Second))
	big := bytes.Repeat([]byte("x"), maxRequestBody+1)
	for _, announced := range []bool{true, false} {
		var body io.Reader = bytes.NewReader(big)
		if !announced {
			body = io.MultiReader(body) // no length known: chunked
		}
		r := httptest.NewRequest("POST", "/up", body)
		r.Host = f.shared.PublicDomain()
		if !announced {
			r.ContentLength = -1
		}
		w := httptest.NewRecorder()
		f.gw.ServeHTTP(w, r)
		if w.Code != http.StatusRequestEntityTooLarge || w.Header().Get(headerErrorCode) != "I413RL" {
			t.Errorf("announced %t: %d %s", announced, w.Code, w.Header().Get(headerErrorCode))
		}
	}
}

// Mock APIs answer their status, headers and body; HEAD has no body.
func TestMockAnswers(t *testing.T) {
	f := newFixture(t)
	mock := mockAPI("hello", rules.MethodAny, "/hello", `{"hello":"world"}`)
	mock.MockStatus, mock.MockHeaders = 202, []rules.Header{{Name: "X-Mock", Value: "1"}}
	f.deploy(t, f.shared.ID, mock)
	w := f.do(t, direct, "GET", f.shared.PublicDomain(), "/hello")
	if w.Code != 202 || w.Body.String() != `{"hello":"world"}` || w.Header().Get("X-Mock") != "1" ||
		w.Header().Get("Content-Type") != "application/json; charset=utf-8" || w.Header().Get(headerErrorCode) != "" {
		t.Errorf("GET: %d %q %v", w.Code, w.Body.String(), w.Header())
	}
	w = f.do(t, direct, "HEAD", f.shared.PublicDomain(), "/hello")
	if w.Code != 202 || w.Body.Len() != 0 {
		t.Errorf("HEAD: %d %q", w.Code, w.Body.String())
	}
}

// The API's own checks: protocol (I403PT), DisableInternet (A403IN) on
// the public domain and INTERNET custom domains, the stage (I404NF in a
// stage it is not deployed to).
func TestAPIChecks(t *testing.T) {
	f := newFixture(t)
	httpsOnly := mockAPI("https_only", "GET", "/https-only", "ok")
	httpsOnly.Protocols = rules.ProtocolsHTTPS
	intranetOnly := mockAPI("intranet_only", "GET", "/intranet", "ok")
	intranetOnly.DisableInternet = true
	f.deploy(t, f.shared.ID, httpsOnly)
	f.deploy(t, f.shared.ID, intranetOnly)
	f.deploy(t, f.shared.ID, mockAPI("in_test", "GET", "/in-test", "ok"), rules.StageTest)
	f.deploy(t, f.onDedicated.ID, intranetOnly)
	inA := f.proxy(rules.CallerVpc, f.vpcA)
	cases := []struct {
		name   string
		v      via
		host   string
		path   string
		header []string
		want   outcome
	}{
		{"HTTPS-only API over HTTP", direct, f.shared.PublicDomain(), "/https-only", nil, outcome{http.StatusForbidden, "I403PT", ""}},
		{"DisableInternet on the public domain", direct, f.shared.PublicDomain(), "/intranet", nil, outcome{http.StatusForbidden, "A403IN", ""}},
		{"DisableInternet on the public domain, from a VPC", inA, f.shared.PublicDomain(), "/intranet", nil, outcome{http.StatusForbidden, "A403IN", ""}},
		{"DisableInternet on an INTERNET custom domain", direct, f.internetDomain, "/intranet", nil, outcome{http.StatusForbidden, "A403IN", ""}},
		{"DisableInternet on the VPC domain", inA, f.shared.VpcDomain(), "/intranet", nil, outcome{http.StatusOK, "", ""}},
		{"DisableInternet on an INTRANET custom domain", inA, f.intranetDomain, "/intranet", nil, outcome{http.StatusOK, "", ""}},
		{"an API of TEST, called in RELEASE", direct, f.shared.PublicDomain(), "/in-test", nil, outcome{http.StatusNotFound, "I404NF", ""}},
		{"an API of TEST, called in TEST", direct, f.shared.PublicDomain(), "/in-test", []string{"X-Ca-Stage", "TEST"}, outcome{http.StatusOK, "", ""}},
	}
	for _, c := range cases {
		c.want.check(t, c.name, f.do(t, c.v, "GET", c.host, c.path, c.header...))
	}
	outcome{http.StatusNotFound, "I404NF", ""}.check(t, "POST to a GET API", f.do(t, direct, "POST", f.shared.PublicDomain(), "/in-test", "X-Ca-Stage", "TEST"))
}

// R2: the public domain admits the day's limit and refuses the rest with
// T429ID; the VPC domain and custom domains of the same group are never
// counted.
func TestPublicDomainDailyLimit(t *testing.T) {
	f := newFixture(t) // limit: 5 a day in mainland regions
	f.deploy(t, f.shared.ID, mockAPI("root", "GET", "/", ""))
	var codes []int
	for range 8 {
		codes = append(codes, f.do(t, direct, "GET", f.shared.PublicDomain(), "/").Code)
	}
	want := []int{200, 200, 200, 200, 200, 429, 429, 429}
	for i := range want {
		if codes[i] != want[i] {
			t.Fatalf("public domain: %v, want %v", codes, want)
		}
	}
	w := f.do(t, direct, "GET", f.shared.PublicDomain(), "/")
	if w.Header().Get(headerErrorCode) != "T429ID" || !strings.Contains(w.Header().Get(headerErrorMessage), "5 calls a day") {
		t.Errorf("over the limit: %s %q", w.Header().Get(headerErrorCode), w.Header().Get(headerErrorMessage))
	}
	for range 10 {
		outcome{http.StatusOK, "", ""}.check(t, "the VPC domain", f.do(t, f.proxy(rules.CallerVpc, f.vpcB), "GET", f.shared.VpcDomain(), "/"))
		outcome{http.StatusOK, "", ""}.check(t, "an INTERNET custom domain", f.do(t, direct, "GET", f.internetDomain, "/"))
	}
	if n, ok := f.gw.limits.usedToday(f.shared.ID); n != 5 || !ok {
		t.Errorf("%d calls counted (%v), want 5", n, ok)
	}
}

// FuzzGateway sends whatever a client could send through the whole line
// of steps: it never panics, never answers 500, and always says its
// request id.
func FuzzGateway(f *testing.F) {
	fx := newFixture(f)
	fx.deploy(f, fx.shared.ID, mockAPI("hello", rules.MethodAny, "/hello", "hi"))
	fx.deploy(f, fx.shared.ID, mockAPI("user", "GET", "/users/[id]", "user"))
	vpcCred := basic(fx.vpcA.ID, Credential(fx.key, Network{Kind: rules.CallerVpc, Vpc: &fx.vpcA}))
	for _, seed := range []string{
		"GET /hello HTTP/1.1\r\nHost: " + fx.shared.PublicDomain() + "\r\n\r\n",
		"GET http://" + fx.shared.VpcDomain() + "/hello HTTP/1.1\r\nHost: x\r\nProxy-Authorization: " + vpcCred + "\r\n\r\n",
		"POST http://" + fx.internetDomain + "/hello HTTP/1.1\r\nHost: x\r\nX-Ca-Stage: TEST\r\nContent-Length: 2\r\n\r\nhi",
		"GET http://" + fx.onDedicated.VpcDomain() + "/ HTTP/1.1\r\nHost: x\r\nProxy-Authorization: Basic Og==\r\n\r\n",
		"OPTIONS * HTTP/1.1\r\nHost: " + fx.shared.PublicDomain() + "\r\n\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			return
		}
		r.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		fx.gw.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != http.StatusBadGateway && w.Code != http.StatusNotImplemented && w.Code != http.StatusGatewayTimeout {
			t.Fatalf("%q: status %d %q", raw, w.Code, w.Body.String())
		}
		if w.Header().Get(headerRequestID) == "" {
			t.Fatalf("%q: no request id", raw)
		}
	})
}
