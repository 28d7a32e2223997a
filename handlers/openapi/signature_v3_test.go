package openapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	openapiclient "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// sdkRecorder stands in for the Go SDK's HTTP client: it keeps the request
// the SDK would send and answers an empty success.
type sdkRecorder struct {
	req  *http.Request
	body []byte
}

func (rec *sdkRecorder) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	rec.req, rec.body = req, nil
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		if err != nil {
			return nil, err
		}
		rec.body = b
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"RequestId":"r"}`))}, nil
}

// sdkSignedV3 has the current Go SDK (darabonba-openapi's CallApi, which
// signs with V3 unless told otherwise) sign and send DescribeApiGroups with
// these query and body parameters (bodyType "formData" or "json"), and
// returns the request as the server receives it.
func sdkSignedV3(t testing.TB, method string, query, body map[string]any, bodyType string) *http.Request {
	t.Helper()
	rec := &sdkRecorder{}
	client, err := openapiclient.NewClient(&openapiutil.Config{
		AccessKeyId: dara.String(testKeyID), AccessKeySecret: dara.String(testSecret),
		Endpoint: dara.String("gatehouse.test:8081"), Protocol: dara.String("http"), HttpClient: rec,
	})
	if err != nil {
		t.Fatal(err)
	}
	req := &openapiutil.OpenApiRequest{}
	if query != nil {
		req.Query = openapiutil.Query(query)
	}
	if body != nil {
		req.Body = body
	}
	if bodyType == "" {
		bodyType = "formData"
	}
	_, err = client.CallApi(&openapiutil.Params{
		Action: dara.String("DescribeApiGroups"), Version: dara.String(VersionCloudAPI), Protocol: dara.String("HTTP"),
		Pathname: dara.String("/"), Method: dara.String(method), AuthType: dara.String("AK"), Style: dara.String("RPC"),
		ReqBodyType: dara.String(bodyType), BodyType: dara.String("json"),
	}, req, &dara.RuntimeOptions{})
	if err != nil {
		t.Fatalf("the SDK's call: %v", err)
	}
	return asReceived(rec.req, rec.body)
}

// asReceived turns a client's request into the server's view of it.
func asReceived(req *http.Request, body []byte) *http.Request {
	var rd io.Reader
	if len(body) > 0 {
		rd = bytes.NewReader(body)
	}
	sr := httptest.NewRequest(req.Method, req.URL.RequestURI(), rd)
	sr.Host = req.Host
	for k, vs := range req.Header {
		if http.CanonicalHeaderKey(k) == "Host" {
			continue
		}
		for _, v := range vs {
			sr.Header.Add(k, v)
		}
	}
	return sr
}

// verifyV3 runs the server's V3 checks on a received request: parameters,
// Authorization, headers, signature. It answers the parameters read.
func verifyV3(t *testing.T, s *Server, r *http.Request, secret string) (params, error) {
	t.Helper()
	in, err := s.readRequest(httptest.NewRecorder(), r, true)
	if err != nil {
		return nil, err
	}
	cred, err := v3Credential(r.Header["Authorization"], in.ps)
	if err != nil {
		return nil, err
	}
	if _, _, err := requestedAction(r, in.ps, true); err != nil {
		return nil, err
	}
	if err := checkV3Request(r, &in, &cred); err != nil {
		return nil, err
	}
	return in.ps, verifySignature(r, &in, cred, testKeyID, secret)
}

// The server's canonical request is the Go SDK's, byte for byte: the SDK's
// signature verifies for plain values, every class of character that
// percent-encoding treats specially, non-ASCII text, empty values, GET and
// POST, and parameters in a form or JSON body beside the query.
func TestV3SignatureMatchesGoSDK(t *testing.T) {
	s := New(nil, nil, Options{})
	cases := []struct {
		name        string
		method      string
		query, body map[string]any
		bodyType    string
	}{
		{"plain", http.MethodPost, map[string]any{"GroupName": "orders_api", "PageSize": 50}, nil, ""},
		{"get", http.MethodGet, map[string]any{"GroupName": "orders"}, nil, ""},
		{"no parameters", http.MethodPost, nil, nil, ""},
		{"space star tilde plus", http.MethodPost, map[string]any{"GroupName": "a b*c~d+e"}, nil, ""},
		{"reserved characters", http.MethodPost, map[string]any{"Description": "!'()*;:@&=+$,/?#[]%\"<>\\^`{|}"}, nil, ""},
		{"non-ascii", http.MethodGet, map[string]any{"Description": "网关 é ü 🚀"}, nil, ""},
		{"empty value", http.MethodPost, map[string]any{"Description": ""}, nil, ""},
		{"percent sequences", http.MethodPost, map[string]any{"Description": "%20%2A%7E%25"}, nil, ""},
		{"control characters", http.MethodPost, map[string]any{"Description": "tab\there\nnew line"}, nil, ""},
		{"form body", http.MethodPost, map[string]any{"GroupName": "in_query"}, map[string]any{"Description": "in the form & body = yes ~*"}, "formData"},
		{"json body", http.MethodPost, map[string]any{"GroupName": "in_query"}, map[string]any{"Description": "in JSON", "PageSize": 20, "Flag": true}, "json"},
		{"bool and number", http.MethodPost, map[string]any{"PageSize": 10, "IsForce": true}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			hr := sdkSignedV3(t, tc.method, tc.query, tc.body, tc.bodyType)
			ps, err := verifyV3(t, s, hr, testSecret)
			if err != nil {
				t.Fatalf("the SDK's request does not verify: %v\nAuthorization: %s", err, hr.Header.Get("Authorization"))
			}
			for k, v := range tc.query {
				if got, _ := ps.get(k); got != fmt.Sprint(v) {
					t.Errorf("query parameter %s = %q, want %v", k, got, v)
				}
			}
			for k, v := range tc.body {
				if got, _ := ps.get(k); got != fmt.Sprint(v) {
					t.Errorf("body parameter %s = %q, want %v", k, got, v)
				}
			}
			_, err = verifyV3(t, s, sdkSignedV3(t, tc.method, tc.query, tc.body, tc.bodyType), "another secret")
			if e, _ := asAPIError(err); err == nil || e.Code != CodeSignatureDoesNotMatch ||
				!strings.Contains(e.Message, "server canonical request is:\n"+tc.method+"\n/\n") ||
				!strings.Contains(e.Message, "server string to sign is:\nACS3-HMAC-SHA256\n") {
				t.Fatalf("another secret: %v", err)
			}
		})
	}
}

