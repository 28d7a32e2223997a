//go:build e2e

package e2e

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Fixtures of the API Groups tests: state made through the console's own
// forms, posted over HTTP with the logged-in browser context (its cookies)
// and the page's CSRF token, as a browser without JavaScript would.

var csrfMetaRE = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// csrf gets a CSRF token for posting with the browser context's request
// API. A browser's own requests are let through by their Sec-Fetch-Site
// header (the page then carries no real token); the request API sends none,
// so it takes the token route: a page fetched the same way sets the token
// cookie in the context and carries the token.
func csrf(t *testing.T, page playwright.Page) string {
	t.Helper()
	_, body := get(t, page, "/")
	m := csrfMetaRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no CSRF token on the overview page:\n%s", errorText(body))
	}
	return m[1]
}

// post sends a console form without following its redirect, and returns
// the response: 303 with a Location on success, the page with errors
// otherwise.
func post(t *testing.T, page playwright.Page, path string, fields map[string]string) playwright.APIResponse {
	t.Helper()
	form := map[string]interface{}{"_csrf": csrf(t, page)}
	for k, v := range fields {
		form[k] = v
	}
	resp, err := page.Request().Post(env.baseURL+path, playwright.APIRequestContextPostOptions{
		Form:         form,
		MaxRedirects: playwright.Int(0),
	})
	if err != nil {
		t.Fatalf("POST %s: %v", path, err)
	}
	return resp
}

// postOK posts a form that must succeed (303) and returns where it leads.
func postOK(t *testing.T, page playwright.Page, path string, fields map[string]string) string {
	t.Helper()
	resp := post(t, page, path, fields)
	if resp.Status() != 303 {
		body, _ := resp.Text()
		t.Fatalf("POST %s %v: status %d, want 303\n%s", path, fields, resp.Status(), errorText(body))
	}
	return resp.Headers()["location"]
}

// get fetches a console page's HTML with the browser's cookies.
func get(t *testing.T, page playwright.Page, path string) (int, string) {
	t.Helper()
	resp, err := page.Request().Get(env.baseURL + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	body, err := resp.Text()
	if err != nil {
		t.Fatalf("GET %s: read body: %v", path, err)
	}
	return resp.Status(), body
}

var errorTextRE = regexp.MustCompile(`(?s)<(?:p class="field-error"|div class="notice err" role="alert")[^>]*>(.*?)</`)

// errorText picks the error messages out of a page, for failure messages.
func errorText(html string) string {
	var out []string
	for _, m := range errorTextRE.FindAllStringSubmatch(html, -1) {
		out = append(out, strings.TrimSpace(m[1]))
	}
	if len(out) == 0 && len(html) > 600 {
		return html[:600]
	}
	return strings.Join(out, "\n")
}

var groupPathRE = regexp.MustCompile(`^/groups/([0-9a-f]{32})$`)

// createGroup creates an API group through the Create Group form and
// returns its id.
func createGroup(t *testing.T, page playwright.Page, name, region, instance string) string {
	t.Helper()
	loc := postOK(t, page, "/groups", map[string]string{"name": name, "description": "", "region": region, "instance": instance})
	m := groupPathRE.FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("Create Group led to %q, not to a group page", loc)
	}
	return m[1]
}

// idsOn lists, in order of appearance and without repeats, the ids a page
// shows that match re.
func idsOn(t *testing.T, page playwright.Page, path string, re *regexp.Regexp) []string {
	t.Helper()
	status, body := get(t, page, path)
	if status != 200 {
		t.Fatalf("GET %s: status %d", path, status)
	}
	seen := map[string]bool{}
	var out []string
	for _, id := range re.FindAllString(body, -1) {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// created posts a form that creates something, and returns the id that
// appears on listPath afterwards and was not there before (the redirect
// may lead anywhere).
func created(t *testing.T, page playwright.Page, path string, fields map[string]string, listPath string, re *regexp.Regexp) string {
	t.Helper()
	before := map[string]bool{}
	for _, id := range idsOn(t, page, listPath, re) {
		before[id] = true
	}
	loc := postOK(t, page, path, fields)
	if id := re.FindString(loc); id != "" && !before[id] {
		return id
	}
	for _, id := range idsOn(t, page, listPath, re) {
		if !before[id] {
			return id
		}
	}
	t.Fatalf("POST %s: no new id matching %s on %s", path, re, listPath)
	return ""
}

var (
	vpcIDRE     = regexp.MustCompile(`\bvpc-[a-z0-9]{22}\b`)
	vswitchIDRE = regexp.MustCompile(`\bvsw-[a-z0-9]{22}\b`)
	seedSeq     atomic.Int64
)

func instanceIDRE(region string) *regexp.Regexp {
	return regexp.MustCompile(`\bapigateway-` + regexp.QuoteMeta(region) + `-[0-9a-f]{12}\b`)
}

// firstZone is a zone of each region the tests use.
var firstZone = map[string]string{"cn-hangzhou": "cn-hangzhou-g", "cn-shanghai": "cn-shanghai-e", "cn-beijing": "cn-beijing-g"}

// seedNetwork makes a VPC with one vSwitch and a dedicated instance in
// region, through the VPCs and Dedicated Instances forms, and binds the
// instance to the VPC.
func seedNetwork(t *testing.T, page playwright.Page, region string) (vpcID, vswID, instanceID string) {
	t.Helper()
	vpcID, vswID = seedVpc(t, page, region)
	instanceID = seedInstance(t, page, region)
	bindInstance(t, page, instanceID, vpcID, vswID)
	return vpcID, vswID, instanceID
}

// seedVpc makes a VPC 10.0.0.0/16 with a vSwitch 10.0.1.0/24.
func seedVpc(t *testing.T, page playwright.Page, region string) (vpcID, vswID string) {
	t.Helper()
	n := seedSeq.Add(1)
	vpcID = created(t, page, "/vpcs", map[string]string{
		"name": fmt.Sprintf("vpc-net%d", n), "description": "e2e", "region": region, "cidr": "10.0.0.0/16",
	}, "/vpcs", vpcIDRE)
	vswID = created(t, page, "/vpcs/"+url.PathEscape(vpcID)+"/vswitches/new", map[string]string{
		"name": fmt.Sprintf("vsw-net%d", n), "zone": firstZone[region], "cidr": "10.0.1.0/24",
	}, "/vpcs/"+url.PathEscape(vpcID), vswitchIDRE)
	return vpcID, vswID
}

// seedInstance makes a dedicated instance, not bound to a VPC.
func seedInstance(t *testing.T, page playwright.Page, region string) string {
	t.Helper()
	n := seedSeq.Add(1)
	return created(t, page, "/instances", map[string]string{
		"name": fmt.Sprintf("inst%d", n), "region": region, "zone": firstZone[region],
		"spec": "api.s1.small", "https_policy": "HTTPS2_TLS1_0",
	}, "/instances", instanceIDRE(region))
}

// bindInstance binds a dedicated instance to a VPC through Bind to VPC.
func bindInstance(t *testing.T, page playwright.Page, instanceID, vpcID, vswID string) {
	t.Helper()
	postOK(t, page, "/instances/"+url.PathEscape(instanceID)+"/bind", map[string]string{"vpc": vpcID, "vswitch": vswID})
}

// eachMode runs a test with JavaScript on (htmx, modal dialogs) and off
// (plain forms and pages).
func eachMode(t *testing.T, run func(t *testing.T, o pageOpts)) {
	t.Run("js", func(t *testing.T) { run(t, pageOpts{}) })
	t.Run("nojs", func(t *testing.T) { run(t, pageOpts{NoJS: true}) })
}
