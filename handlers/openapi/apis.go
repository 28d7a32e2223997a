package openapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
	"strings"

	"gatehouse/rules"
	"gatehouse/store"
)

// APIs of a group (SPEC.md §6): CreateApi, ModifyApi, DeleteApi,
// DescribeApi, DescribeApis, DeployApi, AbolishApi, DescribeDeployedApis,
// DescribeDeployedApi.
//
// RequestConfig and ServiceConfig are JSON strings with Alibaba Cloud's
// field names (RequestPath, RequestHttpMethod, RequestProtocol,
// RequestMode; ServiceProtocol, ServiceAddress, ServicePath,
// ServiceHttpMethod, ServiceTimeout, Mock, MockResult, MockStatusCode,
// MockHeaders). Names match whatever their case, numbers may come as
// strings ("3000") and MockHeaders as a list or as DescribeApi writes it
// ({"MockHeader": [...]}). ModifyApi starts from the API as it is: what a
// request leaves out, a JSON field included, is kept.

// apiStore is what the API actions ask of the store.
type apiStore interface {
	CreateAPI(ctx context.Context, a store.Actor, groupID string, def rules.APIDefinition) (rules.API, error)
	ModifyAPI(ctx context.Context, a store.Actor, id string, def rules.APIDefinition) (rules.API, error)
	DeleteAPI(ctx context.Context, a store.Actor, id string) error
	GetAPI(ctx context.Context, accountID, id string) (store.APIDetail, error)
	ListAPIs(ctx context.Context, accountID string, q store.APIQuery) (store.APIPage, error)
	DeployAPI(ctx context.Context, a store.Actor, id string, stage rules.Stage, description string) (rules.Deployment, error)
	AbolishAPI(ctx context.Context, a store.Actor, id string, stage rules.Stage) (bool, error)
	GetDeployment(ctx context.Context, accountID, id string, stage rules.Stage) (store.DeploymentRow, error)
	ListDeployments(ctx context.Context, accountID string, q store.DeploymentQuery) (store.DeploymentPage, error)
}

// requestConfig is RequestConfig, as sent and as answered
// (cloudapi.RequestConfig).
type requestConfig struct {
	RequestProtocol     string `json:"RequestProtocol" xml:"RequestProtocol"`
	RequestHttpMethod   string `json:"RequestHttpMethod" xml:"RequestHttpMethod"`
	RequestPath         string `json:"RequestPath" xml:"RequestPath"`
	RequestMode         string `json:"RequestMode" xml:"RequestMode"`
	BodyFormat          string `json:"BodyFormat" xml:"BodyFormat"`
	PostBodyDescription string `json:"PostBodyDescription" xml:"PostBodyDescription"`
}

// mockHeader is one of MockHeaders (cloudapi.MockHeader).
type mockHeader struct {
	HeaderName  string `json:"HeaderName" xml:"HeaderName"`
	HeaderValue string `json:"HeaderValue" xml:"HeaderValue"`
}

// serviceConfigIn is ServiceConfig as sent: lenient about how numbers,
// flags and headers are written.
type serviceConfigIn struct {
	ServiceProtocol   string      `json:"ServiceProtocol"`
	ServiceAddress    string      `json:"ServiceAddress"`
	ServicePath       string      `json:"ServicePath"`
	ServiceHttpMethod string      `json:"ServiceHttpMethod"`
	ServiceTimeout    looseInt    `json:"ServiceTimeout"`
	Mock              looseFlag   `json:"Mock"`
	MockResult        string      `json:"MockResult"`
	MockStatusCode    looseInt    `json:"MockStatusCode"`
	MockHeaders       mockHeaders `json:"MockHeaders"`
	ServiceVpcEnable  looseFlag   `json:"ServiceVpcEnable"`
}