// Alibaba Cloud's worked example of signature V3 (ECS RunInstances in its
// "V3 request syntax and signature" document): the canonical request's
// hash and the signature it gives.
func TestDocumentedV3Vector(t *testing.T) {
	r := httptest.NewRequest(http.MethodPost, "/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai", nil)
	r.Host = "ecs.cn-shanghai.aliyuncs.com"
	for k, v := range map[string]string{
		"x-acs-action": "RunInstances", "x-acs-version": "2014-05-26", "x-acs-date": "2023-10-26T10:22:32Z",
		"x-acs-signature-nonce": "3156853299f313e23d1673dc12e1703d", "x-acs-content-sha256": emptySHA256,
	} {
		r.Header.Set(k, v)
	}
	s := New(nil, nil, Options{})
	in, err := s.readRequest(httptest.NewRecorder(), r, true)
	if err != nil {
		t.Fatal(err)
	}
	const signed = "host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version"
	canon := appendCanonicalRequestV3(nil, r, in.query, signed, emptySHA256)
	if sum := sha256.Sum256(canon); hex.EncodeToString(sum[:]) != "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259" {
		t.Fatalf("canonical request's hash %x, want 7ea06492…:\n%s", sum, canon)
	}
	sts := appendStringToSignV3(nil, canon)
	const want = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"
	if got := signV3("YourAccessKeySecret", sts); got != want {
		t.Fatalf("signature %s, want %s", got, want)
	}
	if !signatureMatchesV3("YourAccessKeySecret", sts, strings.ToUpper(want)) {
		t.Error("an upper-case hex signature does not verify")
	}
	for _, bad := range []string{"", want[:63], want + "0", "z" + want[1:], strings.Repeat("0", 64)} {
		if signatureMatchesV3("YourAccessKeySecret", sts, bad) {
			t.Errorf("signature %q verifies", bad)
		}
	}
}

