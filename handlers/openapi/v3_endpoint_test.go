package openapi_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	vpcclient "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// V3 requests as the SDK signs them are served by GET and by POST, with
// parameters in the query, a form body or a JSON body; and each way a V3
// request can be wrong gets its code, with a message that says what is
// wrong, and changes nothing.
func TestV3ProtocolRefusals(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	ctx := context.Background()

	for _, tc := range []struct {
		name string
		r    v3Request
	}{
		{"GET", v3Request{method: http.MethodGet}},
		{"POST", v3Request{}},
		{"query parameters", v3Request{action: "DescribeApiGroups", query: map[string]string{"PageSize": "5", "GroupName": "a b*~"}}},
		{"form body", v3Request{action: "DescribeApiGroups", body: "PageSize=5&GroupName=a+b%2A~",
			contentType: "application/x-www-form-urlencoded"}},
		{"JSON body", v3Request{action: "DescribeApiGroups", body: `{"PageSize":5,"GroupName":"a b*~"}`, contentType: "application/json; charset=utf-8"}},
		{"an octet-stream body, signed, not read", v3Request{body: "\x00\x01binary", contentType: "application/octet-stream"}},
	} {
		status, _, body := sendV3(t, addr, w.admin, tc.r)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.name, status, body)
		}
		if tc.r.action == "DescribeApiGroups" && !strings.Contains(string(body), `"PageSize":5`) {
			t.Errorf("%s: the parameters were not read: %s", tc.name, body)
		}
	}

	create := func(r v3Request) v3Request {
		r.action, r.query = "CreateApiGroup", map[string]string{"GroupName": "never_made", "RegionId": "cn-hangzhou"}
		return r
	}
	setHeader := func(name, value string) map[string]string { return map[string]string{name: value} }
	minutes := func(m int) string {
		return time.Now().Add(time.Duration(m) * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	}
	replaceSignature := func(sig string) func(string) string {
		return func(a string) string { return a[:strings.Index(a, "Signature=")] + "Signature=" + sig }
	}
	cases := []struct {
		name   string
		r      v3Request
		k      key
		status int
		code   string
		says   string
	}{
		{"unknown algorithm (the SDK's SM3)", create(v3Request{algorithm: "ACS3-HMAC-SM3"}), w.admin, 400, "IncompleteSignature", `algorithm "ACS3-HMAC-SM3" is not supported`},
		{"not a V3 Authorization", create(v3Request{authorization: func(string) string { return "Bearer abc" }}), w.admin, 400, "IncompleteSignature", `"Bearer" is not supported`},
		{"Authorization without Credential", create(v3Request{authorization: func(a string) string { return strings.Replace(a, "Credential=", "Credentials=", 1) }}),
			w.admin, 400, "IncompleteSignature", `field "Credentials"`},
		{"no x-acs-action", create(v3Request{set: setHeader("x-acs-action", drop)}), w.admin, 400, "MissingParameter", `"x-acs-action"`},
		{"no x-acs-version", create(v3Request{set: setHeader("x-acs-version", drop)}), w.admin, 400, "MissingParameter", `"x-acs-version"`},
		{"no x-acs-date", create(v3Request{set: setHeader("x-acs-date", drop)}), w.admin, 400, "MissingParameter", `"x-acs-date"`},
		{"no x-acs-signature-nonce", create(v3Request{set: setHeader("x-acs-signature-nonce", drop)}), w.admin, 400, "MissingParameter", `"x-acs-signature-nonce"`},
		{"no x-acs-content-sha256", create(v3Request{set: setHeader("x-acs-content-sha256", drop)}), w.admin, 400, "MissingParameter", `"x-acs-content-sha256"`},
		{"unknown action", v3Request{action: "DescribeEverything"}, w.admin, 404, "InvalidAction.NotFound", "DescribeEverything"},
		{"VPC action on the API Gateway version", v3Request{action: "CreateVpc"}, w.admin, 404, "InvalidAction.NotFound", "CreateVpc"},
		{"unknown version", v3Request{version: "2099-01-01"}, w.admin, 400, "InvalidVersion", "2099-01-01"},
		{"Action parameter other than x-acs-action", create(v3Request{v1: map[string]string{"Action": "DeleteApiGroup"}}), w.admin, 400, "InvalidParameter", "x-acs-action"},
		{"x-acs-action twice", create(v3Request{unsigned: setHeader("x-acs-action", "DeleteApiGroup")}), w.admin, 400, "InvalidParameter", "x-acs-action"},
		{"stale x-acs-date", create(v3Request{set: setHeader("x-acs-date", minutes(-16))}), w.admin, 400, "InvalidTimeStamp.Expired", "15m0s"},
		{"future x-acs-date", create(v3Request{set: setHeader("x-acs-date", minutes(16))}), w.admin, 400, "InvalidTimeStamp.Expired", "15m0s"},
		{"x-acs-date not a date", create(v3Request{set: setHeader("x-acs-date", "yesterday")}), w.admin, 400, "InvalidTimeStamp.Format", "yesterday"},
		{"host not signed", create(v3Request{set: setHeader("host", drop)}), w.admin, 400, "IncompleteSignature", "host header is not signed"},
		{"an x-acs header sent unsigned", create(v3Request{unsigned: setHeader("x-acs-extra", "1")}), w.admin, 400, "IncompleteSignature", "x-acs-extra is sent but not signed"},
		{"body parameters with content-type unsigned", v3Request{action: "DescribeApiGroups", body: "PageSize=5",
			unsigned: setHeader("Content-Type", "application/x-www-form-urlencoded")}, w.admin, 400, "IncompleteSignature", "content-type is not signed"},
		{"x-acs-content-sha256 not the body's", create(v3Request{body: "Description=x", contentType: "application/x-www-form-urlencoded",
			payloadHash: strings.Repeat("ab", 32)}), w.admin, 400, "IncompleteSignature", "is not the SHA-256 of the body"},
		{"a bearer token", create(v3Request{set: setHeader("x-acs-signature-type", "BEARERTOKEN")}), w.admin, 400, "IncompleteSignature", "BEARERTOKEN"},
		{"signed both ways", create(v3Request{v1: map[string]string{"Signature": "abc="}}), w.admin, 400, "IncompleteSignature", "signed twice"},
		{"wrong secret", create(v3Request{}), key{w.admin.id, strings.Repeat("s", 30)}, 400, "SignatureDoesNotMatch",
			"server canonical request is:\nPOST\n/\nGroupName=never_made&RegionId=cn-hangzhou\n"},
		{"not hex", create(v3Request{authorization: replaceSignature("not hex")}), w.admin, 400, "SignatureDoesNotMatch", "server string to sign is:\nACS3-HMAC-SHA256\n"},
		{"query changed after signing", create(v3Request{v1: map[string]string{"GroupName": "other"}}), w.admin, 400, "SignatureDoesNotMatch", "GroupName=other"},
		{"unknown key", create(v3Request{}), key{"LTAI" + strings.Repeat("Z", 20), w.admin.secret}, 404, "InvalidAccessKeyId.NotFound", ""},
		{"a viewer changes something", create(v3Request{}), w.viewer, 403, "Forbidden", "viewer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, e, body := sendV3(t, addr, tc.k, tc.r)
			if status != tc.status || e.Code != tc.code || !strings.Contains(e.Message, tc.says) {
				t.Fatalf("got %d %s, want %d %s saying %q: %s", status, e.Code, tc.status, tc.code, tc.says, body)
			}
			if e.RequestId == "" || e.HostId != addr {
				t.Errorf("error body incomplete: %+v", e)
			}
		})
	}
	if page, err := w.st.ListGroups(ctx, w.acme, store.GroupQuery{}); err != nil || page.Total != 0 {
		t.Fatalf("a refused request made a group: %+v %v", page, err)
	}

	// Signed neither way: no Authorization, no Signature.
	v := signedValues(w.admin, http.MethodGet, map[string]string{"Action": "DescribeRegions", "Signature": drop})
	if status, e, _ := raw(t, addr, http.MethodGet, v); status != 400 || e.Code != "MissingParameter" ||
		!strings.Contains(e.Message, "not signed") || !strings.Contains(e.Message, "ACS3-HMAC-SHA256") {
		t.Fatalf("unsigned: %d %+v", status, e)
	}
}