// serviceConfigOut is ServiceConfig as answered (cloudapi.ServiceConfig).
type serviceConfigOut struct {
	ServiceProtocol   string `json:"ServiceProtocol" xml:"ServiceProtocol"`
	ServiceAddress    string `json:"ServiceAddress" xml:"ServiceAddress"`
	ServicePath       string `json:"ServicePath" xml:"ServicePath"`
	ServiceHttpMethod string `json:"ServiceHttpMethod" xml:"ServiceHttpMethod"`
	ServiceTimeout    int    `json:"ServiceTimeout" xml:"ServiceTimeout"`
	ServiceVpcEnable  string `json:"ServiceVpcEnable" xml:"ServiceVpcEnable"`
	Mock              string `json:"Mock" xml:"Mock"`
	MockResult        string `json:"MockResult" xml:"MockResult"`
	MockStatusCode    int    `json:"MockStatusCode" xml:"MockStatusCode"`
	MockHeaders       struct {
		MockHeader []mockHeader `json:"MockHeader" xml:"MockHeader"`
	} `json:"MockHeaders" xml:"MockHeaders"`
}

// looseInt reads a number or a string holding one ("" is 0).
type looseInt int

func (n *looseInt) UnmarshalJSON(b []byte) error {
	s := string(bytes.Trim(b, `"`))
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	v, err := strconv.Atoi(s)
	if err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[looseInt]()}
	}
	*n = looseInt(v)
	return nil
}

// looseFlag reads TRUE/FALSE in any case, quoted or not.
type looseFlag bool

func (f *looseFlag) UnmarshalJSON(b []byte) error {
	switch s := strings.ToLower(string(bytes.Trim(b, `"`))); s {
	case "true":
		*f = true
	case "false", "", "null":
		*f = false
	default:
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[looseFlag]()}
	}
	return nil
}

// mockHeaders reads a list of {HeaderName, HeaderValue}, or DescribeApi's
// {"MockHeader": [...]}.
type mockHeaders []mockHeader

func (h *mockHeaders) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*h = nil
		return nil
	}
	var list []mockHeader
	if err := json.Unmarshal(b, &list); err == nil {
		*h = list
		return nil
	}
	var wrapped struct{ MockHeader []mockHeader }
	if err := json.Unmarshal(b, &wrapped); err != nil {
		return &json.UnmarshalTypeError{Value: string(b), Type: reflect.TypeFor[mockHeaders]()}
	}
	*h = wrapped.MockHeader
	return nil
}

// flag writes a bool as Alibaba Cloud's TRUE or FALSE.
func flag(b bool) string {
	if b {
		return "TRUE"
	}
	return "FALSE"
}

// wireConfigs writes a definition as RequestConfig and ServiceConfig.
func wireConfigs(d rules.APIDefinition) (requestConfig, serviceConfigIn) {
	rc := requestConfig{RequestProtocol: d.Protocols.String(), RequestHttpMethod: d.Method, RequestPath: d.Path, RequestMode: rules.RequestModeDefault}
	sc := serviceConfigIn{ServiceProtocol: rules.ServiceProtocolHTTP, ServiceAddress: d.ServiceAddress, ServicePath: d.ServicePath,
		ServiceHttpMethod: d.ServiceMethod, ServiceTimeout: looseInt(d.ServiceTimeout), Mock: looseFlag(d.Backend == rules.BackendMock),
		MockResult: d.MockBody, MockStatusCode: looseInt(d.MockStatus)}
	for _, h := range d.MockHeaders {
		sc.MockHeaders = append(sc.MockHeaders, mockHeader{h.Name, h.Value})
	}
	return rc, sc
}

// serviceConfigOf is the answered ServiceConfig of a definition.
func serviceConfigOf(d rules.APIDefinition) serviceConfigOut {
	out := serviceConfigOut{ServiceProtocol: rules.ServiceProtocolHTTP, ServiceAddress: d.ServiceAddress, ServicePath: d.ServicePath,
		ServiceHttpMethod: d.ServiceMethod, ServiceTimeout: d.ServiceTimeout, ServiceVpcEnable: flag(false),
		Mock: flag(d.Backend == rules.BackendMock), MockResult: d.MockBody, MockStatusCode: d.MockStatus}
	out.MockHeaders.MockHeader = make([]mockHeader, len(d.MockHeaders))
	for i, h := range d.MockHeaders {
		out.MockHeaders.MockHeader[i] = mockHeader{h.Name, h.Value}
	}
	return out
}

