//go:build e2e

package e2e

import (
	"regexp"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/rules"
)

// A confirmation dialog asks the rules before it offers Confirm: when they
// refuse, it shows their message word for word, with the way out, and no
// submit button. The other refused dialogs (unbind, delete instance, VPC
// and vSwitch, disable the VPC domain) are proved in their flows' tests.
func TestRefusedDialogsSayTheRule(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		inst := seedInstance(t, page, "cn-beijing")
		waiting := createGroup(t, page, "waiting_api", "cn-beijing", inst)

		// R5: the exact message of rules.CheckEnableVpcDomain.
		want := rules.CheckEnableVpcDomain(rules.Group{Name: "waiting_api"},
			rules.Instance{ID: inst, Type: rules.InstanceDedicated}).(*rules.Error).Message
		open(t, page, "/groups/"+waiting)
		expectDisabled(t, page.Locator("body"), "Enable VPC Second-level Domain", want)
		d := openRefusedDialog(t, page, "/groups/"+waiting+"/vpc-domain/enable", "Enable VPC Second-level Domain")
		expectRefused(t, d, "Confirm", want)
		shot(t, page, "group-enable-refused-dialog")

		// R8 refuses every destination: a group with its VPC domain on, on
		// the shared instance, and only an unbound dedicated instance in the
		// region. The dialog offers no Migration.
		moving := createGroup(t, page, "moving_api", "cn-beijing", "api-shared-vpc-003")
		postOK(t, page, "/groups/"+moving+"/vpc-domain/enable", nil)
		want = rules.CheckMoveGroup(rules.Group{Name: "moving_api", RegionID: "cn-beijing", VpcDomainEnabled: true},
			rules.Instance{ID: "api-shared-vpc-003", Type: rules.InstanceShared, RegionID: "cn-beijing"},
			rules.Instance{ID: inst, Type: rules.InstanceDedicated, RegionID: "cn-beijing"}, "", 0).(*rules.Error).Message
		open(t, page, "/groups/"+moving)
		expectDisabled(t, page.Locator("body"), "Modify Instance for API Group Deployment", want)
		d = openRefusedDialog(t, page, "/groups/"+moving+"/move", "Modify Instance for API Group Deployment")
		must(t, expect.Locator(d.Locator("#group-move-refused")).ToContainText(want))
		must(t, expect.Locator(dialogButton(d, "Migration")).ToHaveCount(0))
		if status, _ := get(t, page, "/groups/"+moving+"/move"); status != 409 {
			t.Errorf("the move dialog with no allowed destination: status %d, want 409", status)
		}
	})
}

// A group that holds APIs is not deleted: its Delete button is disabled
// with the rule's message and the way to the group's APIs beside it, and
// its dialog offers no Delete. The API comes through the official SDK;
// once it is deleted, so is the group.
func TestDeleteDialogOfAGroupWithAPIs(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, a := loggedIn(t, o, "operator")
		client, _ := sdkClient(t, a)
		g := createGroup(t, page, "holding_api", "cn-hangzhou", "api-shared-vpc-001")
		req := cloudapi.CreateCreateApiRequest()
		atGatehouse(req)
		req.GroupId, req.ApiName = g, "get_user"
		req.RequestConfig = `{"RequestProtocol":"HTTP","RequestHttpMethod":"GET","RequestPath":"/users","RequestMode":"PASSTHROUGH"}`
		req.ServiceConfig = `{"ServiceProtocol":"HTTP","Mock":"TRUE","MockResult":"{}","MockStatusCode":200}`
		api, err := client.CreateApi(req)
		if err != nil {
			t.Fatalf("CreateApi: %v", err)
		}

		want := rules.CheckDeleteGroup(rules.Group{Name: "holding_api"}, 1, []string{"get_user"}).(*rules.Error).Message
		open(t, page, "/groups/"+g)
		expectDisabled(t, page.Locator("body"), "Delete", want)
		must(t, expect.Locator(page.Locator("#group-delete-why").GetByRole("link")).ToHaveAttribute("href", "/groups/"+g+"#group-apis"))
		expectRefused(t, openRefusedDialog(t, page, "/groups/"+g+"/delete", "Delete API group holding_api?"), "Delete", want)
		shot(t, page, "group-delete-refused-dialog")
		if status, _ := get(t, page, "/groups/"+g+"/delete"); status != 409 {
			t.Errorf("the Delete dialog of a group with APIs: status %d, want 409", status)
		}

		del := cloudapi.CreateDeleteApiRequest()
		atGatehouse(del)
		del.GroupId, del.ApiId = g, api.ApiId
		if _, err := client.DeleteApi(del); err != nil {
			t.Fatalf("DeleteApi: %v", err)
		}
		open(t, page, "/groups/"+g)
		d := openDialog(t, page, "Delete", "Delete API group holding_api?")
		must(t, dialogButton(d, "Delete").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/groups$`)))
	})
}
