package pages

import (
	"context"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
	"gatehouse/views/components"
	"gatehouse/views/partials"
)

// The head and tail of Group Details are kept rendered and served to every
// viewer of the same account version and role (handlers'
// groups_page_cache.go): they must show nothing of the request. Rendered
// with a request's CSRF token and focus, and without, they are the same,
// and hold no form token and no autofocus.
func TestGroupPagePartsIgnoreTheRequest(t *testing.T) {
	refusal := &components.Refusal{Message: "The group still holds 2 APIs.", WayOut: []components.Link{{Href: "/groups/g#group-apis", Label: "The group's APIs"}}}
	props := GroupProps{
		ID: "0123456789abcdef0123456789abcdef", Name: "orders", Description: "the orders", RegionID: "cn-hangzhou",
		Instance: GroupInstanceInfo{ID: "apigateway-cn-hangzhou-1", Name: "gw", Type: "VPC_DEDICATED", Dedicated: true, Bound: true,
			VpcID: "vpc-1", VpcName: "main", VSwitchID: "vsw-1", VSwitchInfo: "sw · cn-hangzhou-g · 10.0.0.0/24", EndpointIP: "10.0.0.9"},
		Created: time.Unix(1_700_000_000, 0), Modified: time.Unix(1_700_000_100, 0),
		Domains: partials.GroupDomains{GroupID: "g", PublicDomain: "g-cn-hangzhou.alicloudapi.com", PublicLimit: "1,000 calls a day",
			RegionName: "China (Hangzhou)", VpcEnabled: true, VpcDomain: "g-cn-hangzhou-vpc.alicloudapi.com", VpcAddress: "10.0.0.9",
			VpcReach: "the VPC vpc-1", CanChange: true,
			Disable: components.Action{ID: "group-vpc-disable", Href: "/groups/g/vpc-domain/disable", Label: "Disable", Class: "btn small danger"}},
		Custom: []GroupCustomDomain{{Name: "api.example.com", NetworkType: "INTERNET", CNAMETarget: "g-cn-hangzhou.alicloudapi.com",
			HasCert: true, CertName: "api", CertExpires: time.Unix(1_800_000_000, 0)}},
		CanChange: true,
		Actions: []components.Action{
			{ID: "group-edit", Href: "/groups/g/edit", Label: "Edit", Class: "btn"},
			{ID: "group-delete", Href: "/groups/g/delete", Label: "Delete", Class: "btn danger", Refusal: refusal},
		},
		Reach: partials.Reachability{GroupID: "g", Domain: "g-cn-hangzhou-vpc.alicloudapi.com", Region: "cn-hangzhou", Enabled: true, Caller: "vpc:vpc-1",
			Rows: []partials.ReachRow{
				{Caller: "VPC main (vpc-1)", CallerValue: "vpc:vpc-1", Decision: rules.Decision{Allowed: true, Address: "10.0.0.9", Reason: "Bound.", Rule: "R4"}},
				{Caller: "Internet", CallerValue: "internet", Decision: rules.Decision{Reason: "Never.", Rule: "R11"}},
			}},
		APIs: GroupAPIs{GroupID: "g", Total: 1, CanChange: true, Rows: []APIListRow{{ID: "a1", Name: "list", GroupID: "g", Method: "GET", Path: "/orders",
			Backend: "Mock", Revision: 1, Created: time.Unix(1_700_000_000, 0)}}},
	}
	render := func(ctx context.Context) string {
		t.Helper()
		var b strings.Builder
		if err := GroupPageHead(props).Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		if err := GroupPageTail(props).Render(ctx, &b); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	const token = "request-token-0123456789abcdefgh"
	bare := render(context.Background())
	withRequest := render(components.WithFocus(components.WithCSRF(context.Background(), token)))
	if bare != withRequest {
		t.Error("Group Details' head and tail differ with the request's CSRF token and focus")
	}
	for _, s := range []string{token, "_csrf", "autofocus"} {
		if strings.Contains(withRequest, s) {
			t.Errorf("the head and tail hold %q", s)
		}
	}
	for _, s := range []string{"orders", "Edit", "The group still holds 2 APIs.", "api.example.com", "VPC main (vpc-1)", "list"} {
		if !strings.Contains(bare, s) {
			t.Errorf("the head and tail lack %q: the test's page is not the one it means to be", s)
		}
	}
}