// decodeConfig reads a JSON object parameter over into (what it leaves out
// keeps its value); bad JSON is InvalidParameter naming the parameter.
func decodeConfig(name, raw string, into any) error {
	if strings.TrimSpace(raw) == "" {
		return invalidParameter(name, "it is empty; give a JSON object.")
	}
	if err := json.Unmarshal([]byte(raw), into); err != nil {
		var syntax *json.SyntaxError
		var typ *json.UnmarshalTypeError
		switch {
		case errors.As(err, &syntax):
			return invalidParameter(name, "it is not valid JSON (%s at byte %d).", syntax.Error(), syntax.Offset)
		case errors.As(err, &typ) && typ.Field != "":
			return invalidParameter(name, "its field %s holds %s, where %s is expected.", typ.Field, typ.Value, jsonKind(typ.Type))
		case errors.As(err, &typ):
			return invalidParameter(name, "it is a JSON %s, not an object.", typ.Value)
		}
		return invalidParameter(name, "%s.", strings.TrimSuffix(err.Error(), "."))
	}
	return nil
}

// jsonKind words what a field of the configs holds.
func jsonKind(t reflect.Type) string {
	switch t {
	case reflect.TypeFor[looseInt]():
		return "a whole number"
	case reflect.TypeFor[looseFlag]():
		return "TRUE or FALSE"
	case reflect.TypeFor[mockHeaders]():
		return `a list of {"HeaderName", "HeaderValue"}`
	}
	if t.Kind() == reflect.String {
		return "a string"
	}
	return t.String()
}

// definitionFrom reads an API's definition from the request, starting from
// base (ModifyApi's current definition; nil for CreateApi): each parameter
// given replaces what it names.
func (c *call) definitionFrom(base *rules.APIDefinition) (rules.APIDefinition, error) {
	var d rules.APIDefinition
	var rc requestConfig
	var sc serviceConfigIn
	if base != nil {
		d = *base
		rc, sc = wireConfigs(d)
	}
	if raw, ok := c.ps.get("RequestConfig"); ok {
		if err := decodeConfig("RequestConfig", raw, &rc); err != nil {
			return d, err
		}
	}
	if raw, ok := c.ps.get("ServiceConfig"); ok {
		if err := decodeConfig("ServiceConfig", raw, &sc); err != nil {
			return d, err
		}
	}
	if err := rules.CheckRequestMode(rc.RequestMode); err != nil {
		return d, err
	}
	if sc.ServiceVpcEnable {
		return d, invalidParameter("ServiceConfig", "ServiceVpcEnable: VPC channels are not supported; give the backend's address in ServiceAddress.")
	}
	d.Method, d.Path = strings.ToUpper(rc.RequestHttpMethod), rc.RequestPath
	d.Protocols, _ = rules.ParseProtocols(rc.RequestProtocol) // none: the validator says which to choose
	switch {
	case bool(sc.Mock):
		d.Backend = rules.BackendMock
	case sc.ServiceProtocol == "" || strings.EqualFold(sc.ServiceProtocol, rules.ServiceProtocolHTTP):
		d.Backend = rules.BackendHTTP
	default:
		d.Backend = rules.BackendType(sc.ServiceProtocol) // the validator refuses it, naming it
	}
	d.ServiceAddress, d.ServicePath, d.ServiceMethod = sc.ServiceAddress, sc.ServicePath, strings.ToUpper(sc.ServiceHttpMethod)
	d.ServiceTimeout, d.MockBody, d.MockStatus = int(sc.ServiceTimeout), sc.MockResult, int(sc.MockStatusCode)
	d.MockHeaders = nil
	for _, h := range sc.MockHeaders {
		d.MockHeaders = append(d.MockHeaders, rules.Header{Name: h.HeaderName, Value: h.HeaderValue})
	}
	for name, field := range map[string]*string{"ApiName": &d.Name, "Description": &d.Description, "AuthType": &d.AuthType,
		"Visibility": &d.Visibility, "ResultType": &d.ResultType, "ResultSample": &d.ResultSample} {
		if v, ok := c.ps.get(name); ok {
			*field = v
		}
	}
	if _, ok := c.ps.get("DisableInternet"); ok {
		v, err := c.ps.boolean("DisableInternet", false)
		if err != nil {
			return d, err
		}
		d.DisableInternet = v
	}
	return d, nil
}

