package main

import (
	"net/url"
	"testing"
	"time"

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