// V1 and V3 share one nonce memory: a nonce used by either is refused to
// the other, and a V3 request replayed as it was is refused.
func TestV3NonceSharedWithV1(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	const first, second = "nonce-used-by-1.0-first", "nonce-used-by-V3-first"
	if status, _, body := raw(t, addr, http.MethodGet, signedValues(w.admin, http.MethodGet,
		map[string]string{"Action": "DescribeRegions", "SignatureNonce": first})); status != 200 {
		t.Fatalf("1.0: %d %s", status, body)
	}
	if status, e, _ := sendV3(t, addr, w.admin, v3Request{set: map[string]string{"x-acs-signature-nonce": first}}); status != 400 ||
		e.Code != "SignatureNonceUsed" || !strings.Contains(e.Message, "x-acs-signature-nonce") {
		t.Fatalf("V3 reusing 1.0's nonce: %d %+v", status, e)
	}
	if status, _, body := sendV3(t, addr, w.admin, v3Request{set: map[string]string{"x-acs-signature-nonce": second}}); status != 200 {
		t.Fatalf("V3: %d %s", status, body)
	}
	if status, e, _ := raw(t, addr, http.MethodGet, signedValues(w.admin, http.MethodGet,
		map[string]string{"Action": "DescribeRegions", "SignatureNonce": second})); status != 400 || e.Code != "SignatureNonceUsed" {
		t.Fatalf("1.0 reusing V3's nonce: %d %+v", status, e)
	}
	// Another key may use the same nonce.
	if status, _, body := sendV3(t, addr, w.rivalAdmin, v3Request{set: map[string]string{"x-acs-signature-nonce": second}}); status != 200 {
		t.Fatalf("another key's nonce: %d %s", status, body)
	}

	// The SDK's own request, sent twice by its HTTP client.
	replayer := &replayClient{}
	c := newV3Clients(t, addr, w.admin, func(cfg *openapiutil.Config) { cfg.HttpClient = replayer })
	must(t, "DescribeRegions", c.call("DescribeRegions", nil, nil))
	replayer.twice = true
	refusedV3(t, "the SDK's request replayed", c.call("DescribeRegions", nil, nil), "SignatureNonceUsed", 400)
	replayer.twice = false
	must(t, "the next request", c.call("DescribeRegions", nil, nil))
}

