package main

import (
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	openapiclient "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

// The load run's signer gives the SDK's signature for the same parameters,
// so the DescribeApiGroups load is what the SDK would send.
func TestSignerMatchesSDK(t *testing.T) {
	const keyID, secret = "LTAI0123456789abcdefGHIJ", "s3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3"
	req := requests.NewCommonRequest()
	req.Method = "GET"
	req.Scheme = "http"
	req.Domain = "127.0.0.1:8081"
	req.Version = "2016-07-14"
	req.ApiName = "DescribeApiGroups"
	req.QueryParams["PageSize"] = "50"
	req.QueryParams["GroupName"] = "pay ments*~"
	req.TransToAcsRequest()
	if err := auth.Sign(req, nil, "cn-hangzhou", credentials.NewStaticAKCredentialsProvider(keyID, secret)); err != nil {
		t.Fatal(err)
	}
	sdk := req.GetQueryParams()
	ts, err := time.Parse("2006-01-02T15:04:05Z", sdk["Timestamp"])
	if err != nil {
		t.Fatal(err)
	}
	got, err := url.ParseQuery(signer{keyID, secret}.query("GET", "2016-07-14", sdk["SignatureNonce"], ts,
		param{"Action", "DescribeApiGroups"}, param{"RegionId", "cn-hangzhou"},
		param{"PageSize", "50"}, param{"GroupName", "pay ments*~"}))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range sdk {
		if got.Get(name) != want {
			t.Errorf("%s = %q, the SDK sends %q", name, got.Get(name), want)
		}
	}
	if len(got) != len(sdk) {
		t.Errorf("%d parameters, the SDK sends %d: %v", len(got), len(sdk), got)
	}
}

// recorder stands in for the current SDK's HTTP client: it keeps the
// request and answers an empty success.
type recorder struct{ req *http.Request }

func (r *recorder) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	r.req = req
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"RequestId":"r"}`))}, nil
}

// The load run's V3 signer gives the current Go SDK's request for the same
// call (darabonba-openapi's CallApi, V3 by default): the same query, the
// same signed headers, the same Authorization.
func TestV3SignerMatchesSDK(t *testing.T) {
	const keyID, secret, host = "LTAI0123456789abcdefGHIJ", "s3cr3tS3CR3Ts3cr3tS3CR3Ts3cr3", "127.0.0.1:8081"
	rec := &recorder{}
	client, err := openapiclient.NewClient(&openapiutil.Config{AccessKeyId: dara.String(keyID), AccessKeySecret: dara.String(secret),
		Endpoint: dara.String(host), Protocol: dara.String("http"), HttpClient: rec})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.CallApi(&openapiutil.Params{Action: dara.String("DescribeApiGroups"), Version: dara.String("2016-07-14"),
		Protocol: dara.String("HTTP"), Pathname: dara.String("/"), Method: dara.String("GET"), AuthType: dara.String("AK"),
		Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json")},
		&openapiutil.OpenApiRequest{Query: openapiutil.Query(map[string]any{"PageSize": "50", "GroupName": "pay ments*~", "RegionId": "cn-hangzhou"})},
		&dara.RuntimeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sent := func(name string) string {
		for k, vs := range rec.req.Header {
			if strings.EqualFold(k, name) {
				return vs[0]
			}
		}
		return ""
	}
	date, err := time.Parse("2006-01-02T15:04:05Z", sent("x-acs-date"))
	if err != nil {
		t.Fatal(err)
	}
	got := signer{keyID, secret}.v3("GET", host, "2016-07-14", "DescribeApiGroups", sent("x-acs-signature-nonce"), date,
		param{"PageSize", "50"}, param{"GroupName", "pay ments*~"}, param{"RegionId", "cn-hangzhou"})
	for _, h := range got.headers {
		if want := sent(h.name); h.value != want {
			t.Errorf("%s = %q, the SDK sends %q", h.name, h.value, want)
		}
	}
	for k := range rec.req.Header {
		if strings.HasPrefix(strings.ToLower(k), "x-acs-") && !slices.ContainsFunc(got.headers, func(h param) bool { return strings.EqualFold(h.name, k) }) {
			t.Errorf("the SDK sends %s, the load run does not", k)
		}
	}
	sdkQuery, err := url.ParseQuery(rec.req.URL.RawQuery)
	if err != nil {
		t.Fatal(err)
	}
	ours, err := url.ParseQuery(got.query)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.EqualFunc(sdkQuery, ours, slices.Equal) {
		t.Errorf("query %v, the SDK sends %v", ours, sdkQuery)
	}
}
