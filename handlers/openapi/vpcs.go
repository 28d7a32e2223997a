package openapi

import (
	"net/http"
	"slices"
	"strings"

	"gatehouse/rules"
	"gatehouse/store"
)

// The VPC API (Version 2016-04-28): CreateVpc, DescribeVpcs, DeleteVpc,
// CreateVSwitch, DescribeVSwitches, DeleteVSwitch (DescribeZones is in
// catalogue.go).

// Alibaba Cloud's defaults and words.
const (
	statusAvailable = "Available"
)

// dryRun answers a DryRun=true request that passed its checks: nothing is
// changed.
func dryRun() error {
	return &apiError{Status: http.StatusBadRequest, Code: CodeDryRun,
		Message: "Request validation has been passed with DryRun flag set. Nothing was changed."}
}

type createVpcResponse struct {
	requestID
	VpcId           string `json:"VpcId" xml:"VpcId"`
	VRouterId       string `json:"VRouterId" xml:"VRouterId"`
	RouteTableId    string `json:"RouteTableId" xml:"RouteTableId"`
	ResourceGroupId string `json:"ResourceGroupId" xml:"ResourceGroupId"`
}

// createVpc creates a VPC in RegionId (required) with CidrBlock (default
// 172.16.0.0/12), VpcName (default vpc-<region>) and Description. With
// DryRun=true the input is checked and nothing is created. ClientToken and
// the IPv6, tag and resource-group parameters are accepted and ignored.
func createVpc(c *call) (response, error) {
	region, err := c.region(true)
	if err != nil {
		return nil, err
	}
	in := rules.VpcInput{RegionID: region, CIDR: c.ps.str("CidrBlock"), Name: c.ps.str("VpcName"), Description: c.ps.str("Description")}.Normalize()
	if dry, err := c.ps.boolean("DryRun", false); err != nil {
		return nil, err
	} else if dry {
		if errs := in.Validate(); len(errs) > 0 {
			return nil, &store.InputError{Errs: errs}
		}
		return nil, dryRun()
	}
	v, err := c.s.st.CreateVpc(c.ctx, c.actor, in)
	if err != nil {
		return nil, err
	}
	return &createVpcResponse{VpcId: v.ID}, nil
}

type vpcItem struct {
	VpcId        string `json:"VpcId" xml:"VpcId"`
	RegionId     string `json:"RegionId" xml:"RegionId"`
	VpcName      string `json:"VpcName" xml:"VpcName"`
	Description  string `json:"Description" xml:"Description"`
	CidrBlock    string `json:"CidrBlock" xml:"CidrBlock"`
	CreationTime string `json:"CreationTime" xml:"CreationTime"`
	Status       string `json:"Status" xml:"Status"`
	IsDefault    bool   `json:"IsDefault" xml:"IsDefault"`
	OwnerId      int64  `json:"OwnerId" xml:"OwnerId"`
	VSwitchIds   struct {
		VSwitchId []string `json:"VSwitchId" xml:"VSwitchId"`
	} `json:"VSwitchIds" xml:"VSwitchIds"`
}

type describeVpcsResponse struct {
	requestID
	PageNumber int `json:"PageNumber" xml:"PageNumber"`
	PageSize   int `json:"PageSize" xml:"PageSize"`
	TotalCount int `json:"TotalCount" xml:"TotalCount"`
	Vpcs       struct {
		Vpc []vpcItem `json:"Vpc" xml:"Vpc"`
	} `json:"Vpcs" xml:"Vpcs"`
}

// describeVpcs lists the account's VPCs in RegionId (every region without
// it), oldest first, filtered by VpcId (one id or several separated by
// commas), VpcName (exact) and IsDefault (Gatehouse has no default VPC), a
// page at a time.
func describeVpcs(c *call) (response, error) {
	number, size, err := c.ps.paging()
	if err != nil {
		return nil, err
	}
	region, err := c.region(false)
	if err != nil {
		return nil, err
	}
	isDefault, err := c.ps.boolean("IsDefault", false)
	if err != nil {
		return nil, err
	}
	all, err := c.s.st.ListVpcs(c.ctx, c.account(), region)
	if err != nil {
		return nil, err
	}
	ids := splitList(c.ps.str("VpcId"))
	name := c.ps.str("VpcName")
	var kept []store.VpcWithVSwitches
	for _, v := range all {
		if isDefault || (len(ids) > 0 && !slices.Contains(ids, v.ID)) || (name != "" && v.Name != name) {
			continue
		}
		kept = append(kept, v)
	}
	res := &describeVpcsResponse{PageNumber: number, PageSize: size, TotalCount: len(kept)}
	lo, hi := page(len(kept), number, size)
	items := make([]vpcItem, 0, hi-lo)
	for _, v := range kept[lo:hi] {
		it := vpcItem{VpcId: v.ID, RegionId: v.RegionID, VpcName: v.Name, Description: v.Description, CidrBlock: v.CIDR,
			CreationTime: timeString(v.CreatedAt), Status: statusAvailable, OwnerId: ownerID(v.AccountID)}
		it.VSwitchIds.VSwitchId = make([]string, len(v.VSwitches))
		for i, w := range v.VSwitches {
			it.VSwitchIds.VSwitchId[i] = w.ID
		}
		items = append(items, it)
	}
	res.Vpcs.Vpc = items
	return res, nil
}

