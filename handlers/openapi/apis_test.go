package openapi_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// apiClient is the SDK pointed at an endpoint, with helpers for the nine
// API actions.
type apiClient struct {
	*clients
}

func (c apiClient) group(name string) string {
	c.t.Helper()
	req := cloudapi.CreateCreateApiGroupRequest()
	c.at(req)
	req.GroupName = name
	res, err := c.api.CreateApiGroup(req)
	must(c.t, "CreateApiGroup "+name, err)
	return res.GroupId
}

func (c apiClient) create(groupID, name, requestConfig, serviceConfig string, more func(*cloudapi.CreateApiRequest)) (*cloudapi.CreateApiResponse, error) {
	req := cloudapi.CreateCreateApiRequest()
	c.at(req)
	req.GroupId, req.ApiName, req.RequestConfig, req.ServiceConfig = groupID, name, requestConfig, serviceConfig
	if more != nil {
		more(req)
	}
	return c.api.CreateApi(req)
}

func (c apiClient) describe(groupID, apiID string) (*cloudapi.DescribeApiResponse, error) {
	req := cloudapi.CreateDescribeApiRequest()
	c.at(req)
	req.GroupId, req.ApiId = groupID, apiID
	return c.api.DescribeApi(req)
}

func (c apiClient) deploy(groupID, apiID, stage, desc string) error {
	req := cloudapi.CreateDeployApiRequest()
	c.at(req)
	req.GroupId, req.ApiId, req.StageName, req.Description = groupID, apiID, stage, desc
	_, err := c.api.DeployApi(req)
	return err
}

func (c apiClient) abolish(groupID, apiID, stage string) error {
	req := cloudapi.CreateAbolishApiRequest()
	c.at(req)
	req.GroupId, req.ApiId, req.StageName = groupID, apiID, stage
	_, err := c.api.AbolishApi(req)
	return err
}

func (c apiClient) delete(groupID, apiID string) error {
	req := cloudapi.CreateDeleteApiRequest()
	c.at(req)
	req.GroupId, req.ApiId = groupID, apiID
	_, err := c.api.DeleteApi(req)
	return err
}

func (c apiClient) list(more func(*cloudapi.DescribeApisRequest)) *cloudapi.DescribeApisResponse {
	c.t.Helper()
	req := cloudapi.CreateDescribeApisRequest()
	c.at(req)
	if more != nil {
		more(req)
	}
	res, err := c.api.DescribeApis(req)
	must(c.t, "DescribeApis", err)
	if req.AcceptFormat != "XML" {
		strictly(c.t, res, &cloudapi.DescribeApisResponse{})
	}
	return res
}

func (c apiClient) deployed(more func(*cloudapi.DescribeDeployedApisRequest)) (*cloudapi.DescribeDeployedApisResponse, error) {
	req := cloudapi.CreateDescribeDeployedApisRequest()
	c.at(req)
	req.StageName = "RELEASE"
	if more != nil {
		more(req)
	}
	return c.api.DescribeDeployedApis(req)
}

func (c apiClient) deployedOne(groupID, apiID, stage string) (*cloudapi.DescribeDeployedApiResponse, error) {
	req := cloudapi.CreateDescribeDeployedApiRequest()
	c.at(req)
	req.GroupId, req.ApiId, req.StageName = groupID, apiID, stage
	return c.api.DescribeDeployedApi(req)
}

const (
	mockRequest = `{"RequestProtocol":"HTTP,HTTPS","RequestHttpMethod":"GET","RequestPath":"/users/[id]","RequestMode":"PASSTHROUGH"}`
	mockService = `{"ServiceProtocol":"HTTP","Mock":"TRUE","MockResult":"{\"id\":1}","MockStatusCode":200,
		"MockHeaders":[{"HeaderName":"Content-Type","HeaderValue":"application/json"}],"ServiceTimeout":"3000"}`
	httpRequest = `{"RequestProtocol":"HTTPS","RequestHttpMethod":"POST","RequestPath":"/orders"}`
	httpService = `{"ServiceProtocol":"HTTP","ServiceAddress":"http://127.0.0.1:9000","ServicePath":"/v1/orders","ServiceHttpMethod":"POST","ServiceTimeout":10000,"Mock":"FALSE"}`
)

