package openapi_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/rules"
	"gatehouse/store"
)

// The nine API actions through the official SDK against a real `gatehouse
// serve`: paging, errors, the viewer and another account; and what the
// SDK changed is what the console and its operation log show.
func TestSDKAPIsAgainstGatehouseServe(t *testing.T) {
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("http_proxy", "")
	srv, keys := startServe(t)
	c := apiClient{newClients(t, srv.api, keys["alice"])}
	viewer := apiClient{newClients(t, srv.api, keys["victor"])}
	rival := apiClient{newClients(t, srv.api, keys["rita"])}
	g := c.group("sdk_shop")

	// Five APIs: Mock and HTTP, one of them on ANY beside a GET.
	ids := map[string]string{}
	for _, a := range []struct{ name, req, svc string }{
		{"list_items", `{"RequestProtocol":"HTTP","RequestHttpMethod":"GET","RequestPath":"/items"}`, `{"Mock":"TRUE","MockResult":"[]"}`},
		{"get_item", `{"RequestProtocol":"HTTP,HTTPS","RequestHttpMethod":"GET","RequestPath":"/items/[id]"}`, `{"Mock":"TRUE","MockResult":"{}","MockStatusCode":"200"}`},
		{"any_item", `{"RequestProtocol":"HTTP","RequestHttpMethod":"ANY","RequestPath":"/items/[key]"}`, httpService},
		{"create_item", `{"RequestProtocol":"HTTPS","RequestHttpMethod":"POST","RequestPath":"/items"}`, httpService},
		{"item_stats", `{"RequestProtocol":"HTTP","RequestHttpMethod":"GET","RequestPath":"/stats"}`, `{"Mock":"TRUE","MockResult":"ok","MockStatusCode":202}`},
	} {
		res, err := c.create(g, a.name, a.req, a.svc, nil)
		must(t, "CreateApi "+a.name, err)
		ids[a.name] = res.ApiId
	}
	// Paging: 5 APIs, 2 a page, newest first.
	var pages [][]string
	for n := 1; n <= 3; n++ {
		p := c.list(func(r *cloudapi.DescribeApisRequest) {
			r.GroupId, r.PageNumber, r.PageSize = g, requests.NewInteger(n), requests.NewInteger(2)
		})
		if p.TotalCount != 5 || p.PageNumber != n || p.PageSize != 2 {
			t.Fatalf("page %d: %+v", n, p)
		}
		pages = append(pages, names(p))
	}
	if !slices.Equal(slices.Concat(pages...), []string{"item_stats", "create_item", "any_item", "get_item", "list_items"}) {
		t.Fatalf("pages: %v", pages)
	}
	if p := c.list(func(r *cloudapi.DescribeApisRequest) { r.PageSize = requests.NewInteger(500) }); p.PageSize != 50 || p.TotalCount != 5 {
		t.Fatalf("PageSize is capped at 50: %d", p.PageSize)
	}

	// Deploy three to RELEASE, one to TEST; list what RELEASE serves.
	for _, name := range []string{"list_items", "get_item", "any_item"} {
		must(t, "DeployApi "+name, c.deploy(g, ids[name], "RELEASE", "first"))
	}
	must(t, "DeployApi TEST", c.deploy(g, ids["item_stats"], "TEST", ""))
	rel, err := c.deployed(func(r *cloudapi.DescribeDeployedApisRequest) { r.PageSize = requests.NewInteger(2) })
	must(t, "DescribeDeployedApis", err)
	strictly(t, rel, &cloudapi.DescribeDeployedApisResponse{})
	if rel.TotalCount != 3 || len(rel.DeployedApis.DeployedApiItem) != 2 || rel.DeployedApis.DeployedApiItem[0].ApiName != "any_item" {
		t.Fatalf("DescribeDeployedApis: %s", rel.GetHttpContentString())
	}
	rel, err = c.deployed(func(r *cloudapi.DescribeDeployedApisRequest) {
		r.PageSize, r.PageNumber = requests.NewInteger(2), requests.NewInteger(2)
	})
	must(t, "DescribeDeployedApis page 2", err)
	if len(rel.DeployedApis.DeployedApiItem) != 1 || rel.DeployedApis.DeployedApiItem[0].ApiName != "list_items" {
		t.Fatalf("page 2: %s", rel.GetHttpContentString())
	}

	// Edit get_item; RELEASE serves the old definition until redeployed.
	mod := cloudapi.CreateModifyApiRequest()
	c.at(mod)
	mod.GroupId, mod.ApiId, mod.ServiceConfig, mod.Description = g, ids["get_item"], `{"MockResult":"{\"v\":2}"}`, "Version 2"
	_, err = c.api.ModifyApi(mod)
	must(t, "ModifyApi", err)
	dep, err := c.deployedOne(g, ids["get_item"], "RELEASE")
	must(t, "DescribeDeployedApi", err)
	strictly(t, dep, &cloudapi.DescribeDeployedApiResponse{})
	if dep.ServiceConfig.MockResult != "{}" || dep.Description != "" {
		t.Fatalf("RELEASE moved without a deployment: %s", dep.GetHttpContentString())
	}
	d, err := c.describe(g, ids["get_item"])
	must(t, "DescribeApi", err)
	if d.ServiceConfig.MockResult != `{"v":2}` || d.Description != "Version 2" || d.DeployedInfos.DeployedInfo[0].EffectiveVersion != "1" {
		t.Fatalf("DescribeApi after ModifyApi: %s", d.GetHttpContentString())
	}
	must(t, "redeploy", c.deploy(g, ids["get_item"], "RELEASE", "v2"))

	// Refusals through the binary.
	_, err = c.create(g, "broken_api", "{not json", httpService, nil)
	if se := refused(t, "bad RequestConfig", err, "InvalidParameter", 400); !strings.Contains(se.Message(), "RequestConfig") {
		t.Errorf("the message does not name RequestConfig: %s", se.Message())
	}
	_, err = c.create(g, "dup_route", `{"RequestProtocol":"HTTP","RequestHttpMethod":"GET","RequestPath":"/items/[other]"}`, httpService, nil)
	refused(t, "a route the group has", err, "RepeatedApiPath", 400)
	refused(t, "delete a deployed API", c.delete(g, ids["list_items"]), "DependencyViolation.Api", 400)
	delGroup := cloudapi.CreateDeleteApiGroupRequest()
	c.at(delGroup)
	delGroup.GroupId = g
	_, err = c.api.DeleteApiGroup(delGroup)
	if se := refused(t, "delete a group with APIs", err, "DependencyViolation.ApiGroup", 400); !strings.Contains(se.Message(), "still holds 5 APIs") {
		t.Errorf("group deletion: %s", se.Message())
	}
	refused(t, "the viewer deploys", viewer.deploy(g, ids["create_item"], "RELEASE", ""), "Forbidden", 403)
	if p := viewer.list(nil); p.TotalCount != 5 {
		t.Fatalf("the viewer lists %d APIs", p.TotalCount)
	}
	_, err = rival.describe("", ids["get_item"])
	refused(t, "another account describes", err, "NotFoundApi", 404)
	refused(t, "another account abolishes", rival.abolish("", ids["get_item"], "RELEASE"), "NotFoundApi", 404)
	if p := rival.list(nil); p.TotalCount != 0 {
		t.Fatalf("another account lists %d APIs", p.TotalCount)
	}

	// Abolish and delete one.
	must(t, "AbolishApi", c.abolish(g, ids["list_items"], "RELEASE"))
	must(t, "DeleteApi", c.delete(g, ids["list_items"]))

	// The store beside the server sees what the SDK did.
	ctx := context.Background()
	st, err := store.Open(ctx, srv.db)
	must(t, "open the database beside the server", err)
	defer st.Close()
	acme := ownerOf(t, srv.db, "acme")
	detail, err := st.GetAPI(ctx, acme, ids["get_item"])
	must(t, "GetAPI", err)
	if r, ok := detail.Deployment(rules.StageRelease); !ok || r.Revision != 2 || r.Description != "v2" || r.DeployedBy != keys["alice"].id ||
		r.DeployedVia != rules.SourceOpenAPI || detail.Description != "Version 2" {
		t.Fatalf("the store's view: %+v %+v", detail.API, detail.Deployments)
	}
	if page, err := st.ListAPIs(ctx, acme, store.APIQuery{GroupID: g}); err != nil || page.Total != 4 {
		t.Fatalf("the store lists %d APIs (%v)", page.Total, err)
	}

	// The console's operation log shows the SDK's changes and refusals.
	page := consoleGet(t, srv.console, "alice", "/oplog?target="+ids["list_items"])
	for _, want := range []string{"CreateApi", "DeployApi", "AbolishApi", "DeleteApi", "DependencyViolation.Api", keys["alice"].id, "OpenAPI"} {
		if !strings.Contains(page, want) {
			t.Errorf("the console's operation log does not show %q", want)
		}
	}
	srv.stop(t)
}

var csrfToken = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// consoleGet logs in to the console as login and returns a page's HTML.
func consoleGet(t *testing.T, console, login, path string) string {
	t.Helper()
	jar, err := cookiejar.New(nil)
	must(t, "cookie jar", err)
	hc := &http.Client{Jar: jar, Timeout: 10 * time.Second}
	base := "http://" + console
	read := func(res *http.Response, err error) string {
		t.Helper()
		must(t, "console request", err)
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		must(t, "console answer", err)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("console %s: %d\n%s", res.Request.URL, res.StatusCode, b)
		}
		return string(b)
	}
	m := csrfToken.FindStringSubmatch(read(hc.Get(base + "/login")))
	if m == nil {
		t.Fatal("no CSRF token on the login page")
	}
	read(hc.PostForm(base+"/login", url.Values{"login": {login}, "password": {testPassword}, "_csrf": {m[1]}}))
	return read(hc.Get(base + path))
}
