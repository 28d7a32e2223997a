//go:build e2e

package e2e

import (
	"regexp"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Helpers of the APIs flows: what an operator does in the console.

var (
	apiURLRE  = regexp.MustCompile(`/apis/([0-9a-f]{32})$`)
	apiPathRE = regexp.MustCompile(`^/apis/([0-9a-f]{32})$`)
)

// apiForm describes what an operator types in Create API or Edit API;
// empty fields are left as the form shows them.
type apiForm struct {
	Group       string // the group's id, chosen in the Group select
	Name        string
	Description string
	Method      string
	Path        string
	HTTPS       *bool // the HTTPS box, when set
	Mock        bool  // backend type Mock, else HTTP
	MockStatus  string
	MockHeaders string
	MockBody    string
	Address     string
	BackendPath string
	Timeout     string
	NoInternet  bool
}

// fillAPIForm fills Create API or Edit API as a person would.
func fillAPIForm(t *testing.T, page playwright.Page, f apiForm) {
	t.Helper()
	form := page.Locator("form.api-form")
	if f.Group != "" {
		choose(t, label(form, "Group"), f.Group)
	}
	if f.Name != "" {
		must(t, label(form, "API name").Fill(f.Name))
	}
	if f.Description != "" {
		must(t, label(form, "Description").Fill(f.Description))
	}
	if f.Method != "" {
		choose(t, label(form, "Method"), f.Method)
	}
	if f.Path != "" {
		must(t, label(form, "Path").Fill(f.Path))
	}
	if f.HTTPS != nil {
		must(t, label(form, "HTTPS").SetChecked(*f.HTTPS))
	}
	if f.Mock {
		must(t, form.GetByLabel("Mock: a fixed answer").Check())
		if f.MockStatus != "" {
			choose(t, label(form, "Status code"), f.MockStatus)
		}
		if f.MockHeaders != "" {
			must(t, label(form, "Headers").Fill(f.MockHeaders))
		}
		if f.MockBody != "" {
			must(t, label(form, "Body").Fill(f.MockBody))
		}
	} else {
		must(t, form.GetByLabel("HTTP: a service the gateway calls").Check())
		if f.Address != "" {
			must(t, label(form, "Address").Fill(f.Address))
		}
		if f.BackendPath != "" {
			must(t, label(form, "Backend path").Fill(f.BackendPath))
		}
		if f.Timeout != "" {
			must(t, label(form, "Timeout (ms)").Fill(f.Timeout))
		}
	}
	must(t, label(form, "Disable Internet access").SetChecked(f.NoInternet))
}

// onAPIPage waits for an API's page and returns the API's id.
func onAPIPage(t *testing.T, page playwright.Page, name string) string {
	t.Helper()
	must(t, expect.Page(page).ToHaveURL(apiURLRE))
	must(t, expect.Locator(page.GetByRole("heading", playwright.PageGetByRoleOptions{Name: name, Level: playwright.Int(1)})).ToBeVisible())
	return apiURLRE.FindStringSubmatch(page.URL())[1]
}

// stageRow is a stage's row in the Stages table of an API's page.
func stageRow(page playwright.Page, stage string) playwright.Locator {
	return page.Locator("#stage-" + stage)
}

// deployInConsole deploys the API whose page is open to a stage with a
// description, through the Deploy dialog.
func deployInConsole(t *testing.T, page playwright.Page, name, stage, description string) {
	t.Helper()
	d := openDialog(t, page, "Deploy", "Deploy API "+name)
	choose(t, label(d, "Stage"), stage)
	must(t, label(d, "Description").Fill(description))
	must(t, dialogButton(d, "Deploy").Click())
	onAPIPage(t, page, name)
	must(t, expect.Locator(flash(page)).ToContainText("deployed to "+stage+"."))
}

// createAPI creates an API through the Create API form (posted, as a
// fixture) and returns its id.
func createAPI(t *testing.T, page playwright.Page, groupID string, fields map[string]string) string {
	t.Helper()
	form := map[string]string{"group": groupID, "method": "GET", "protocols": "HTTP", "backend": "MOCK", "mock_status": "200", "mock_body": "{}"}
	for k, v := range fields {
		form[k] = v
	}
	loc := postOK(t, page, "/apis", form)
	m := apiPathRE.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("Create API led to %q, not to an API's page", loc)
	}
	return m[1]
}
