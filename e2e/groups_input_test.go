//go:build e2e

package e2e

import (
	"regexp"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Bad input in the Create Group dialog is answered beside the field, with
// what was typed kept, and creates nothing.
func TestGroupCreateBadInputInDialog(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		open(t, page, "/groups")
		d := openDialog(t, page, "Create Group", "Create Group")
		for _, tc := range []struct{ name, want string }{
			{"", "Enter a group name."},
			{"abc", "A group name is 4 to 50 characters long; this one has 3."},
			{"1abcd", "A group name starts with a letter."},
			{"my-group", `A group name holds only letters, digits and underscores (_); '-' is not allowed.`},
		} {
			must(t, label(d, "Group name").Fill(tc.name))
			must(t, dialogButton(d, "Create").Click())
			d = dialog(page, "Create Group")
			must(t, expect.Locator(d.Locator(".field-error")).ToHaveText(tc.want))
			must(t, expect.Locator(label(d, "Group name")).ToHaveValue(tc.name))
			must(t, expect.Locator(label(d, "Group name")).ToHaveAttribute("aria-invalid", "true"))
		}
		// The region drives the instance choices (htmx, or the fallback button).
		choose(t, label(d, "Region"), "cn-shanghai")
		if o.NoJS {
			must(t, dialogButton(d, "Show instances of this region").Click())
			d = dialog(page, "Create Group")
		}
		must(t, expect.Locator(label(d, "Instance").Locator("option[value='api-shared-vpc-002']")).ToHaveCount(1))
		must(t, expect.Locator(label(d, "Instance").Locator("option[value='api-shared-vpc-001']")).ToHaveCount(0))
		must(t, expect.Locator(label(d, "Group name")).ToHaveValue("my-group")) // kept through the reload
		must(t, label(d, "Group name").Fill("shanghai_api"))
		must(t, dialogButton(d, "Create").Click())
		onGroupPage(t, page, "shanghai_api")
		must(t, expect.Locator(page.Locator("#group-instance")).ToContainText("api-shared-vpc-002"))

		// The same name again in the same region is refused.
		open(t, page, "/groups")
		d = openDialog(t, page, "Create Group", "Create Group")
		choose(t, label(d, "Region"), "cn-shanghai")
		if o.NoJS {
			must(t, dialogButton(d, "Show instances of this region").Click())
			d = dialog(page, "Create Group")
		} else {
			must(t, expect.Locator(label(d, "Instance").Locator("option[value='api-shared-vpc-002']")).ToHaveCount(1))
		}
		must(t, label(d, "Group name").Fill("shanghai_api"))
		must(t, dialogButton(d, "Create").Click())
		d = dialog(page, "Create Group")
		must(t, expect.Locator(d.Locator(".field-error")).ToContainText(`already has a group named "shanghai_api"`))
		open(t, page, "/groups")
		must(t, expect.Locator(page.Locator("#groups-count")).ToHaveText("1 group"))
	})
}

