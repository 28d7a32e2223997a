//go:build e2e

package e2e

import (
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
	"github.com/playwright-community/playwright-go"

	"gatehouse/views/pages"
)

// The watcher itself: a page that breaks the Content-Security-Policy is
// caught, with the directive named, so the rest of the suite can be
// trusted to fail on one.
func TestCSPViolationsAreCaught(t *testing.T) {
	page := unwatchedPage(t, pageOpts{})
	w := watch(t, page)
	w.selfTest.Store(true)
	login(t, page, newAccount(t, "viewer"))
	w.take()
	// An inline style, as htmx's indicator styles would be.
	_, err := page.Evaluate(`() => { const s = document.createElement("style"); s.textContent = "body{}"; document.head.appendChild(s); }`)
	must(t, err)
	deadline := time.Now().Add(5 * time.Second)
	var got []string
	for time.Now().Before(deadline) && len(got) == 0 {
		got = w.take()
		page.WaitForTimeout(50)
	}
	if len(got) == 0 || !strings.Contains(strings.Join(got, "\n"), "style-src") {
		t.Fatalf("an inline style was not reported as a CSP violation: %q", got)
	}
}

// Bind to VPC opens with nothing chosen and refuses an empty Confirm with
// a field error beside each choice; Change VPC opens on the current VPC,
// says "from → to" and names the groups whose access moves.
func TestBindOpensWithNothingChosen(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		vpcA, vswA := seedVpc(t, page, "cn-shanghai")
		vpcB, vswB := seedVpc(t, page, "cn-shanghai")
		inst := seedInstance(t, page, "cn-shanghai")

		open(t, page, "/instances")
		r := rowOf(page, "instance", inst)
		d := openDialogWith(t, page, r.GetByRole("link", linkInOpts("Bind to VPC")), pages.InstanceBindTitle)
		must(t, expect.Locator(fieldIn(d, "Vpc Id")).ToHaveValue(""))
		must(t, expect.Locator(fieldIn(d, "Vpc Id").Locator("option:checked")).ToHaveText("Select a VPC"))
		must(t, expect.Locator(fieldIn(d, "vSwitch")).ToHaveValue(""))
		pressIn(t, d, "Confirm")
		d = dialog(page, pages.InstanceBindTitle)
		must(t, expect.Locator(fieldErrorIn(d, "instance-bind", "vpc")).ToHaveText("Choose a VPC."))
		must(t, expect.Locator(fieldErrorIn(d, "instance-bind", "vswitch")).ToHaveText("Choose a vSwitch."))
		must(t, expect.Locator(fieldIn(d, "Vpc Id")).ToBeFocused())
		shot(t, page, "bind-empty-refused-"+modeName(o))
		open(t, page, "/instances")
		must(t, expect.Locator(r).ToContainText("Not bound"))

		bindInstance(t, page, inst, vpcA, vswA)
		g := createGroup(t, page, "moving_access", "cn-shanghai", inst)
		open(t, page, "/instances")
		d = openDialogWith(t, page, r.GetByRole("link", linkInOpts("Change VPC")), pages.InstanceBindTitle)
		must(t, expect.Locator(fieldIn(d, "Vpc Id")).ToHaveValue(vpcA))
		must(t, expect.Locator(fieldIn(d, "vSwitch")).ToHaveValue(vswA))
		change := d.Locator("#instance-bind-consequence")
		must(t, expect.Locator(change).ToContainText("Change VPC:"))
		must(t, expect.Locator(change.GetByRole("link", linkInOpts("moving_access"))).ToHaveAttribute("href", "/groups/"+g))
		chooseIn(t, d, "Vpc Id", vpcB)
		if o.NoJS {
			pressIn(t, d, "Show vSwitches")
		}
		must(t, expect.Locator(change).ToContainText(vpcA))
		must(t, expect.Locator(change).ToContainText("→"))
		must(t, expect.Locator(change).ToContainText(vpcB))
		must(t, expect.Locator(change).ToContainText("Access to the groups on this instance moves with it"))
		must(t, expect.Locator(change.GetByRole("link", linkInOpts("moving_access"))).ToBeVisible())
		shot(t, page, "change-vpc-from-to-"+modeName(o))
		chooseIn(t, d, "vSwitch", vswB)
		pressIn(t, d, "Confirm")
		must(t, expect.Locator(flashMessage(page)).ToContainText("no longer reaches the groups"))
	})
}