type createApiResponse struct {
	requestID
	ApiId string `json:"ApiId" xml:"ApiId"`
}

// createApi creates an API in GroupId: ApiName, RequestConfig and
// ServiceConfig are required; AuthType (ANONYMOUS), Visibility (PRIVATE),
// ResultType (JSON) have defaults; Description, ResultSample,
// DisableInternet are optional. Other parameters are accepted and ignored.
func createApi(c *call) (response, error) {
	groupID, err := c.ps.required("GroupId")
	if err != nil {
		return nil, err
	}
	for _, p := range [...]string{"ApiName", "RequestConfig", "ServiceConfig"} {
		if _, err := c.ps.required(p); err != nil {
			return nil, err
		}
	}
	def, err := c.definitionFrom(nil)
	if err != nil {
		return nil, err
	}
	api, err := c.s.st.CreateAPI(c.ctx, c.actor, groupID, def)
	if err != nil {
		return nil, err
	}
	return &createApiResponse{ApiId: api.ID}, nil
}

// apiOf reads ApiId of the caller's account, refusing it under another
// GroupId than its own.
func (c *call) apiOf() (store.APIDetail, error) {
	id, err := c.ps.required("ApiId")
	if err != nil {
		return store.APIDetail{}, err
	}
	d, err := c.s.st.GetAPI(c.ctx, c.account(), id)
	if err != nil {
		return store.APIDetail{}, err
	}
	if err := rules.CheckAPIInGroup(d.API, c.ps.str("GroupId")); err != nil {
		return store.APIDetail{}, err
	}
	return d, nil
}

// stage reads StageName (RELEASE, PRE or TEST, in any case).
func (c *call) stage() (rules.Stage, error) {
	name, err := c.ps.required("StageName")
	if err != nil {
		return "", err
	}
	return rules.ParseStage(name)
}

