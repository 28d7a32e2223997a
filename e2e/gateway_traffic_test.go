//go:build e2e

package e2e

import (
	"bufio"
	"encoding/base64"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"gatehouse/rules"
)

// rawCall writes a request as bytes to the gateway and reads the answer:
// for what an HTTP client library would not send.
func rawCall(t *testing.T, srv *gatehouse, raw string) answer {
	t.Helper()
	c, err := net.DialTimeout("tcp", srv.gateway, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(10 * time.Second))
	if _, err := io.WriteString(c, raw); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("reading the answer to %.80q: %v", raw, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, resp.Header, string(body)}
}

// Bad requests get the documented answers and nothing panics.
func TestGatewayBadRequests(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("bad_requests", "cn-hangzhou", "")
	vpcDomain := w.a.enableVpcDomain(g)
	hello(w.a, g, "fine")
	srv := sharedServer()

	// Malformed proxy credentials: 407 with a challenge.
	for _, auth := range []string{"Basic !!!", "Bearer x", "Basic " + base64.StdEncoding.EncodeToString([]byte("no colon")), "Basic " + base64.StdEncoding.EncodeToString([]byte("root:x"))} {
		a := rawCall(t, srv, "GET http://"+vpcDomain+"/hello HTTP/1.1\r\nHost: "+vpcDomain+"\r\nProxy-Authorization: "+auth+"\r\n\r\n")
		if a.status != http.StatusProxyAuthRequired || !strings.HasPrefix(a.header.Get("Proxy-Authenticate"), "Basic") || a.header.Get("X-Gatehouse-Refused") != "proxy-auth" {
			t.Errorf("Proxy-Authorization %q: %s", auth, a)
		}
	}
	// Another tenant's credential: B's password under A's VPC.
	bURL, err := url.Parse(networkURL(t, nil, "--vpc", w.b1))
	if err != nil {
		t.Fatal(err)
	}
	bPassword, _ := bURL.User.Password()
	posing := viaProxy(t, "http://"+w.a1+":"+bPassword+"@"+srv.gateway)
	if a := send(t, posing, "GET", at(vpcDomain, "/hello")); a.status != http.StatusProxyAuthRequired {
		t.Errorf("B posing as A's VPC: %s", a)
	}
	// A host outside Gatehouse: never an open proxy.
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { t.Errorf("the proxy reached %s", r.URL) }))
	defer other.Close()
	for _, target := range []string{other.URL + "/", "http://www.example.org/", "http://localhost:" + strings.Split(other.Listener.Addr().String(), ":")[1] + "/"} {
		a := send(t, w.inA1, "GET", target)
		if a.status != http.StatusForbidden || a.header.Get("X-Gatehouse-Refused") != "not-gatehouse" {
			t.Errorf("%s through the proxy: %s", target, a)
		}
	}
	// Absurd headers.
	expectCode(t, "a 100 KB header", send(t, w.directly, "GET", at(rules.PublicDomain(g, "cn-hangzhou"), "/hello"), "X-Junk", strings.Repeat("j", 100<<10)), http.StatusBadRequest, "I400HD")
	if a := rawCall(t, srv, "GET /hello HTTP/1.1\r\nHost: "+rules.PublicDomain(g, "cn-hangzhou")+"\r\nX-Junk: "+strings.Repeat("j", 2<<20)+"\r\n\r\n"); a.status != http.StatusRequestHeaderFieldsTooLarge {
		t.Errorf("a 2 MB header: %s, want 431 from the HTTP server", a)
	}
	expectCode(t, "a stage that does not exist", send(t, w.directly, "GET", at(rules.PublicDomain(g, "cn-hangzhou"), "/hello"), "X-Ca-Stage", "<script>"), http.StatusBadRequest, "I400SG")
	expectCode(t, "a method no API can have", send(t, w.directly, "PROPFIND", at(rules.PublicDomain(g, "cn-hangzhou"), "/hello")), http.StatusMethodNotAllowed, "I405UM")
	expectCode(t, "an unknown domain", send(t, w.directly, "GET", "http://nowhere.example.net/hello"), http.StatusNotFound, "I404DO")
	// A tunnel is decided like a call: the Internet never reaches a VPC
	// domain, over HTTPS either.
	expectNetworkRefused(t, "CONNECT from the Internet to a VPC domain", rawCall(t, srv, "CONNECT "+vpcDomain+":443 HTTP/1.1\r\nHost: "+vpcDomain+":443\r\n\r\n"), "R11")
	// The gateway is still well.
	expectServed(t, "a good call after the bad ones", send(t, w.inA1, "GET", at(vpcDomain, "/hello")), "fine")
	if log := env.serverLog.String(); strings.Contains(log, "panic") || strings.Contains(log, `msg="gateway:`) {
		t.Errorf("the server logged a panic or a gateway error:\n%s", log)
	}
}

