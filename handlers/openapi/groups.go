package openapi

import (
	"net/http"
	"strings"

	"gatehouse/rules"
	"gatehouse/store"
)

// API groups: CreateApiGroup, DescribeApiGroups, DescribeApiGroup,
// ModifyApiGroup, DeleteApiGroup, the VPC second-level domain
// (CreateIntranetDomain, ModifyIntranetDomainPolicy) and moving a group
// (ModifyApiGroupInstance).

// defaultTrafficLimit is the QPS limit Alibaba Cloud gives a new group.
const defaultTrafficLimit = 500

// Status words of a healthy group, as Alibaba Cloud reports them.
const statusNormal = "NORMAL"

// groupAttribute is an item of DescribeApiGroups (cloudapi.ApiGroupAttribute).
type groupAttribute struct {
	GroupId       string `json:"GroupId" xml:"GroupId"`
	GroupName     string `json:"GroupName" xml:"GroupName"`
	Description   string `json:"Description" xml:"Description"`
	RegionId      string `json:"RegionId" xml:"RegionId"`
	InstanceId    string `json:"InstanceId" xml:"InstanceId"`
	InstanceType  string `json:"InstanceType" xml:"InstanceType"`
	SubDomain     string `json:"SubDomain" xml:"SubDomain"`
	BasePath      string `json:"BasePath" xml:"BasePath"`
	BillingStatus string `json:"BillingStatus" xml:"BillingStatus"`
	IllegalStatus string `json:"IllegalStatus" xml:"IllegalStatus"`
	TrafficLimit  int    `json:"TrafficLimit" xml:"TrafficLimit"`
	CreatedTime   string `json:"CreatedTime" xml:"CreatedTime"`
	ModifiedTime  string `json:"ModifiedTime" xml:"ModifiedTime"`
}

func newGroupAttribute(g rules.Group, t rules.InstanceType) groupAttribute {
	return groupAttribute{
		GroupId:       g.ID,
		GroupName:     g.Name,
		Description:   g.Description,
		RegionId:      g.RegionID,
		InstanceId:    g.InstanceID,
		InstanceType:  string(t),
		SubDomain:     g.PublicDomain(),
		BasePath:      "/",
		BillingStatus: statusNormal,
		IllegalStatus: statusNormal,
		TrafficLimit:  defaultTrafficLimit,
		CreatedTime:   timeString(g.CreatedAt),
		ModifiedTime:  timeString(g.ModifiedAt),
	}
}

type describeApiGroupsResponse struct {
	requestID
	PageNumber         int `json:"PageNumber" xml:"PageNumber"`
	PageSize           int `json:"PageSize" xml:"PageSize"`
	TotalCount         int `json:"TotalCount" xml:"TotalCount"`
	ApiGroupAttributes struct {
		ApiGroupAttribute []groupAttribute `json:"ApiGroupAttribute" xml:"ApiGroupAttribute"`
	} `json:"ApiGroupAttributes" xml:"ApiGroupAttributes"`
}

// describeApiGroups lists the account's groups in RegionId (every region
// without it), newest modification first (Sort=asc for oldest first),
// filtered by GroupName (a substring, every letter's case folded, as the
// console searches: rules.NameContains), InstanceId and
// GroupId, a page at a time (PageNumber from 1, PageSize 10 by default, at
// most 50).
func describeApiGroups(c *call) (response, error) {
	number, size, err := c.ps.paging()
	if err != nil {
		return nil, err
	}
	region, err := c.region(false)
	if err != nil {
		return nil, err
	}
	res := &describeApiGroupsResponse{PageNumber: number, PageSize: size}
	q := store.GroupQuery{RegionID: region, InstanceID: c.ps.str("InstanceId"), Keyword: c.ps.str("GroupName"),
		OrderBy: "modified", Sort: c.ps.str("Sort"), Limit: size, PageNumber: number}
	if id := c.ps.str("GroupId"); id != "" {
		rows, err := c.oneGroup(id, q)
		if err != nil {
			return nil, err
		}
		res.TotalCount = len(rows)
		lo, hi := page(len(rows), number, size)
		res.ApiGroupAttributes.ApiGroupAttribute = rows[lo:hi]
		return res, nil
	}
	p, err := c.s.st.ListGroups(c.ctx, c.account(), q)
	if err != nil {
		return nil, err
	}
	res.TotalCount = p.Total
	items := make([]groupAttribute, len(p.Items))
	for i, r := range p.Items {
		items[i] = newGroupAttribute(r.Group, r.InstanceType)
	}
	res.ApiGroupAttributes.ApiGroupAttribute = items
	return res, nil
}