func names(res *cloudapi.DescribeApisResponse) []string {
	var out []string
	for _, a := range res.ApiSummarys.ApiSummary {
		out = append(out, a.ApiName)
	}
	return out
}

// The nine actions through the official SDK, the answers decoding
// strictly into its structs: create a Mock and an HTTP API, describe and
// list them, deploy, change the definition (a stage keeps its snapshot),
// redeploy, abolish, delete.
func TestAPIActionsWithSDK(t *testing.T) {
	w := newWorld(t)
	c := apiClient{newClients(t, w.serve(t, openapi.Options{}), w.admin)}
	g := c.group("shop_api")

	mock, err := c.create(g, "get_user", mockRequest, mockService, func(r *cloudapi.CreateApiRequest) {
		r.Description, r.Visibility, r.DisableInternet = "One user", "PUBLIC", requests.NewBoolean(true)
		r.ResultSample, r.ResultType = `{"id":1}`, "JSON"
		r.AuthType = "ANONYMOUS"
	})
	must(t, "CreateApi (Mock)", err)
	strictly(t, mock, &cloudapi.CreateApiResponse{})
	if !rules.IsAPIID(mock.ApiId) || mock.RequestId == "" {
		t.Fatalf("CreateApi: %+v", mock)
	}
	remote, err := c.create(g, "create_order", httpRequest, httpService, nil)
	must(t, "CreateApi (HTTP)", err)

	d, err := c.describe(g, mock.ApiId)
	must(t, "DescribeApi", err)
	strictly(t, d, &cloudapi.DescribeApiResponse{})
	if d.ApiId != mock.ApiId || d.ApiName != "get_user" || d.GroupId != g || d.GroupName != "shop_api" || d.RegionId != "cn-hangzhou" ||
		d.Description != "One user" || d.Visibility != "PUBLIC" || !d.DisableInternet || d.AuthType != "ANONYMOUS" || d.ResultType != "JSON" ||
		d.ResultSample != `{"id":1}` || d.Mock != "TRUE" || d.MockResult != `{"id":1}` || d.CreatedTime == "" || d.ModifiedTime == "" ||
		d.RequestConfig != (cloudapi.RequestConfig{RequestProtocol: "HTTP,HTTPS", RequestHttpMethod: "GET", RequestPath: "/users/[id]", RequestMode: "PASSTHROUGH"}) ||
		d.ServiceConfig.Mock != "TRUE" || d.ServiceConfig.MockStatusCode != 200 || d.ServiceConfig.MockResult != `{"id":1}` ||
		len(d.ServiceConfig.MockHeaders.MockHeader) != 1 || d.ServiceConfig.MockHeaders.MockHeader[0].HeaderName != "Content-Type" ||
		d.ServiceConfig.ServiceAddress != "" || d.ServiceConfig.ServiceTimeout != 0 {
		t.Fatalf("DescribeApi (Mock): %s", d.GetHttpContentString())
	}
	if len(d.DeployedInfos.DeployedInfo) != 3 || d.DeployedInfos.DeployedInfo[0].StageName != "RELEASE" ||
		d.DeployedInfos.DeployedInfo[0].DeployedStatus != "NONDEPLOYED" {
		t.Fatalf("DeployedInfos before deploying: %+v", d.DeployedInfos)
	}
	h, err := c.describe("", remote.ApiId)
	must(t, "DescribeApi (HTTP) without GroupId", err)
	if h.ServiceConfig.ServiceAddress != "http://127.0.0.1:9000" || h.ServiceConfig.ServicePath != "/v1/orders" || h.ServiceConfig.ServiceHttpMethod != "POST" ||
		h.ServiceConfig.ServiceTimeout != 10000 || h.ServiceConfig.Mock != "FALSE" || h.ServiceConfig.ServiceProtocol != "HTTP" ||
		h.RequestConfig.RequestProtocol != "HTTPS" || h.Visibility != "PRIVATE" || h.AuthType != "ANONYMOUS" || h.DisableInternet {
		t.Fatalf("DescribeApi (HTTP): %s", h.GetHttpContentString())
	}

	// Deploy the Mock API to RELEASE and TEST.
	must(t, "DeployApi RELEASE", c.deploy(g, mock.ApiId, "RELEASE", "First release"))
	must(t, "DeployApi test (any case)", c.deploy(g, mock.ApiId, "test", ""))
	dep, err := c.deployedOne(g, mock.ApiId, "RELEASE")
	must(t, "DescribeDeployedApi", err)
	strictly(t, dep, &cloudapi.DescribeDeployedApiResponse{})
	if dep.StageName != "RELEASE" || dep.DeployedTime == "" || dep.RequestConfig.RequestPath != "/users/[id]" || dep.ApiName != "get_user" || dep.GroupName != "shop_api" {
		t.Fatalf("DescribeDeployedApi: %s", dep.GetHttpContentString())
	}

	// ModifyApi: only the path, inside RequestConfig; the rest is kept.
	mod := cloudapi.CreateModifyApiRequest()
	c.at(mod)
	mod.GroupId, mod.ApiId, mod.RequestConfig = g, mock.ApiId, `{"RequestPath":"/v2/users/[id]"}`
	res, err := c.api.ModifyApi(mod)
	must(t, "ModifyApi", err)
	strictly(t, res, &cloudapi.ModifyApiResponse{})
	d, err = c.describe(g, mock.ApiId)
	must(t, "DescribeApi after ModifyApi", err)
	if d.RequestConfig.RequestPath != "/v2/users/[id]" || d.RequestConfig.RequestHttpMethod != "GET" || d.ApiName != "get_user" ||
		d.ServiceConfig.MockResult != `{"id":1}` || d.Visibility != "PUBLIC" || !d.DisableInternet {
		t.Fatalf("ModifyApi kept too little: %s", d.GetHttpContentString())
	}
	if infos := d.DeployedInfos.DeployedInfo; infos[0].DeployedStatus != "DEPLOYED" || infos[0].EffectiveVersion != "1" ||
		infos[2].StageName != "TEST" || infos[2].EffectiveVersion != "1" || infos[1].DeployedStatus != "NONDEPLOYED" {
		t.Fatalf("DeployedInfos after the edit: %+v", infos)
	}
	// The stages still serve the old path until deployed again.
	dep, err = c.deployedOne(g, mock.ApiId, "RELEASE")
	must(t, "DescribeDeployedApi after ModifyApi", err)
	if dep.RequestConfig.RequestPath != "/users/[id]" {
		t.Fatalf("RELEASE changed without a deployment: %s", dep.RequestConfig.RequestPath)
	}
	// A ServiceConfig as DescribeApi writes it, fed back: MockHeaders in its
	// {"MockHeader": [...]} form, a new body.
	sc := d.ServiceConfig
	sc.MockResult = `{"id":2}`
	raw, _ := json.Marshal(sc)
	mod = cloudapi.CreateModifyApiRequest()
	c.at(mod)
	mod.ApiId, mod.ServiceConfig = mock.ApiId, string(raw)
	_, err = c.api.ModifyApi(mod)
	must(t, "ModifyApi with DescribeApi's ServiceConfig", err)
	must(t, "redeploy RELEASE", c.deploy(g, mock.ApiId, "RELEASE", "v3"))
	dep, err = c.deployedOne(g, mock.ApiId, "RELEASE")
	must(t, "DescribeDeployedApi after redeploying", err)
	if dep.RequestConfig.RequestPath != "/v2/users/[id]" || dep.ServiceConfig.MockResult != `{"id":2}` ||
		len(dep.ServiceConfig.MockHeaders.MockHeader) != 1 {
		t.Fatalf("redeployed: %s", dep.GetHttpContentString())
	}

	// Lists.
	all := c.list(nil)
	if all.TotalCount != 2 || all.PageSize != 10 || all.PageNumber != 1 || !slices.Equal(names(all), []string{"create_order", "get_user"}) {
		t.Fatalf("DescribeApis: %d %v", all.TotalCount, names(all))
	}
	s := all.ApiSummarys.ApiSummary[1]
	if s.ApiPath != "/v2/users/[id]" || s.ApiMethod != "GET" || s.GroupName != "shop_api" || s.RegionId != "cn-hangzhou" || s.Visibility != "PUBLIC" ||
		s.DeployedInfos.DeployedInfo[0].EffectiveVersion != "3" || s.DeployedInfos.DeployedInfo[2].EffectiveVersion != "1" {
		t.Fatalf("ApiSummary: %+v", s)
	}
	for _, tc := range []struct {
		name string
		set  func(*cloudapi.DescribeApisRequest)
		want []string
	}{
		{"page 2 of 1", func(r *cloudapi.DescribeApisRequest) {
			r.PageSize, r.PageNumber = requests.NewInteger(1), requests.NewInteger(2)
		}, []string{"get_user"}},
		{"RELEASE", func(r *cloudapi.DescribeApisRequest) { r.StageName = "RELEASE" }, []string{"get_user"}},
		{"PRE", func(r *cloudapi.DescribeApisRequest) { r.StageName = "PRE" }, nil},
		{"ApiName", func(r *cloudapi.DescribeApisRequest) { r.ApiName = "ORDER" }, []string{"create_order"}},
		{"ApiPath", func(r *cloudapi.DescribeApisRequest) { r.ApiPath = "/v2/" }, []string{"get_user"}},
		{"ApiMethod", func(r *cloudapi.DescribeApisRequest) { r.ApiMethod = "post" }, []string{"create_order"}},
		{"GroupId", func(r *cloudapi.DescribeApisRequest) { r.GroupId = g }, []string{"create_order", "get_user"}},
		{"ApiId", func(r *cloudapi.DescribeApisRequest) { r.ApiId = remote.ApiId }, []string{"create_order"}},
		{"another group", func(r *cloudapi.DescribeApisRequest) { r.GroupId = strings.Repeat("0", 32) }, nil},
		{"Visibility PUBLIC", func(r *cloudapi.DescribeApisRequest) { r.Visibility = "PUBLIC" }, []string{"get_user"}},
		{"Visibility PRIVATE", func(r *cloudapi.DescribeApisRequest) { r.Visibility = "PRIVATE" }, []string{"create_order"}},
		{"UnDeployed", func(r *cloudapi.DescribeApisRequest) { r.UnDeployed = requests.NewBoolean(true) }, []string{"create_order"}},
		{"UnDeployed=false", func(r *cloudapi.DescribeApisRequest) { r.UnDeployed = requests.NewBoolean(false) }, []string{"create_order", "get_user"}},
		{"UnDeployed and RELEASE", func(r *cloudapi.DescribeApisRequest) {
			r.UnDeployed, r.StageName = requests.NewBoolean(true), "RELEASE"
		}, nil},
		{"CatalogId (no catalogs: ignored)", func(r *cloudapi.DescribeApisRequest) { r.CatalogId = "catalog-1" }, []string{"create_order", "get_user"}},
	} {
		if got := names(c.list(tc.set)); !slices.Equal(got, tc.want) {
			t.Errorf("DescribeApis %s: %v, want %v", tc.name, got, tc.want)
		}
	}
	if p := c.list(func(r *cloudapi.DescribeApisRequest) { r.PageSize = requests.NewInteger(1) }); p.TotalCount != 2 || len(p.ApiSummarys.ApiSummary) != 1 {
		t.Fatalf("page size 1: %+v", p)
	}
	deployed, err := c.deployed(nil)
	must(t, "DescribeDeployedApis", err)
	strictly(t, deployed, &cloudapi.DescribeDeployedApisResponse{})
	if deployed.TotalCount != 1 || deployed.DeployedApis.DeployedApiItem[0].ApiPath != "/v2/users/[id]" ||
		deployed.DeployedApis.DeployedApiItem[0].StageName != "RELEASE" || deployed.DeployedApis.DeployedApiItem[0].DeployedTime == "" {
		t.Fatalf("DescribeDeployedApis: %s", deployed.GetHttpContentString())
	}
	test, err := c.deployed(func(r *cloudapi.DescribeDeployedApisRequest) { r.StageName = "TEST" })
	must(t, "DescribeDeployedApis TEST", err)
	if test.TotalCount != 1 || test.DeployedApis.DeployedApiItem[0].ApiPath != "/users/[id]" {
		t.Fatalf("TEST serves: %s", test.GetHttpContentString())
	}

	// XML, as the SDK parses it.
	xreq := cloudapi.CreateDescribeApiRequest()
	c.at(xreq)
	xreq.ApiId, xreq.AcceptFormat = mock.ApiId, "XML"
	x, err := c.api.DescribeApi(xreq)
	must(t, "DescribeApi in XML", err)
	if !strings.HasPrefix(x.GetHttpContentString(), "<?xml") || x.ApiName != "get_user" || x.RequestConfig.RequestPath != "/v2/users/[id]" ||
		len(x.ServiceConfig.MockHeaders.MockHeader) != 1 || x.ServiceConfig.MockStatusCode != 200 || len(x.DeployedInfos.DeployedInfo) != 3 ||
		x.DeployedInfos.DeployedInfo[0].EffectiveVersion != "3" {
		t.Fatalf("DescribeApi in XML: %s", x.GetHttpContentString())
	}
	xl := c.list(func(r *cloudapi.DescribeApisRequest) { r.AcceptFormat = "XML" })
	if xl.TotalCount != 2 || len(xl.ApiSummarys.ApiSummary) != 2 || len(xl.ApiSummarys.ApiSummary[1].DeployedInfos.DeployedInfo) != 3 {
		t.Fatalf("DescribeApis in XML: %s", xl.GetHttpContentString())
	}

	// Abolish and delete.
	refused(t, "delete a deployed API", c.delete(g, mock.ApiId), "DependencyViolation.Api", 400)
	must(t, "AbolishApi RELEASE", c.abolish(g, mock.ApiId, "RELEASE"))
	must(t, "AbolishApi RELEASE again", c.abolish(g, mock.ApiId, "RELEASE"))
	_, err = c.deployedOne(g, mock.ApiId, "RELEASE")
	refused(t, "DescribeDeployedApi of an abolished stage", err, "NotFoundApi", 404)
	must(t, "AbolishApi TEST", c.abolish(g, mock.ApiId, "TEST"))
	must(t, "DeleteApi", c.delete(g, mock.ApiId))
	must(t, "DeleteApi (HTTP)", c.delete("", remote.ApiId))
	if p := c.list(nil); p.TotalCount != 0 || len(p.ApiSummarys.ApiSummary) != 0 {
		t.Fatalf("left: %v", names(p))
	}
	_, err = c.describe(g, mock.ApiId)
	refused(t, "DescribeApi of a deleted API", err, "NotFoundApi", 404)

	// Everything is in the operation log, by the key, through the OpenAPI.
	entries, _, err := w.st.ListOpLog(context.Background(), w.acme, store.OpLogQuery{Limit: 100})
	must(t, "ListOpLog", err)
	var got []string
	for _, e := range entries {
		if e.Source == rules.SourceCLI { // the world's setup
			continue
		}
		if e.Source != rules.SourceOpenAPI || e.Actor != w.admin.id {
			t.Errorf("entry %+v is not the key's through the OpenAPI", e)
		}
		got = append(got, e.Action+" "+e.Outcome)
	}
	slices.Reverse(got)
	want := []string{"CreateApiGroup ok", "CreateApi ok", "CreateApi ok", "DeployApi ok", "DeployApi ok", "ModifyApi ok", "ModifyApi ok",
		"DeployApi ok", "DeleteApi DependencyViolation.Api", "AbolishApi ok", "AbolishApi ok", "AbolishApi ok", "DeleteApi ok", "DeleteApi ok"}
	if !slices.Equal(got, want) {
		t.Fatalf("operation log:\n got %v\nwant %v", got, want)
	}
}

