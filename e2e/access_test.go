//go:build e2e

package e2e

import (
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// reachRow is the reachability panel's line for a caller, found by its
// first cell: "VPC <name> (<id>)", "Internet", ...
func reachRow(page playwright.Page, caller string) playwright.Locator {
	return page.Locator("#reachability tbody tr").Filter(playwright.LocatorFilterOptions{
		Has: page.Locator("td:first-child", playwright.PageLocatorOptions{HasText: caller})})
}

// vpcCaller is a VPC's line of the panel: the VPC itself, by its id, not a
// hybrid network joined to it.
func vpcCaller(id string) string { return "(" + id + ")" }

func expectReach(t *testing.T, page playwright.Page, caller, verdict string) {
	t.Helper()
	if err := expect.Locator(reachRow(page, caller).First()).ToContainText(verdict); err != nil {
		t.Fatalf("reachability of %s: want %s: %v", caller, verdict, err)
	}
}

// The reachability panel of Group Details follows binds, rebinds and moves
// (R3, R4, R6, R8, R11), in the same page without a reload.
func TestReachabilityFollowsTheBinding(t *testing.T) {
	page, _ := loggedIn(t, pageOpts{}, "operator")
	vpcA, vswA := seedVpc(t, page, "cn-hangzhou")
	vpcB, vswB := seedVpc(t, page, "cn-hangzhou")
	vpcC, _ := seedVpc(t, page, "cn-shanghai")
	inst := seedInstance(t, page, "cn-hangzhou")
	bindInstance(t, page, inst, vpcA, vswA)
	group := createGroup(t, page, "reach_me", "cn-hangzhou", inst)

	// While the VPC domain is off, every caller gets the same answer for
	// the same reason: the panel says it once, not once per caller.
	open(t, page, "/groups/"+group)
	must(t, expect.Locator(page.Locator("#reachability-all")).ToContainText("Every caller"))
	must(t, expect.Locator(page.Locator("#reachability-all")).ToContainText("is not enabled"))
	must(t, expect.Locator(page.Locator("#reachability-all")).ToContainText("R2"))
	must(t, expect.Locator(page.Locator("#reachability tbody tr")).ToHaveCount(0))

	postOK(t, page, "/groups/"+group+"/vpc-domain/enable", nil)
	open(t, page, "/groups/"+group)
	must(t, expect.Locator(page.Locator("#reachability-all")).ToHaveCount(0))
	expectReach(t, page, vpcCaller(vpcA), "Allowed")
	expectReach(t, page, vpcCaller(vpcB), "Refused")
	expectReach(t, page, "Internet", "Refused")
	shot(t, page, "reachability-bound-a")

	// Rebind to B from Group Details: the dialog comes back to this page,
	// swapped in by htmx, with no reload.
	_, err := page.Evaluate(`() => { window.__sameDocument = true }`)
	must(t, err)
	d := openDialog(t, page, "Change VPC", "Apply for VPC Endpoint to Access Dedicated Instance")
	choose(t, d.GetByLabel("Vpc Id"), vpcB)
	must(t, expect.Locator(d.GetByLabel("vSwitch").Locator("option[value='"+vswB+"']")).ToHaveCount(1))
	choose(t, d.GetByLabel("vSwitch"), vswB)
	must(t, d.GetByRole("button", playwright.LocatorGetByRoleOptions{Name: "Confirm"}).Click())
	must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/groups/`+group+`$`)))
	expectReach(t, page, vpcCaller(vpcB), "Allowed")
	expectReach(t, page, vpcCaller(vpcA), "Refused")
	same, err := page.Evaluate(`() => window.__sameDocument === true`)
	must(t, err)
	if same != true {
		t.Errorf("the page reloaded; the panel should flip in place")
	}
	shot(t, page, "reachability-rebound-b")

	// Move to the region's shared instance: every VPC of the region reaches
	// it, a VPC of another region does not, the Internet never resolves it.
	postOK(t, page, "/groups/"+group+"/move", map[string]string{"instance": "api-shared-vpc-001", "acknowledge": "on"})
	open(t, page, "/groups/"+group)
	expectReach(t, page, vpcCaller(vpcA), "Allowed")
	expectReach(t, page, vpcCaller(vpcB), "Allowed")
	expectReach(t, page, vpcCaller(vpcC), "Refused")
	expectReach(t, page, "Internet", "Refused")
	must(t, expect.Locator(reachRow(page, "Internet")).ToContainText("no answer"))
	must(t, expect.Locator(reachRow(page, vpcCaller(vpcA)).First()).ToContainText(regexp.MustCompile(`100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+`)))
	// A hybrid network reaches the 100.x address of a shared instance not:
	// the console says why a dedicated instance is recommended (R10).
	must(t, expect.Locator(page.Locator("#reachability")).ToContainText("Use a dedicated instance"))
	must(t, expect.Locator(page.Locator("#reachability").GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "Create a dedicated instance"})).ToBeVisible())
	shot(t, page, "reachability-shared")
}

// The Access check answers as the choices change (htmx), keeps the
// question in the URL, and the shared link reproduces the same answer.
func TestAccessCheckSharedLink(t *testing.T) {
	page, a := loggedIn(t, pageOpts{}, "operator")
	vpcA, vswA := seedVpc(t, page, "cn-hangzhou")
	vpcB, _ := seedVpc(t, page, "cn-hangzhou")
	inst := seedInstance(t, page, "cn-hangzhou")
	bindInstance(t, page, inst, vpcA, vswA)
	group := createGroup(t, page, "ask_me", "cn-hangzhou", inst)
	postOK(t, page, "/groups/"+group+"/vpc-domain/enable", nil)
	domain := vpcDomain(group, "cn-hangzhou")

	open(t, page, "/access")
	must(t, page.GetByLabel("Domain name").Fill(domain))
	choose(t, page.GetByLabel("Caller"), "vpc:"+vpcA)
	answer := page.Locator("#access-answer")
	must(t, expect.Locator(answer).ToContainText("Allowed"))
	must(t, expect.Locator(answer).ToContainText("unlimited"))
	choose(t, page.GetByLabel("Caller"), "vpc:"+vpcB)
	must(t, expect.Locator(answer).ToContainText("Refused"))
	must(t, expect.Locator(answer).ToContainText("R4"))
	choose(t, page.GetByLabel("Caller"), "internet")
	must(t, expect.Locator(answer).ToContainText("no answer"))
	choose(t, page.GetByLabel("Caller"), "hybrid:"+vpcA)
	must(t, expect.Locator(answer).ToContainText("Allowed"))
	must(t, expect.Locator(answer).ToContainText("R10"))
	want, err := answer.InnerText()
	must(t, err)
	shot(t, page, "access-check")

	shared := page.URL()
	u, err := url.Parse(shared)
	must(t, err)
	if u.Query().Get("caller") != "hybrid:"+vpcA || u.Query().Get("domain") != domain {
		t.Fatalf("the URL does not hold the question: %s", shared)
	}
	// Someone else of the account opens the link in their own browser.
	colleague := browserPage(t, pageOpts{NoJS: true})
	login(t, colleague, a)
	open(t, colleague, shared)
	got, err := colleague.Locator("#access-answer").InnerText()
	must(t, err)
	if got != want {
		t.Errorf("the shared link answers differently:\n got %q\nwant %q", got, want)
	}
}

// A shared instance's VPC domain is reachable from any account's VPCs in
// its region (R3): the Access check of account B about account A's group
// answers allowed, with the address, and shows nothing of A's; about A's
// dedicated instance it refuses by R4, again naming nothing of A's.
func TestAccessCheckAcrossAccounts(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		pageA, a := loggedIn(t, o, "operator")
		vpcA, vswA := seedVpc(t, pageA, "cn-hangzhou")
		inst := seedInstance(t, pageA, "cn-hangzhou")
		bindInstance(t, pageA, inst, vpcA, vswA)
		onShared := createGroup(t, pageA, "a_secret_shared", "cn-hangzhou", "api-shared-vpc-001")
		postOK(t, pageA, "/groups/"+onShared+"/vpc-domain/enable", nil)
		onDedicated := createGroup(t, pageA, "a_secret_dedicated", "cn-hangzhou", inst)
		postOK(t, pageA, "/groups/"+onDedicated+"/vpc-domain/enable", nil)

		pageB, _ := loggedIn(t, o, "operator")
		vpcB, _ := seedVpc(t, pageB, "cn-hangzhou")
		secrets := []string{"a_secret_shared", "a_secret_dedicated", a.Name, inst, vpcA, vswA}
		ask := func(domain string) playwright.Locator {
			t.Helper()
			open(t, pageB, "/access?caller="+url.QueryEscape("vpc:"+vpcB)+"&protocol=HTTP&domain="+url.QueryEscape(domain))
			answer := pageB.Locator("#access-answer")
			text, err := answer.InnerText()
			must(t, err)
			for _, s := range secrets {
				if strings.Contains(text, s) {
					t.Fatalf("account B's answer names %q of account A:\n%s", s, text)
				}
			}
			return answer
		}
		answer := ask(vpcDomain(onShared, "cn-hangzhou"))
		must(t, expect.Locator(answer).ToContainText("Allowed"))
		must(t, expect.Locator(answer).ToContainText("R3"))
		must(t, expect.Locator(answer).ToContainText(regexp.MustCompile(`100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.\d+\.\d+`)))
		shot(t, pageB, "access-check-across-accounts")

		answer = ask(vpcDomain(onDedicated, "cn-hangzhou"))
		must(t, expect.Locator(answer).ToContainText("Refused"))
		must(t, expect.Locator(answer).ToContainText("R4"))
	})
}