// replayClient is the SDK's HTTP client, sending each request once or, when
// twice is set, twice (a replay), answering the second answer. It keeps the
// last request sent.
type replayClient struct {
	twice bool
	last  *http.Request
}

func (rc *replayClient) Call(req *http.Request, tr *http.Transport) (*http.Response, error) {
	rc.last = req
	client := &http.Client{Transport: tr}
	if !rc.twice {
		return client.Do(req)
	}
	again := req.Clone(req.Context())
	if req.GetBody != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		again.Body = body
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	return client.Do(again)
}

// The Go SDK with V3 (CallApi and the VPC typed client) against the
// endpoint in process: answers decode strictly, a change lands in the
// operation log as the key's, a refused change too, a viewer gets
// Forbidden, XML is served, and a clock more than 15 minutes off is
// refused either way.
func TestV3GoSDK(t *testing.T) {
	w := newWorld(t)
	var clk clock
	addr := w.serve(t, openapi.Options{Now: clk.now})
	ctx := context.Background()
	seen := &replayClient{}
	admin := newV3Clients(t, addr, w.admin, func(c *openapiutil.Config) { c.HttpClient = seen })

	// Both clients sign with V3 when nothing else is said.
	isV3 := func(what string) {
		t.Helper()
		if a := seen.last.Header.Get("Authorization"); !strings.HasPrefix(a, "ACS3-HMAC-SHA256 Credential="+w.admin.id+",") ||
			seen.last.URL.Query().Has("Signature") || len(seen.last.Header["x-acs-action"]) == 0 {
			t.Fatalf("%s did not send a V3 request: %s %v", what, seen.last.URL, seen.last.Header)
		}
	}
	_, err := admin.vpc.DescribeZones(&vpcclient.DescribeZonesRequest{RegionId: dara.String("cn-hangzhou")})
	must(t, "DescribeZones", err)
	isV3("the VPC client")
	must(t, "DescribeRegions", admin.call("DescribeRegions", nil, nil))
	isV3("CallApi")

	var made struct {
		RequestId, GroupId, GroupName, InstanceId, InstanceType, SubDomain string
	}
	must(t, "CreateApiGroup", admin.call("CreateApiGroup", map[string]any{"GroupName": "v3_orders", "RegionId": "cn-hangzhou",
		"Description": "made with V3 ~ * +"}, &made))
	if !rules.IsGroupID(made.GroupId) || made.InstanceType != "VPC_SHARED" || made.RequestId == "" {
		t.Fatalf("CreateApiGroup: %+v", made)
	}
	// Parameters in a form body, as CallApi sends OpenApiRequest.Body.
	must(t, "ModifyApiGroup with a form body", admin.callWith(rpc(openapi.VersionCloudAPI, "ModifyApiGroup"),
		&openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]any{"GroupId": made.GroupId}),
			Body: map[string]any{"Description": "described in the body & more"}}, nil))
	var group struct{ Description string }
	must(t, "DescribeApiGroup", admin.call("DescribeApiGroup", map[string]any{"GroupId": made.GroupId}, &group))
	if group.Description != "described in the body & more" {
		t.Fatalf("the body's Description was not applied: %+v", group)
	}
	refusedV3(t, "a bad name", admin.call("CreateApiGroup", map[string]any{"GroupName": "1 bad", "RegionId": "cn-hangzhou"}, nil), "InvalidGroupName", 400)
	// The SDK sends no region of its own; its global query parameters give
	// one to every request, as the README says.
	regional := newV3Clients(t, addr, w.admin, func(c *openapiutil.Config) {
		c.GlobalParameters = &openapiutil.GlobalParameters{Queries: map[string]*string{"RegionId": dara.String("cn-shanghai")}}
	})
	var elsewhere struct{ GroupId, InstanceId string }
	must(t, "CreateApiGroup with a global RegionId", regional.call("CreateApiGroup", map[string]any{"GroupName": "v3_shanghai"}, &elsewhere))
	if want, _ := rules.DefaultSharedInstanceID("cn-shanghai"); elsewhere.InstanceId != want {
		t.Fatalf("the global RegionId was not used: %+v", elsewhere)
	}
	refusedV3(t, "CreateApiGroup with no region", admin.call("CreateApiGroup", map[string]any{"GroupName": "v3_nowhere"}, nil), "MissingParameter", 400)

	entries, _, err := w.st.ListOpLog(ctx, w.acme, store.OpLogQuery{Limit: 50})
	must(t, "ListOpLog", err)
	for _, want := range []struct{ action, outcome string }{{"CreateApiGroup", "ok"}, {"ModifyApiGroup", "ok"}, {"CreateApiGroup", "InvalidGroupName"}} {
		found := false
		for _, e := range entries {
			found = found || e.Action == want.action && e.Outcome == want.outcome && e.Actor == w.admin.id && e.Source == rules.SourceOpenAPI
		}
		if !found {
			t.Errorf("no %s with outcome %s by %s through the OpenAPI in the operation log", want.action, want.outcome, w.admin.id)
		}
	}

	viewer := newV3Clients(t, addr, w.viewer)
	must(t, "the viewer describes", viewer.call("DescribeApiGroup", map[string]any{"GroupId": made.GroupId}, nil))
	se := refusedV3(t, "the viewer deletes", viewer.call("DeleteApiGroup", map[string]any{"GroupId": made.GroupId}, nil), "Forbidden", 403)
	if !strings.Contains(*se.Message, "viewer") {
		t.Errorf("Forbidden's message: %s", *se.Message)
	}
	rival := newV3Clients(t, addr, w.rivalAdmin)
	refusedV3(t, "another account's group", rival.call("DescribeApiGroup", map[string]any{"GroupId": made.GroupId}, nil), "NotFoundApiGroup", 404)

	res, err := admin.api.CallApi(&openapiutil.Params{Action: dara.String("DescribeApiGroups"), Version: dara.String(openapi.VersionCloudAPI),
		Protocol: dara.String("HTTP"), Pathname: dara.String("/"), Method: dara.String("GET"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("string")},
		&openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]any{"Format": "XML"})}, &dara.RuntimeOptions{})
	must(t, "DescribeApiGroups in XML", err)
	if body, _ := res["body"].(string); !strings.HasPrefix(body, "<?xml") || !strings.Contains(body, "<GroupName>v3_orders</GroupName>") {
		t.Fatalf("XML answer: %v", res["body"])
	}

	for _, tc := range []struct {
		skew time.Duration
		code string
	}{{14 * time.Minute, ""}, {-14 * time.Minute, ""}, {16 * time.Minute, "InvalidTimeStamp.Expired"}, {-16 * time.Minute, "InvalidTimeStamp.Expired"}} {
		clk.move(tc.skew)
		err := admin.call("DescribeRegions", nil, nil)
		if tc.code == "" {
			must(t, "DescribeRegions with the clock off by "+tc.skew.String(), err)
		} else {
			refusedV3(t, "DescribeRegions with the clock off by "+tc.skew.String(), err, tc.code, 400)
		}
	}
	clk.move(0)

	var wrong = newV3Clients(t, addr, key{w.admin.id, strings.Repeat("x", 30)})
	se = refusedV3(t, "a wrong secret", wrong.call("DescribeApiGroups", map[string]any{"GroupName": "a b*~"}, nil), "SignatureDoesNotMatch", 400)
	var data struct{ Message, Recommend string }
	if err := json.Unmarshal([]byte(*se.Data), &data); err != nil ||
		!strings.Contains(data.Message, "server canonical request is:\nPOST\n/\nGroupName=a%20b%2A~\n") ||
		!strings.Contains(data.Message, "x-acs-action:DescribeApiGroups\n") || !strings.Contains(data.Recommend, w.admin.id) {
		t.Fatalf("SignatureDoesNotMatch does not show the canonical request: %s (%v)", *se.Data, err)
	}
	sm3 := newV3Clients(t, addr, w.admin, func(c *openapiutil.Config) { c.SignatureAlgorithm = dara.String("ACS3-HMAC-SM3") })
	refusedV3(t, "the SDK signing with SM3", sm3.call("DescribeRegions", nil, nil), "IncompleteSignature", 400)
}

// A JSON body is read only when V3 signs it: with 1.0 the body is not
// signed, so it is not read (as before).
func TestV3JSONBodyOnlyWhenSigned(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	v := signedValues(w.admin, http.MethodPost, map[string]string{"Action": "DescribeApiGroups"})
	req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/?"+v.Encode(), strings.NewReader(`{"PageSize":3}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if status, _, body := doRaw(t, req); status != 200 || !strings.Contains(string(body), `"PageSize":10`) {
		t.Fatalf("1.0 with a JSON body: %d %s", status, body)
	}
	for _, tc := range []struct{ body, code string }{{`{"PageSize":{"n":3}}`, "InvalidParameter"}, {`[1,2]`, "InvalidParameter"}, {`{"PageSize":3`, "InvalidParameter"}} {
		status, e, _ := sendV3(t, addr, w.admin, v3Request{action: "DescribeApiGroups", body: tc.body, contentType: "application/json"})
		if status != 400 || e.Code != tc.code {
			t.Errorf("V3 with %s: %d %+v", tc.body, status, e)
		}
	}
}