// Bad input and refusals: each answers its code and status, changes
// nothing, and a refused change is in the operation log.
func TestAPIActionRefusals(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	c := apiClient{newClients(t, addr, w.admin)}
	rival := apiClient{newClients(t, addr, w.rivalAdmin)}
	g := c.group("shop_api")
	other := c.group("other_api")
	api, err := c.create(g, "get_user", mockRequest, mockService, nil)
	must(t, "CreateApi", err)
	must(t, "DeployApi", c.deploy(g, api.ApiId, "RELEASE", ""))
	second, err := c.create(g, "get_user_2", strings.Replace(mockRequest, "/users/[id]", "/users/[uid]/x", 1), mockService, nil)
	must(t, "CreateApi", err)

	create := func(p map[string]string) error {
		base := map[string]string{"GroupId": g, "ApiName": "new_api", "RequestConfig": httpRequest, "ServiceConfig": httpService}
		for k, v := range p {
			if v == drop {
				delete(base, k)
			} else {
				base[k] = v
			}
		}
		return c.common(openapi.VersionCloudAPI, "CreateApi", base, nil)
	}
	for _, tc := range []struct {
		name    string
		err     error
		code    string
		status  int
		message string
	}{
		{"no GroupId", create(map[string]string{"GroupId": drop}), "MissingParameter", 400, "GroupId"},
		{"no ApiName", create(map[string]string{"ApiName": drop}), "MissingParameter", 400, "ApiName"},
		{"no RequestConfig", create(map[string]string{"RequestConfig": drop}), "MissingParameter", 400, "RequestConfig"},
		{"RequestConfig not JSON", create(map[string]string{"RequestConfig": "{RequestPath:/x}"}), "InvalidParameter", 400, `"RequestConfig" is not valid: it is not valid JSON`},
		{"RequestConfig a list", create(map[string]string{"RequestConfig": "[1]"}), "InvalidParameter", 400, `"RequestConfig" is not valid: it is a JSON array`},
		{"ServiceConfig with a bad timeout", create(map[string]string{"ServiceConfig": `{"ServiceTimeout":"soon"}`}), "InvalidParameter", 400,
			`"ServiceConfig" is not valid: its field ServiceTimeout holds "soon", where a whole number is expected`},
		{"ServiceConfig with a bad Mock flag", create(map[string]string{"ServiceConfig": `{"Mock":"MAYBE"}`}), "InvalidParameter", 400, "Mock"},
		{"ServiceConfig with bad headers", create(map[string]string{"ServiceConfig": `{"Mock":"TRUE","MockHeaders":"x"}`}), "InvalidParameter", 400, "MockHeaders"},
		{"a VPC channel", create(map[string]string{"ServiceConfig": `{"ServiceVpcEnable":"TRUE"}`}), "InvalidParameter", 400, "VPC channels"},
		{"MAPPING", create(map[string]string{"RequestConfig": `{"RequestPath":"/m","RequestHttpMethod":"GET","RequestProtocol":"HTTP","RequestMode":"MAPPING"}`}), "InvalidRequestMode", 400, "PASSTHROUGH"},
		{"Function Compute", create(map[string]string{"ServiceConfig": `{"ServiceProtocol":"FunctionCompute"}`}), "InvalidServiceProtocol", 400, "FunctionCompute"},
		{"APP", create(map[string]string{"AuthType": "APP"}), "UnsupportedAuthType", 400, "App authentication (APP) is not available"},
		{"bad name", create(map[string]string{"ApiName": "1x"}), "InvalidApiName", 400, "An API name is 4 to 50 characters"},
		{"bad path", create(map[string]string{"RequestConfig": `{"RequestPath":"/a/../b","RequestHttpMethod":"GET","RequestProtocol":"HTTP"}`}), "InvalidRequestPath", 400, `".."`},
		{"bad status", create(map[string]string{"ServiceConfig": `{"Mock":"TRUE","MockStatusCode":418}`}), "InvalidMockStatusCode", 400, "418"},
		{"timeout too long", create(map[string]string{"ServiceConfig": `{"ServiceAddress":"http://127.0.0.1:1","ServiceTimeout":30001}`}), "InvalidServiceTimeout", 400, "30,000"},
		{"user info in the address", create(map[string]string{"ServiceConfig": `{"ServiceAddress":"http://u:p@127.0.0.1:1","ServiceTimeout":1}`}), "InvalidServiceAddress", 400, "user name"},
		{"bad DisableInternet", create(map[string]string{"DisableInternet": "sometimes"}), "InvalidParameter", 400, "DisableInternet"},
		{"a name the group has", create(map[string]string{"ApiName": "get_user"}), "RepeatedApiName", 400, "already has an API named"},
		{"a route the group has", create(map[string]string{"RequestConfig": `{"RequestPath":"/users/[name]","RequestHttpMethod":"GET","RequestProtocol":"HTTP"}`}),
			"RepeatedApiPath", 400, "differs only in its placeholders' names"},
		{"another account's group", rival.common(openapi.VersionCloudAPI, "CreateApi",
			map[string]string{"GroupId": g, "ApiName": "mine_now", "RequestConfig": httpRequest, "ServiceConfig": httpService}, nil), "NotFoundApiGroup", 404, ""},
		{"describe another account's API", func() error { _, err := rival.describe("", api.ApiId); return err }(), "NotFoundApi", 404, ""},
		{"deploy another account's API", rival.deploy("", api.ApiId, "RELEASE", ""), "NotFoundApi", 404, ""},
		{"delete another account's API", rival.delete("", api.ApiId), "NotFoundApi", 404, ""},
		{"an API under another group", c.deploy(other, api.ApiId, "TEST", ""), "NotFoundApi", 404, "has no API"},
		{"an unknown stage", c.deploy(g, api.ApiId, "PROD", ""), "NotFoundStage", 400, "RELEASE (production), PRE (pre-release) and TEST"},
		{"no stage", c.abolish(g, api.ApiId, ""), "MissingParameter", 400, "StageName"},
		{"no ApiId", c.deploy(g, "", "RELEASE", ""), "MissingParameter", 400, "ApiId"},
		{"DescribeDeployedApis without a stage", func() error {
			_, err := c.deployed(func(r *cloudapi.DescribeDeployedApisRequest) { r.StageName = "" })
			return err
		}(), "MissingParameter", 400, "StageName"},
		{"DescribeApis with an unknown stage", c.common(openapi.VersionCloudAPI, "DescribeApis", map[string]string{"StageName": "ONLINE"}, nil), "NotFoundStage", 400, ""},
		{"DescribeApis page 0", c.common(openapi.VersionCloudAPI, "DescribeApis", map[string]string{"PageNumber": "0"}, nil), "InvalidParameter", 400, "PageNumber"},
		{"DescribeApis with an unknown visibility", c.common(openapi.VersionCloudAPI, "DescribeApis", map[string]string{"Visibility": "SECRET"}, nil),
			"InvalidVisibility", 400, "neither PRIVATE nor PUBLIC"},
		{"DescribeApis with UnDeployed not a boolean", c.common(openapi.VersionCloudAPI, "DescribeApis", map[string]string{"UnDeployed": "maybe"}, nil),
			"InvalidParameter", 400, "UnDeployed"},
		{"delete a deployed API", c.delete(g, api.ApiId), "DependencyViolation.Api", 400, "Abolish it from that stage first"},
		{"delete a group with APIs", func() error {
			req := cloudapi.CreateDeleteApiGroupRequest()
			c.at(req)
			req.GroupId = g
			_, err := c.api.DeleteApiGroup(req)
			return err
		}(), "DependencyViolation.ApiGroup", 400, `The group "shop_api" still holds 2 APIs ("get_user" and "get_user_2"). Delete its APIs first`},
		{"modify onto a taken route", c.common(openapi.VersionCloudAPI, "ModifyApi", map[string]string{"ApiId": second.ApiId,
			"RequestConfig": `{"RequestPath":"/users/[x]"}`}, nil), "RepeatedApiPath", 400, "get_user"},
		{"modify with bad JSON", c.common(openapi.VersionCloudAPI, "ModifyApi", map[string]string{"ApiId": second.ApiId, "ServiceConfig": "{"}, nil),
			"InvalidParameter", 400, "ServiceConfig"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			se := refused(t, tc.name, tc.err, tc.code, tc.status)
			if !strings.Contains(se.Message(), tc.message) {
				t.Errorf("message %q does not say %q", se.Message(), tc.message)
			}
		})
	}

	// Nothing changed: two APIs, one deployed as it was.
	if p := c.list(nil); p.TotalCount != 2 {
		t.Fatalf("APIs: %v", names(p))
	}
	d, err := c.describe(g, second.ApiId)
	must(t, "DescribeApi", err)
	if d.RequestConfig.RequestPath != "/users/[uid]/x" {
		t.Fatalf("a refused ModifyApi changed the path to %s", d.RequestConfig.RequestPath)
	}
	entries, _, err := w.st.ListOpLog(context.Background(), w.acme, store.OpLogQuery{Action: "DeleteApiGroup"})
	must(t, "ListOpLog", err)
	if len(entries) != 1 || entries[0].Outcome != "DependencyViolation.ApiGroup" || entries[0].Target != g {
		t.Fatalf("the refused group deletion is not on record: %+v", entries)
	}
}