// HTTP backends: a call is forwarded with its body; a dead, slow or
// disallowed service gets Alibaba's codes in bounded time, never a hang.
func TestGatewayHTTPBackends(t *testing.T) {
	w := newWorld(t)
	g := w.a.group("backends", "cn-hangzhou", "")
	vpcDomain := w.a.enableVpcDomain(g)
	echo := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(rw, "%s %s %s from %s", r.Method, r.URL.RequestURI(), body, r.Header.Get("X-Forwarded-For"))
	}))
	defer echo.Close()
	slow := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(20 * time.Second):
		}
	}))
	defer slow.Close()
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + dead.Addr().String()
	dead.Close()

	w.a.deploy(g, apiSpec{name: "echo", method: "POST", path: "/echo/[id]", service: echo.URL, servicePath: "/items/[id]", timeoutMS: 5000})
	w.a.deploy(g, apiSpec{name: "slow", method: "GET", path: "/slow", service: slow.URL, servicePath: "/", timeoutMS: 500})
	w.a.deploy(g, apiSpec{name: "dead", method: "GET", path: "/dead", service: deadURL, servicePath: "/", timeoutMS: 500})

	req, _ := http.NewRequest("POST", at(vpcDomain, "/echo/42?x=1"), strings.NewReader("payload"))
	resp, err := w.inA1.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(body), "POST /items/42?x=1 payload from 127.0.0.1") {
		t.Errorf("forwarded call: %d %q", resp.StatusCode, body)
	}
	for _, c := range []struct {
		path, code string
	}{{"/slow", "D504TO"}, {"/dead", "D504CO"}} {
		start := time.Now()
		expectCode(t, c.path, send(t, w.inA1, "GET", at(vpcDomain, c.path)), http.StatusGatewayTimeout, c.code)
		if took := time.Since(start); took > 3*time.Second {
			t.Errorf("%s answered after %v", c.path, took)
		}
	}
}

// R2's daily limit on a server of its own (20 calls a day): exactly 20 of
// 64 concurrent callers are admitted; after a kill -9 and a restart the
// day goes on from what was reserved, never past the limit; the VPC
// domain is never counted.
func TestGatewayPublicDailyLimit(t *testing.T) {
	srv := startGatehouse(t, "", "--public-daily-mainland", "20")
	tn := newTenant(t, srv)
	g := tn.group("limited", "cn-hangzhou", "")
	vpcDomain := tn.enableVpcDomain(g)
	v, _ := tn.vpc("cn-hangzhou", "10.0.0.0/8", "10.0.1.0/24")
	hello(tn, g, "counted")
	public := at(rules.PublicDomain(g, "cn-hangzhou"), "/hello")

	race := func(srv *gatehouse, callers int) (ok, throttled int) {
		c := straight(srv)
		var mu sync.Mutex
		var wg sync.WaitGroup
		for range callers {
			wg.Go(func() {
				a := send(t, c, "GET", public)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case a.status == 200 && a.body == "counted":
					ok++
				case a.status == http.StatusTooManyRequests && a.header.Get("X-Ca-Error-Code") == "T429ID":
					throttled++
				default:
					t.Errorf("a caller got %s", a)
				}
			})
		}
		wg.Wait()
		return ok, throttled
	}
	if ok, throttled := race(srv, 64); ok != 20 || throttled != 44 {
		t.Fatalf("64 callers on a limit of 20: %d admitted, %d throttled", ok, throttled)
	}
	inVpc := viaProxy(t, networkURL(t, srv, "--vpc", v))
	for range 5 {
		expectServed(t, "the VPC domain past the public limit", send(t, inVpc, "GET", at(vpcDomain, "/hello")), "counted")
	}

	// A second server on a new day's database: 7 calls, kill -9, restart.
	srv2 := startGatehouse(t, "", "--public-daily-mainland", "20")
	tn2 := newTenant(t, srv2)
	g2 := tn2.group("limited_again", "cn-hangzhou", "")
	hello(tn2, g2, "counted")
	public = at(rules.PublicDomain(g2, "cn-hangzhou"), "/hello")
	if ok, _ := race(srv2, 7); ok != 7 {
		t.Fatalf("7 callers: %d admitted", ok)
	}
	srv2.kill(syscall.SIGKILL)
	srv3 := startGatehouse(t, srv2.db, "--public-daily-mainland", "20")
	if ok, throttled := race(srv3, 64); ok != 13 || throttled != 51 {
		t.Fatalf("after kill -9 and a restart: %d admitted, %d throttled; want 13 (20 less the 7 made)", ok, throttled)
	}
	srv3.kill(syscall.SIGKILL)
	srv4 := startGatehouse(t, srv2.db, "--public-daily-mainland", "20")
	if ok, _ := race(srv4, 16); ok != 0 {
		t.Fatalf("after a second kill -9: %d admitted past the limit", ok)
	}
}