// oneGroup is DescribeApiGroups with a GroupId: the group when it is the
// account's and matches the other filters, else nothing.
func (c *call) oneGroup(id string, q store.GroupQuery) ([]groupAttribute, error) {
	if s := strings.ToLower(q.Sort); s != "" && s != "asc" && s != "desc" {
		return nil, invalidParameter("Sort", "%s is not one of asc and desc.", quote(q.Sort))
	}
	d, err := c.s.st.GetGroupDetail(c.ctx, c.account(), id)
	if rules.HasCode(err, rules.CodeGroupNotFound) {
		return []groupAttribute{}, nil
	}
	if err != nil {
		return nil, err
	}
	if (q.RegionID != "" && d.RegionID != q.RegionID) || (q.InstanceID != "" && d.InstanceID != q.InstanceID) ||
		!rules.NameContains(d.Name, q.Keyword) {
		return []groupAttribute{}, nil
	}
	return []groupAttribute{newGroupAttribute(d.Group, d.Instance.Type)}, nil
}

// domainItem is a custom domain in DescribeApiGroup (cloudapi.DomainItem).
type domainItem struct {
	DomainName            string `json:"DomainName" xml:"DomainName"`
	CustomDomainType      string `json:"CustomDomainType" xml:"CustomDomainType"`
	DomainBindingStatus   string `json:"DomainBindingStatus" xml:"DomainBindingStatus"`
	DomainLegalStatus     string `json:"DomainLegalStatus" xml:"DomainLegalStatus"`
	DomainCNAMEStatus     string `json:"DomainCNAMEStatus" xml:"DomainCNAMEStatus"`
	DomainWebSocketStatus string `json:"DomainWebSocketStatus" xml:"DomainWebSocketStatus"`
	DomainRemark          string `json:"DomainRemark" xml:"DomainRemark"`
	BindStageName         string `json:"BindStageName" xml:"BindStageName"`
	CertificateId         string `json:"CertificateId" xml:"CertificateId"`
	CertificateName       string `json:"CertificateName" xml:"CertificateName"`
	CertificateValidEnd   int64  `json:"CertificateValidEnd" xml:"CertificateValidEnd"`
	IsHttpRedirectToHttps bool   `json:"IsHttpRedirectToHttps" xml:"IsHttpRedirectToHttps"`
}

// Domain status words, as Alibaba Cloud reports them. Gatehouse resolves
// no DNS, so a bound name counts as resolved.
const (
	domainBinding  = "BINDING"
	domainResolved = "RESOLVED"
	domainWSClosed = "CLOSE"
	stageRelease   = "RELEASE"
)

type describeApiGroupResponse struct {
	requestID
	GroupId              string `json:"GroupId" xml:"GroupId"`
	GroupName            string `json:"GroupName" xml:"GroupName"`
	Description          string `json:"Description" xml:"Description"`
	RegionId             string `json:"RegionId" xml:"RegionId"`
	InstanceId           string `json:"InstanceId" xml:"InstanceId"`
	InstanceType         string `json:"InstanceType" xml:"InstanceType"`
	SubDomain            string `json:"SubDomain" xml:"SubDomain"`
	VpcDomain            string `json:"VpcDomain" xml:"VpcDomain"`
	InstanceVipList      string `json:"InstanceVipList" xml:"InstanceVipList"`
	BasePath             string `json:"BasePath" xml:"BasePath"`
	Status               string `json:"Status" xml:"Status"`
	BillingStatus        string `json:"BillingStatus" xml:"BillingStatus"`
	IllegalStatus        string `json:"IllegalStatus" xml:"IllegalStatus"`
	TrafficLimit         int    `json:"TrafficLimit" xml:"TrafficLimit"`
	HttpsPolicy          string `json:"HttpsPolicy" xml:"HttpsPolicy"`
	CreatedTime          string `json:"CreatedTime" xml:"CreatedTime"`
	ModifiedTime         string `json:"ModifiedTime" xml:"ModifiedTime"`
	DisableInnerDomain   bool   `json:"DisableInnerDomain" xml:"DisableInnerDomain"`
	CloudMarketCommodity bool   `json:"CloudMarketCommodity" xml:"CloudMarketCommodity"`
	CustomDomains        struct {
		DomainItem []domainItem `json:"DomainItem" xml:"DomainItem"`
	} `json:"CustomDomains" xml:"CustomDomains"`
}