// The current Go SDK (signature V3, CallApi) drives the same actions and
// parses the same answers: create, deploy, describe, list, a refusal.
func TestAPIActionsWithV3SDK(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	c := newV3Clients(t, addr, w.admin)
	var g cloudapi.CreateApiGroupResponse
	must(t, "CreateApiGroup", c.call("CreateApiGroup", map[string]any{"GroupName": "v3_shop", "RegionId": "cn-hangzhou"}, &g))
	var api cloudapi.CreateApiResponse
	must(t, "CreateApi", c.call("CreateApi", map[string]any{"GroupId": g.GroupId, "ApiName": "get_user",
		"RequestConfig": mockRequest, "ServiceConfig": mockService}, &api))
	must(t, "DeployApi", c.call("DeployApi", map[string]any{"GroupId": g.GroupId, "ApiId": api.ApiId, "StageName": "RELEASE", "Description": "V3"}, nil))
	var d cloudapi.DescribeApiResponse
	must(t, "DescribeApi", c.call("DescribeApi", map[string]any{"ApiId": api.ApiId}, &d))
	if d.ApiName != "get_user" || d.RequestConfig.RequestPath != "/users/[id]" || d.ServiceConfig.MockStatusCode != 200 ||
		d.DeployedInfos.DeployedInfo[0].DeployedStatus != "DEPLOYED" {
		t.Fatalf("DescribeApi through V3: %+v", d)
	}
	var list cloudapi.DescribeApisResponse
	must(t, "DescribeApis", c.call("DescribeApis", map[string]any{"StageName": "RELEASE"}, &list))
	if list.TotalCount != 1 || list.ApiSummarys.ApiSummary[0].ApiId != api.ApiId {
		t.Fatalf("DescribeApis through V3: %+v", list)
	}
	var dep cloudapi.DescribeDeployedApisResponse
	must(t, "DescribeDeployedApis", c.call("DescribeDeployedApis", map[string]any{"StageName": "RELEASE"}, &dep))
	if dep.TotalCount != 1 || dep.DeployedApis.DeployedApiItem[0].ApiPath != "/users/[id]" {
		t.Fatalf("DescribeDeployedApis through V3: %+v", dep)
	}
	err := c.call("CreateApi", map[string]any{"GroupId": g.GroupId, "ApiName": "bad_json", "RequestConfig": "{", "ServiceConfig": mockService}, nil)
	if se := refusedV3(t, "bad RequestConfig through V3", err, "InvalidParameter", 400); !strings.Contains(*se.Message, "RequestConfig") {
		t.Errorf("message: %s", *se.Message)
	}
}