func TestParseV3Authorization(t *testing.T) {
	good := []struct{ header, key, signed, sig string }{
		{"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=abc", "AK", "host;x-acs-date", "abc"},
		{"ACS3-HMAC-SHA256 Signature=abc, SignedHeaders=host, Credential=AK", "AK", "host", "abc"},
		{"  ACS3-HMAC-SHA256   Credential=AK ,SignedHeaders=host,Signature=abc  ", "AK", "host", "abc"},
		{"ACS3-HMAC-SHA256 Credential=AK=x,SignedHeaders=host,Signature=abc", "AK=x", "host", "abc"},
	}
	for _, tc := range good {
		a, err := parseV3Authorization(tc.header)
		if err != nil || a.keyID != tc.key || a.signedHeaders != tc.signed || a.signature != tc.sig {
			t.Errorf("%q: %+v %v", tc.header, a, err)
		}
	}
	bad := []struct{ header, says string }{
		{"", `algorithm ""`},
		{"ACS3-HMAC-SHA256", "lacks Credential"},
		{"ACS3-HMAC-SM3 Credential=AK,SignedHeaders=host,Signature=abc", `"ACS3-HMAC-SM3" is not supported`},
		{"ACS3-RSA-SHA256 Credential=AK,SignedHeaders=host,Signature=abc", `"ACS3-RSA-SHA256" is not supported`},
		{"acs3-hmac-sha256 Credential=AK,SignedHeaders=host,Signature=abc", "is not supported"},
		{"Bearer abc", `"Bearer" is not supported`},
		{"acs AK:signature", `"acs" is not supported`},
		{"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host", "lacks Signature"},
		{"ACS3-HMAC-SHA256 SignedHeaders=host,Signature=abc", "lacks Credential"},
		{"ACS3-HMAC-SHA256 Credential=AK,Signature=abc", "lacks SignedHeaders"},
		{"ACS3-HMAC-SHA256 Credential=,SignedHeaders=host,Signature=abc", "Credential is empty"},
		{"ACS3-HMAC-SHA256 Credential,SignedHeaders=host,Signature=abc", "Credential is empty"},
		{"ACS3-HMAC-SHA256 Credential=AK,Credential=BK,SignedHeaders=host,Signature=abc", "Credential more than once"},
		{"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=abc,Region=x", `field "Region"`},
		{"ACS3-HMAC-SHA256 Credential=AK,,SignedHeaders=host,Signature=abc", `field ""`},
	}
	for _, tc := range bad {
		_, err := parseV3Authorization(tc.header)
		if err == nil || err.Code != CodeIncompleteSignature || !strings.Contains(err.Message, tc.says) {
			t.Errorf("%q: %v, want IncompleteSignature saying %s", tc.header, err, tc.says)
		}
	}
}

