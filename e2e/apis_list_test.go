//go:build e2e

package e2e

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// The APIs page filters by group, by the stage the APIs are deployed to
// and by name (folded for every letter, as the group search), pages with
// keyset links that keep the filters, and the filters live in the URL.
func TestAPIListFilters(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		orders := createGroup(t, page, "orders_api", "cn-hangzhou", "api-shared-vpc-001")
		users := createGroup(t, page, "users_api", "cn-hangzhou", "api-shared-vpc-001")
		for i := range 22 {
			createAPI(t, page, orders, map[string]string{"name": fmt.Sprintf("order_op_%02d", i), "path": fmt.Sprintf("/orders/op%02d", i)})
		}
		uber := createAPI(t, page, users, map[string]string{"name": "Über_users", "path": "/users"})
		postOK(t, page, "/apis/"+uber+"/deploy", map[string]string{"stage": "TEST", "description": ""})

		open(t, page, "/apis")
		must(t, expect.Locator(page.Locator("#apis-count")).ToHaveText("23 APIs"))
		must(t, expect.Locator(page.Locator("#apis-table tbody tr")).ToHaveCount(20))
		must(t, link(page, "Next").Click())
		must(t, expect.Locator(page.Locator("#apis-table tbody tr")).ToHaveCount(3))
		must(t, link(page, "Previous").Click())
		must(t, expect.Locator(page.Locator("#apis-table tbody tr")).ToHaveCount(20))

		// By name, folded: "über" finds Über_users.
		must(t, page.GetByLabel("API name").Fill("ÜBER"))
		must(t, button(page, "Search").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(regexp.QuoteMeta("q="+url.QueryEscape("ÜBER")))))
		must(t, expect.Locator(page.Locator("#apis-count")).ToHaveText("1 API"))
		must(t, expect.Locator(page.Locator("#apis-table")).ToContainText("Über_users"))
		must(t, expect.Locator(page.Locator("#apis-table")).ToContainText("TEST · r1"))

		// By stage.
		must(t, page.GetByLabel("API name").Fill(""))
		choose(t, page.GetByLabel("Deployed to"), "TEST")
		must(t, button(page, "Search").Click())
		must(t, expect.Locator(page.Locator("#apis-count")).ToHaveText("1 API"))
		choose(t, page.GetByLabel("Deployed to"), "RELEASE")
		must(t, button(page, "Search").Click())
		must(t, expect.Locator(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: "No APIs match"})).ToBeVisible())

		// By group, paging within it.
		choose(t, page.GetByLabel("Deployed to"), "")
		choose(t, page.GetByLabel("Group", playwright.PageGetByLabelOptions{Exact: playwright.Bool(true)}), orders)
		must(t, button(page, "Search").Click())
		must(t, expect.Locator(page.Locator("#apis-count")).ToHaveText("22 APIs"))
		must(t, link(page, "Next").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(regexp.QuoteMeta("group="+orders))))
		must(t, expect.Locator(page.Locator("#apis-table tbody tr")).ToHaveCount(2))
		must(t, expect.Locator(page.Locator("#apis-table")).Not().ToContainText("Über_users"))

		// Group Details shows its APIs, 20 of them, and leads to the rest.
		open(t, page, "/groups/"+orders)
		section := page.Locator("#group-apis")
		must(t, expect.Locator(section).ToContainText("22 APIs"))
		must(t, expect.Locator(section.Locator("tbody tr")).ToHaveCount(20))
		must(t, section.GetByRole("link", playwright.LocatorGetByRoleOptions{Name: "All 22 APIs of this group"}).Click())
		must(t, expect.Locator(page.Locator("#apis-count")).ToHaveText("22 APIs"))

		// A filter that names nothing of the account is explained, not obeyed.
		status, body := get(t, page, "/apis?group=0123456789abcdef0123456789abcdef&stage=LIVE")
		if status != 400 {
			t.Errorf("bad filters: status %d, want 400", status)
		}
		for _, want := range []string{"Your account has no API group", "The stage &#34;LIVE&#34; does not exist", "23 APIs"} {
			if !strings.Contains(body, want) {
				t.Errorf("bad filters: the page does not say %q", want)
			}
		}
	})
}
