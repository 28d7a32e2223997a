package openapi

import (
	"fmt"
	"strconv"
	"strings"

	"gatehouse/rules"
	"gatehouse/store"
)

// Instances: DescribeInstances, CreateInstance, ModifyInstanceAttribute,
// DeleteInstance and the VPC binding of a dedicated instance
// (ModifyInstanceVpcAttributeForConsole).

// Alibaba Cloud's words for how an instance is paid: Gatehouse bills
// nothing, every instance is pay-as-you-go.
const chargePostPaid = "PostPaid"

type specAttribute struct {
	LocalName string `json:"LocalName" xml:"LocalName"`
	Value     string `json:"Value" xml:"Value"`
}

type networkInterfaceAttribute struct {
	VswitchId string `json:"VswitchId" xml:"VswitchId"`
	CidrBlock string `json:"CidrBlock" xml:"CidrBlock"`
	ZoneId    string `json:"ZoneId" xml:"ZoneId"`
}

// instanceAttribute is an item of DescribeInstances
// (cloudapi.InstanceAttribute).
type instanceAttribute struct {
	InstanceId             string `json:"InstanceId" xml:"InstanceId"`
	InstanceName           string `json:"InstanceName" xml:"InstanceName"`
	InstanceType           string `json:"InstanceType" xml:"InstanceType"`
	RegionId               string `json:"RegionId" xml:"RegionId"`
	ZoneId                 string `json:"ZoneId" xml:"ZoneId"`
	ZoneLocalName          string `json:"ZoneLocalName" xml:"ZoneLocalName"`
	Status                 string `json:"Status" xml:"Status"`
	InstanceSpec           string `json:"InstanceSpec" xml:"InstanceSpec"`
	InstanceRpsLimit       int    `json:"InstanceRpsLimit" xml:"InstanceRpsLimit"`
	InstanceChargeType     string `json:"InstanceChargeType" xml:"InstanceChargeType"`
	HttpsPolicies          string `json:"HttpsPolicies" xml:"HttpsPolicies"`
	CreatedTime            string `json:"CreatedTime" xml:"CreatedTime"`
	VpcSlbIntranetEnable   bool   `json:"VpcSlbIntranetEnable" xml:"VpcSlbIntranetEnable"`
	VpcIntranetEnable      bool   `json:"VpcIntranetEnable" xml:"VpcIntranetEnable"`
	UserVpcId              string `json:"UserVpcId" xml:"UserVpcId"`
	UserVswitchId          string `json:"UserVswitchId" xml:"UserVswitchId"`
	ConnectVpcId           string `json:"ConnectVpcId" xml:"ConnectVpcId"`
	VpcOwnerId             int64  `json:"VpcOwnerId" xml:"VpcOwnerId"`
	InstanceSpecAttributes struct {
		SpecAttribute []specAttribute `json:"SpecAttribute" xml:"SpecAttribute"`
	} `json:"InstanceSpecAttributes" xml:"InstanceSpecAttributes"`
	NetworkInterfaceAttributes struct {
		NetworkInterfaceAttribute []networkInterfaceAttribute `json:"NetworkInterfaceAttribute" xml:"NetworkInterfaceAttribute"`
	} `json:"NetworkInterfaceAttributes" xml:"NetworkInterfaceAttributes"`
}