// Bad input posted straight to every group form (values no form lets you
// type: over-long, another tenant's ids, unknown choices) gets a clear 4xx,
// never a 500, and changes nothing.
func TestGroupFormsRefuseBadInput(t *testing.T) {
	page, _ := loggedIn(t, pageOpts{}, "operator")
	other, _ := loggedIn(t, pageOpts{}, "operator")
	foreign := seedInstance(t, other, "cn-hangzhou")
	foreignGroup := createGroup(t, other, "foreign_api", "cn-hangzhou", "api-shared-vpc-001")

	id := createGroup(t, page, "mine_api", "cn-hangzhou", "api-shared-vpc-001")
	group := func(name string) map[string]string {
		return map[string]string{"name": name, "description": "", "region": "cn-hangzhou", "instance": "api-shared-vpc-001"}
	}
	with := func(m map[string]string, k, v string) map[string]string {
		m[k] = v
		return m
	}
	cases := []struct {
		what   string
		path   string
		fields map[string]string
		status int
		want   string
	}{
		{"name of 51 characters", "/groups", group("a" + strings.Repeat("b", 50)), 422, "A group name is 4 to 50 characters long; this one has 51."},
		{"name with a space", "/groups", group("my api"), 422, "holds only letters, digits and underscores"},
		{"description of 181 characters", "/groups", with(group("desc_api"), "description", strings.Repeat("d", 181)), 422, "A description is at most 180 characters long; this one has 181."},
		{"unknown region", "/groups", with(group("region_api"), "region", "mars-1"), 422, `The region &#34;mars-1&#34; does not exist.`},
		{"malformed instance", "/groups", with(group("inst_api"), "instance", "nope"), 422, "is malformed"},
		{"another tenant's instance", "/groups", with(group("inst_api"), "instance", foreign), 404, "does not exist"},
		{"instance of another region", "/groups", with(group("inst_api"), "instance", "api-shared-vpc-002"), 422, "Choose an instance in China (Hangzhou)"},
		{"duplicate name", "/groups", group("mine_api"), 409, "already has a group named"},
		{"edit: empty name", "/groups/" + id + "/edit", map[string]string{"name": "", "description": ""}, 422, "Enter a group name."},
		{"edit: description of 181", "/groups/" + id + "/edit", map[string]string{"name": "mine_api", "description": strings.Repeat("x", 181)}, 422, "at most 180 characters"},
		{"edit: another tenant's group", "/groups/" + foreignGroup + "/edit", map[string]string{"name": "stolen_api", "description": ""}, 404, "does not exist"},
		{"move: another tenant's instance", "/groups/" + id + "/move", map[string]string{"instance": foreign, "acknowledge": "on"}, 404, "does not exist"},
		{"move: risk not acknowledged", "/groups/" + id + "/move", map[string]string{"instance": "api-shared-vpc-002"}, 422, "Tick the box"},
		{"move: another region", "/groups/" + id + "/move", map[string]string{"instance": "api-shared-vpc-002", "acknowledge": "on"}, 422, "Choose an instance in China (Hangzhou)"},
		{"move: no instance", "/groups/" + id + "/move", map[string]string{"acknowledge": "on"}, 422, "Choose the destination instance."},
		{"move: another tenant's group", "/groups/" + foreignGroup + "/move", map[string]string{"instance": "api-shared-vpc-001", "acknowledge": "on"}, 404, "does not exist"},
		{"domain: bad name", "/groups/" + id + "/domains/new", map[string]string{"domain": "bad_name.example.com", "network_type": "INTERNET"}, 422, "holds only letters, digits, hyphens"},
		{"domain: platform name", "/groups/" + id + "/domains/new", map[string]string{"domain": "x.alicloudapi.com", "network_type": "INTERNET"}, 422, "second-level domains"},
		{"domain: unknown network type", "/groups/" + id + "/domains/new", map[string]string{"domain": "ok.example.com", "network_type": "PRIVATE"}, 422, "does not exist. Choose INTERNET or INTRANET."},
		{"domain: too long", "/groups/" + id + "/domains/new", map[string]string{"domain": strings.Repeat("a.", 130) + "com", "network_type": "INTERNET"}, 422, "at most 253 characters"},
		{"domain: certificate without key", "/groups/" + id + "/domains/new", map[string]string{"domain": "ok.example.com", "network_type": "INTERNET", "certificate": "-----BEGIN CERTIFICATE-----"}, 422, "A certificate comes with its private key."},
		{"domain: garbage certificate", "/groups/" + id + "/domains/new", map[string]string{"domain": "ok.example.com", "network_type": "INTERNET", "certificate": "junk", "key": "junk"}, 422, "not in PEM form"},
		{"unbind: domain not bound", "/groups/" + id + "/domains/none.example.com/unbind", nil, 404, "does not exist"},
		{"delete: another tenant's group", "/groups/" + foreignGroup + "/delete", nil, 404, "does not exist"},
		{"enable: another tenant's group", "/groups/" + foreignGroup + "/vpc-domain/enable", nil, 404, "does not exist"},
		{"disable: not enabled", "/groups/" + id + "/vpc-domain/disable", nil, 409, "is not enabled, so there is nothing to disable"},
	}
	for _, tc := range cases {
		t.Run(tc.what, func(t *testing.T) {
			resp := post(t, page, tc.path, tc.fields)
			body, _ := resp.Text()
			if resp.Status() != tc.status {
				t.Fatalf("POST %s: status %d, want %d\n%s", tc.path, resp.Status(), tc.status, errorText(body))
			}
			if !strings.Contains(body, tc.want) {
				t.Fatalf("POST %s: the answer does not say %q:\n%s", tc.path, tc.want, errorText(body))
			}
		})
	}

	// Nothing changed: one group each, unchanged.
	open(t, page, "/groups")
	must(t, expect.Locator(page.Locator("#groups-count")).ToHaveText("1 group"))
	open(t, page, "/groups/"+id)
	must(t, expect.Locator(page.Locator("#group-instance")).ToContainText("api-shared-vpc-001"))
	must(t, expect.Locator(page.Locator("#custom-domains")).ToContainText("No custom domain is bound"))
	open(t, other, "/groups/"+foreignGroup)
	onGroupPage(t, other, "foreign_api")

	// The input policy of both doors (rules.GroupInput.Normalize), as
	// through CreateApiGroup: surrounding space is dropped, and no
	// instance means the region's shared instance.
	padded := postOK(t, page, "/groups", map[string]string{"name": "  padded_api\t", "description": " d ", "region": " cn-hangzhou ", "instance": ""})
	open(t, page, padded)
	onGroupPage(t, page, "padded_api")
	must(t, expect.Locator(page.Locator("#group-instance")).ToContainText("api-shared-vpc-001"))

	// Bad ids and query strings in URLs: 4xx pages that say what is wrong.
	for _, tc := range []struct {
		path   string
		status int
		want   string
	}{
		{"/groups/" + foreignGroup, 404, "does not exist"},
		{"/groups/not-a-group", 404, "does not exist"},
		{"/groups/" + id + "/domains/none.example.com/unbind", 404, "does not exist"},
		{"/groups/new?region=mars-1", 400, `The region &#34;mars-1&#34; does not exist.`},
		{"/groups?region=mars-1", 400, "does not exist; showing the groups of every region"},
		{"/groups?after=garbage", 400, "This page link is not valid"},
		{"/groups?after=Yy4xLmFiYw&before=Yy4xLmFiYw", 400, "This page link is not valid"},
		{"/groups?q=" + strings.Repeat("q", 51), 400, "Search for at most 50 characters"},
	} {
		status, body := get(t, page, tc.path)
		if status != tc.status || !strings.Contains(body, tc.want) {
			t.Errorf("GET %s: status %d, want %d saying %q\n%s", tc.path, status, tc.status, tc.want, errorText(body))
		}
	}
	// The list still shows under a bad filter.
	resp, err := page.Goto("/groups?region=mars-1&after=garbage")
	must(t, err)
	if resp.Status() != 400 {
		t.Fatalf("bad filter: status %d, want 400", resp.Status())
	}
	must(t, expect.Locator(page.Locator("#groups-table")).ToContainText("mine_api"))
	must(t, expect.Locator(page.GetByRole("alert")).ToContainText("This page link is not valid"))
	must(t, expect.Locator(page.Locator(".toolbar .field-error")).ToContainText(`The region "mars-1" does not exist`))

	if strings.Contains(env.serverLog.String(), "status=500") {
		t.Fatalf("the server answered 500:\n%s", env.serverLog.String())
	}
}