// A refused action's button is disabled with its reason and the way out
// beside it; its dialog says the refusal once, each blocker a link, with
// no commit button.
func TestRefusedActionsSayWhyOnThePage(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		vpcID, _, inst := seedNetwork(t, page, "cn-beijing")
		g := createGroup(t, page, "holding_api", "cn-beijing", inst)
		postOK(t, page, "/groups/"+g+"/vpc-domain/enable", nil)
		unbound := seedInstance(t, page, "cn-beijing")
		waiting := createGroup(t, page, "waiting_api", "cn-beijing", unbound)

		open(t, page, "/instances")
		r := rowOf(page, "instance", inst)
		unbind := r.GetByRole("button", buttonInOpts("Unbind"))
		must(t, expect.Locator(unbind).ToBeDisabled())
		why := r.Locator("#instance-" + inst + "-unbind-why")
		must(t, expect.Locator(why).ToContainText("the VPC domain is enabled for 1 group on it."))
		must(t, expect.Locator(why.GetByRole("link", linkInOpts("API group holding_api"))).ToHaveAttribute("href", "/groups/"+g))
		must(t, expect.Locator(r.GetByRole("link", linkInOpts("Unbind"))).ToHaveCount(0))
		shot(t, page, "refused-buttons-"+modeName(o))

		// The dialog, asked for anyway: the refusal once, no Confirm.
		open409(t, page, instancePath(inst)+"/unbind")
		d := dialog(page, "Unbind VPC")
		expectRefused(t, d, "Confirm", "cannot be unbound")
		must(t, expect.Locator(d.GetByText("Unbind the VPC")).ToHaveCount(0))
		must(t, expect.Locator(formAlertIn(d).GetByRole("link", linkInOpts("API group holding_api"))).ToBeVisible())

		// R5 on Group Details: Enable is disabled, the way out is Bind to
		// VPC, right there.
		open(t, page, "/groups/"+waiting)
		enable := page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Enable VPC Second-level Domain"})
		must(t, expect.Locator(enable).ToBeDisabled())
		reason := page.Locator("#group-vpc-enable-why")
		must(t, expect.Locator(reason).ToContainText("you cannot enable VPC second-level domain name"))
		bind := reason.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Bind to VPC"})
		must(t, bind.Click())
		must(t, expect.Locator(dialog(page, pages.InstanceBindTitle)).ToBeVisible())

		// The VPC page: Delete VPC is disabled while an instance is bound.
		open(t, page, vpcPath(vpcID))
		must(t, expect.Locator(page.GetByRole("button", playwright.PageGetByRoleOptions{Name: "Delete VPC"})).ToBeDisabled())
		must(t, expect.Locator(page.Locator("#vpc-delete-why").GetByRole("link")).ToHaveAttribute("href", instancePath(inst)))
	})
}

// open409 opens a page the rules refuse (a dialog as a page, 409).
func open409(t *testing.T, page playwright.Page, path string) {
	t.Helper()
	resp, err := page.Goto(path)
	if err != nil {
		t.Fatalf("goto %s: %v", path, err)
	}
	if resp.Status() != 409 {
		t.Fatalf("goto %s: status %d, want 409", path, resp.Status())
	}
}