// describeApiGroup shows a group with its instance, its VPC second-level
// domain (VpcDomain, empty until enabled; InstanceVipList: the address it
// resolves to inside VPCs) and its custom domains.
func describeApiGroup(c *call) (response, error) {
	id, err := c.ps.required("GroupId")
	if err != nil {
		return nil, err
	}
	d, err := c.s.st.GetGroupDetail(c.ctx, c.account(), id)
	if err != nil {
		return nil, err
	}
	res := &describeApiGroupResponse{
		GroupId:       d.ID,
		GroupName:     d.Name,
		Description:   d.Description,
		RegionId:      d.RegionID,
		InstanceId:    d.InstanceID,
		InstanceType:  string(d.Instance.Type),
		SubDomain:     d.PublicDomain(),
		BasePath:      "/",
		Status:        statusNormal,
		BillingStatus: statusNormal,
		IllegalStatus: statusNormal,
		TrafficLimit:  defaultTrafficLimit,
		HttpsPolicy:   d.Instance.HTTPSPolicy,
		CreatedTime:   timeString(d.CreatedAt),
		ModifiedTime:  timeString(d.ModifiedAt),
	}
	if d.VpcDomainEnabled {
		res.VpcDomain = d.VpcDomain()
		t := rules.Target{Name: res.VpcDomain, Kind: rules.DomainVpc, Group: &d.Group, Instance: &d.Instance}
		res.InstanceVipList = rules.Reach(rules.Caller{Kind: rules.CallerNone, AccountID: c.account()}, t, "", c.s.opts.Limits).Address
	}
	items := make([]domainItem, len(d.Domains))
	for i, dom := range d.Domains {
		items[i] = domainItem{
			DomainName:            dom.Name,
			CustomDomainType:      string(dom.NetworkType),
			DomainBindingStatus:   domainBinding,
			DomainLegalStatus:     statusNormal,
			DomainCNAMEStatus:     domainResolved,
			DomainWebSocketStatus: domainWSClosed,
			BindStageName:         stageRelease,
			CertificateId:         rules.CertificateID(dom.CertPEM),
			CertificateName:       dom.CertName,
			CertificateValidEnd:   unixMilli(dom.CertExpires),
		}
	}
	res.CustomDomains.DomainItem = items
	return res, nil
}

type createApiGroupResponse struct {
	requestID
	GroupId      string `json:"GroupId" xml:"GroupId"`
	GroupName    string `json:"GroupName" xml:"GroupName"`
	Description  string `json:"Description" xml:"Description"`
	InstanceId   string `json:"InstanceId" xml:"InstanceId"`
	InstanceType string `json:"InstanceType" xml:"InstanceType"`
	SubDomain    string `json:"SubDomain" xml:"SubDomain"`
	BasePath     string `json:"BasePath" xml:"BasePath"`
	TagStatus    bool   `json:"TagStatus" xml:"TagStatus"`
}

// createApiGroup creates a group named GroupName in RegionId, on InstanceId
// or, without it, on the region's shared instance (Alibaba Cloud's
// default). Without RegionId the instance's region is taken.
func createApiGroup(c *call) (response, error) {
	name, err := c.ps.required("GroupName")
	if err != nil {
		return nil, err
	}
	region, err := c.region(false)
	if err != nil {
		return nil, err
	}
	instanceID := c.ps.str("InstanceId")
	switch {
	case instanceID == "" && region == "":
		return nil, missingParameter("RegionId")
	case instanceID == "": // rules.GroupInput.Normalize takes the region's shared instance
	case region == "":
		inst, err := c.s.st.GetInstance(c.ctx, c.account(), instanceID)
		if err != nil {
			return nil, err
		}
		region = inst.RegionID
	}
	g, err := c.s.st.CreateGroup(c.ctx, c.actor, rules.GroupInput{
		Name: name, Description: c.ps.str("Description"), RegionID: region, InstanceID: instanceID})
	if err != nil {
		return nil, err
	}
	t := rules.InstanceDedicated
	if rules.IsSharedInstanceID(g.InstanceID) {
		t = rules.InstanceShared
	}
	return &createApiGroupResponse{GroupId: g.ID, GroupName: g.Name, Description: g.Description,
		InstanceId: g.InstanceID, InstanceType: string(t), SubDomain: g.PublicDomain(), BasePath: "/"}, nil
}

