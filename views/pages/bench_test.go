package pages_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/a-h/templ"

	"gatehouse/views/components"
	"gatehouse/views/layout"
	"gatehouse/views/pages"
)

// benchChrome is the shell of a logged-in admin's page.
func benchChrome(title string) layout.Chrome {
	return layout.Chrome{Title: title, Active: "groups", Account: "bench", User: "bencher", Role: "admin",
		CSRFToken: "nRQFDnpuGYzThOTjFteyrpUZcFSuIfxR", CanChange: true, CanAdmin: true}
}

// renderPage renders body inside the layout, as handlers.render does.
func renderPage(b *testing.B, chrome layout.Chrome, body templ.Component) {
	page := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return layout.Base(chrome).Render(templ.WithChildren(ctx, body), w)
	})
	ctx := components.WithCSRF(context.Background(), chrome.CSRFToken)
	var buf bytes.Buffer
	b.ReportAllocs()
	for b.Loop() {
		buf.Reset()
		if err := page.Render(ctx, &buf); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "bytes/page")
}

// BenchmarkGroupsPage renders the API Groups page with a full page of 20
// groups, in the layout: the template's share of a list request.
func BenchmarkGroupsPage(b *testing.B) {
	props := pages.GroupsProps{Total: 100_000, Next: "/groups?after=Yy4xNzY0MDM4MjU0MDAwMDAwMDAwLmQ2NTI", Errors: components.Errors{}, CanChange: true}
	for _, r := range []string{"cn-hangzhou", "cn-shanghai", "cn-beijing", "cn-shenzhen", "cn-hongkong", "ap-southeast-1", "us-west-1", "eu-central-1"} {
		props.Regions = append(props.Regions, components.Option{Value: r, Label: r + " (" + r + ")"})
	}
	created := time.Date(2026, 11, 25, 2, 17, 34, 0, time.UTC)
	for i := range 20 {
		id := fmt.Sprintf("d652285fe211db937e8a92819b0d%04x", i)
		row := pages.GroupListRow{ID: id, Name: fmt.Sprintf("payments_vpkxp_%d", 99999-i), RegionID: "cn-beijing", RegionName: "China (Beijing)",
			InstanceID: "api-shared-vpc-003", InstanceType: "VPC_SHARED", PublicDomain: id + "-cn-beijing.alicloudapi.com", Created: created}
		if i%3 == 0 {
			row.InstanceID, row.InstanceName, row.InstanceType = "apigateway-cn-beijing-dc1eea1c7afe", "bench-cn-beijing", "VPC_DEDICATED"
			row.VpcDomain = id + "-cn-beijing-vpc.alicloudapi.com"
		}
		props.Rows = append(props.Rows, row)
	}
	renderPage(b, benchChrome("API Groups"), pages.GroupsPage(props))
}

// BenchmarkAPIsPage renders the APIs page with a full page of 20 APIs and
// their stages, in the layout (an account with too many groups to list:
// the group filter takes an id).
func BenchmarkAPIsPage(b *testing.B) {
	props := pages.APIsProps{Total: 200_000, Next: "/apis?after=YS4xNzY0MDM4MjU0MDAwMDAwMDAwLmQ2NTI", Errors: components.Errors{}, CanChange: true}
	for _, s := range []string{"RELEASE", "PRE", "TEST"} {
		props.Stages = append(props.Stages, components.Option{Value: s, Label: s})
	}
	created := time.Date(2026, 11, 25, 2, 17, 34, 0, time.UTC)
	for i := range 20 {
		row := pages.APIListRow{ID: fmt.Sprintf("e7a1c2d3e4f5a6b7c8d9e0f1a2b3%04x", i), Name: fmt.Sprintf("get_payments_%d", i), GroupID: fmt.Sprintf("d652285fe211db937e8a92819b0d%04x", i),
			GroupName: fmt.Sprintf("payments_vpkxp_%d", 99999-i), RegionID: "cn-beijing", Method: "GET", Path: "/payments/[id]", Backend: "Mock", Revision: 2, Created: created,
			Stages: []pages.APIStageBadge{{Stage: "RELEASE", Revision: 1, Older: true}, {Stage: "TEST", Revision: 2}}}
		props.Rows = append(props.Rows, row)
	}
	renderPage(b, benchChrome("APIs"), pages.APIsPage(props))
}
