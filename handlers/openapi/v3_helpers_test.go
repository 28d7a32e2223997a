package openapi_test

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	openapiclient "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	vpcclient "github.com/alibabacloud-go/vpc-20160428/v6/client"

	"gatehouse/handlers/openapi"
)

// v3Clients are the current Go SDK's clients of one access key, pointed at
// an endpoint with only Endpoint, Protocol and the key set: darabonba-
// openapi's generic client (CallApi, for API Gateway's actions) and the VPC
// API's typed client. Both sign with V3, their default.
type v3Clients struct {
	t   *testing.T
	api *openapiclient.Client
	vpc *vpcclient.Client
}

// newV3Clients makes the clients; tune, when given, changes the config
// (another signature algorithm, an HTTP client that replays).
func newV3Clients(t *testing.T, addr string, k key, tune ...func(*openapiutil.Config)) *v3Clients {
	t.Helper()
	config := func() *openapiutil.Config {
		c := &openapiutil.Config{AccessKeyId: dara.String(k.id), AccessKeySecret: dara.String(k.secret),
			Endpoint: dara.String(addr), Protocol: dara.String("http")}
		for _, f := range tune {
			f(c)
		}
		return c
	}
	c := &v3Clients{t: t}
	var err error
	if c.api, err = openapiclient.NewClient(config()); err != nil {
		t.Fatal(err)
	}
	if c.vpc, err = vpcclient.NewClient(config()); err != nil {
		t.Fatal(err)
	}
	return c
}

// rpc is how a Gatehouse action is called through CallApi: the RPC style,
// parameters in the query (as the typed clients send them), POST.
func rpc(version, action string) *openapiutil.Params {
	return &openapiutil.Params{
		Action: dara.String(action), Version: dara.String(version), Protocol: dara.String("HTTP"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
		ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
}

// call calls an API Gateway action with query parameters and decodes the
// answer's body strictly (encoding/json: a number where a string is
// declared fails) into out, when not nil.
func (c *v3Clients) call(action string, query map[string]any, out any) error {
	return c.callWith(rpc(openapi.VersionCloudAPI, action), &openapiutil.OpenApiRequest{Query: openapiutil.Query(query)}, out)
}

func (c *v3Clients) callWith(p *openapiutil.Params, req *openapiutil.OpenApiRequest, out any) error {
	res, err := c.api.CallApi(p, req, &dara.RuntimeOptions{})
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	raw, err := json.Marshal(res["body"])
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, out); err != nil {
		c.t.Fatalf("%s's answer %s does not decode strictly into %T: %v", *p.Action, raw, out, err)
	}
	return nil
}

// refusedV3 checks that err is the SDK's error with code and status.
func refusedV3(t *testing.T, what string, err error, code string, status int) *tea.SDKError {
	t.Helper()
	var se *tea.SDKError
	if !errors.As(err, &se) {
		t.Fatalf("%s: got %v, want the SDK's error %s", what, err, code)
	}
	if tea.StringValue(se.Code) != code || tea.IntValue(se.StatusCode) != status {
		t.Fatalf("%s: got %s (HTTP %d): %s; want %s (HTTP %d)", what, tea.StringValue(se.Code), tea.IntValue(se.StatusCode),
			tea.StringValue(se.Message), code, status)
	}
	if !strings.Contains(tea.StringValue(se.Data), `"RequestId"`) {
		t.Errorf("%s: the error has no RequestId: %s", what, tea.StringValue(se.Data))
	}
	return se
}

// v3Request is a request signed by the Go SDK's own V3 signer
// (openapiutil.GetAuthorization) over the headers the SDK sends; its
// fields bend it for the refusals.
type v3Request struct {
	method          string            // POST by default
	version, action string            // 2016-07-14 and DescribeRegions by default
	query           map[string]string // in the query string
	body            string            // sent as is
	contentType     string            // of the body
	set             map[string]string // headers set before signing (the value drop removes one)
	unsigned        map[string]string // headers added after signing: sent, not signed
	algorithm       string            // ACS3-HMAC-SHA256 by default
	payloadHash     string            // x-acs-content-sha256 claimed, instead of the body's
	authorization   func(string) string
	v1              map[string]string // added to the query after signing
}

// sendV3 signs r with k and sends it to addr; it answers the status, the
// error body (when JSON) and the body.
func sendV3(t *testing.T, addr string, k key, r v3Request) (int, errorAnswer, []byte) {
	t.Helper()
	return doRaw(t, buildV3(t, addr, k, r))
}

func buildV3(t testing.TB, addr string, k key, r v3Request) *http.Request {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	if r.version == "" {
		r.version = openapi.VersionCloudAPI
	}
	if r.action == "" {
		r.action = "DescribeRegions"
	}
	if r.algorithm == "" {
		r.algorithm = "ACS3-HMAC-SHA256"
	}
	var nonce [16]byte
	rand.Read(nonce[:])
	sum := sha256.Sum256([]byte(r.body))
	payload := hex.EncodeToString(sum[:])
	if r.payloadHash != "" {
		payload = r.payloadHash
	}
	headers := map[string]*string{
		"host": dara.String(addr), "x-acs-version": dara.String(r.version), "x-acs-action": dara.String(r.action),
		"user-agent": dara.String("AlibabaCloud (linux; amd64) Go/go1.26 Core/test"), "accept": dara.String("application/json"),
		"x-acs-date":            dara.String(time.Now().UTC().Format("2006-01-02T15:04:05Z")),
		"x-acs-signature-nonce": dara.String(hex.EncodeToString(nonce[:])),
		"x-acs-content-sha256":  dara.String(payload),
	}
	if r.contentType != "" {
		headers["content-type"] = dara.String(r.contentType)
	}
	for name, v := range r.set {
		if v == drop {
			delete(headers, name)
		} else {
			headers[name] = dara.String(v)
		}
	}
	query := map[string]*string{}
	for name, v := range r.query {
		query[name] = dara.String(v)
	}
	dr := dara.NewRequest()
	dr.Method, dr.Pathname, dr.Query, dr.Headers = dara.String(r.method), dara.String("/"), query, headers
	auth := dara.StringValue(openapiutil.GetAuthorization(dr, dara.String(r.algorithm), dara.String(payload), dara.String(k.id), dara.String(k.secret)))
	if r.authorization != nil {
		auth = r.authorization(auth)
	}

	q := url.Values{}
	for name, v := range r.query {
		q.Set(name, v)
	}
	for name, v := range r.v1 {
		q.Set(name, v)
	}
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	req, err := http.NewRequest(r.method, "http://"+addr+"/?"+q.Encode(), body)
	if err != nil {
		t.Fatal(err)
	}
	for name, v := range headers {
		if name == "host" {
			req.Host = *v
			continue
		}
		req.Header[name] = []string{*v}
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	for name, v := range r.unsigned {
		req.Header.Add(name, v)
	}
	return req
}

// doRaw sends a request and decodes the answer as raw does.
func doRaw(t *testing.T, req *http.Request) (int, errorAnswer, []byte) {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var e errorAnswer
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("answer %s: %v", body, err)
		}
	}
	return res.StatusCode, e, body
}

// asServed is a client's request as a handler receives it (body-less).
func asServed(req *http.Request) *http.Request {
	sr := httptest.NewRequest(req.Method, req.URL.RequestURI(), nil)
	sr.Host = req.Host
	for k, vs := range req.Header {
		for _, v := range vs {
			sr.Header.Add(k, v) // canonical names, as Go's server keeps them
		}
	}
	return sr
}
