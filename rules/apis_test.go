package rules_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gatehouse/rules"
)

func okMockAPI() rules.APIDefinition {
	return rules.APIDefinition{
		Name: "get_user", Description: "One user.", Method: "GET", Path: "/users/[id]", Protocols: rules.ProtocolsHTTP | rules.ProtocolsHTTPS,
		Backend: rules.BackendMock, MockBody: `{"id":1}`, MockStatus: 200, MockHeaders: []rules.Header{{Name: "Content-Type", Value: "application/json"}},
		AuthType: "ANONYMOUS", Visibility: "PRIVATE", ResultType: "JSON",
	}
}

func okHTTPAPI() rules.APIDefinition {
	return rules.APIDefinition{
		Name: "create_order", Method: "POST", Path: "/orders", Protocols: rules.ProtocolsHTTPS,
		Backend: rules.BackendHTTP, ServiceAddress: "http://127.0.0.1:9000", ServicePath: "/v1/orders", ServiceMethod: "POST", ServiceTimeout: 10_000,
		AuthType: "ANONYMOUS", Visibility: "PUBLIC", ResultType: "JSON",
	}
}

// Every constraint of an API's definition, yes and no.
func TestAPIDefinitionValidate(t *testing.T) {
	mock := func(change func(*rules.APIDefinition)) rules.APIDefinition {
		d := okMockAPI()
		change(&d)
		return d
	}
	http := func(change func(*rules.APIDefinition)) rules.APIDefinition {
		d := okHTTPAPI()
		change(&d)
		return d
	}
	f := func(field, code string) map[string]string { return map[string]string{field: code} }
	tests := []struct {
		name string
		in   rules.APIDefinition
		want map[string]string
	}{
		{"a Mock API", okMockAPI(), nil},
		{"an HTTP API", okHTTPAPI(), nil},

		// Name: R1's syntax.
		{"name of 4", mock(func(d *rules.APIDefinition) { d.Name = "abcd" }), nil},
		{"name of 50", mock(func(d *rules.APIDefinition) { d.Name = "a" + strings.Repeat("b", 49) }), nil},
		{"name in another script", mock(func(d *rules.APIDefinition) { d.Name = "查询用户" }), nil},
		{"no name", mock(func(d *rules.APIDefinition) { d.Name = "" }), f("name", rules.CodeInvalidAPIName)},
		{"name of 3", mock(func(d *rules.APIDefinition) { d.Name = "abc" }), f("name", rules.CodeInvalidAPIName)},
		{"name of 51", mock(func(d *rules.APIDefinition) { d.Name = "a" + strings.Repeat("b", 50) }), f("name", rules.CodeInvalidAPIName)},
		{"name starting with a digit", mock(func(d *rules.APIDefinition) { d.Name = "1user" }), f("name", rules.CodeInvalidAPIName)},
		{"name with a hyphen", mock(func(d *rules.APIDefinition) { d.Name = "get-user" }), f("name", rules.CodeInvalidAPIName)},
		{"name with invalid UTF-8", mock(func(d *rules.APIDefinition) { d.Name = "user\xff" }), f("name", rules.CodeInvalidAPIName)},
		{"description of 180", mock(func(d *rules.APIDefinition) { d.Description = strings.Repeat("d", 180) }), nil},
		{"description of 181", mock(func(d *rules.APIDefinition) { d.Description = strings.Repeat("d", 181) }), f("description", rules.CodeInvalidDescription)},

		// Method.
		{"PATCH", mock(func(d *rules.APIDefinition) { d.Method = "PATCH" }), nil},
		{"HEAD", mock(func(d *rules.APIDefinition) { d.Method = "HEAD" }), nil},
		{"OPTIONS", mock(func(d *rules.APIDefinition) { d.Method = "OPTIONS" }), nil},
		{"ANY", mock(func(d *rules.APIDefinition) { d.Method = "ANY" }), nil},
		{"no method", mock(func(d *rules.APIDefinition) { d.Method = "" }), f("method", rules.CodeInvalidHTTPMethod)},
		{"lower-case method", mock(func(d *rules.APIDefinition) { d.Method = "get" }), f("method", rules.CodeInvalidHTTPMethod)},
		{"TRACE", mock(func(d *rules.APIDefinition) { d.Method = "TRACE" }), f("method", rules.CodeInvalidHTTPMethod)},
		{"CONNECT", mock(func(d *rules.APIDefinition) { d.Method = "CONNECT" }), f("method", rules.CodeInvalidHTTPMethod)},

		// Request path.
		{"root path", mock(func(d *rules.APIDefinition) { d.Path = "/" }), nil},
		{"several placeholders", mock(func(d *rules.APIDefinition) { d.Path = "/shops/[shop]/orders/[order-id]" }), nil},
		{"sub-delimiters and @", mock(func(d *rules.APIDefinition) { d.Path = "/a-b_c.d~e/f;v=1/@me:x" }), nil},
		{"path of 200", mock(func(d *rules.APIDefinition) { d.Path = "/" + strings.Repeat("p", 199) }), nil},
		{"16 placeholders", mock(func(d *rules.APIDefinition) { d.Path = manyParams(16) }), nil},
		{"no path", mock(func(d *rules.APIDefinition) { d.Path = "" }), f("path", rules.CodeInvalidRequestPath)},
		{"relative path", mock(func(d *rules.APIDefinition) { d.Path = "users" }), f("path", rules.CodeInvalidRequestPath)},
		{"path of 201", mock(func(d *rules.APIDefinition) { d.Path = "/" + strings.Repeat("p", 200) }), f("path", rules.CodeInvalidRequestPath)},
		{"..", mock(func(d *rules.APIDefinition) { d.Path = "/a/../b" }), f("path", rules.CodeInvalidRequestPath)},
		{".. inside a segment", mock(func(d *rules.APIDefinition) { d.Path = "/a..b" }), f("path", rules.CodeInvalidRequestPath)},
		{". segment", mock(func(d *rules.APIDefinition) { d.Path = "/a/./b" }), f("path", rules.CodeInvalidRequestPath)},
		{"double slash", mock(func(d *rules.APIDefinition) { d.Path = "/a//b" }), f("path", rules.CodeInvalidRequestPath)},
		{"trailing slash", mock(func(d *rules.APIDefinition) { d.Path = "/users/" }), f("path", rules.CodeInvalidRequestPath)},
		{"query string", mock(func(d *rules.APIDefinition) { d.Path = "/users?id=1" }), f("path", rules.CodeInvalidRequestPath)},
		{"fragment", mock(func(d *rules.APIDefinition) { d.Path = "/users#top" }), f("path", rules.CodeInvalidRequestPath)},
		{"percent-encoding", mock(func(d *rules.APIDefinition) { d.Path = "/a%20b" }), f("path", rules.CodeInvalidRequestPath)},
		{"space", mock(func(d *rules.APIDefinition) { d.Path = "/a b" }), f("path", rules.CodeInvalidRequestPath)},
		{"non-ASCII", mock(func(d *rules.APIDefinition) { d.Path = "/用户" }), f("path", rules.CodeInvalidRequestPath)},
		{"braces (not Alibaba's syntax)", mock(func(d *rules.APIDefinition) { d.Path = "/users/{id}" }), f("path", rules.CodeInvalidRequestPath)},
		{"placeholder inside a segment", mock(func(d *rules.APIDefinition) { d.Path = "/users/id-[id]" }), f("path", rules.CodeInvalidRequestPath)},
		{"placeholder with a suffix", mock(func(d *rules.APIDefinition) { d.Path = "/users/[id].json" }), f("path", rules.CodeInvalidRequestPath)},
		{"empty placeholder", mock(func(d *rules.APIDefinition) { d.Path = "/users/[]" }), f("path", rules.CodeInvalidRequestPath)},
		{"placeholder starting with a digit", mock(func(d *rules.APIDefinition) { d.Path = "/users/[1d]" }), f("path", rules.CodeInvalidRequestPath)},
		{"placeholder with a dot", mock(func(d *rules.APIDefinition) { d.Path = "/users/[a.b]" }), f("path", rules.CodeInvalidRequestPath)},
		{"unclosed placeholder", mock(func(d *rules.APIDefinition) { d.Path = "/users/[id" }), f("path", rules.CodeInvalidRequestPath)},
		{"nested brackets", mock(func(d *rules.APIDefinition) { d.Path = "/users/[[id]]" }), f("path", rules.CodeInvalidRequestPath)},
		{"a placeholder twice", mock(func(d *rules.APIDefinition) { d.Path = "/a/[id]/b/[id]" }), f("path", rules.CodeInvalidRequestPath)},
		{"17 placeholders", mock(func(d *rules.APIDefinition) { d.Path = manyParams(17) }), f("path", rules.CodeInvalidRequestPath)},
		{"placeholder name of 65", mock(func(d *rules.APIDefinition) { d.Path = "/[a" + strings.Repeat("b", 64) + "]" }), f("path", rules.CodeInvalidRequestPath)},

		// Protocols.
		{"HTTP only", mock(func(d *rules.APIDefinition) { d.Protocols = rules.ProtocolsHTTP }), nil},
		{"HTTPS only", mock(func(d *rules.APIDefinition) { d.Protocols = rules.ProtocolsHTTPS }), nil},
		{"no protocol", mock(func(d *rules.APIDefinition) { d.Protocols = 0 }), f("protocols", rules.CodeInvalidRequestProtocol)},
		{"an unknown protocol bit", mock(func(d *rules.APIDefinition) { d.Protocols = 4 }), f("protocols", rules.CodeInvalidRequestProtocol)},

		// Mock.
		{"empty Mock answer", mock(func(d *rules.APIDefinition) { d.MockBody = "" }), nil},
		{"Mock answer of 50 KB", mock(func(d *rules.APIDefinition) { d.MockBody = strings.Repeat("x", 50*1024) }), nil},
		{"Mock answer over 50 KB", mock(func(d *rules.APIDefinition) { d.MockBody = strings.Repeat("x", 50*1024+1) }), f("mock_body", rules.CodeInvalidMockResult)},
		{"Mock answer of 50 KB counted in bytes", mock(func(d *rules.APIDefinition) { d.MockBody = strings.Repeat("é", 25*1024+1) }), f("mock_body", rules.CodeInvalidMockResult)},
		{"Mock answer not UTF-8", mock(func(d *rules.APIDefinition) { d.MockBody = "\xff" }), f("mock_body", rules.CodeInvalidMockResult)},
		{"Mock 204", mock(func(d *rules.APIDefinition) { d.MockStatus = 204 }), nil},
		{"Mock 307", mock(func(d *rules.APIDefinition) { d.MockStatus = 307 }), nil},
		{"Mock 451", mock(func(d *rules.APIDefinition) { d.MockStatus = 451 }), nil},
		{"Mock 505", mock(func(d *rules.APIDefinition) { d.MockStatus = 505 }), nil},
		{"Mock 0", mock(func(d *rules.APIDefinition) { d.MockStatus = 0 }), f("mock_status", rules.CodeInvalidMockStatusCode)},
		{"Mock 100", mock(func(d *rules.APIDefinition) { d.MockStatus = 100 }), f("mock_status", rules.CodeInvalidMockStatusCode)},
		{"Mock 207", mock(func(d *rules.APIDefinition) { d.MockStatus = 207 }), f("mock_status", rules.CodeInvalidMockStatusCode)},
		{"Mock 308", mock(func(d *rules.APIDefinition) { d.MockStatus = 308 }), f("mock_status", rules.CodeInvalidMockStatusCode)},
		{"Mock 418", mock(func(d *rules.APIDefinition) { d.MockStatus = 418 }), f("mock_status", rules.CodeInvalidMockStatusCode)},
		{"Mock 429", mock(func(d *rules.APIDefinition) { d.MockStatus = 429 }), f("mock_status", rules.CodeInvalidMockStatusCode)},
		{"Mock 506", mock(func(d *rules.APIDefinition) { d.MockStatus = 506 }), f("mock_status", rules.CodeInvalidMockStatusCode)},
		{"no Mock headers", mock(func(d *rules.APIDefinition) { d.MockHeaders = nil }), nil},
		{"16 Mock headers", mock(func(d *rules.APIDefinition) { d.MockHeaders = headers(16) }), nil},
		{"17 Mock headers", mock(func(d *rules.APIDefinition) { d.MockHeaders = headers(17) }), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"header without a name", mock(func(d *rules.APIDefinition) { d.MockHeaders = []rules.Header{{Value: "x"}} }), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"header name with a space", mock(func(d *rules.APIDefinition) { d.MockHeaders = []rules.Header{{Name: "X Bad", Value: "x"}} }), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"header name with a colon", mock(func(d *rules.APIDefinition) { d.MockHeaders = []rules.Header{{Name: "X-A:", Value: "x"}} }), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"header value with a line break", mock(func(d *rules.APIDefinition) {
			d.MockHeaders = []rules.Header{{Name: "X-A", Value: "a\r\nSet-Cookie: b"}}
		}), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"header value with a tab", mock(func(d *rules.APIDefinition) { d.MockHeaders = []rules.Header{{Name: "X-A", Value: "a\tb"}} }), nil},
		{"header value of 1,025", mock(func(d *rules.APIDefinition) {
			d.MockHeaders = []rules.Header{{Name: "X-A", Value: strings.Repeat("v", 1025)}}
		}), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"header name of 65", mock(func(d *rules.APIDefinition) {
			d.MockHeaders = []rules.Header{{Name: strings.Repeat("h", 65), Value: "v"}}
		}), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"Content-Length", mock(func(d *rules.APIDefinition) { d.MockHeaders = []rules.Header{{Name: "content-length", Value: "5"}} }), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"Transfer-Encoding", mock(func(d *rules.APIDefinition) {
			d.MockHeaders = []rules.Header{{Name: "Transfer-Encoding", Value: "chunked"}}
		}), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"the gateway's X-Ca- headers", mock(func(d *rules.APIDefinition) {
			d.MockHeaders = []rules.Header{{Name: "X-Ca-Error-Code", Value: "I404NF"}}
		}), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"a header twice", mock(func(d *rules.APIDefinition) {
			d.MockHeaders = []rules.Header{{Name: "X-A", Value: "1"}, {Name: "x-a", Value: "2"}}
		}), f("mock_headers", rules.CodeInvalidMockHeader)},
		{"Mock ignores HTTP settings", mock(func(d *rules.APIDefinition) { d.ServiceAddress, d.ServiceTimeout = "ftp://x", 99_999 }), nil},

		// HTTP backend.
		{"https backend", http(func(d *rules.APIDefinition) { d.ServiceAddress = "https://backend.example.com" }), nil},
		{"backend with a trailing slash", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://10.0.0.5:8080/" }), nil},
		{"IPv6 backend", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://[::1]:9000" }), nil},
		{"single-label host", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://localhost:9000" }), nil},
		{"no address", http(func(d *rules.APIDefinition) { d.ServiceAddress = "" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"no scheme", http(func(d *rules.APIDefinition) { d.ServiceAddress = "127.0.0.1:9000" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"ftp", http(func(d *rules.APIDefinition) { d.ServiceAddress = "ftp://127.0.0.1" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"user info", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://user:pw@127.0.0.1:9000" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"user name alone", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://user@127.0.0.1" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"no host", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://:9000" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"a path", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://127.0.0.1:9000/v1" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"a query", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://127.0.0.1:9000?x=1" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"a fragment", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://127.0.0.1:9000#x" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"port 0", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://127.0.0.1:0" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"port 65536", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://127.0.0.1:65536" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"empty port", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://127.0.0.1:" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"bad host name", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://-bad-.example.com" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"host with an underscore", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://my_host" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"opaque URL", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http:127.0.0.1" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"address of 256", http(func(d *rules.APIDefinition) { d.ServiceAddress = "http://" + strings.Repeat("a.", 124) + "com" }), f("service_address", rules.CodeInvalidServiceAddress)},
		{"timeout 1", http(func(d *rules.APIDefinition) { d.ServiceTimeout = 1 }), nil},
		{"timeout 30,000", http(func(d *rules.APIDefinition) { d.ServiceTimeout = 30_000 }), nil},
		{"timeout 0", http(func(d *rules.APIDefinition) { d.ServiceTimeout = 0 }), f("service_timeout", rules.CodeInvalidServiceTimeout)},
		{"timeout 30,001", http(func(d *rules.APIDefinition) { d.ServiceTimeout = 30_001 }), f("service_timeout", rules.CodeInvalidServiceTimeout)},
		{"negative timeout", http(func(d *rules.APIDefinition) { d.ServiceTimeout = -5 }), f("service_timeout", rules.CodeInvalidServiceTimeout)},
		{"backend path with the request's placeholder", http(func(d *rules.APIDefinition) { d.Path, d.ServicePath = "/orders/[id]", "/v1/order/[id]" }), nil},
		{"backend path with an unknown placeholder", http(func(d *rules.APIDefinition) { d.ServicePath = "/v1/[id]" }), f("service_path", rules.CodeInvalidServicePath)},
		{"relative backend path", http(func(d *rules.APIDefinition) { d.ServicePath = "v1" }), f("service_path", rules.CodeInvalidServicePath)},
		{"backend path with ..", http(func(d *rules.APIDefinition) { d.ServicePath = "/v1/../admin" }), f("service_path", rules.CodeInvalidServicePath)},
		{"backend method ANY", http(func(d *rules.APIDefinition) { d.ServiceMethod = "ANY" }), nil},
		{"backend method TRACE", http(func(d *rules.APIDefinition) { d.ServiceMethod = "TRACE" }), f("service_method", rules.CodeInvalidHTTPMethod)},
		{"HTTP ignores Mock settings", http(func(d *rules.APIDefinition) { d.MockStatus, d.MockBody = 999, "\xff" }), nil},

		// Backend type.
		{"no backend", mock(func(d *rules.APIDefinition) { d.Backend = "" }), f("backend", rules.CodeInvalidBackend)},
		{"Function Compute", mock(func(d *rules.APIDefinition) { d.Backend = "FunctionCompute" }), f("backend", rules.CodeInvalidBackend)},

		// Authentication, visibility, result.
		{"APP authentication", mock(func(d *rules.APIDefinition) { d.AuthType = "APP" }), f("auth_type", rules.CodeUnsupportedAuthType)},
		{"unknown authentication", mock(func(d *rules.APIDefinition) { d.AuthType = "APPOPENID" }), f("auth_type", rules.CodeInvalidAuthType)},
		{"no authentication", mock(func(d *rules.APIDefinition) { d.AuthType = "" }), f("auth_type", rules.CodeInvalidAuthType)},
		{"Internet disabled", mock(func(d *rules.APIDefinition) { d.DisableInternet = true }), nil},
		{"PUBLIC", mock(func(d *rules.APIDefinition) { d.Visibility = "PUBLIC" }), nil},
		{"unknown visibility", mock(func(d *rules.APIDefinition) { d.Visibility = "SECRET" }), f("visibility", rules.CodeInvalidVisibility)},
		{"result type TEXT", mock(func(d *rules.APIDefinition) { d.ResultType = "TEXT" }), nil},
		{"result type PASSTHROUGH", mock(func(d *rules.APIDefinition) { d.ResultType = "PASSTHROUGH" }), nil},
		{"unknown result type", mock(func(d *rules.APIDefinition) { d.ResultType = "YAML" }), f("result_type", rules.CodeInvalidResultType)},
		{"result sample of 50 KB", mock(func(d *rules.APIDefinition) { d.ResultSample = strings.Repeat("s", 50*1024) }), nil},
		{"result sample over 50 KB", mock(func(d *rules.APIDefinition) { d.ResultSample = strings.Repeat("s", 50*1024+1) }), f("result_sample", rules.CodeInvalidResultSample)},
		{"result sample not UTF-8", mock(func(d *rules.APIDefinition) { d.ResultSample = "\xfe" }), f("result_sample", rules.CodeInvalidResultSample)},

		{"everything wrong", rules.APIDefinition{Name: "1", Method: "FETCH", Path: "x", Backend: rules.BackendHTTP, ServiceAddress: "x",
			ServicePath: "y", ServiceMethod: "Z", AuthType: "APP", Visibility: "v", ResultType: "r"},
			map[string]string{"name": rules.CodeInvalidAPIName, "method": rules.CodeInvalidHTTPMethod, "path": rules.CodeInvalidRequestPath,
				"protocols": rules.CodeInvalidRequestProtocol, "service_address": rules.CodeInvalidServiceAddress, "service_path": rules.CodeInvalidServicePath,
				"service_method": rules.CodeInvalidHTTPMethod, "service_timeout": rules.CodeInvalidServiceTimeout, "auth_type": rules.CodeUnsupportedAuthType,
				"visibility": rules.CodeInvalidVisibility, "result_type": rules.CodeInvalidResultType}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldCodes(t, tt.in.Validate()); !sameCodes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func manyParams(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("/[p" + string(rune('a'+i)) + "]")
	}
	return b.String()
}

func headers(n int) []rules.Header {
	out := make([]rules.Header, n)
	for i := range out {
		out[i] = rules.Header{Name: "X-H" + string(rune('a'+i)), Value: "v"}
	}
	return out
}

// The messages an operator reads for the refusals that puzzle most.
func TestAPIDefinitionMessages(t *testing.T) {
	d := okMockAPI()
	d.AuthType = "APP"
	errs := d.Validate()
	if len(errs) != 1 || !strings.Contains(errs[0].Message, "App authentication (APP) is not available") || !strings.Contains(errs[0].Message, "ANONYMOUS") {
		t.Fatalf("APP: %v", errs)
	}
	d = okHTTPAPI()
	d.ServiceAddress = "http://127.0.0.1:9000/v1/orders"
	if errs := d.Validate(); len(errs) != 1 || !strings.Contains(errs[0].Message, `put the path "/v1/orders" in the backend path`) {
		t.Fatalf("address with a path: %v", errs)
	}
	d = okMockAPI()
	d.MockStatus = 418
	if errs := d.Validate(); len(errs) != 1 || !strings.Contains(errs[0].Message, "418") || !strings.Contains(errs[0].Message, "200–206") {
		t.Fatalf("status: %v", errs)
	}
}

// Defaults fill only what is missing; Normalized keeps the settings of the
// backend in use and nothing else.
func TestAPIDefinitionDefaultsAndNormalized(t *testing.T) {
	d := rules.APIDefinition{Name: "abcd", Method: "PUT", Path: "/x", Protocols: rules.ProtocolsHTTP, Backend: rules.BackendHTTP,
		ServiceAddress: "http://127.0.0.1:1", ServiceTimeout: 5}.WithDefaults()
	if d.AuthType != "ANONYMOUS" || d.Visibility != "PRIVATE" || d.ResultType != "JSON" || d.ServicePath != "/" || d.ServiceMethod != "PUT" || d.MockStatus != 0 {
		t.Fatalf("HTTP defaults: %+v", d)
	}
	if errs := d.Validate(); len(errs) != 0 {
		t.Fatalf("defaults do not validate: %v", errs)
	}
	m := rules.APIDefinition{Backend: rules.BackendMock, AuthType: "APP", Visibility: "PUBLIC", ResultType: "TEXT", ServicePath: "/keep"}.WithDefaults()
	if m.MockStatus != 200 || m.AuthType != "APP" || m.Visibility != "PUBLIC" || m.ResultType != "TEXT" || m.ServiceMethod != "" {
		t.Fatalf("Mock defaults: %+v", m)
	}
	mixed := okMockAPI()
	mixed.ServiceAddress, mixed.ServicePath, mixed.ServiceMethod, mixed.ServiceTimeout = "http://x", "/p", "GET", 9
	if n := mixed.Normalized(); n.ServiceAddress != "" || n.ServicePath != "" || n.ServiceMethod != "" || n.ServiceTimeout != 0 || n.MockBody != mixed.MockBody || len(n.MockHeaders) != 1 {
		t.Fatalf("Mock normalized: %+v", n)
	}
	h := okHTTPAPI()
	h.MockBody, h.MockStatus, h.MockHeaders = "x", 201, []rules.Header{}
	if n := h.Normalized(); n.MockBody != "" || n.MockStatus != 0 || n.MockHeaders != nil || n.ServiceAddress != h.ServiceAddress {
		t.Fatalf("HTTP normalized: %+v", n)
	}
}

func TestParseProtocols(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rules.Protocols
		ok   bool
	}{
		{"HTTP", rules.ProtocolsHTTP, true},
		{"HTTPS", rules.ProtocolsHTTPS, true},
		{"HTTP,HTTPS", rules.ProtocolsHTTP | rules.ProtocolsHTTPS, true},
		{"HTTPS,HTTP", rules.ProtocolsHTTP | rules.ProtocolsHTTPS, true},
		{"http", rules.ProtocolsHTTP, true},
		{"", 0, false},
		{"HTTP,", 0, false},
		{"HTTP,HTTP", 0, false},
		{"HTTP, HTTPS", 0, false},
		{"WS", 0, false},
		{"HTTP,HTTPS,WS", 0, false},
	} {
		got, ok := rules.ParseProtocols(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("ParseProtocols(%q) = %v, %v; want %v, %v", tc.in, got, ok, tc.want, tc.ok)
		}
		if ok && got.String() == "" {
			t.Errorf("%q has no String", tc.in)
		}
	}
	if s := (rules.ProtocolsHTTPS | rules.ProtocolsHTTP).String(); s != "HTTP,HTTPS" {
		t.Errorf("String: %q", s)
	}
	both := rules.ProtocolsHTTP | rules.ProtocolsHTTPS
	for _, tc := range []struct {
		p           rules.Protocols
		http, https bool
	}{{rules.ProtocolsHTTP, true, false}, {rules.ProtocolsHTTPS, false, true}, {both, true, true}, {0, false, false}} {
		if tc.p.Allows(false) != tc.http || tc.p.Allows(true) != tc.https {
			t.Errorf("%v allows HTTP %v HTTPS %v", tc.p, tc.p.Allows(false), tc.p.Allows(true))
		}
	}
}

func TestParseStage(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rules.Stage
		code string
	}{
		{"RELEASE", rules.StageRelease, ""}, {"TEST", rules.StageTest, ""}, {"PRE", rules.StagePre, ""}, {"release", rules.StageRelease, ""},
		{"", "", rules.CodeStageNotFound}, {"PROD", "", rules.CodeStageNotFound}, {"ONLINE", "", rules.CodeStageNotFound},
	} {
		got, err := rules.ParseStage(tc.in)
		wantCode(t, err, tc.code)
		if got != tc.want {
			t.Errorf("ParseStage(%q) = %q", tc.in, got)
		}
	}
	if s := rules.Stages(); !slices.Equal(s, []rules.Stage{"RELEASE", "PRE", "TEST"}) {
		t.Errorf("Stages() = %v", s)
	}
	if rules.StageRelease.Title() != "Production" || rules.StageTest.Title() != "Test" || rules.StagePre.Title() != "Pre-release" {
		t.Error("stage titles")
	}
}

// Paths that differ only in their placeholders' names are one route.
func TestRouteShape(t *testing.T) {
	for _, tc := range []struct{ a, b string }{
		{"/users/[id]", "/users/[name]"},
		{"/a/[x]/b/[y]", "/a/[p]/b/[q]"},
		{"/", "/"},
		{"/users", "/users"},
	} {
		if rules.RouteShape(tc.a) != rules.RouteShape(tc.b) {
			t.Errorf("%s and %s have shapes %s and %s", tc.a, tc.b, rules.RouteShape(tc.a), rules.RouteShape(tc.b))
		}
	}
	for _, tc := range []struct{ a, b string }{
		{"/users/[id]", "/users/me"},
		{"/users/[id]", "/users/[id]/orders"},
		{"/Users", "/users"},
		{"/a/[x]/b", "/a/b/[x]"},
	} {
		if rules.RouteShape(tc.a) == rules.RouteShape(tc.b) {
			t.Errorf("%s and %s share the shape %s", tc.a, tc.b, rules.RouteShape(tc.a))
		}
	}
	if got := rules.RouteShape("/shops/[shop]/orders/[order-id]"); got != "/shops/[]/orders/[]" {
		t.Errorf("shape: %s", got)
	}
	if got := rules.PathParamNames("/shops/[shop]/orders/[order-id]"); !slices.Equal(got, []string{"shop", "order-id"}) {
		t.Errorf("params: %v", got)
	}
	if got := rules.PathParamNames("/plain"); got != nil {
		t.Errorf("params of a plain path: %v", got)
	}
}

func TestCheckDeleteAPI(t *testing.T) {
	api := rules.API{ID: strings.Repeat("a", 32), APIDefinition: okMockAPI()}
	wantCode(t, rules.CheckDeleteAPI(api, nil), "")
	err := rules.CheckDeleteAPI(api, []rules.Stage{rules.StageRelease})
	wantCode(t, err, rules.CodeAPIDeployed)
	if re, _ := rules.AsError(err); !strings.Contains(re.Message, "deployed to RELEASE") || !strings.Contains(re.Message, "Abolish it from that stage first") {
		t.Errorf("one stage: %s", re.Message)
	}
	err = rules.CheckDeleteAPI(api, []rules.Stage{rules.StageRelease, rules.StagePre, rules.StageTest})
	wantCode(t, err, rules.CodeAPIDeployed)
	if re, _ := rules.AsError(err); !strings.Contains(re.Message, "RELEASE, PRE and TEST") || !strings.Contains(re.Message, "every stage") {
		t.Errorf("three stages: %s", re.Message)
	}
}

func TestCheckDeleteGroup(t *testing.T) {
	g := group(shared, false)
	wantCode(t, rules.CheckDeleteGroup(g, 0, nil), "")
	for _, tc := range []struct {
		total int
		names []string
		want  string
	}{
		{1, []string{"get_user"}, `still holds 1 API ("get_user")`},
		{2, []string{"a_one", "b_two"}, `2 APIs ("a_one" and "b_two")`},
		{7, []string{"a_one", "b_two", "c_three"}, `7 APIs ("a_one", "b_two", "c_three" and 4 more)`},
	} {
		err := rules.CheckDeleteGroup(g, tc.total, tc.names)
		wantCode(t, err, rules.CodeGroupHasAPIs)
		re, _ := rules.AsError(err)
		if !strings.Contains(re.Message, tc.want) || !strings.Contains(re.Message, "Delete its APIs first") {
			t.Errorf("%d APIs: %s", tc.total, re.Message)
		}
	}
}

func TestCheckAPIInGroup(t *testing.T) {
	api := rules.API{ID: strings.Repeat("a", 32), GroupID: strings.Repeat("b", 32)}
	wantCode(t, rules.CheckAPIInGroup(api, ""), "")
	wantCode(t, rules.CheckAPIInGroup(api, api.GroupID), "")
	err := rules.CheckAPIInGroup(api, strings.Repeat("c", 32))
	wantCode(t, err, rules.CodeAPINotFound)
	if re, _ := rules.AsError(err); re.Kind != rules.KindNotFound {
		t.Errorf("kind %v", re.Kind)
	}
}

func TestCheckRequestMode(t *testing.T) {
	wantCode(t, rules.CheckRequestMode(""), "")
	wantCode(t, rules.CheckRequestMode("PASSTHROUGH"), "")
	wantCode(t, rules.CheckRequestMode("MAPPING"), rules.CodeInvalidRequestMode)
	wantCode(t, rules.CheckRequestMode("MAPPING_PASSTHROUGH"), rules.CodeInvalidRequestMode)
	wantCode(t, rules.CheckRequestMode("passthrough"), rules.CodeInvalidRequestMode)
	if re, _ := rules.AsError(rules.CheckRequestMode("MAPPING")); !strings.Contains(re.Message, "Use PASSTHROUGH") {
		t.Errorf("message: %s", re.Message)
	}
}

func TestDeployDescriptionAndNotDeployed(t *testing.T) {
	wantCode(t, rules.CheckDeployDescription(""), "")
	wantCode(t, rules.CheckDeployDescription("First release.\nWith notes."), "")
	wantCode(t, rules.CheckDeployDescription(strings.Repeat("d", 180)), "")
	wantCode(t, rules.CheckDeployDescription(strings.Repeat("d", 181)), rules.CodeInvalidDescription)
	wantCode(t, rules.CheckDeployDescription("bell\a"), rules.CodeInvalidDescription)
	err := rules.NotDeployed(rules.API{APIDefinition: okMockAPI()}, rules.StagePre)
	wantCode(t, err, rules.CodeAPINotFound)
	if err.Kind != rules.KindNotFound || !strings.Contains(err.Message, `"get_user" is not deployed to PRE`) {
		t.Errorf("not deployed: %+v", err)
	}
}

func TestAPIReachable(t *testing.T) {
	open, closed := okMockAPI(), okMockAPI()
	closed.DisableInternet = true
	for _, tc := range []struct {
		d           rules.APIDefinition
		viaIntranet bool
		want        bool
	}{{open, false, true}, {open, true, true}, {closed, true, true}, {closed, false, false}} {
		if got := rules.APIReachable(tc.d, tc.viaIntranet); got != tc.want {
			t.Errorf("DisableInternet=%v via intranet=%v: %v", tc.d.DisableInternet, tc.viaIntranet, got)
		}
	}
}

// The conflict refusals name the other API, the method and the path, and
// say what to do.
func TestRouteConflictMessages(t *testing.T) {
	err := rules.DuplicateAPIRoute("GET", "/users/[name]", "get_user", "/users/[id]")
	wantCode(t, err, rules.CodeDuplicateAPIRoute)
	if !strings.Contains(err.Message, `"get_user" already answers GET /users/[name] (/users/[id] differs only in its placeholders' names`) {
		t.Errorf("route: %s", err.Message)
	}
	err = rules.DuplicateAPIName("get_user", "orders")
	wantCode(t, err, rules.CodeDuplicateAPIName)
	other := rules.Deployment{Definition: okMockAPI(), DeployedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	err = rules.DeployRouteConflict(rules.API{APIDefinition: okMockAPI()}, rules.StageRelease, other)
	wantCode(t, err, rules.CodeDuplicateAPIRoute)
	if !strings.Contains(err.Message, `RELEASE stage already serves GET /users/[id] with the API "get_user" (as deployed 2026-01-02 03:04 UTC)`) {
		t.Errorf("deploy: %s", err.Message)
	}
}

func TestAPIIDs(t *testing.T) {
	id := rules.NewAPIID()
	if !rules.IsAPIID(id) || rules.IsAPIID(strings.ToUpper(id)) || rules.IsAPIID(id[1:]) || id == rules.NewAPIID() {
		t.Fatalf("API id %q", id)
	}
	if !slices.Contains(rules.MockStatusCodes(), 451) || slices.Contains(rules.MockStatusCodes(), 418) {
		t.Error("Mock status codes")
	}
	if m := rules.APIMethods(); len(m) != 8 || m[7] != "ANY" {
		t.Errorf("methods %v", m)
	}
}

// requestPathOracle is the request path syntax written as one regular
// expression, independently of the validator.
var requestPathOracle = regexp.MustCompile(`^/$|^(/([A-Za-z0-9\-._~!$&'()*+,;=:@]+|\[[A-Za-z][A-Za-z0-9_\-]{0,63}\]))+$`)

var placeholderRE = regexp.MustCompile(`\[([^\]]*)\]`)

func FuzzRequestPath(f *testing.F) {
	for _, s := range []string{"/", "/users/[id]", "/a/../b", "/a//b", "/[x]/[x]", "/a.b", "/.", "/[1]", "/a/[b]c", "/%41"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, p string) {
		d := okMockAPI()
		d.Path = p
		got := fieldCodes(t, d.Validate())
		ok := got["path"] == ""
		var names []string
		for _, m := range placeholderRE.FindAllStringSubmatch(p, -1) {
			names = append(names, m[1])
		}
		want := utf8.RuneCountInString(p) <= 200 && requestPathOracle.MatchString(p) && !strings.Contains(p, "..") &&
			!strings.Contains(p, "/./") && !strings.HasSuffix(p, "/.") && len(names) <= 16 && !hasDuplicate(names)
		if ok && !slices.Equal(rules.PathParamNames(p), names) {
			t.Fatalf("path %q: placeholders %v, want %v", p, rules.PathParamNames(p), names)
		}
		if ok != want {
			t.Fatalf("path %q: accepted=%v, want %v", p, ok, want)
		}
		if ok {
			// A valid path is matched by its own router, its placeholders
			// taking the values written in their place.
			concrete := strings.NewReplacer("[", "v-", "]", "").Replace(p)
			r := rules.NewRouter([]rules.Deployment{{Definition: d}})
			got, params, outcome := r.Match("GET", concrete, nil)
			if outcome != rules.MatchFound || got == nil || len(params) != len(names) {
				t.Fatalf("path %q: %q gives %v %v", p, concrete, outcome, params)
			}
			for i, pp := range params {
				if pp.Name != names[i] || pp.Value != "v-"+names[i] {
					t.Fatalf("path %q: param %d = %+v", p, i, pp)
				}
			}
		}
	})
}

func hasDuplicate(names []string) bool {
	s := slices.Clone(names)
	slices.Sort(s)
	return len(slices.Compact(s)) != len(names)
}

func BenchmarkAPIDefinitionValidate(b *testing.B) {
	d := okHTTPAPI()
	for b.Loop() {
		if errs := d.Validate(); len(errs) != 0 {
			b.Fatal(errs)
		}
	}
}
