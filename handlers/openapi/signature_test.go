package openapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

const (
	testKeyID  = "LTAI0123456789abcdefGHIJ"
	testSecret = "s3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3"
)

// sdkSigned signs a request with the SDK's own signer (auth.Sign, as the
// SDK's client does before sending) and returns the HTTP request the SDK
// would send and the string to sign it computed.
func sdkSigned(t testing.TB, method string, query, form map[string]string) (*http.Request, string) {
	t.Helper()
	req := requests.NewCommonRequest()
	req.Method = method
	req.Scheme = "http"
	req.Domain = "gatehouse.test"
	req.Version = VersionCloudAPI
	req.ApiName = "DescribeApiGroups"
	for k, v := range query {
		req.QueryParams[k] = v
	}
	for k, v := range form {
		req.FormParams[k] = v
	}
	req.TransToAcsRequest()
	if err := auth.Sign(req, nil, "cn-hangzhou", credentials.NewStaticAKCredentialsProvider(testKeyID, testSecret)); err != nil {
		t.Fatalf("sdk sign: %v", err)
	}
	hr := httptest.NewRequest(method, req.BuildUrl(), req.GetBodyReader())
	for k, v := range req.GetHeaders() {
		hr.Header.Set(k, v)
	}
	return hr, req.GetStringToSign()
}