// A refused change, from the console and from the OpenAPI endpoint, is in
// the operation log with its code; the log's filters (an action from the
// list, the outcome, a time range) work without JavaScript.
func TestRefusalsInTheOperationLog(t *testing.T) {
	page, a := loggedIn(t, pageOpts{NoJS: true}, "admin")
	vpcID, _, inst := seedNetwork(t, page, "cn-hangzhou")
	g := createGroup(t, page, "log_me", "cn-hangzhou", inst)
	postOK(t, page, "/groups/"+g+"/vpc-domain/enable", nil)

	// The console: unbinding is refused (R7).
	if status, _ := postStatus(t, page, instancePath(inst)+"/unbind", nil); status != 409 {
		t.Fatalf("unbind: status %d, want 409", status)
	}
	// The OpenAPI endpoint: deleting a VPC that has a vSwitch is refused.
	key := accessKeyFor(t, a)
	client, err := vpc.NewClientWithAccessKey("cn-hangzhou", key.AccessKeyId, key.AccessKeySecret)
	must(t, err)
	req := vpc.CreateDeleteVpcRequest()
	atGatehouse(req)
	req.VpcId = vpcID
	if _, err := client.DeleteVpc(req); err == nil || !strings.Contains(err.Error(), "DependencyViolation.Vpc") {
		t.Fatalf("DeleteVpc through the SDK: %v, want DependencyViolation.Vpc", err)
	}

	open(t, page, "/oplog")
	form := page.Locator("#oplog-filter")
	pick(t, form.GetByLabel("Action"), "UnbindVpc")
	pick(t, form.GetByLabel("Outcome"), "refused")
	must(t, form.GetByRole("button", buttonInOpts("Filter")).Click())
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`action=UnbindVpc`)))
	rows := page.Locator("#oplog-table tbody tr")
	must(t, expect.Locator(rows).ToHaveCount(1))
	must(t, expect.Locator(rows.First()).ToContainText("InstanceVpcInUse"))
	must(t, expect.Locator(rows.First()).ToContainText("Console"))
	must(t, expect.Locator(rows.First()).ToContainText("cannot be unbound"))

	pick(t, form.GetByLabel("Action"), "DeleteVpc")
	must(t, form.GetByRole("button", buttonInOpts("Filter")).Click())
	must(t, expect.Locator(rows).ToHaveCount(1))
	must(t, expect.Locator(rows.First()).ToContainText("DependencyViolation.Vpc"))
	must(t, expect.Locator(rows.First()).ToContainText("OpenAPI"))
	must(t, expect.Locator(rows.First()).ToContainText(key.AccessKeyId))
	shot(t, page, "oplog-refused-filtered")

	// A time range that ends before anything happened: nothing.
	pick(t, form.GetByLabel("Action"), "")
	must(t, form.GetByLabel("To (UTC)").Fill("2001-01-01T00:00"))
	must(t, form.GetByRole("button", buttonInOpts("Filter")).Click())
	must(t, expect.Locator(page.GetByText("No entries match this filter.")).ToBeVisible())
	// One that holds today: the refusals are back.
	must(t, form.GetByLabel("From (UTC)").Fill(time.Now().UTC().Add(-time.Hour).Format("2006-01-02T15:04")))
	must(t, form.GetByLabel("To (UTC)").Fill(time.Now().UTC().Add(time.Hour).Format("2006-01-02T15:04")))
	must(t, form.GetByRole("button", buttonInOpts("Filter")).Click())
	must(t, expect.Locator(rows).ToHaveCount(2))
}

// The AccessKey secret is shown once, in a dialog whose Download CSV gives
// the id and the secret of the key just made; "I have saved it" leads back
// to the list, which never shows the secret and says when a key was last
// used.
func TestAccessKeySecretDownloadCSV(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, a := loggedIn(t, o, "admin")
		open(t, page, "/accesskeys")
		d := openDialogWith(t, page, link(page, "Create AccessKey"), "Create AccessKey")
		must(t, expect.Locator(fieldIn(d, "User")).ToHaveValue(""))
		chooseIn(t, d, "User", a.Login)
		pressIn(t, d, "Create AccessKey")
		d = dialog(page, "AccessKey created")
		id, err := d.Locator("#new-key-id").TextContent()
		must(t, err)
		secret, err := d.Locator("#new-key-secret").TextContent()
		must(t, err)
		if len(id) != 24 || len(secret) != 30 {
			t.Fatalf("key %q secret %q", id, secret)
		}
		shot(t, page, "accesskey-secret-"+modeName(o))
		dl, err := page.ExpectDownload(func() error {
			return d.GetByRole("link", linkInOpts("Download CSV")).Click()
		})
		must(t, err)
		path, err := dl.Path()
		must(t, err)
		b, err := os.ReadFile(path)
		must(t, err)
		if got, want := string(b), "AccessKeyId,AccessKeySecret\r\n"+id+","+secret+"\r\n"; got != want {
			t.Fatalf("CSV %q, want %q", got, want)
		}
		if dl.SuggestedFilename() != "AccessKey_"+id+".csv" {
			t.Errorf("file name %q", dl.SuggestedFilename())
		}
		must(t, d.GetByRole("link", linkInOpts("I have saved it")).Click())
		row := page.Locator("tr#key-" + id)
		must(t, expect.Locator(row).ToContainText("Never"))
		must(t, expect.Locator(page.GetByText(secret)).ToHaveCount(0))
	})
}

