//go:build e2e

package e2e

import (
	"testing"

	"github.com/playwright-community/playwright-go"
)

// An API's life in the console, as an operator clicks through it, with
// JavaScript on and off: Create API (Mock) from Group Details, deploy it
// to RELEASE, edit it (RELEASE keeps serving the old revision and the page
// says what differs), deploy again, try to delete it (refused while
// deployed, with the way out), abolish it, delete it.
func TestAPIMockLifecycle(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, a := loggedIn(t, o, "operator")
		group := createGroup(t, page, "orders_api", "cn-hangzhou", "api-shared-vpc-001")

		open(t, page, "/groups/"+group)
		must(t, expect.Locator(page.Locator("#group-apis")).ToContainText("This group holds no API yet."))
		must(t, page.Locator("#group-apis").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Create API"}).Click())
		must(t, expect.Locator(dialog(page, "Create API")).ToBeVisible())
		// Opened from the group, the form has the group chosen.
		must(t, expect.Locator(label(page.Locator("form.api-form"), "Group")).ToHaveValue(group))
		fillAPIForm(t, page, apiForm{Name: "list_orders", Description: "The latest orders", Method: "GET", Path: "/orders/[status]",
			Mock: true, MockStatus: "201", MockHeaders: "Content-Type: application/json\nX-Shop: web", MockBody: `{"orders":[]}`})
		must(t, dialogButton(dialog(page, "Create API"), "Create").Click())
		id := onAPIPage(t, page, "list_orders")
		must(t, expect.Locator(flash(page)).ToContainText("API list_orders created."))
		must(t, expect.Locator(page.Locator("#api-id")).ToHaveText(id))
		must(t, expect.Locator(page.Locator("#api-request")).ToContainText("/orders/[status]"))
		must(t, expect.Locator(page.Locator("#api-request")).ToContainText("HTTP and HTTPS"))
		backend := page.Locator("#api-backend")
		must(t, expect.Locator(backend).ToContainText("201 Created"))
		must(t, expect.Locator(backend).ToContainText("X-Shop: web"))
		must(t, expect.Locator(backend).ToContainText(`{"orders":[]}`))
		for _, st := range []string{"RELEASE", "PRE", "TEST"} {
			must(t, expect.Locator(stageRow(page, st)).ToContainText("Not deployed"))
		}

		// Deploy to RELEASE with a description.
		deployInConsole(t, page, "list_orders", "RELEASE", "First release")
		release := stageRow(page, "RELEASE")
		must(t, expect.Locator(release).ToContainText("Revision 1"))
		must(t, expect.Locator(release).ToContainText("The current definition"))
		must(t, expect.Locator(release).ToContainText("by "+a.Login+" via console"))
		must(t, expect.Locator(release).ToContainText("First release"))
		must(t, expect.Locator(stageRow(page, "TEST")).ToContainText("Not deployed"))

		// Edit: a new revision; RELEASE keeps serving revision 1 and says what differs.
		must(t, link(page, "Edit").Click())
		must(t, expect.Locator(dialog(page, "Edit API list_orders")).ToBeVisible())
		form := page.Locator("form.api-form")
		must(t, expect.Locator(label(form, "Headers")).ToHaveValue("Content-Type: application/json\nX-Shop: web"))
		must(t, label(form, "Body").Fill(`{"orders":[{"id":"o-1"}]}`))
		must(t, label(form, "Path").Fill("/orders"))
		must(t, dialogButton(dialog(page, "Edit API list_orders"), "Save").Click())
		onAPIPage(t, page, "list_orders")
		must(t, expect.Locator(flash(page)).ToContainText("saved as revision 2"))
		must(t, expect.Locator(page.Locator("#api-revision")).ToHaveText("2"))
		must(t, expect.Locator(release).ToContainText("Revision 1"))
		must(t, expect.Locator(release).ToContainText("Differs from the current definition (revision 2): path and Mock body."))

		// Redeploy: RELEASE serves revision 2.
		deployInConsole(t, page, "list_orders", "RELEASE", "Adds the order ids")
		must(t, expect.Locator(release).ToContainText("Revision 2"))
		must(t, expect.Locator(release).ToContainText("The current definition"))
		must(t, expect.Locator(release).ToContainText("Adds the order ids"))

		// Delete is refused while deployed: the button is disabled with the
		// rule's words and the way out beside it; its dialog, asked for by
		// URL anyway, says them once and offers no Delete.
		refused := `The API "list_orders" is deployed to RELEASE, where it serves calls. Abolish it from that stage first, then delete it.`
		expectDisabled(t, page.Locator("body"), "Delete", refused)
		why := page.Locator("#api-delete-why")
		must(t, expect.Locator(why.GetByRole("link", linkInOpts("Abolish it from RELEASE"))).ToBeVisible())
		d := openRefusedDialog(t, page, "/apis/"+id+"/delete", "Delete API list_orders?")
		alert := d.GetByRole("alert")
		must(t, expect.Locator(alert).ToContainText(refused))
		must(t, expect.Locator(alert.GetByRole("link", linkInOpts("Abolish it from RELEASE"))).ToBeVisible())
		must(t, expect.Locator(dialogButton(d, "Delete")).ToHaveCount(0))

		// Abolish from RELEASE (the way out beside the button), then delete.
		open(t, page, "/apis/"+id)
		must(t, why.GetByRole("link", linkInOpts("Abolish it from RELEASE")).Click())
		d = dialog(page, "Abolish list_orders from RELEASE?")
		must(t, expect.Locator(d).ToBeVisible())
		must(t, expect.Locator(d).ToContainText("stops serving list_orders (GET /orders, revision 2) at once"))
		must(t, dialogButton(d, "Abolish").Click())
		onAPIPage(t, page, "list_orders")
		must(t, expect.Locator(flash(page)).ToContainText("API list_orders abolished from RELEASE."))
		must(t, expect.Locator(release).ToContainText("Not deployed"))

		d = openDialog(t, page, "Delete", "Delete API list_orders?")
		must(t, dialogButton(d, "Delete").Click())
		onGroupPage(t, page, "orders_api")
		must(t, expect.Locator(flash(page)).ToContainText("API list_orders deleted."))
		must(t, expect.Locator(page.Locator("#group-apis")).ToContainText("This group holds no API yet."))
		if status, _ := get(t, page, "/apis/"+id); status != 404 {
			t.Errorf("the deleted API's page: status %d, want 404", status)
		}
	})
}

