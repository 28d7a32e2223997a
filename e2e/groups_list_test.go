//go:build e2e

package e2e

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// The API Groups list: 20 groups a page, newest first, with the total;
// Next and Previous keep the filters; the name search and the region filter
// narrow it; the URL holds the state, so reload and Back show the same.
func TestGroupsListPagingAndFilters(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		open(t, page, "/groups")
		must(t, expect.Locator(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: "No API groups yet"})).ToBeVisible())
		must(t, expect.Locator(link(page, "Create Group")).ToHaveCount(2)) // page head and empty state

		for i := 1; i <= 25; i++ {
			createGroup(t, page, fmt.Sprintf("grp_%02d", i), "cn-hangzhou", "api-shared-vpc-001")
		}
		createGroup(t, page, "sh_first", "cn-shanghai", "api-shared-vpc-002")
		createGroup(t, page, "sh_second", "cn-shanghai", "api-shared-vpc-002")

		rows := page.Locator("#groups-table tbody tr")
		count := page.Locator("#groups-count")
		open(t, page, "/groups")
		must(t, expect.Locator(count).ToHaveText("27 groups"))
		must(t, expect.Locator(rows).ToHaveCount(20))
		must(t, expect.Locator(rows.First()).ToContainText("sh_second")) // newest first
		must(t, expect.Locator(link(page, "Previous")).ToHaveCount(0))

		must(t, link(page, "Next").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/groups\?after=`)))
		must(t, expect.Locator(rows).ToHaveCount(7))
		must(t, expect.Locator(rows.Last()).ToContainText("grp_01"))
		must(t, expect.Locator(count).ToHaveText("27 groups"))
		must(t, expect.Locator(link(page, "Next")).ToHaveCount(0))
		_, err := page.Reload()
		must(t, err)
		must(t, expect.Locator(rows).ToHaveCount(7))

		must(t, link(page, "Previous").Click())
		must(t, expect.Locator(rows).ToHaveCount(20))
		must(t, expect.Locator(rows.First()).ToContainText("sh_second"))

		// Name search.
		open(t, page, "/groups")
		must(t, page.GetByLabel("Group name").Fill("grp_1"))
		must(t, button(page, "Search").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`[?&]q=grp_1`)))
		must(t, expect.Locator(count).ToHaveText("10 groups"))
		must(t, expect.Locator(rows).ToHaveCount(10))
		_, err = page.Reload()
		must(t, err)
		must(t, expect.Locator(rows).ToHaveCount(10))
		must(t, expect.Locator(page.GetByLabel("Group name")).ToHaveValue("grp_1"))

		// Region filter, with the search cleared.
		must(t, page.GetByLabel("Group name").Fill(""))
		choose(t, page.GetByLabel("Region"), "cn-shanghai")
		must(t, button(page, "Search").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`[?&]region=cn-shanghai`)))
		must(t, expect.Locator(count).ToHaveText("2 groups"))
		must(t, expect.Locator(rows).ToHaveCount(2))
		must(t, expect.Locator(page.Locator("#groups-table")).ToContainText("China (Shanghai)"))

		// Back returns to the search.
		_, err = page.GoBack()
		must(t, err)
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`[?&]q=grp_1`)))
		must(t, expect.Locator(rows).ToHaveCount(10))

		// A filter that matches nothing.
		open(t, page, "/groups?region=cn-shanghai&q=grp")
		must(t, expect.Locator(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: "No groups match"})).ToBeVisible())
		must(t, expect.Locator(count).ToHaveText("0 groups"))

		// Paging keeps the filter: 25 hangzhou groups are two pages.
		open(t, page, "/groups?region=cn-hangzhou")
		must(t, expect.Locator(count).ToHaveText("25 groups"))
		must(t, link(page, "Next").Click())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`region=cn-hangzhou`)))
		must(t, expect.Locator(rows).ToHaveCount(5))
		must(t, expect.Locator(page.Locator("#groups-table")).Not().ToContainText("sh_"))
	})
}