// deleteVpc deletes a VPC without vSwitches or bound instances. With
// DryRun=true the VPC is looked up and nothing is deleted. ForceDelete is
// accepted and ignored: delete the vSwitches first.
func deleteVpc(c *call) (response, error) {
	id, err := c.ps.required("VpcId")
	if err != nil {
		return nil, err
	}
	if dry, err := c.ps.boolean("DryRun", false); err != nil {
		return nil, err
	} else if dry {
		if _, err := c.s.st.GetVpc(c.ctx, c.account(), id); err != nil {
			return nil, err
		}
		return nil, dryRun()
	}
	if err := c.s.st.DeleteVpc(c.ctx, c.actor, id); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

type createVSwitchResponse struct {
	requestID
	VSwitchId string `json:"VSwitchId" xml:"VSwitchId"`
}

// createVSwitch creates a vSwitch in VpcId, ZoneId (of the VPC's region)
// and CidrBlock (inside the VPC's, overlapping no sibling), all required;
// VSwitchName defaults to vsw-<zone>. Description, ClientToken and the
// IPv6 parameters are accepted and ignored.
func createVSwitch(c *call) (response, error) {
	vpcID, err := c.ps.required("VpcId")
	if err != nil {
		return nil, err
	}
	zoneID, err := c.ps.required("ZoneId")
	if err != nil {
		return nil, err
	}
	cidr, err := c.ps.required("CidrBlock")
	if err != nil {
		return nil, err
	}
	w, err := c.s.st.CreateVSwitch(c.ctx, c.actor, rules.VSwitchInput{VpcID: vpcID, ZoneID: zoneID, Name: c.ps.str("VSwitchName"), CIDR: cidr})
	if err != nil {
		return nil, err
	}
	return &createVSwitchResponse{VSwitchId: w.ID}, nil
}

type vswitchItem struct {
	VSwitchId               string `json:"VSwitchId" xml:"VSwitchId"`
	VpcId                   string `json:"VpcId" xml:"VpcId"`
	ZoneId                  string `json:"ZoneId" xml:"ZoneId"`
	VSwitchName             string `json:"VSwitchName" xml:"VSwitchName"`
	CidrBlock               string `json:"CidrBlock" xml:"CidrBlock"`
	Description             string `json:"Description" xml:"Description"`
	CreationTime            string `json:"CreationTime" xml:"CreationTime"`
	Status                  string `json:"Status" xml:"Status"`
	IsDefault               bool   `json:"IsDefault" xml:"IsDefault"`
	OwnerId                 int64  `json:"OwnerId" xml:"OwnerId"`
	AvailableIpAddressCount int64  `json:"AvailableIpAddressCount" xml:"AvailableIpAddressCount"`
}

type describeVSwitchesResponse struct {
	requestID
	PageNumber int `json:"PageNumber" xml:"PageNumber"`
	PageSize   int `json:"PageSize" xml:"PageSize"`
	TotalCount int `json:"TotalCount" xml:"TotalCount"`
	VSwitches  struct {
		VSwitch []vswitchItem `json:"VSwitch" xml:"VSwitch"`
	} `json:"VSwitches" xml:"VSwitches"`
}

// describeVSwitches lists the account's vSwitches in RegionId (every
// region without it), oldest first, filtered by VpcId (another account's
// is not found), ZoneId, VSwitchId, VSwitchName (exact) and IsDefault, a
// page at a time.
func describeVSwitches(c *call) (response, error) {
	number, size, err := c.ps.paging()
	if err != nil {
		return nil, err
	}
	region, err := c.region(false)
	if err != nil {
		return nil, err
	}
	isDefault, err := c.ps.boolean("IsDefault", false)
	if err != nil {
		return nil, err
	}
	all, err := c.s.st.ListVSwitches(c.ctx, c.account(), store.VSwitchQuery{
		RegionID: region, VpcID: c.ps.str("VpcId"), ZoneID: c.ps.str("ZoneId")})
	if err != nil {
		return nil, err
	}
	ids := splitList(c.ps.str("VSwitchId"))
	name := c.ps.str("VSwitchName")
	var kept []store.ListedVSwitch
	for _, w := range all {
		if isDefault || (len(ids) > 0 && !slices.Contains(ids, w.ID)) || (name != "" && w.Name != name) {
			continue
		}
		kept = append(kept, w)
	}
	res := &describeVSwitchesResponse{PageNumber: number, PageSize: size, TotalCount: len(kept)}
	lo, hi := page(len(kept), number, size)
	items := make([]vswitchItem, 0, hi-lo)
	for _, w := range kept[lo:hi] {
		items = append(items, vswitchItem{VSwitchId: w.ID, VpcId: w.VpcID, ZoneId: w.ZoneID, VSwitchName: w.Name,
			CidrBlock: w.CIDR, CreationTime: timeString(w.CreatedAt), Status: statusAvailable,
			OwnerId: ownerID(w.AccountID), AvailableIpAddressCount: rules.VSwitchAvailableAddresses(w.CIDR, w.Endpoints)})
	}
	res.VSwitches.VSwitch = items
	return res, nil
}

// deleteVSwitch deletes a vSwitch no instance is bound through.
func deleteVSwitch(c *call) (response, error) {
	id, err := c.ps.required("VSwitchId")
	if err != nil {
		return nil, err
	}
	if err := c.s.st.DeleteVSwitch(c.ctx, c.actor, id); err != nil {
		return nil, err
	}
	return &empty{}, nil
}

// splitList reads a comma-separated list of ids, blanks dropped.
func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if p := strings.TrimSpace(part); p != "" {
			out = append(out, p)
		}
	}
	return out
}
