package gateway

import (
	"bufio"
	"errors"
	"gatehouse/rules"
	"net"
	"net/http"
	"strings"
	"testing"
)

// readRequest parses raw as a server does.
func readRequest(t testing.TB, raw string) *http.Request {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
	if err != nil {
		t.Fatalf("read %q: %v", raw, err)
	}
	return r
}

func TestParseRequest(t *testing.T) {
	const d = "0123456789abcdef0123456789abcdef-cn-hangzhou.alicloudapi.com"
	cases := []struct {
		raw     string
		proxied bool
		host    string
		err     error
	}{
		{"GET /users/1 HTTP/1.1\r\nHost: " + d + "\r\n\r\n", false, d, nil},
		{"GET /users/1 HTTP/1.1\r\nHost: " + d + ":8082\r\n\r\n", false, d, nil},
		{"GET /users/1 HTTP/1.1\r\nHost: API.Example.COM.\r\n\r\n", false, "API.Example.COM.", nil},
		{"GET http://" + d + "/users/1 HTTP/1.1\r\nHost: " + d + "\r\n\r\n", true, d, nil},
		{"GET http://" + d + ":80/users/1?x=1 HTTP/1.1\r\nHost: " + d + "\r\n\r\n", true, d, nil},
		{"POST HTTP://api.example.com/ HTTP/1.1\r\nHost: api.example.com\r\n\r\n", true, "api.example.com", nil},
		{"GET http://" + d + ":8080/ HTTP/1.1\r\nHost: x\r\n\r\n", true, d, nil},
		{"GET https://" + d + "/ HTTP/1.1\r\nHost: x\r\n\r\n", false, "", errProxyScheme},
		{"GET ftp://" + d + "/ HTTP/1.1\r\nHost: x\r\n\r\n", false, "", errProxyScheme},
		{"GET http://user:pw@" + d + "/ HTTP/1.1\r\nHost: x\r\n\r\n", false, "", errProxyUser},
		{"CONNECT " + d + ":443 HTTP/1.1\r\nHost: " + d + ":443\r\n\r\n", true, d, nil},
		{"CONNECT API.example.com:443 HTTP/1.1\r\nHost: API.example.com:443\r\n\r\n", true, "API.example.com", nil},
		{"CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n", true, "127.0.0.1", errHostNotAName},
		{"GET http://127.0.0.1/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", true, "127.0.0.1", errHostNotAName},
		{"GET http://[::1]:80/ HTTP/1.1\r\nHost: [::1]\r\n\r\n", true, "[::1]", errHostNotAName},
		{"GET / HTTP/1.1\r\nHost: 10.0.0.1:8082\r\n\r\n", false, "10.0.0.1", errHostNotAName},
		{"GET / HTTP/1.0\r\n\r\n", false, "", errNoHost},
		{"GET / HTTP/1.1\r\nHost: " + strings.Repeat("a", 260) + "\r\n\r\n", false, strings.Repeat("a", 260), errHostTooLong},
	}
	for _, c := range cases {
		got, err := parseRequest(readRequest(t, c.raw))
		if !errors.Is(err, c.err) {
			t.Errorf("%q: error %v, want %v", c.raw, err, c.err)
			continue
		}
		if c.err != nil && !errors.Is(c.err, errHostNotAName) && !errors.Is(c.err, errNoHost) && !errors.Is(c.err, errHostTooLong) {
			continue
		}
		if got.proxied != c.proxied || got.host != c.host {
			t.Errorf("%q: %+v, want proxied %t host %q", c.raw, got, c.proxied, c.host)
		}
		if connect := strings.HasPrefix(c.raw, "CONNECT"); got.connect != connect || (connect && got.proto != rules.ProtocolHTTPS) {
			t.Errorf("%q: %+v: a tunnel is asked for: %t, over HTTPS", c.raw, got, connect)
		}
	}
}

// A proxied call reaches the name's port for its protocol only: 80 for
// HTTP, 443 for a tunnel.
func TestPortServed(t *testing.T) {
	cases := []struct {
		t    target
		want bool
	}{
		{target{proxied: true}, true},
		{target{proxied: true, port: "80"}, true},
		{target{proxied: true, port: "443"}, false},
		{target{proxied: true, port: "8080"}, false},
		{target{proxied: true, connect: true}, true},
		{target{proxied: true, connect: true, port: "443"}, true},
		{target{proxied: true, connect: true, port: "80"}, false},
		{target{proxied: true, connect: true, port: "8443"}, false},
	}
	for _, c := range cases {
		if got := c.t.portServed(); got != c.want {
			t.Errorf("%+v: %t, want %t", c.t, got, c.want)
		}
	}
}