// The server's canonicalisation gives the SDK's string to sign, byte for
// byte, and the SDK's signature verifies: for plain values, every class of
// character that percent-encoding treats specially, non-ASCII text, empty
// values, GET and POST, and parameters in the form body.
func TestStringToSignMatchesSDKSigner(t *testing.T) {
	s := New(nil, nil, Options{})
	cases := []struct {
		name        string
		method      string
		query, form map[string]string
	}{
		{"plain", http.MethodPost, map[string]string{"GroupName": "orders_api", "PageSize": "50"}, nil},
		{"get", http.MethodGet, map[string]string{"GroupName": "orders"}, nil},
		{"space star tilde plus", http.MethodPost, map[string]string{"GroupName": "a b*c~d+e"}, nil},
		{"reserved characters", http.MethodPost, map[string]string{"Description": "!'()*;:@&=+$,/?#[]%\"<>\\^`{|}"}, nil},
		{"non-ascii", http.MethodGet, map[string]string{"Description": "网关 é ü 🚀"}, nil},
		{"empty value", http.MethodPost, map[string]string{"Description": ""}, nil},
		{"percent sequences", http.MethodPost, map[string]string{"Description": "%20%2A%7E%25"}, nil},
		{"form body", http.MethodPost, map[string]string{"GroupName": "in_query"}, map[string]string{"Description": "in the form & body = yes"}},
		{"control characters", http.MethodPost, map[string]string{"Description": "tab\there\nnew line"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hr, want := sdkSigned(t, tc.method, tc.query, tc.form)
			in, err := s.readRequest(httptest.NewRecorder(), hr, false)
			if err != nil {
				t.Fatalf("read params: %v", err)
			}
			ps := in.ps
			sts, _ := appendStringToSign(nil, nil, hr.Method, ps)
			if string(sts) != want {
				t.Fatalf("string to sign differs\n got: %s\nwant: %s", sts, want)
			}
			if !signatureMatches(testSecret, sts, ps.str("Signature")) {
				t.Fatalf("the SDK's signature %q does not verify", ps.str("Signature"))
			}
			if signatureMatches("another secret", sts, ps.str("Signature")) {
				t.Fatal("the signature verifies with another secret")
			}
			for k, v := range tc.query {
				if got, _ := ps.get(k); got != v {
					t.Errorf("param %s = %q, want %q", k, got, v)
				}
			}
			for k, v := range tc.form {
				if got, _ := ps.get(k); got != v {
					t.Errorf("form param %s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

// Alibaba Cloud's documented example of signature version 1.0 (the ECS
// DescribeRegions example of its signature documentation).
func TestDocumentedSignatureVector(t *testing.T) {
	ps := params{
		{"AccessKeyId", "testid"}, {"Action", "DescribeRegions"}, {"Format", "XML"},
		{"SignatureMethod", "HMAC-SHA1"}, {"SignatureNonce", "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf"},
		{"SignatureVersion", "1.0"}, {"Timestamp", "2016-02-23T12:46:24Z"}, {"Version", "2014-05-26"},
	}
	sts, _ := appendStringToSign(nil, nil, http.MethodGet, ps)
	const want = "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1" +
		"%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0" +
		"%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26"
	if string(sts) != want {
		t.Fatalf("string to sign\n got: %s\nwant: %s", sts, want)
	}
	if got := sign("testsecret", sts); got != "OLeaidS1JvxuMvnyHOwuJ+uX5qY=" {
		t.Fatalf("signature %q, want OLeaidS1JvxuMvnyHOwuJ+uX5qY=", got)
	}
}

func TestPercentEncode(t *testing.T) {
	cases := map[string]string{
		"":            "",
		"AZaz09-_.~":  "AZaz09-_.~",
		" ":           "%20",
		"*":           "%2A",
		"+":           "%2B",
		"%":           "%25",
		"/":           "%2F",
		"=&":          "%3D%26",
		"é":           "%C3%A9",
		"\xff":        "%FF",
		"a b":         "a%20b",
		"2016-02-23T": "2016-02-23T",
		":":           "%3A",
	}
	for in, want := range cases {
		if got := percentEncode(in); got != want {
			t.Errorf("percentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// sdkPercentEncode is the SDK's way: Go's query escaping, then its three
// replacements (sdk/auth/rpc_signature_composer.go).
func sdkPercentEncode(s string) string {
	e := url.QueryEscape(s)
	e = strings.ReplaceAll(e, "+", "%20")
	e = strings.ReplaceAll(e, "*", "%2A")
	return strings.ReplaceAll(e, "%7E", "~")
}

func FuzzPercentEncodeMatchesSDK(f *testing.F) {
	for _, s := range []string{"", "a b", "*~+", "é🚀", "\xff\x00", "%2A"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := percentEncode(s), sdkPercentEncode(s); got != want {
			t.Fatalf("percentEncode(%q) = %q, the SDK gives %q", s, got, want)
		}
	})
}

func TestReadParams(t *testing.T) {
	s := New(nil, nil, Options{MaxBodyBytes: 64})
	post := func(query, body, contentType string) (params, error) {
		r := httptest.NewRequest(http.MethodPost, "/?"+query, strings.NewReader(body))
		r.Header.Set("Content-Type", contentType)
		in, err := s.readRequest(httptest.NewRecorder(), r, false)
		return in.ps, err
	}
	ps, err := post("B=2&A=1", "C=a+b&D=%2B", "application/x-www-form-urlencoded; charset=utf-8")
	if err != nil {
		t.Fatal(err)
	}
	if got := []string{ps[0].name, ps[1].name, ps[2].name, ps[3].name}; strings.Join(got, "") != "ABCD" {
		t.Errorf("not sorted: %v", got)
	}
	if ps.str("C") != "a b" || ps.str("D") != "+" {
		t.Errorf("form values: C=%q D=%q", ps.str("C"), ps.str("D"))
	}
	if ps, err = post("A=1", `{"B":2}`, "application/json"); err != nil || len(ps) != 1 {
		t.Errorf("a JSON body is not parameters: %v %v", ps, err)
	}
	for _, tc := range []struct{ query, body, code string }{
		{"A=1&A=2", "", CodeInvalidParameter},
		{"A=1", "A=2", CodeInvalidParameter},
		{"A=%zz", "", CodeInvalidParameter},
		{"=x", "", CodeInvalidParameter},
		{"", "A=" + strings.Repeat("x", 100), CodeInvalidParameter},
	} {
		_, err := post(tc.query, tc.body, "application/x-www-form-urlencoded")
		if e, _ := asAPIError(err); err == nil || e.Code != tc.code {
			t.Errorf("query %q body %q: err %v, want %s", tc.query, tc.body, err, tc.code)
		}
	}
}

func TestTimestampWindow(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		raw  string
		code string
	}{
		{"2026-03-01T12:00:00Z", ""},
		{"2026-03-01T11:45:00Z", ""},
		{"2026-03-01T12:15:00Z", ""},
		{"2026-03-01T11:44:59Z", CodeTimestampExpired},
		{"2026-03-01T12:15:01Z", CodeTimestampExpired},
		{"2026-03-01T20:00:00+08:00", ""},
		{"2026-03-01 12:00:00", CodeTimestampFormat},
		{"1772366400", CodeTimestampFormat},
	}
	for _, tc := range cases {
		_, err := checkTimestamp(tc.raw, now, 15*time.Minute)
		code := ""
		if err != nil {
			e, _ := asAPIError(err)
			code = e.Code
		}
		if code != tc.code {
			t.Errorf("timestamp %q: code %q, want %q", tc.raw, code, tc.code)
		}
	}
}

func TestNonceWindow(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	w := newNonceWindow(15*time.Minute, 3, start)
	w.perKey = w.max // this test is about the window's bound; the per-key one is below
	if got := w.add("k1", "n1", start); got != nonceFresh {
		t.Fatalf("first use: %v", got)
	}
	if got := w.add("k1", "n1", start.Add(time.Minute)); got != nonceUsed {
		t.Fatalf("reuse within the window: %v", got)
	}
	if got := w.add("k2", "n1", start); got != nonceFresh {
		t.Fatalf("the same nonce of another key: %v", got)
	}
	if got := w.add("k1", "n1", start.Add(29*time.Minute)); got != nonceUsed {
		t.Fatalf("reuse after 29 minutes: %v (a nonce is kept two windows at least)", got)
	}
	if got := w.add("k1", "n3", start.Add(29*time.Minute)); got != nonceFresh {
		t.Fatalf("third nonce: %v", got)
	}
	if got := w.add("k1", "n4", start.Add(29*time.Minute)); got != nonceFull {
		t.Fatalf("beyond the bound: %v, want full", got)
	}
	if got := w.add("k1", "n1", start.Add(46*time.Minute)); got != nonceFresh {
		t.Fatalf("after three windows the nonce is forgotten: %v", got)
	}
	if w.size > 3 {
		t.Fatalf("size %d after expiry", w.size)
	}
}

// One key filling its share of the window does not lock out another key.
func TestNonceWindowPerKeyQuota(t *testing.T) {
	start := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	w := newNonceWindow(15*time.Minute, 64, start) // 4 a key
	for i := range 4 {
		if got := w.add("greedy", fmt.Sprint("n", i), start); got != nonceFresh {
			t.Fatalf("nonce %d of the greedy key: %v", i, got)
		}
	}
	if got := w.add("greedy", "n5", start); got != nonceFull {
		t.Errorf("beyond the key's share: %v, want full", got)
	}
	if got := w.add("polite", "n1", start); got != nonceFresh {
		t.Errorf("another key after the greedy one filled its share: %v, want fresh", got)
	}
	if got := w.add("greedy", "n6", start.Add(46*time.Minute)); got != nonceFresh {
		t.Errorf("the greedy key after its nonces expired: %v, want fresh", got)
	}
}

func TestPage(t *testing.T) {
	for _, tc := range []struct{ n, number, size, lo, hi int }{
		{0, 1, 10, 0, 0}, {25, 1, 10, 0, 10}, {25, 3, 10, 20, 25}, {25, 4, 10, 25, 25},
		{25, 1 << 62, 50, 25, 25}, {10, 2, 10, 10, 10},
	} {
		if lo, hi := page(tc.n, tc.number, tc.size); lo != tc.lo || hi != tc.hi {
			t.Errorf("page(%d, %d, %d) = %d, %d; want %d, %d", tc.n, tc.number, tc.size, lo, hi, tc.lo, tc.hi)
		}
	}
}
