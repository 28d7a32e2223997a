//go:build e2e

package e2e

import (
	"testing"
)

// The Overview points at an API whose RELEASE serves an older revision;
// its "Deploy to RELEASE" opens the Deploy dialog with RELEASE chosen, and
// once the operator deploys, the Overview no longer names it.
func TestOverviewDeploysAnAPIBehindInRelease(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		group := createGroup(t, page, "shop_api", "cn-hangzhou", "api-shared-vpc-001")
		api := createAPI(t, page, group, map[string]string{"name": "get_user", "path": "/users/[id]"})
		postOK(t, page, "/apis/"+api+"/deploy", map[string]string{"stage": "RELEASE", "description": ""})
		postOK(t, page, "/apis/"+api+"/edit", map[string]string{"group": group, "name": "get_user", "method": "GET",
			"path": "/users/[id]/profile", "protocols": "HTTP", "backend": "MOCK", "mock_status": "200", "mock_body": "{}"})

		open(t, page, "/")
		item := page.Locator("#problem-release-behind")
		must(t, expect.Locator(item).ToContainText("1 API serves an older revision in RELEASE."))
		must(t, expect.Locator(item).ToContainText("get_user shop_api · revision 1 in RELEASE, 2 now"))
		shot(t, page, "overview-release-behind-"+modeName(o))

		d := openDialog(t, page, "Deploy to RELEASE", "Deploy API get_user")
		must(t, expect.Locator(label(d, "Stage")).ToHaveValue("RELEASE"))
		must(t, dialogButton(d, "Deploy").Click())
		onAPIPage(t, page, "get_user")
		must(t, expect.Locator(flash(page)).ToContainText("deployed to RELEASE."))

		open(t, page, "/")
		must(t, expect.Locator(page.Locator("#attention")).ToBeVisible())
		must(t, expect.Locator(item).ToHaveCount(0))
	})
}