// newInstanceAttribute maps an instance onto Alibaba Cloud's fields:
// VpcSlbIntranetEnable says the instance serves VPC second-level domains
// by itself (shared instances: every VPC of the region reaches them);
// VpcIntranetEnable, UserVpcId, UserVswitchId, ConnectVpcId and VpcOwnerId
// describe a dedicated instance's VPC binding.
func newInstanceAttribute(r store.InstanceRow) instanceAttribute {
	a := instanceAttribute{
		InstanceId:           r.ID,
		InstanceName:         r.Name,
		InstanceType:         string(r.Type),
		RegionId:             r.RegionID,
		ZoneId:               r.ZoneID,
		ZoneLocalName:        zoneLocalName(r.ZoneID),
		Status:               r.Status,
		InstanceSpec:         r.Spec,
		InstanceChargeType:   chargePostPaid,
		HttpsPolicies:        r.HTTPSPolicy,
		CreatedTime:          timeString(r.CreatedAt),
		VpcSlbIntranetEnable: !r.Dedicated(),
	}
	a.InstanceSpecAttributes.SpecAttribute = []specAttribute{}
	a.NetworkInterfaceAttributes.NetworkInterfaceAttribute = []networkInterfaceAttribute{}
	if spec, ok := rules.SpecByID(r.Spec); ok {
		a.InstanceRpsLimit = spec.RPS
		a.InstanceSpecAttributes.SpecAttribute = append(a.InstanceSpecAttributes.SpecAttribute,
			specAttribute{LocalName: "Maximum requests per second", Value: strconv.Itoa(spec.RPS)})
	}
	if r.Bound() {
		a.VpcIntranetEnable = true
		a.UserVpcId, a.UserVswitchId, a.ConnectVpcId = r.VpcID, r.VSwitchID, r.VpcID
		a.VpcOwnerId = ownerID(r.AccountID)
		if r.VSwitch != nil {
			a.NetworkInterfaceAttributes.NetworkInterfaceAttribute = append(a.NetworkInterfaceAttributes.NetworkInterfaceAttribute,
				networkInterfaceAttribute{VswitchId: r.VSwitch.ID, CidrBlock: r.VSwitch.CIDR, ZoneId: r.VSwitch.ZoneID})
		}
	}
	return a
}

type describeInstancesResponse struct {
	requestID
	PageNumber int `json:"PageNumber" xml:"PageNumber"`
	PageSize   int `json:"PageSize" xml:"PageSize"`
	TotalCount int `json:"TotalCount" xml:"TotalCount"`
	Instances  struct {
		InstanceAttribute []instanceAttribute `json:"InstanceAttribute" xml:"InstanceAttribute"`
	} `json:"Instances" xml:"Instances"`
}

// describeInstances lists the shared instances of RegionId (every region
// without it), then the account's dedicated instances there, or only
// InstanceId. Every instance comes on one page unless PageSize is given.
func describeInstances(c *call) (response, error) {
	region, err := c.region(false)
	if err != nil {
		return nil, err
	}
	var rows []store.InstanceRow
	if id := c.ps.str("InstanceId"); id != "" {
		r, err := c.s.st.GetInstance(c.ctx, c.account(), id)
		switch {
		case rules.HasCode(err, rules.CodeInstanceNotFound):
		case err != nil:
			return nil, err
		case region == "" || r.RegionID == region:
			rows = append(rows, r)
		}
	} else {
		shared, err := c.s.st.ListSharedInstances(c.ctx, c.account(), region)
		if err != nil {
			return nil, err
		}
		dedicated, err := c.s.st.ListInstances(c.ctx, c.account(), region)
		if err != nil {
			return nil, err
		}
		rows = append(shared, dedicated...)
	}

	number, size := 1, len(rows)
	if c.ps.str("PageNumber") != "" || c.ps.str("PageSize") != "" {
		if number, size, err = c.ps.paging(); err != nil {
			return nil, err
		}
	}
	res := &describeInstancesResponse{PageNumber: number, PageSize: size, TotalCount: len(rows)}
	items := []instanceAttribute{}
	if size > 0 {
		lo, hi := page(len(rows), number, size)
		for _, r := range rows[lo:hi] {
			items = append(items, newInstanceAttribute(r))
		}
	}
	res.Instances.InstanceAttribute = items
	return res, nil
}

type createInstanceResponse struct {
	requestID
	InstanceId string `json:"InstanceId" xml:"InstanceId"`
	TagStatus  bool   `json:"TagStatus" xml:"TagStatus"`
}