// An HTTP API: created from the APIs page with the group chosen, its
// backend's settings kept (and no Mock settings), deployed to RELEASE,
// then to TEST after an edit; the list shows both stages and which
// revision each serves. Bad input is refused beside its field and keeps
// what was typed.
func TestAPIHTTPLifecycle(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		group := createGroup(t, page, "users_api", "cn-shanghai", "api-shared-vpc-002")

		open(t, page, "/apis")
		must(t, expect.Locator(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: "No APIs yet"})).ToBeVisible())
		must(t, link(page, "Create API").First().Click())
		must(t, expect.Locator(dialog(page, "Create API")).ToBeVisible())
		form := page.Locator("form.api-form")
		if !o.NoJS {
			// The Mock settings hide once the backend type is HTTP.
			must(t, expect.Locator(label(form, "Body")).ToBeVisible())
		}
		fillAPIForm(t, page, apiForm{Group: group, Name: "get_user", Method: "GET", Path: "/users/[id]",
			Address: "http://127.0.0.1:9000/api", BackendPath: "/v1/users/[uid]", Timeout: "lots", NoInternet: true})
		if !o.NoJS {
			must(t, expect.Locator(label(form, "Body")).ToBeHidden())
		}
		must(t, dialogButton(dialog(page, "Create API"), "Create").Click())
		// Refused beside each field, everything typed kept.
		form = page.Locator("form.api-form")
		must(t, expect.Locator(form.Locator("#api-service_address-error")).ToContainText("put the path \"/api\" in the backend path instead"))
		must(t, expect.Locator(form.Locator("#api-service_path-error")).ToContainText("[uid], which the request path does not have"))
		must(t, expect.Locator(form.Locator("#api-service_timeout-error")).ToContainText("a whole number from 1 to 30,000"))
		must(t, expect.Locator(label(form, "API name")).ToHaveValue("get_user"))
		must(t, expect.Locator(label(form, "Disable Internet access")).ToBeChecked())
		if status, _ := get(t, page, "/apis"); status != 200 {
			t.Fatalf("list: %d", status)
		}

		must(t, label(form, "Address").Fill("http://127.0.0.1:9000"))
		must(t, label(form, "Backend path").Fill("/v1/users/[id]"))
		must(t, label(form, "Timeout (ms)").Fill("3000"))
		must(t, dialogButton(dialog(page, "Create API"), "Create").Click())
		onAPIPage(t, page, "get_user")
		backend := page.Locator("#api-backend")
		must(t, expect.Locator(backend).ToContainText("Backend: HTTP"))
		must(t, expect.Locator(backend).ToContainText("http://127.0.0.1:9000"))
		must(t, expect.Locator(backend).ToContainText("/v1/users/[id]"))
		must(t, expect.Locator(backend).ToContainText("3,000 ms"))
		must(t, expect.Locator(page.Locator("#api-request")).ToContainText("Callable only through the group's VPC second-level domain"))

		deployInConsole(t, page, "get_user", "RELEASE", "")
		must(t, expect.Locator(stageRow(page, "RELEASE")).ToContainText("Revision 1"))
		must(t, link(page, "Edit").Click())
		form = page.Locator("form.api-form")
		must(t, label(form, "Timeout (ms)").Fill("5000"))
		must(t, dialogButton(dialog(page, "Edit API get_user"), "Save").Click())
		onAPIPage(t, page, "get_user")
		must(t, expect.Locator(stageRow(page, "RELEASE")).ToContainText("backend timeout"))

		// The stage row's own Deploy opens the dialog with its stage chosen.
		must(t, page.GetByRole("link", playwright.PageGetByRoleOptions{Name: "Deploy to TEST"}).Click())
		d := dialog(page, "Deploy API get_user")
		must(t, expect.Locator(label(d, "Stage")).ToHaveValue("TEST"))
		must(t, expect.Locator(d.Locator("#api-deploy-serving")).ToContainText("Differs in backend timeout."))
		must(t, dialogButton(d, "Deploy").Click())
		onAPIPage(t, page, "get_user")
		must(t, expect.Locator(stageRow(page, "TEST")).ToContainText("Revision 2"))

		open(t, page, "/apis")
		row := page.Locator("#apis-table tbody tr").Filter(playwright.LocatorFilterOptions{HasText: "get_user"})
		must(t, expect.Locator(row).ToContainText("users_api"))
		must(t, expect.Locator(row).ToContainText("RELEASE · r1 · older"))
		must(t, expect.Locator(row).ToContainText("TEST · r2"))
		must(t, expect.Locator(row).ToContainText("HTTP"))
	})
}