func TestCheckSignedHeaders(t *testing.T) {
	request := func(extra ...string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set("x-acs-action", "DescribeRegions")
		r.Header.Set("x-acs-date", "2026-01-01T00:00:00Z")
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("User-Agent", "test")
		for i := 0; i+1 < len(extra); i += 2 {
			r.Header.Add(extra[i], extra[i+1])
		}
		return r
	}
	const all = "content-type;host;x-acs-action;x-acs-date"
	cases := []struct {
		name       string
		r          *http.Request
		signed     string
		bodyParams bool
		says       string // "" when accepted
	}{
		{"all", request(), all, true, ""},
		{"without content-type, no body", request(), "host;x-acs-action;x-acs-date", false, ""},
		{"unsorted", request(), "x-acs-date;host;x-acs-action", false, ""},
		{"user-agent signed too", request(), "host;user-agent;x-acs-action;x-acs-date", false, ""},
		{"no host", request(), "content-type;x-acs-action;x-acs-date", false, "host header is not signed"},
		{"an x-acs header unsigned", request(), "content-type;host;x-acs-action", false, "x-acs-date is sent but not signed"},
		{"an extra x-acs header unsigned", request("X-Acs-Custom", "1"), all, false, "x-acs-custom is sent but not signed"},
		{"body parameters, content-type unsigned", request(), "host;x-acs-action;x-acs-date", true, "content-type is not signed"},
		{"signed header absent", request(), all + ";x-acs-signature-nonce", false, `"x-acs-signature-nonce", which the request does not carry`},
		{"upper case", request(), "Host;x-acs-action;x-acs-date", false, "lower case"},
		{"repeated", request(), "host;host;x-acs-action;x-acs-date", false, "more than once"},
		{"empty name", request(), "host;;x-acs-action;x-acs-date", false, "empty name"},
		{"trailing separator", request(), all + ";", false, "empty name"},
		{"too many", request(), all + strings.Repeat(";x-acs-date", 61), false, "more than 64 headers"},
		{"as many as allowed", request(), all + strings.Repeat(";user-agent", 60), false, "more than once"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := checkSignedHeaders(tc.r, tc.signed, tc.bodyParams)
			switch {
			case tc.says == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.says != "" && (err == nil || err.Code != CodeIncompleteSignature || !strings.Contains(err.Message, tc.says)):
				t.Fatalf("got %v, want IncompleteSignature saying %s", err, tc.says)
			}
		})
	}
}

// Several values of one signed header are trimmed, sorted and joined with
// a comma, as the SDKs canonicalise them.
func TestCanonicalHeadersSeveralValues(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.Host = "gatehouse.test"
	r.Header.Add("X-Acs-Custom", " b ")
	r.Header.Add("X-Acs-Custom", "a")
	got := string(appendCanonicalHeaders(nil, r, "host;x-acs-custom"))
	if want := "host:gatehouse.test\nx-acs-custom:a,b\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestAppendJSONParams(t *testing.T) {
	ps, err := appendJSONParams(nil, []byte(` {"GroupName":"a b","PageSize":20,"Big":12345678901234567890,"Ok":false,"Gone":null} `))
	if err != nil {
		t.Fatal(err)
	}
	if err := sortParams(ps); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"GroupName": "a b", "PageSize": "20", "Big": "12345678901234567890", "Ok": "false"} {
		if got, _ := ps.get(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	if _, ok := ps.get("Gone"); ok || len(ps) != 4 {
		t.Errorf("null is a parameter: %v", ps)
	}
	for _, body := range []string{`[1]`, `"x"`, `null`, `{"a":1} {"b":2}`, `{"a":{"b":1}}`, `{"a":[1]}`, `{"":"x"}`, `{`, `{"a":1}x`} {
		if _, err := appendJSONParams(nil, []byte(body)); err == nil || err.Code != CodeInvalidParameter {
			t.Errorf("%s: %v, want InvalidParameter", body, err)
		}
	}
}

// FuzzV3Authorization: no Authorization header makes the parser panic; what
// it accepts has its three fields, and writing them back parses the same.
func FuzzV3Authorization(f *testing.F) {
	for _, s := range []string{
		"ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host;x-acs-date,Signature=abc",
		"ACS3-HMAC-SHA256 Signature=abc, SignedHeaders=host, Credential=AK",
		"ACS3-HMAC-SHA256", "ACS3-HMAC-SHA256 ,,,", "ACS3-HMAC-SHA256 Credential==,", "Bearer x", "", " ", "ACS3-HMAC-SHA256 =",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		a, err := parseV3Authorization(h)
		if err != nil {
			if err.Code != CodeIncompleteSignature || err.Status != http.StatusBadRequest {
				t.Fatalf("%q: %+v", h, err)
			}
			return
		}
		if a.keyID == "" || a.signedHeaders == "" || a.signature == "" {
			t.Fatalf("%q: an empty field accepted: %+v", h, a)
		}
		again, err := parseV3Authorization(v3Algorithm + " Credential=" + a.keyID + ",SignedHeaders=" + a.signedHeaders + ",Signature=" + a.signature)
		if err != nil || again != a {
			t.Fatalf("%q: written back, parses as %+v, %v; first %+v", h, again, err, a)
		}
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("X-Acs-Date", "x")
		_ = checkSignedHeaders(r, a.signedHeaders, true) // must not panic
		_ = appendCanonicalHeaders(nil, r, a.signedHeaders)
	})
}