// createInstance creates a RUNNING dedicated instance: InstanceName,
// InstanceSpec and ZoneId (of RegionId; without RegionId the zone's region)
// are required, HttpsPolicy defaults to HTTPS2_TLS1_0. ChargeType,
// PricingCycle, Duration, AutoPay, InstanceType, InstanceCidr, UserVpcId
// and Token are accepted and ignored: the VPC binding is
// ModifyInstanceVpcAttributeForConsole's.
func createInstance(c *call) (response, error) {
	name, err := c.ps.required("InstanceName")
	if err != nil {
		return nil, err
	}
	spec, err := c.ps.required("InstanceSpec")
	if err != nil {
		return nil, err
	}
	zone, err := c.ps.required("ZoneId")
	if err != nil {
		return nil, err
	}
	region, err := c.region(false)
	if err != nil {
		return nil, err
	}
	if region == "" {
		r, ok := rules.RegionOfZone(zone)
		if !ok {
			return nil, &rules.Error{Kind: rules.KindInvalid, Code: rules.CodeInvalidZone, Field: "zone",
				Message: fmt.Sprintf("The zone %q is not a zone of any region.", zone)}
		}
		region = r.ID
	}
	inst, err := c.s.st.CreateInstance(c.ctx, c.actor, rules.InstanceInput{
		Name: name, RegionID: region, ZoneID: zone, Spec: spec, HTTPSPolicy: c.ps.str("HttpsPolicy")})
	if err != nil {
		return nil, err
	}
	return &createInstanceResponse{InstanceId: inst.ID}, nil
}

// unmodelledInstanceAttributes are the parameters of Alibaba's
// ModifyInstanceAttribute that change what Gatehouse does not model (IPv6,
// the self-calling domain, private segments, maintenance windows, the
// segments the gateway reaches). They are refused, not ignored: a caller
// must not believe a change was made. A parameter named here or starting
// with one and a dot (ToConnectVpcIpBlock.VswitchId) counts.
var unmodelledInstanceAttributes = []string{
	"IPV6Enabled", "EgressIpv6Enable", "VpcSlbIntranetEnable", "IntranetSegments",
	"MaintainStartTime", "MaintainEndTime", "ToConnectVpcIpBlock", "DeleteVpcIpBlock",
}

// modifyInstanceAttribute changes a dedicated instance's InstanceName
// and/or HttpsPolicy (at least one); InstanceId is required. A new policy
// applies from the gateway's next TLS handshake on the domains of the
// instance's groups. Token is accepted and ignored; the attributes
// Gatehouse does not model are refused (unmodelledInstanceAttributes).
func modifyInstanceAttribute(c *call) (response, error) {
	id, err := c.ps.required("InstanceId")
	if err != nil {
		return nil, err
	}
	for _, p := range c.ps {
		for _, name := range unmodelledInstanceAttributes {
			if p.name == name || strings.HasPrefix(p.name, name+".") {
				return nil, invalidParameter(p.name, "Gatehouse does not model this attribute of an instance; ModifyInstanceAttribute changes InstanceName and HttpsPolicy only. Nothing was changed.")
			}
		}
	}
	if _, err := c.s.st.ModifyInstance(c.ctx, c.actor, id, rules.InstanceChange{
		Name: c.ps.optional("InstanceName"), HTTPSPolicy: c.ps.optional("HttpsPolicy")}); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// deleteInstance deletes a dedicated instance that carries no group.
func deleteInstance(c *call) (response, error) {
	id, err := c.ps.required("InstanceId")
	if err != nil {
		return nil, err
	}
	if err := c.s.st.DeleteInstance(c.ctx, c.actor, id); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// modifyInstanceVpcAttributeForConsole binds a dedicated instance to VpcId
// and VswitchId (R4), changes its binding (R6), or, with
// DeleteVpcAccess=true, unbinds it (R7). VpcOwnerId, when given, must be
// the caller's account: a VPC of another account is not found. Token is
// accepted and ignored.
func modifyInstanceVpcAttributeForConsole(c *call) (response, error) {
	id, err := c.ps.required("InstanceId")
	if err != nil {
		return nil, err
	}
	unbind, err := c.ps.boolean("DeleteVpcAccess", false)
	if err != nil {
		return nil, err
	}
	if unbind {
		if _, err := c.s.st.UnbindVpc(c.ctx, c.actor, id); err != nil {
			return nil, err
		}
		return &empty{}, nil
	}
	vpcID, err := c.ps.required("VpcId")
	if err != nil {
		return nil, err
	}
	vswitchID, err := c.ps.required("VswitchId")
	if err != nil {
		return nil, err
	}
	if owner := c.ps.str("VpcOwnerId"); owner != "" && owner != c.account() {
		return nil, rules.VpcNotFound(vpcID)
	}
	if _, err := c.s.st.BindVpc(c.ctx, c.actor, id, vpcID, vswitchID); err != nil {
		return nil, err
	}
	return &empty{}, nil
}
