package openapi_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// drop, as a parameter's value in signedValues, leaves the parameter out.
const drop = "\x00drop"

// signedValues builds a signed RPC request's parameters the way the SDK
// does (sdk/auth/rpc_signature_composer.go: url.Values encoding, then
// + → %20, * → %2A, %7E → ~, then query-escaping the whole), with the
// common parameters filled in and p overriding them.
func signedValues(k key, method string, p map[string]string) url.Values {
	var nonce [16]byte
	rand.Read(nonce[:])
	v := url.Values{}
	for name, val := range map[string]string{
		"Format": "JSON", "Version": openapi.VersionCloudAPI, "SignatureMethod": "HMAC-SHA1", "SignatureVersion": "1.0",
		"SignatureNonce": hex.EncodeToString(nonce[:]), "Timestamp": time.Now().UTC().Format("2006-01-02T15:04:05Z"),
		"AccessKeyId": k.id, "RegionId": "cn-hangzhou", "SignatureType": "",
	} {
		v.Set(name, val)
	}
	for name, val := range p {
		if val == drop {
			v.Del(name)
		} else {
			v.Set(name, val)
		}
	}
	enc := v.Encode()
	enc = strings.ReplaceAll(enc, "+", "%20")
	enc = strings.ReplaceAll(enc, "*", "%2A")
	enc = strings.ReplaceAll(enc, "%7E", "~")
	sts := method + "&%2F&" + url.QueryEscape(enc)
	mac := hmac.New(sha1.New, []byte(k.secret+"&"))
	mac.Write([]byte(sts))
	if _, keep := p["Signature"]; !keep {
		v.Set("Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	}
	return v
}

// errorAnswer is the error body the endpoint sends.
type errorAnswer struct {
	RequestId, HostId, Code, Message, Recommend string
}

// raw sends a GET with the query v (or a form POST) and decodes the answer.
func raw(t *testing.T, addr, method string, v url.Values) (int, errorAnswer, []byte) {
	t.Helper()
	var req *http.Request
	var err error
	if method == http.MethodPost {
		req, err = http.NewRequest(method, "http://"+addr+"/", strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req, err = http.NewRequest(method, "http://"+addr+"/?"+v.Encode(), nil)
	}
	if err != nil {
		t.Fatal(err)
	}
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

// The protocol's refusals, before any action runs: each missing common
// parameter, an unknown action or version, an unsupported format, method,
// path or signature method; and the same request properly signed, by GET
// and by form POST, succeeds.
func TestProtocolRefusals(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	describe := map[string]string{"Action": "DescribeRegions"}
	with := func(extra map[string]string) map[string]string {
		m := map[string]string{"Action": "DescribeRegions"}
		for k, v := range extra {
			m[k] = v
		}
		return m
	}

	for _, method := range []string{http.MethodGet, http.MethodPost} {
		status, _, body := raw(t, addr, method, signedValues(w.admin, method, describe))
		if status != http.StatusOK || !strings.Contains(string(body), `"RegionId":"cn-hangzhou"`) {
			t.Fatalf("%s DescribeRegions: %d %s", method, status, body)
		}
	}

	cases := []struct {
		name   string
		p      map[string]string
		status int
		code   string
	}{
		{"no Action", with(map[string]string{"Action": drop}), 400, "MissingParameter"},
		{"no Version", with(map[string]string{"Version": drop}), 400, "MissingParameter"},
		{"no AccessKeyId", with(map[string]string{"AccessKeyId": drop}), 400, "MissingParameter"},
		{"no Timestamp", with(map[string]string{"Timestamp": drop}), 400, "MissingParameter"},
		{"no SignatureNonce", with(map[string]string{"SignatureNonce": drop}), 400, "MissingParameter"},
		{"no Signature", with(map[string]string{"Signature": drop}), 400, "MissingParameter"},
		{"unknown action", with(map[string]string{"Action": "DescribeEverything"}), 404, "InvalidAction.NotFound"},
		{"VPC action on the API Gateway version", with(map[string]string{"Action": "CreateVpc"}), 404, "InvalidAction.NotFound"},
		{"unknown version", with(map[string]string{"Version": "2099-01-01"}), 400, "InvalidVersion"},
		{"unknown format", with(map[string]string{"Format": "YAML"}), 400, "InvalidParameter"},
		{"HMAC-SHA256", with(map[string]string{"SignatureMethod": "HMAC-SHA256"}), 400, "IncompleteSignature"},
		{"signature version 2.0", with(map[string]string{"SignatureVersion": "2.0"}), 400, "IncompleteSignature"},
		{"bad timestamp", with(map[string]string{"Timestamp": "yesterday"}), 400, "InvalidTimeStamp.Format"},
		{"old timestamp", with(map[string]string{"Timestamp": time.Now().Add(-16 * time.Minute).UTC().Format(time.RFC3339)}), 400, "InvalidTimeStamp.Expired"},
		{"future timestamp", with(map[string]string{"Timestamp": time.Now().Add(16 * time.Minute).UTC().Format(time.RFC3339)}), 400, "InvalidTimeStamp.Expired"},
		{"garbled signature", with(map[string]string{"Signature": "not base64!"}), 400, "SignatureDoesNotMatch"},
		{"unknown key", with(map[string]string{"AccessKeyId": "LTAI00000000000000000000"}), 404, "InvalidAccessKeyId.NotFound"},
		{"missing required action parameter", map[string]string{"Action": "DescribeApiGroup"}, 400, "MissingParameter"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, e, body := raw(t, addr, http.MethodGet, signedValues(w.admin, http.MethodGet, tc.p))
			if status != tc.status || e.Code != tc.code {
				t.Fatalf("got %d %s, want %d %s: %s", status, e.Code, tc.status, tc.code, body)
			}
			if e.RequestId == "" || e.HostId != addr || e.Message == "" {
				t.Errorf("error body incomplete: %+v", e)
			}
		})
	}

	// A signature over other parameters than those sent does not match.
	v := signedValues(w.admin, http.MethodGet, describe)
	v.Set("RegionId", "cn-shanghai")
	if status, e, _ := raw(t, addr, http.MethodGet, v); status != 400 || e.Code != "SignatureDoesNotMatch" ||
		!strings.Contains(e.Message, "server string to sign is:GET&%2F&") {
		t.Fatalf("tampered request: %d %+v", status, e)
	}
	// A GET's signature does not verify as a POST's.
	if status, e, _ := raw(t, addr, http.MethodPost, signedValues(w.admin, http.MethodGet, describe)); status != 400 || e.Code != "SignatureDoesNotMatch" {
		t.Fatalf("method changed: %d %+v", status, e)
	}

	for _, tc := range []struct {
		method, path string
		status       int
		code         string
	}{
		{http.MethodPut, "/", 405, "UnsupportedHTTPMethod"},
		{http.MethodGet, "/v1/groups", 404, "InvalidAction.NotFound"},
	} {
		req, _ := http.NewRequest(tc.method, "http://"+addr+tc.path, nil)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e errorAnswer
		json.NewDecoder(res.Body).Decode(&e)
		res.Body.Close()
		if res.StatusCode != tc.status || e.Code != tc.code {
			t.Errorf("%s %s: %d %s, want %d %s", tc.method, tc.path, res.StatusCode, e.Code, tc.status, tc.code)
		}
	}
}

// The SDK's own signer, timestamp and nonce against a server whose clock is
// off: more than 15 minutes either way is expired, less is accepted.
func TestTimestampWindowWithSDK(t *testing.T) {
	w := newWorld(t)
	var clk clock
	c := newClients(t, w.serve(t, openapi.Options{Now: clk.now}), w.admin)
	for _, tc := range []struct {
		skew time.Duration
		code string
	}{
		{0, ""}, {14 * time.Minute, ""}, {-14 * time.Minute, ""},
		{16 * time.Minute, "InvalidTimeStamp.Expired"}, {-16 * time.Minute, "InvalidTimeStamp.Expired"},
	} {
		clk.move(tc.skew)
		req := cloudapi.CreateDescribeRegionsRequest()
		c.at(req)
		_, err := c.api.DescribeRegions(req)
		if tc.code == "" {
			must(t, "DescribeRegions with the clock off by "+tc.skew.String(), err)
		} else {
			refused(t, "DescribeRegions with the clock off by "+tc.skew.String(), err, tc.code, 400)
		}
	}
}

// recorder keeps the last request an SDK client sent, to replay it.
type recorder struct {
	mu   sync.Mutex
	last *http.Request
	body []byte
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		body, _ = io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	r.mu.Lock()
	r.last, r.body = req.Clone(context.Background()), body
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// A request the SDK signed is served once; sent again, its nonce is
// refused, whatever else is the same.
func TestNonceReplayRefused(t *testing.T) {
	w := newWorld(t)
	c := newClients(t, w.serve(t, openapi.Options{}), w.admin)
	rec := &recorder{}
	c.api.SetTransport(rec)
	req := cloudapi.CreateDescribeRegionsRequest()
	c.at(req)
	_, err := c.api.DescribeRegions(req)
	must(t, "DescribeRegions", err)

	replay := rec.last.Clone(context.Background())
	replay.Body = io.NopCloser(bytes.NewReader(rec.body))
	replay.RequestURI = ""
	res, err := http.DefaultClient.Do(replay)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var e errorAnswer
	json.NewDecoder(res.Body).Decode(&e)
	if res.StatusCode != 400 || e.Code != "SignatureNonceUsed" {
		t.Fatalf("replay: %d %+v", res.StatusCode, e)
	}
	// The next request of the SDK (a new nonce) is served.
	req = cloudapi.CreateDescribeRegionsRequest()
	c.at(req)
	_, err = c.api.DescribeRegions(req)
	must(t, "DescribeRegions after the replay", err)
}

// Key failures through the SDK: a wrong secret (the SDK then sees the
// server computed its very string to sign, and blames the secret), an
// unknown key, a disabled key.
func TestKeyFailuresWithSDK(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	call := func(k key) error {
		c := newClients(t, addr, k)
		req := cloudapi.CreateDescribeApiGroupsRequest()
		c.at(req)
		req.GroupName = "a name * with ~ odd + characters & more"
		_, err := c.api.DescribeApiGroups(req)
		return err
	}
	se := refused(t, "wrong secret", call(key{w.admin.id, "0123456789abcdefghij0123456789"}), "SignatureDoesNotMatch", 400)
	if !strings.Contains(se.Recommend(), "InvalidAccessKeySecret") {
		t.Errorf("the SDK's string to sign differs from the server's: %s", se.Recommend())
	}
	refused(t, "unknown key", call(key{"LTAI" + strings.Repeat("x", 20), w.admin.secret}), "InvalidAccessKeyId.NotFound", 404)

	admin := store.Actor{AccountID: w.acme, Name: "alice", Source: rules.SourceConsole}
	_, err := w.st.SetAccessKeyEnabled(context.Background(), admin, w.viewer.id, false)
	must(t, "disable the viewer's key", err)
	refused(t, "disabled key", call(w.viewer), "InvalidAccessKeyId.Inactive", 400)
	must(t, "the admin's key still works", call(w.admin))
}

// A viewer's key describes but changes nothing (Forbidden, 403), and the
// refusal is in the operation log; another account's ids are not found.
func TestRolesAndTenants(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	admin, viewer, rival := newClients(t, addr, w.admin), newClients(t, addr, w.viewer), newClients(t, addr, w.rivalAdmin)

	create := cloudapi.CreateCreateApiGroupRequest()
	admin.at(create)
	create.GroupName = "acme_orders"
	g, err := admin.api.CreateApiGroup(create)
	must(t, "CreateApiGroup", err)

	list := cloudapi.CreateDescribeApiGroupsRequest()
	viewer.at(list)
	groups, err := viewer.api.DescribeApiGroups(list)
	must(t, "the viewer's DescribeApiGroups", err)
	if groups.TotalCount != 1 || groups.ApiGroupAttributes.ApiGroupAttribute[0].GroupId != g.GroupId {
		t.Fatalf("the viewer sees %+v", groups.ApiGroupAttributes)
	}

	del := cloudapi.CreateDeleteApiGroupRequest()
	viewer.at(del)
	del.GroupId = g.GroupId
	_, err = viewer.api.DeleteApiGroup(del)
	refused(t, "the viewer's DeleteApiGroup", err, "Forbidden", 403)
	create2 := cloudapi.CreateCreateApiGroupRequest()
	viewer.at(create2)
	create2.GroupName = "viewer_group"
	_, err = viewer.api.CreateApiGroup(create2)
	refused(t, "the viewer's CreateApiGroup", err, "Forbidden", 403)
	err = viewer.common(openapi.VersionVPC, "CreateVpc", map[string]string{"CidrBlock": "10.0.0.0/16"}, nil)
	refused(t, "the viewer's CreateVpc", err, "Forbidden", 403)

	entries, _, err := w.st.ListOpLog(context.Background(), w.acme, store.OpLogQuery{})
	must(t, "ListOpLog", err)
	if e := entries[0]; e.Action != "CreateVpc" || e.Outcome != "Forbidden" || e.Actor != w.viewer.id || e.Source != rules.SourceOpenAPI {
		t.Errorf("the refusal is not on record: %+v", e)
	}

	// The rival account: acme's group is not found, its list is empty,
	// and acme's VPC is not found when binding.
	desc := cloudapi.CreateDescribeApiGroupRequest()
	rival.at(desc)
	desc.GroupId = g.GroupId
	_, err = rival.api.DescribeApiGroup(desc)
	refused(t, "rival's DescribeApiGroup", err, "NotFoundApiGroup", 404)
	del = cloudapi.CreateDeleteApiGroupRequest()
	rival.at(del)
	del.GroupId = g.GroupId
	_, err = rival.api.DeleteApiGroup(del)
	refused(t, "rival's DeleteApiGroup", err, "NotFoundApiGroup", 404)
	rlist := cloudapi.CreateDescribeApiGroupsRequest()
	rival.at(rlist)
	rlist.GroupId = g.GroupId
	rgroups, err := rival.api.DescribeApiGroups(rlist)
	must(t, "rival's DescribeApiGroups", err)
	if rgroups.TotalCount != 0 || len(rgroups.ApiGroupAttributes.ApiGroupAttribute) != 0 {
		t.Fatalf("rival sees acme's group: %+v", rgroups)
	}

	var vpcOut struct{ VpcId string }
	must(t, "CreateVpc", admin.common(openapi.VersionVPC, "CreateVpc", map[string]string{"CidrBlock": "10.0.0.0/16"}, &vpcOut))
	var instOut struct{ InstanceId string }
	must(t, "rival's CreateInstance", rival.common(openapi.VersionCloudAPI, "CreateInstance",
		map[string]string{"InstanceName": "rival-gw", "InstanceSpec": "api.s1.small", "ZoneId": "cn-hangzhou-g"}, &instOut))
	err = rival.common(openapi.VersionCloudAPI, "ModifyInstanceVpcAttributeForConsole",
		map[string]string{"InstanceId": instOut.InstanceId, "VpcId": vpcOut.VpcId, "VswitchId": "vsw-0000000000000000000000"}, nil)
	refused(t, "rival binds acme's VPC", err, "InvalidVpcId.NotFound", 404)
	err = rival.common(openapi.VersionCloudAPI, "DescribeVpcAccessDecision",
		map[string]string{"CallerType": "vpc", "CallerVpcId": vpcOut.VpcId, "DomainName": g.SubDomain}, nil)
	refused(t, "rival asks about acme's VPC", err, "InvalidVpcId.NotFound", 404)
}

// Format=XML: the SDK parses the XML answer into its response struct, and
// errors come as <Error> documents with the code.
func TestXMLFormat(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	c := newClients(t, addr, w.admin)
	for _, name := range []string{"xml_one", "xml_two"} {
		req := cloudapi.CreateCreateApiGroupRequest()
		c.at(req)
		req.GroupName = name
		req.Description = "made for <XML> & friends"
		_, err := c.api.CreateApiGroup(req)
		must(t, "CreateApiGroup", err)
	}
	req := cloudapi.CreateDescribeApiGroupsRequest()
	c.at(req)
	req.AcceptFormat = "XML"
	req.PageSize = "1"
	req.Sort = "asc"
	res, err := c.api.DescribeApiGroups(req)
	must(t, "DescribeApiGroups in XML", err)
	body := res.GetHttpContentString()
	if !strings.HasPrefix(body, "<?xml") || !strings.Contains(body, "<DescribeApiGroupsResponse>") {
		t.Fatalf("not an XML answer: %s", body)
	}
	if res.TotalCount != 2 || res.PageSize != 1 || res.PageNumber != 1 || res.RequestId == "" ||
		len(res.ApiGroupAttributes.ApiGroupAttribute) != 1 || res.ApiGroupAttributes.ApiGroupAttribute[0].GroupName != "xml_one" ||
		res.ApiGroupAttributes.ApiGroupAttribute[0].Description != "made for <XML> & friends" {
		t.Fatalf("XML answer parsed as %+v", res)
	}

	status, _, raw := raw(t, addr, http.MethodGet, signedValues(w.admin, http.MethodGet,
		map[string]string{"Action": "DescribeApiGroup", "GroupId": strings.Repeat("0", 32), "Format": "XML"}))
	var e struct {
		XMLName xml.Name `xml:"Error"`
		Code    string   `xml:"Code"`
		Message string   `xml:"Message"`
	}
	if err := xml.Unmarshal(raw, &e); err != nil || status != 404 || e.Code != "NotFoundApiGroup" || e.Message == "" {
		t.Fatalf("XML error: %d %s (%v)", status, raw, err)
	}
}

// Bad parameters of actions answer 4xx with the rules' codes and change
// nothing.
func TestActionParameterRefusals(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	c := newClients(t, addr, w.admin)
	for _, tc := range []struct {
		version, action string
		p               map[string]string
		status          int
		code            string
	}{
		{openapi.VersionCloudAPI, "CreateApiGroup", map[string]string{"GroupName": "9starts_with_digit"}, 400, "InvalidGroupName"},
		{openapi.VersionCloudAPI, "CreateApiGroup", map[string]string{"GroupName": "good_name", "RegionId": "mars-1"}, 400, "InvalidRegionId"},
		{openapi.VersionCloudAPI, "CreateApiGroup", map[string]string{"GroupName": "good_name", "InstanceId": "api-shared-vpc-002"}, 400, "InvalidInstance.RegionMismatch"},
		{openapi.VersionCloudAPI, "DescribeApiGroups", map[string]string{"PageNumber": "0"}, 400, "InvalidParameter"},
		{openapi.VersionCloudAPI, "DescribeApiGroups", map[string]string{"PageSize": "many"}, 400, "InvalidParameter"},
		{openapi.VersionCloudAPI, "DescribeApiGroups", map[string]string{"Sort": "sideways"}, 400, "InvalidParameter"},
		{openapi.VersionCloudAPI, "CreateInstance", map[string]string{"InstanceName": "gw", "InstanceSpec": "api.huge", "ZoneId": "cn-hangzhou-g"}, 400, "InvalidInstanceSpec"},
		{openapi.VersionCloudAPI, "CreateInstance", map[string]string{"InstanceName": "gw", "InstanceSpec": "api.s1.small"}, 400, "MissingParameter"},
		{openapi.VersionCloudAPI, "ModifyInstanceVpcAttributeForConsole", map[string]string{"InstanceId": "x", "DeleteVpcAccess": "maybe"}, 400, "InvalidParameter"},
		{openapi.VersionCloudAPI, "SetDomain", map[string]string{"GroupId": strings.Repeat("a", 32), "DomainName": "api.example.com"}, 404, "NotFoundApiGroup"},
		{openapi.VersionCloudAPI, "DescribeVpcAccessDecision", map[string]string{"CallerType": "satellite", "DomainName": "x.example.com"}, 400, "InvalidParameter"},
		{openapi.VersionVPC, "CreateVpc", map[string]string{"CidrBlock": "8.8.0.0/16"}, 400, "InvalidCidrBlock"},
		{openapi.VersionVPC, "CreateVpc", map[string]string{"CidrBlock": "10.0.0.0/16", "DryRun": "true"}, 400, "DryRunOperation"},
		{openapi.VersionVPC, "CreateVSwitch", map[string]string{"VpcId": "vpc-0000000000000000000000", "ZoneId": "cn-hangzhou-g", "CidrBlock": "10.0.0.0/24"}, 404, "InvalidVpcId.NotFound"},
		{openapi.VersionVPC, "DescribeZones", map[string]string{"RegionId": "atlantis"}, 400, "InvalidRegionId"},
	} {
		err := c.common(tc.version, tc.action, tc.p, nil)
		refused(t, tc.action+" "+strings.Join(keysOf(tc.p), ","), err, tc.code, tc.status)
	}
	var vpcs struct{ TotalCount int }
	must(t, "DescribeVpcs", c.common(openapi.VersionVPC, "DescribeVpcs", nil, &vpcs))
	if vpcs.TotalCount != 0 {
		t.Fatalf("a refused CreateVpc created %d VPCs", vpcs.TotalCount)
	}
}

func keysOf(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"="+v)
	}
	return out
}

// Concurrent signed requests, reads and writes, are each served once and
// correctly (run with -race).
func TestConcurrentRequests(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	var wg sync.WaitGroup
	errs := make(chan string, 80)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5 {
				p := map[string]string{"Action": "CreateApiGroup", "GroupName": "par_" + string(rune('a'+g)) + "_" + string(rune('a'+i))}
				if i%2 == 1 {
					p = map[string]string{"Action": "DescribeApiGroups", "PageSize": "50"}
				}
				if status, e, body := raw(t, addr, http.MethodPost, signedValues(w.admin, http.MethodPost, p)); status != 200 {
					errs <- p["Action"] + ": " + e.Code + " " + string(body)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	_, _, body := raw(t, addr, http.MethodGet, signedValues(w.admin, http.MethodGet, map[string]string{"Action": "DescribeApiGroups", "GroupName": "par_"}))
	var res struct{ TotalCount int }
	if err := json.Unmarshal(body, &res); err != nil || res.TotalCount != 8*3 {
		t.Fatalf("groups made concurrently: %s (%v)", body, err)
	}
}