// FuzzCanonicalQueryV3: any query string either is refused or gives a
// canonical query that reads back as the same parameters, in the same
// (sorted) order, with nothing but unreserved characters, '%XY', '=' and
// '&' in it.
func FuzzCanonicalQueryV3(f *testing.F) {
	for _, s := range []string{"", "a=1", "B=2&A=1", "a=%20+*~", "x=&y", "%E7%BD%91=%F0%9F%9A%80", "a=%zz", "=x", "a=1&a=2", "&&a=b&&"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ps, err := appendParams(nil, raw)
		if err != nil {
			return
		}
		if err := sortParams(ps); err != nil {
			return
		}
		canon := appendCanonicalQueryV3(nil, ps)
		for _, b := range canon {
			if !unreserved(b) && b != '%' && b != '=' && b != '&' {
				t.Fatalf("%q: canonical query %q has %q", raw, canon, b)
			}
		}
		back, err := appendParams(nil, string(canon))
		if err != nil {
			t.Fatalf("%q: canonical query %q does not parse: %v", raw, canon, err)
		}
		if len(back) != len(ps) {
			t.Fatalf("%q: %d parameters, canonical %q reads %d", raw, len(ps), canon, len(back))
		}
		for i := range ps {
			if back[i] != ps[i] {
				t.Fatalf("%q: parameter %d %+v reads back as %+v", raw, i, ps[i], back[i])
			}
		}
	})
}

// BenchmarkSignatureCheck is what each signature costs on its own, from the
// request read to the signature compared, for the same DescribeApiGroups
// call as the SDKs send it (1.0: every parameter in the query; V3: the
// headers and the query).
func BenchmarkSignatureCheck(b *testing.B) {
	s := New(nil, nil, Options{})
	query := map[string]string{"PageSize": "50", "PageNumber": "1", "GroupName": "orders"}
	b.Run("1.0", func(b *testing.B) {
		r, _ := sdkSigned(b, http.MethodGet, query, nil)
		b.ReportAllocs()
		for range b.N {
			in, err := s.readRequest(nil, r, false)
			if err != nil {
				b.Fatal(err)
			}
			cred, err := v1Credential(in.ps)
			if err != nil {
				b.Fatal(err)
			}
			if err := verifySignature(r, &in, cred, testKeyID, testSecret); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("V3", func(b *testing.B) {
		q := map[string]any{}
		for k, v := range query {
			q[k] = v
		}
		r := sdkSignedV3(b, http.MethodGet, q, nil, "")
		b.ReportAllocs()
		for range b.N {
			in, err := s.readRequest(nil, r, true)
			if err != nil {
				b.Fatal(err)
			}
			cred, err := v3Credential(r.Header["Authorization"], in.ps)
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := requestedAction(r, in.ps, true); err != nil {
				b.Fatal(err)
			}
			if err := checkV3Request(r, &in, &cred); err != nil {
				b.Fatal(err)
			}
			if err := verifySignature(r, &in, cred, testKeyID, testSecret); err != nil {
				b.Fatal(err)
			}
		}
	})
}