// Edit changes the name and description; Delete asks, then deletes the
// group and returns to the list.
func TestGroupEditAndDelete(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		id := createGroup(t, page, "old_name", "cn-hangzhou", "api-shared-vpc-001")
		open(t, page, "/groups/"+id)
		d := openDialog(t, page, "Edit", "Edit API Group")
		must(t, expect.Locator(label(d, "Group name")).ToHaveValue("old_name"))
		must(t, label(d, "Group name").Fill("bad name"))
		must(t, dialogButton(d, "Save").Click())
		d = dialog(page, "Edit API Group")
		must(t, expect.Locator(d.Locator(".field-error")).ToContainText("holds only letters"))
		must(t, label(d, "Group name").Fill("new_name"))
		must(t, label(d, "Description").Fill("Line one.\nLine two."))
		must(t, dialogButton(d, "Save").Click())
		onGroupPage(t, page, "new_name")
		must(t, expect.Locator(flash(page)).ToContainText("API group new_name saved."))
		must(t, expect.Locator(page.Locator("dl.props").First()).ToContainText("Line two."))

		d = openDialog(t, page, "Delete", "Delete API group new_name?")
		must(t, dialogButton(d, "Delete").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/groups$`)))
		must(t, expect.Locator(flash(page)).ToContainText("API group new_name deleted."))
		must(t, expect.Locator(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: "No API groups yet"})).ToBeVisible())
		status, _ := get(t, page, "/groups/"+id)
		if status != 404 {
			t.Fatalf("deleted group: status %d, want 404", status)
		}
	})
}

// A viewer sees groups but no control that changes them.
func TestGroupViewerSeesNoChanges(t *testing.T) {
	op, a := loggedIn(t, pageOpts{}, "operator")
	id := createGroup(t, op, "shown_api", "cn-hangzhou", "api-shared-vpc-001")
	viewer := account{Name: a.Name, Login: a.Login + "-v", Password: a.Password}
	addUser(t, viewer.Name, viewer.Login, "viewer", viewer.Password)
	page := browserPage(t, pageOpts{})
	login(t, page, viewer)
	open(t, page, "/groups")
	must(t, expect.Locator(page.Locator("#groups-table")).ToContainText("shown_api"))
	must(t, expect.Locator(link(page, "Create Group")).ToHaveCount(0))
	open(t, page, "/groups/"+id)
	for _, name := range []string{"Enable VPC Second-level Domain", "Modify Instance for API Group Deployment", "Edit", "Delete", "Bind Domain Name"} {
		must(t, expect.Locator(link(page, name)).ToHaveCount(0))
	}
	status, _ := get(t, page, "/groups/"+id+"/move")
	if status != 403 {
		t.Fatalf("viewer opening Modify Instance: status %d, want 403", status)
	}
}
