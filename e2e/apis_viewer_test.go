//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// A viewer sees the APIs, the API's page and the group's APIs, with no
// button that changes anything, and a change asked for anyway is refused
// with 403.
func TestAPIViewerSeesNoChangeButton(t *testing.T) {
	viewer := newAccount(t, "viewer")
	operator := account{Name: viewer.Name, Login: viewer.Login + "-op", Password: viewer.Password}
	addUser(t, operator.Name, operator.Login, "operator", operator.Password)
	op := browserPage(t, pageOpts{})
	login(t, op, operator)
	group := createGroup(t, op, "orders_api", "cn-hangzhou", "api-shared-vpc-001")
	id := createAPI(t, op, group, map[string]string{"name": "list_orders", "path": "/orders"})
	postOK(t, op, "/apis/"+id+"/deploy", map[string]string{"stage": "RELEASE", "description": "by the operator"})

	eachMode(t, func(t *testing.T, o pageOpts) {
		page := browserPage(t, o)
		login(t, page, viewer)
		for _, path := range []string{"/apis", "/apis/" + id, "/groups/" + group} {
			open(t, page, path)
			must(t, expect.Locator(page.Locator("main")).ToContainText("list_orders"))
			for _, name := range []string{"Create API", "Deploy", "Edit", "Delete", "Deploy to RELEASE", "Abolish from RELEASE"} {
				must(t, expect.Locator(page.GetByRole("link", playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)})).ToHaveCount(0))
				must(t, expect.Locator(page.GetByRole("button", playwright.PageGetByRoleOptions{Name: name, Exact: playwright.Bool(true)})).ToHaveCount(0))
			}
		}
		must(t, expect.Locator(stageRow(page, "RELEASE")).ToHaveCount(0)) // on the group page now
		open(t, page, "/apis/"+id)
		must(t, expect.Locator(stageRow(page, "RELEASE")).ToContainText("by the operator"))
		for _, path := range []string{"/apis/new", "/apis/" + id + "/edit", "/apis/" + id + "/deploy", "/apis/" + id + "/stages/RELEASE/abolish", "/apis/" + id + "/delete"} {
			if status, _ := get(t, page, path); status != 403 {
				t.Errorf("viewer GET %s: status %d, want 403", path, status)
			}
		}
		resp := post(t, page, "/apis/"+id+"/stages/RELEASE/abolish", nil)
		if resp.Status() != 403 {
			t.Errorf("viewer abolish: status %d, want 403", resp.Status())
		}
		open(t, page, "/apis/"+id)
		must(t, expect.Locator(stageRow(page, "RELEASE")).ToContainText("Revision 1"))
	})
}