// modifyApi changes an API: ApiId (and GroupId, which must be its group);
// every other parameter CreateApi takes replaces what it names, RequestConfig
// and ServiceConfig field by field. Its stages keep what was deployed.
func modifyApi(c *call) (response, error) {
	d, err := c.apiOf()
	if err != nil {
		return nil, err
	}
	def, err := c.definitionFrom(&d.APIDefinition)
	if err != nil {
		return nil, err
	}
	if _, err := c.s.st.ModifyAPI(c.ctx, c.actor, d.ID, def); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// deleteApi deletes an API; refused while it is deployed to any stage.
func deleteApi(c *call) (response, error) {
	d, err := c.apiOf()
	if err != nil {
		return nil, err
	}
	if err := c.s.st.DeleteAPI(c.ctx, c.actor, d.ID); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// Words of a stage's deployment status.
const (
	statusDeployed    = "DEPLOYED"
	statusNonDeployed = "NONDEPLOYED"
)

// deployedInfo is a stage of an API (cloudapi.DeployedInfo): the revision
// it serves, as EffectiveVersion.
type deployedInfo struct {
	StageName        string `json:"StageName" xml:"StageName"`
	DeployedStatus   string `json:"DeployedStatus" xml:"DeployedStatus"`
	EffectiveVersion string `json:"EffectiveVersion" xml:"EffectiveVersion"`
}

type deployedInfos struct {
	DeployedInfo []deployedInfo `json:"DeployedInfo" xml:"DeployedInfo"`
}

// deployedInfosOf lists every stage, deployed or not, with the revision a
// deployed one serves.
func deployedInfosOf(revisionIn func(rules.Stage) (int64, bool)) deployedInfos {
	var out deployedInfos
	for _, st := range rules.Stages() {
		info := deployedInfo{StageName: string(st), DeployedStatus: statusNonDeployed}
		if rev, ok := revisionIn(st); ok {
			info.DeployedStatus, info.EffectiveVersion = statusDeployed, strconv.FormatInt(rev, 10)
		}
		out.DeployedInfo = append(out.DeployedInfo, info)
	}
	return out
}

// apiAttributes are the fields DescribeApi and DescribeDeployedApi share.
type apiAttributes struct {
	RegionId        string           `json:"RegionId" xml:"RegionId"`
	GroupId         string           `json:"GroupId" xml:"GroupId"`
	GroupName       string           `json:"GroupName" xml:"GroupName"`
	ApiId           string           `json:"ApiId" xml:"ApiId"`
	ApiName         string           `json:"ApiName" xml:"ApiName"`
	Description     string           `json:"Description" xml:"Description"`
	Visibility      string           `json:"Visibility" xml:"Visibility"`
	AuthType        string           `json:"AuthType" xml:"AuthType"`
	ResultType      string           `json:"ResultType" xml:"ResultType"`
	ResultSample    string           `json:"ResultSample" xml:"ResultSample"`
	DisableInternet bool             `json:"DisableInternet" xml:"DisableInternet"`
	ForceNonceCheck bool             `json:"ForceNonceCheck" xml:"ForceNonceCheck"`
	RequestConfig   requestConfig    `json:"RequestConfig" xml:"RequestConfig"`
	ServiceConfig   serviceConfigOut `json:"ServiceConfig" xml:"ServiceConfig"`
}

func newAPIAttributes(id string, g rules.Group, d rules.APIDefinition) apiAttributes {
	rc, _ := wireConfigs(d)
	return apiAttributes{RegionId: g.RegionID, GroupId: g.ID, GroupName: g.Name, ApiId: id, ApiName: d.Name, Description: d.Description,
		Visibility: d.Visibility, AuthType: d.AuthType, ResultType: d.ResultType, ResultSample: d.ResultSample,
		DisableInternet: d.DisableInternet, RequestConfig: rc, ServiceConfig: serviceConfigOf(d)}
}

type describeApiResponse struct {
	requestID
	apiAttributes
	Mock          string        `json:"Mock" xml:"Mock"`
	MockResult    string        `json:"MockResult" xml:"MockResult"`
	CreatedTime   string        `json:"CreatedTime" xml:"CreatedTime"`
	ModifiedTime  string        `json:"ModifiedTime" xml:"ModifiedTime"`
	DeployedInfos deployedInfos `json:"DeployedInfos" xml:"DeployedInfos"`
}

// describeApi shows an API's current definition, and in DeployedInfos the
// revision (EffectiveVersion) each stage serves.
func describeApi(c *call) (response, error) {
	d, err := c.apiOf()
	if err != nil {
		return nil, err
	}
	return &describeApiResponse{
		apiAttributes: newAPIAttributes(d.ID, d.Group, d.APIDefinition),
		Mock:          flag(d.Backend == rules.BackendMock),
		MockResult:    d.MockBody,
		CreatedTime:   timeString(d.CreatedAt),
		ModifiedTime:  timeString(d.ModifiedAt),
		DeployedInfos: deployedInfosOf(func(st rules.Stage) (int64, bool) {
			dep, ok := d.Deployment(st)
			return dep.Revision, ok
		}),
	}, nil
}

// apiSummary is an item of DescribeApis (cloudapi.ApiSummary).
type apiSummary struct {
	RegionId      string        `json:"RegionId" xml:"RegionId"`
	GroupId       string        `json:"GroupId" xml:"GroupId"`
	GroupName     string        `json:"GroupName" xml:"GroupName"`
	ApiId         string        `json:"ApiId" xml:"ApiId"`
	ApiName       string        `json:"ApiName" xml:"ApiName"`
	ApiPath       string        `json:"ApiPath" xml:"ApiPath"`
	ApiMethod     string        `json:"ApiMethod" xml:"ApiMethod"`
	Description   string        `json:"Description" xml:"Description"`
	Visibility    string        `json:"Visibility" xml:"Visibility"`
	CreatedTime   string        `json:"CreatedTime" xml:"CreatedTime"`
	ModifiedTime  string        `json:"ModifiedTime" xml:"ModifiedTime"`
	DeployedInfos deployedInfos `json:"DeployedInfos" xml:"DeployedInfos"`
}

type describeApisResponse struct {
	requestID
	PageNumber  int `json:"PageNumber" xml:"PageNumber"`
	PageSize    int `json:"PageSize" xml:"PageSize"`
	TotalCount  int `json:"TotalCount" xml:"TotalCount"`
	ApiSummarys struct {
		ApiSummary []apiSummary `json:"ApiSummary" xml:"ApiSummary"`
	} `json:"ApiSummarys" xml:"ApiSummarys"`
}

// describeApis lists the account's APIs, newest first, a page at a time
// (PageNumber from 1, PageSize 10 by default, at most 50), filtered by
// GroupId, StageName (deployed there), ApiName and ApiPath (substrings, any
// case), ApiMethod, ApiId, Visibility (PUBLIC or PRIVATE) and UnDeployed
// (true: deployed to no stage). CatalogId and Tag are accepted and ignored:
// Gatehouse has no catalogs or tags.
func describeApis(c *call) (response, error) {
	number, size, err := c.ps.paging()
	if err != nil {
		return nil, err
	}
	q := store.APIQuery{GroupID: c.ps.str("GroupId"), Name: c.ps.str("ApiName"), Path: c.ps.str("ApiPath"),
		Method: strings.ToUpper(c.ps.str("ApiMethod")), APIID: c.ps.str("ApiId"), Limit: size, PageNumber: number}
	if v := c.ps.str("StageName"); v != "" {
		if q.Stage, err = rules.ParseStage(v); err != nil {
			return nil, err
		}
	}
	if v := c.ps.str("Visibility"); v != "" {
		if verr := rules.CheckVisibility(v); verr != nil {
			return nil, verr
		}
		q.Visibility = v
	}
	if q.UnDeployed, err = c.ps.boolean("UnDeployed", false); err != nil {
		return nil, err
	}
	p, err := c.s.st.ListAPIs(c.ctx, c.account(), q)
	if err != nil {
		return nil, err
	}
	res := &describeApisResponse{PageNumber: number, PageSize: size, TotalCount: p.Total}
	res.ApiSummarys.ApiSummary = make([]apiSummary, len(p.Items))
	for i, r := range p.Items {
		res.ApiSummarys.ApiSummary[i] = apiSummary{RegionId: r.RegionID, GroupId: r.GroupID, GroupName: r.GroupName, ApiId: r.ID,
			ApiName: r.Name, ApiPath: r.Path, ApiMethod: r.Method, Description: r.Description, Visibility: r.Visibility,
			CreatedTime: timeString(r.CreatedAt), ModifiedTime: timeString(r.ModifiedAt),
			DeployedInfos: deployedInfosOf(func(st rules.Stage) (int64, bool) {
				dep, ok := r.DeployedTo(st)
				return dep.Revision, ok
			})}
	}
	return res, nil
}

// deployApi deploys an API's current definition to StageName, with
// Description; deploying again replaces what the stage served.
func deployApi(c *call) (response, error) {
	d, err := c.apiOf()
	if err != nil {
		return nil, err
	}
	st, err := c.stage()
	if err != nil {
		return nil, err
	}
	if _, err := c.s.st.DeployAPI(c.ctx, c.actor, d.ID, st, c.ps.str("Description")); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// abolishApi takes an API off StageName; an API not deployed there is not
// an error (nothing changes).
func abolishApi(c *call) (response, error) {
	d, err := c.apiOf()
	if err != nil {
		return nil, err
	}
	st, err := c.stage()
	if err != nil {
		return nil, err
	}
	if _, err := c.s.st.AbolishAPI(c.ctx, c.actor, d.ID, st); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// deployedApiItem is an item of DescribeDeployedApis
// (cloudapi.DeployedApiItem): the API as deployed.
type deployedApiItem struct {
	RegionId     string `json:"RegionId" xml:"RegionId"`
	GroupId      string `json:"GroupId" xml:"GroupId"`
	GroupName    string `json:"GroupName" xml:"GroupName"`
	ApiId        string `json:"ApiId" xml:"ApiId"`
	ApiName      string `json:"ApiName" xml:"ApiName"`
	ApiPath      string `json:"ApiPath" xml:"ApiPath"`
	ApiMethod    string `json:"ApiMethod" xml:"ApiMethod"`
	Description  string `json:"Description" xml:"Description"`
	Visibility   string `json:"Visibility" xml:"Visibility"`
	StageName    string `json:"StageName" xml:"StageName"`
	DeployedTime string `json:"DeployedTime" xml:"DeployedTime"`
}

type describeDeployedApisResponse struct {
	requestID
	PageNumber   int `json:"PageNumber" xml:"PageNumber"`
	PageSize     int `json:"PageSize" xml:"PageSize"`
	TotalCount   int `json:"TotalCount" xml:"TotalCount"`
	DeployedApis struct {
		DeployedApiItem []deployedApiItem `json:"DeployedApiItem" xml:"DeployedApiItem"`
	} `json:"DeployedApis" xml:"DeployedApis"`
}

// describeDeployedApis lists what StageName serves of the account's APIs,
// as deployed, filtered by GroupId, ApiName, ApiPath, ApiMethod and ApiId,
// a page at a time.
func describeDeployedApis(c *call) (response, error) {
	number, size, err := c.ps.paging()
	if err != nil {
		return nil, err
	}
	st, err := c.stage()
	if err != nil {
		return nil, err
	}
	p, err := c.s.st.ListDeployments(c.ctx, c.account(), store.DeploymentQuery{Stage: st, GroupID: c.ps.str("GroupId"),
		Name: c.ps.str("ApiName"), Path: c.ps.str("ApiPath"), Method: strings.ToUpper(c.ps.str("ApiMethod")), APIID: c.ps.str("ApiId"),
		Limit: size, PageNumber: number})
	if err != nil {
		return nil, err
	}
	res := &describeDeployedApisResponse{PageNumber: number, PageSize: size, TotalCount: p.Total}
	res.DeployedApis.DeployedApiItem = make([]deployedApiItem, len(p.Items))
	for i, r := range p.Items {
		d := r.Definition
		res.DeployedApis.DeployedApiItem[i] = deployedApiItem{RegionId: r.RegionID, GroupId: r.GroupID, GroupName: r.GroupName,
			ApiId: r.APIID, ApiName: d.Name, ApiPath: d.Path, ApiMethod: d.Method, Description: d.Description, Visibility: d.Visibility,
			StageName: string(r.Stage), DeployedTime: timeString(r.DeployedAt)}
	}
	return res, nil
}

type describeDeployedApiResponse struct {
	requestID
	apiAttributes
	StageName    string `json:"StageName" xml:"StageName"`
	DeployedTime string `json:"DeployedTime" xml:"DeployedTime"`
}

// describeDeployedApi shows an API as StageName serves it: the definition
// it was deployed with, and when.
func describeDeployedApi(c *call) (response, error) {
	d, err := c.apiOf()
	if err != nil {
		return nil, err
	}
	st, err := c.stage()
	if err != nil {
		return nil, err
	}
	dep, err := c.s.st.GetDeployment(c.ctx, c.account(), d.ID, st)
	if err != nil {
		return nil, err
	}
	return &describeDeployedApiResponse{apiAttributes: newAPIAttributes(d.ID, d.Group, dep.Definition),
		StageName: string(dep.Stage), DeployedTime: timeString(dep.DeployedAt)}, nil
}