type modifyApiGroupResponse struct {
	requestID
	GroupId     string `json:"GroupId" xml:"GroupId"`
	GroupName   string `json:"GroupName" xml:"GroupName"`
	Description string `json:"Description" xml:"Description"`
	SubDomain   string `json:"SubDomain" xml:"SubDomain"`
	BasePath    string `json:"BasePath" xml:"BasePath"`
}

// modifyApiGroup renames a group (GroupName) and/or changes its
// Description; what is not given is kept.
func modifyApiGroup(c *call) (response, error) {
	id, err := c.ps.required("GroupId")
	if err != nil {
		return nil, err
	}
	g, err := c.s.st.ModifyGroup(c.ctx, c.actor, id, store.GroupChange{
		Name: c.ps.optional("GroupName"), Description: c.ps.optional("Description")})
	if err != nil {
		return nil, err
	}
	return &modifyApiGroupResponse{GroupId: g.ID, GroupName: g.Name, Description: g.Description,
		SubDomain: g.PublicDomain(), BasePath: "/"}, nil
}

// empty is the response of actions that answer only their RequestId.
type empty struct{ requestID }

// deleteApiGroup deletes a group and its custom domains.
func deleteApiGroup(c *call) (response, error) {
	id, err := c.ps.required("GroupId")
	if err != nil {
		return nil, err
	}
	if err := c.s.st.DeleteGroup(c.ctx, c.actor, id); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

type createIntranetDomainResponse struct {
	requestID
	DomainName string `json:"DomainName" xml:"DomainName"`
}

// createIntranetDomain enables the group's VPC second-level domain (R2; R5
// refuses it on an unbound dedicated instance) and answers its name.
// Enabling it again changes nothing. DeleteInternetDomain is ignored: the
// public second-level domain always stays.
func createIntranetDomain(c *call) (response, error) {
	id, err := c.ps.required("GroupId")
	if err != nil {
		return nil, err
	}
	g, err := c.s.st.EnableVpcDomain(c.ctx, c.actor, id)
	if err != nil {
		return nil, err
	}
	return &createIntranetDomainResponse{DomainName: g.VpcDomain()}, nil
}

// modifyIntranetDomainPolicy turns the group's VPC second-level domain on
// (VpcIntranetEnable=true, as CreateIntranetDomain) or off
// (VpcIntranetEnable=false; refused while INTRANET custom domains point at
// it). Without VpcIntranetEnable nothing changes.
func modifyIntranetDomainPolicy(c *call) (response, error) {
	id, err := c.ps.required("GroupId")
	if err != nil {
		return nil, err
	}
	enable, err := c.ps.boolean("VpcIntranetEnable", false)
	if err != nil {
		return nil, err
	}
	switch {
	case c.ps.str("VpcIntranetEnable") == "":
		_, err = c.s.st.GetGroup(c.ctx, c.account(), id)
	case enable:
		_, err = c.s.st.EnableVpcDomain(c.ctx, c.actor, id)
	default:
		_, err = c.s.st.DisableVpcDomain(c.ctx, c.actor, id)
	}
	if err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// modifyApiGroupInstance moves a group to TargetInstanceId (R8). Remark is
// accepted and not kept.
func modifyApiGroupInstance(c *call) (response, error) {
	id, err := c.ps.required("GroupId")
	if err != nil {
		return nil, err
	}
	target, err := c.ps.required("TargetInstanceId")
	if err != nil {
		return nil, err
	}
	if _, err := c.s.st.MoveGroup(c.ctx, c.actor, id, target); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// region reads RegionId, refusing one outside the catalogue; "" when absent
// and not required.
func (c *call) region(required bool) (string, error) {
	id := c.ps.str("RegionId")
	if id == "" {
		if required {
			return "", missingParameter("RegionId")
		}
		return "", nil
	}
	if _, ok := rules.RegionByID(id); !ok {
		return "", &apiError{Status: http.StatusBadRequest, Code: rules.CodeInvalidRegion,
			Message: "The region " + quote(id) + " does not exist. DescribeRegions lists the regions."}
	}
	return id, nil
}