// Forms: the first field in error takes the focus, every error of a field
// is listed, and the vSwitch CIDR field starts on the VPC's next free
// block.
func TestFormsSayEveryErrorAndFocusTheFirst(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		open(t, page, "/groups")
		d := openDialogWith(t, page, link(page, "Create Group").First(), "Create Group")
		fillIn(t, d, "Group name", "my group-x")
		pressIn(t, d, "Create")
		d = dialog(page, "Create Group")
		name := fieldIn(d, "Group name")
		must(t, expect.Locator(name).ToBeFocused())
		errs := d.Locator(".field-error").First()
		must(t, expect.Locator(errs).ToContainText(`' ' and '-' are not allowed`))
		fillIn(t, d, "Group name", "1 a")
		pressIn(t, d, "Create")
		d = dialog(page, "Create Group")
		must(t, expect.Locator(d.Locator("ul.field-error li")).ToHaveCount(3))
		must(t, expect.Locator(fieldIn(d, "Group name")).ToBeFocused())
		shot(t, page, "group-name-every-error-"+modeName(o))

		vpcID, _ := seedVpc(t, page, "cn-shanghai") // its vSwitch takes 10.0.1.0/24 of 10.0.0.0/16
		open(t, page, vpcPath(vpcID))
		d = openDialogWith(t, page, link(page, "Create vSwitch").First(), "Create vSwitch")
		must(t, expect.Locator(fieldIn(d, "IPv4 CIDR block")).ToHaveValue("10.0.0.0/24"))
		must(t, expect.Locator(d).ToContainText("10.0.0.0/24 is the VPC's next free block."))
	})
}

// The Overview points at an unbound instance with Bind to VPC at hand;
// Shared Instances has its own page with breadcrumbs; "Open in Access
// check" fills the caller the page knows.
func TestOverviewSharedInstancesAndAccessCheckCaller(t *testing.T) {
	page, _ := loggedIn(t, pageOpts{}, "operator")
	vpcID, vswID := seedVpc(t, page, "cn-beijing")
	inst := seedInstance(t, page, "cn-beijing")
	open(t, page, "/")
	problem := page.Locator("#problem-unbound")
	must(t, expect.Locator(problem).ToContainText("1 dedicated instance is not bound to a VPC."))
	must(t, problem.GetByRole("link", linkInOpts("Bind to VPC")).Click())
	must(t, expect.Locator(dialog(page, pages.InstanceBindTitle)).ToBeVisible())
	bindInstance(t, page, inst, vpcID, vswID)
	g := createGroup(t, page, "reach_me", "cn-beijing", inst)
	postOK(t, page, "/groups/"+g+"/vpc-domain/enable", nil)
	open(t, page, "/")
	must(t, expect.Locator(page.Locator("#problem-unbound")).ToHaveCount(0))

	must(t, page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Console"}).GetByRole("link", linkInOpts("Shared Instances")).Click())
	must(t, expect.Locator(page.GetByRole("heading", headingOpts("Shared Instances"))).ToBeVisible())
	must(t, expect.Locator(page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Breadcrumb"})).ToContainText("Instances and Clusters › Shared Instances"))
	must(t, page.GetByRole("link", linkOpts("api-shared-vpc-003")).Click())
	must(t, expect.Locator(page.GetByRole("navigation", playwright.PageGetByRoleOptions{Name: "Breadcrumb"}).GetByRole("link", linkInOpts("Shared Instances"))).ToBeVisible())

	open(t, page, "/groups/"+g)
	must(t, page.Locator("#reachability").GetByRole("link", linkInOpts("Open in Access check")).Click())
	must(t, expect.Locator(page.GetByLabel("Caller")).ToHaveValue("vpc:"+vpcID))
	must(t, expect.Locator(page.GetByText("Allowed", playwright.PageGetByTextOptions{Exact: playwright.Bool(true)})).ToBeVisible())
}

// pick chooses the option of a select by its value.
func pick(t *testing.T, sel playwright.Locator, value string) {
	t.Helper()
	_, err := sel.SelectOption(playwright.SelectOptionValues{Values: &[]string{value}})
	must(t, err)
}