func TestSplitHostPort(t *testing.T) {
	cases := []struct{ in, host, port string }{
		{"a.example.com", "a.example.com", ""},
		{"a.example.com:80", "a.example.com", "80"},
		{"a.example.com:", "a.example.com", ""},
		{"[::1]:8080", "[::1]", "8080"},
		{"[::1]", "[::1]", ""},
		{"::1", "::1", ""},
		{"", "", ""},
	}
	for _, c := range cases {
		if h, p := splitHostPort(c.in); h != c.host || p != c.port {
			t.Errorf("%q: %q %q, want %q %q", c.in, h, p, c.host, c.port)
		}
	}
}

// FuzzProxyRequest feeds the proxy's parsing (the request line and Host,
// then Proxy-Authorization and the credential check) whatever a client
// could send. It never panics; what it accepts is a name without a port,
// through the proxy only for http:// URLs, served on port 80 alone, and
// tunnels (CONNECT) on port 443 alone;
// credentials it accepts name a well-formed network.
func FuzzProxyRequest(f *testing.F) {
	const d = "0123456789abcdef0123456789abcdef-cn-hangzhou.alicloudapi.com"
	for _, seed := range []string{
		"GET http://" + d + "/x HTTP/1.1\r\nHost: " + d + "\r\nProxy-Authorization: " + basic(vpcA.ID, Credential(testKey, Network{Kind: "vpc", Vpc: vpcA})) + "\r\n\r\n",
		"GET http://" + d + ":80/x HTTP/1.1\r\nHost: " + d + "\r\nProxy-Authorization: " + basic("internet", "") + "\r\n\r\n",
		"POST http://api.example.com/ HTTP/1.1\r\nHost: api.example.com\r\nProxy-Authorization: Basic Zm9v\r\nContent-Length: 0\r\n\r\n",
		"GET /users/[id] HTTP/1.1\r\nHost: " + d + ":8082\r\n\r\n",
		"CONNECT " + d + ":443 HTTP/1.1\r\nHost: " + d + ":443\r\n\r\n",
		"GET http://[::1]/ HTTP/1.1\r\nHost: [::1]\r\nProxy-Authorization: " + basic("hybrid."+vpcB.ID, "x") + "\r\n\r\n",
		"GET * HTTP/1.1\r\nHost: a\r\n\r\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		r, err := http.ReadRequest(bufio.NewReader(strings.NewReader(raw)))
		if err != nil {
			return // the server answers 400 itself
		}
		tg, err := parseRequest(r)
		if err == nil {
			if tg.host == "" || strings.HasSuffix(tg.host, "]") || net.ParseIP(tg.host) != nil || len(tg.host) > 254 {
				t.Fatalf("accepted host %q of %q", tg.host, raw)
			}
			switch {
			case tg.connect:
				if r.Method != http.MethodConnect || tg.proto != "HTTPS" {
					t.Fatalf("a tunnel for %s %q", r.Method, r.URL)
				}
				if tg.portServed() != (tg.port == "" || tg.port == "443") {
					t.Fatalf("tunnel to %q: port %q served %t", r.Host, tg.port, tg.portServed())
				}
			case tg.proxied:
				if !strings.EqualFold(r.URL.Scheme, "http") {
					t.Fatalf("proxied %q accepted", r.URL)
				}
				if tg.portServed() != (r.URL.Port() == "" || r.URL.Port() == "80") {
					t.Fatalf("proxied %q: port %q served %t", r.URL, tg.port, tg.portServed())
				}
			}
		}
		for _, h := range r.Header["Proxy-Authorization"] {
			u, err := parseProxyAuthorization(h)
			if err != nil {
				continue
			}
			if u.kind != "internet" && u.vpcID == "" {
				t.Fatalf("user %+v of %q", u, h)
			}
			if nw, err := checkCredential(testKey, u, testVpcs); err == nil && nw.Kind != "internet" {
				if Credential(testKey, nw) != u.password {
					t.Fatalf("accepted %q for %s", u.password, nw.UserName())
				}
			}
		}
	})
}
