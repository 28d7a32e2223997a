package openapi_test

import (
	"context"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	vpcclient "github.com/alibabacloud-go/vpc-20160428/v6/client"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/rules"
	"gatehouse/store"
)

// The acceptance flow of issue 12 in Go: the current-generation SDK, which
// signs with V3 by default (darabonba-openapi's CallApi for API Gateway's
// actions, the typed client of github.com/alibabacloud-go/vpc-20160428 for
// the VPC API), set up with only Endpoint, Protocol and the key, against a
// real `gatehouse serve`: the seed's whole flow, DescribeApiGroups' paging
// and filters, the refusals of the rules and of the signature, and the
// operation log. Answers of API Gateway's actions decode strictly into the
// classic SDK's response types; the VPC client decodes its own.
func TestV3GoSDKAgainstGatehouseServe(t *testing.T) {
	t.Setenv("HTTP_PROXY", "")
	t.Setenv("http_proxy", "")
	srv, keys := startServe(t)
	admin := newV3Clients(t, srv.api, keys["alice"])
	ctx := context.Background()
	s := dara.String
	const region = "cn-hangzhou"

	// Catalogue.
	var regions cloudapi.DescribeRegionsResponse
	must(t, "DescribeRegions", admin.call("DescribeRegions", nil, &regions))
	if i := slices.IndexFunc(regions.Regions.Region, func(r cloudapi.Region) bool { return r.RegionId == region }); i < 0 ||
		regions.Regions.Region[i].RegionEndpoint != srv.api {
		t.Fatalf("DescribeRegions: %+v", regions.Regions)
	}
	zones, err := admin.vpc.DescribeZones(&vpcclient.DescribeZonesRequest{RegionId: s(region)})
	must(t, "DescribeZones", err)
	if z := zones.Body.Zones.Zone; len(z) < 2 || *z[0].ZoneId != "cn-hangzhou-g" || *z[0].LocalName == "" {
		t.Fatalf("DescribeZones: %v", zones.Body)
	}

	// A VPC and a vSwitch, by the typed client.
	madeVpc, err := admin.vpc.CreateVpc(&vpcclient.CreateVpcRequest{RegionId: s(region), CidrBlock: s("10.40.0.0/16"),
		VpcName: s("v3-vpc"), Description: s("made by the current Go SDK")})
	must(t, "CreateVpc", err)
	vpcID := dara.StringValue(madeVpc.Body.VpcId)
	if !rules.IsVpcID(vpcID) || dara.StringValue(madeVpc.Body.RequestId) == "" {
		t.Fatalf("CreateVpc: %v", madeVpc.Body)
	}
	madeVsw, err := admin.vpc.CreateVSwitch(&vpcclient.CreateVSwitchRequest{RegionId: s(region), VpcId: s(vpcID),
		ZoneId: s("cn-hangzhou-g"), CidrBlock: s("10.40.1.0/24"), VSwitchName: s("v3-vsw")})
	must(t, "CreateVSwitch", err)
	vswID := dara.StringValue(madeVsw.Body.VSwitchId)
	if !rules.IsVSwitchID(vswID) {
		t.Fatalf("CreateVSwitch: %v", madeVsw.Body)
	}
	vpcs, err := admin.vpc.DescribeVpcs(&vpcclient.DescribeVpcsRequest{RegionId: s(region), VpcId: s(vpcID)})
	must(t, "DescribeVpcs", err)
	if b := vpcs.Body; dara.Int32Value(b.TotalCount) != 1 || *b.Vpcs.Vpc[0].CidrBlock != "10.40.0.0/16" || *b.Vpcs.Vpc[0].VpcName != "v3-vpc" ||
		len(b.Vpcs.Vpc[0].VSwitchIds.VSwitchId) != 1 || *b.Vpcs.Vpc[0].VSwitchIds.VSwitchId[0] != vswID ||
		dara.Int64Value(b.Vpcs.Vpc[0].OwnerId) == 0 || *b.Vpcs.Vpc[0].Status != "Available" {
		t.Fatalf("DescribeVpcs: %v", b)
	}
	vsws, err := admin.vpc.DescribeVSwitches(&vpcclient.DescribeVSwitchesRequest{RegionId: s(region), VpcId: s(vpcID)})
	must(t, "DescribeVSwitches", err)
	if b := vsws.Body; dara.Int32Value(b.TotalCount) != 1 || *b.VSwitches.VSwitch[0].VSwitchId != vswID ||
		dara.Int64Value(b.VSwitches.VSwitch[0].AvailableIpAddressCount) != 252 {
		t.Fatalf("DescribeVSwitches: %v", b)
	}

	// Groups (the V3 SDKs send no region of their own: RegionId is given),
	// listed with paging, a keyword, an order and filters.
	groupIDs := map[string]string{}
	for _, name := range []string{"v3_orders", "v3_billing", "v3_users", "unrelated"} {
		var res cloudapi.CreateApiGroupResponse
		must(t, "CreateApiGroup "+name, admin.call("CreateApiGroup", map[string]any{"GroupName": name, "RegionId": region,
			"Description": "Group " + name + " from the current SDK."}, &res))
		if !rules.IsGroupID(res.GroupId) || res.InstanceId != "api-shared-vpc-001" || res.InstanceType != "VPC_SHARED" || res.GroupName != name {
			t.Fatalf("CreateApiGroup: %+v", res)
		}
		groupIDs[name] = res.GroupId
	}
	orders := groupIDs["v3_orders"]
	listPage := func(filter map[string]any) *cloudapi.DescribeApiGroupsResponse {
		t.Helper()
		var res cloudapi.DescribeApiGroupsResponse
		must(t, "DescribeApiGroups", admin.call("DescribeApiGroups", filter, &res))
		return &res
	}
	names := func(res *cloudapi.DescribeApiGroupsResponse) []string {
		var out []string
		for _, g := range res.ApiGroupAttributes.ApiGroupAttribute {
			out = append(out, g.GroupName)
		}
		return out
	}
	if p := listPage(map[string]any{"GroupName": "v3_", "PageNumber": 1, "PageSize": 2}); p.TotalCount != 3 || p.PageNumber != 1 || p.PageSize != 2 ||
		!slices.Equal(names(p), []string{"v3_users", "v3_billing"}) {
		t.Fatalf("page 1 of v3_, newest first: %d %v", p.TotalCount, names(p))
	}
	if p := listPage(map[string]any{"GroupName": "v3_", "PageNumber": 2, "PageSize": 2}); p.TotalCount != 3 || p.PageNumber != 2 ||
		!slices.Equal(names(p), []string{"v3_orders"}) {
		t.Fatalf("page 2 of v3_: %d %v", p.TotalCount, names(p))
	}
	if p := listPage(map[string]any{"GroupName": "V3_", "Sort": "asc"}); p.PageSize != 10 || !slices.Equal(names(p), []string{"v3_orders", "v3_billing", "v3_users"}) {
		t.Fatalf("V3_ oldest first, default page size: %d %v", p.PageSize, names(p))
	}
	if p := listPage(map[string]any{"PageSize": 500}); p.PageSize != 50 || p.TotalCount != 4 {
		t.Fatalf("PageSize is capped at 50: %d, total %d", p.PageSize, p.TotalCount)
	}
	if p := listPage(map[string]any{"GroupId": orders}); p.TotalCount != 1 || !slices.Equal(names(p), []string{"v3_orders"}) {
		t.Fatalf("by GroupId: %d %v", p.TotalCount, names(p))
	}
	if p := listPage(map[string]any{"RegionId": "cn-shanghai"}); p.TotalCount != 0 {
		t.Fatalf("another region: %d %v", p.TotalCount, names(p))
	}
	if p := listPage(map[string]any{"InstanceId": "api-shared-vpc-001"}); p.TotalCount != 4 ||
		p.ApiGroupAttributes.ApiGroupAttribute[0].RegionId != region || p.ApiGroupAttributes.ApiGroupAttribute[0].CreatedTime == "" {
		t.Fatalf("by InstanceId: %d %+v", p.TotalCount, p.ApiGroupAttributes)
	}
	refusedV3(t, "a page number of 0", admin.call("DescribeApiGroups", map[string]any{"PageNumber": 0}, nil), "InvalidParameter", 400)
	var modified cloudapi.ModifyApiGroupResponse
	must(t, "ModifyApiGroup", admin.call("ModifyApiGroup", map[string]any{"GroupId": orders, "Description": "Orders, described again."}, &modified))
	if modified.GroupName != "v3_orders" || modified.Description != "Orders, described again." {
		t.Fatalf("ModifyApiGroup: %+v", modified)
	}

	// The VPC second-level domain on the shared instance.
	var vpcDomain cloudapi.CreateIntranetDomainResponse
	must(t, "CreateIntranetDomain", admin.call("CreateIntranetDomain", map[string]any{"GroupId": orders}, &vpcDomain))
	if vpcDomain.DomainName != rules.VpcDomain(orders, region) {
		t.Fatalf("CreateIntranetDomain: %+v", vpcDomain)
	}
	must(t, "ModifyIntranetDomainPolicy (enable again)", admin.call("ModifyIntranetDomainPolicy",
		map[string]any{"GroupId": orders, "VpcIntranetEnable": true}, nil))

	// A dedicated instance; R8 and R5 while it is unbound.
	var inst cloudapi.CreateInstanceResponse
	must(t, "CreateInstance", admin.call("CreateInstance", map[string]any{"InstanceName": "v3-gateway", "InstanceSpec": "api.s1.small",
		"ZoneId": "cn-hangzhou-g", "HttpsPolicy": "HTTPS2_TLS1_2", "ChargeType": "PostPaid"}, &inst))
	if !rules.IsDedicatedInstanceID(inst.InstanceId) {
		t.Fatalf("CreateInstance: %+v", inst)
	}
	move := func(c *v3Clients, groupID, target string) error {
		return c.call("ModifyApiGroupInstance", map[string]any{"GroupId": groupID, "TargetInstanceId": target, "Remark": "moved by the V3 test"}, nil)
	}
	se := refusedV3(t, "R8: move a VPC-enabled group to an unbound dedicated instance", move(admin, orders, inst.InstanceId), "InstanceNotBoundToVpc", 400)
	if !strings.Contains(*se.Message, "bound to") {
		t.Errorf("R8's message: %s", *se.Message)
	}
	var dedicatedGroup cloudapi.CreateApiGroupResponse
	must(t, "CreateApiGroup on the dedicated instance", admin.call("CreateApiGroup",
		map[string]any{"GroupName": "v3_dedicated", "InstanceId": inst.InstanceId}, &dedicatedGroup))
	if dedicatedGroup.InstanceType != "VPC_DEDICATED" {
		t.Fatalf("CreateApiGroup on the dedicated instance: %+v", dedicatedGroup)
	}
	se = refusedV3(t, "R5: enable the VPC domain on an unbound dedicated instance",
		admin.call("CreateIntranetDomain", map[string]any{"GroupId": dedicatedGroup.GroupId}, nil), "InstanceNotBoundToVpc", 400)
	if !strings.Contains(*se.Message, "If you do not bind the instance to a VPC, you cannot enable VPC second-level domain name") {
		t.Errorf("R5's message: %s", *se.Message)
	}

	// Bind to VPC (ModifyInstanceVpcAttributeForConsole), move the group,
	// ask the access check.
	must(t, "bind the instance", admin.call("ModifyInstanceVpcAttributeForConsole", map[string]any{"InstanceId": inst.InstanceId,
		"VpcId": vpcID, "VswitchId": vswID, "VpcOwnerId": ownerOf(t, srv.db, "acme"), "Token": "v3-token-1"}, nil))
	must(t, "move the group", move(admin, orders, inst.InstanceId))
	var decision struct {
		Allowed                                      bool
		Address, Rule, DailyLimit, Reason, RequestId string
	}
	must(t, "DescribeVpcAccessDecision", admin.call("DescribeVpcAccessDecision", map[string]any{"CallerType": "vpc",
		"CallerVpcId": vpcID, "DomainName": vpcDomain.DomainName, "Protocol": "HTTPS"}, &decision))
	if endpoint, err := netip.ParseAddr(decision.Address); err != nil || !decision.Allowed || decision.Rule != "R4" ||
		!netip.MustParsePrefix("10.40.1.0/24").Contains(endpoint) || decision.RequestId == "" {
		t.Fatalf("access check from the bound VPC: %+v", decision)
	}
	se = refusedV3(t, "R7: unbind the VPC in use", admin.call("ModifyInstanceVpcAttributeForConsole",
		map[string]any{"InstanceId": inst.InstanceId, "DeleteVpcAccess": true}, nil), "InstanceVpcInUse", 400)
	if !strings.Contains(*se.Message, "v3_orders") {
		t.Errorf("R7's message does not name the group: %s", *se.Message)
	}

	// A custom domain on the VPC domain.
	const custom = "api.v3-test.example.com"
	var bound cloudapi.SetDomainResponse
	must(t, "SetDomain", admin.call("SetDomain", map[string]any{"GroupId": orders, "DomainName": custom, "CustomDomainType": "INTRANET"}, &bound))
	if bound.DomainName != custom || bound.SubDomain != vpcDomain.DomainName {
		t.Fatalf("SetDomain: %+v", bound)
	}
	var dom cloudapi.DescribeDomainResponse
	must(t, "DescribeDomain", admin.call("DescribeDomain", map[string]any{"GroupId": orders, "DomainName": custom}, &dom))
	if dom.DomainName != custom || dom.SubDomain != vpcDomain.DomainName || dom.DomainBindingStatus == "" {
		t.Fatalf("DescribeDomain: %+v", dom)
	}

	// Describe everything.
	var group cloudapi.DescribeApiGroupResponse
	must(t, "DescribeApiGroup", admin.call("DescribeApiGroup", map[string]any{"GroupId": orders}, &group))
	if group.InstanceId != inst.InstanceId || group.InstanceType != "VPC_DEDICATED" || group.VpcDomain != vpcDomain.DomainName ||
		group.InstanceVipList != decision.Address || group.HttpsPolicy != "HTTPS2_TLS1_2" || len(group.CustomDomains.DomainItem) != 1 ||
		group.CustomDomains.DomainItem[0].CustomDomainType != "INTRANET" || group.Description != "Orders, described again." {
		t.Fatalf("DescribeApiGroup: %+v", group)
	}
	var insts cloudapi.DescribeInstancesResponse
	must(t, "DescribeInstances", admin.call("DescribeInstances", map[string]any{"InstanceId": inst.InstanceId}, &insts))
	if len(insts.Instances.InstanceAttribute) != 1 || !insts.Instances.InstanceAttribute[0].VpcIntranetEnable ||
		insts.Instances.InstanceAttribute[0].UserVpcId != vpcID || insts.Instances.InstanceAttribute[0].UserVswitchId != vswID {
		t.Fatalf("DescribeInstances: %+v", insts.Instances)
	}

	// Roles and tenants: the viewer describes but changes nothing; the
	// rival account does not see acme's ids.
	viewer := newV3Clients(t, srv.api, keys["victor"])
	must(t, "the viewer's DescribeApiGroup", viewer.call("DescribeApiGroup", map[string]any{"GroupId": orders}, nil))
	refusedV3(t, "the viewer moves a group", move(viewer, orders, "api-shared-vpc-001"), "Forbidden", 403)
	rival := newV3Clients(t, srv.api, keys["rita"])
	refusedV3(t, "rival describes acme's group", rival.call("DescribeApiGroup", map[string]any{"GroupId": orders}, nil), "NotFoundApiGroup", 404)
	_, err = rival.vpc.DeleteVpc(&vpcclient.DeleteVpcRequest{RegionId: s(region), VpcId: s(vpcID)})
	refusedV3(t, "rival deletes acme's VPC", err, "InvalidVpcId.NotFound", 404)

	// The signature's refusals through the binary: by the SDK itself (a
	// wrong secret, an unknown key, SM3, a replay by its HTTP client), and
	// by requests its signer signed, bent.
	wrong := newV3Clients(t, srv.api, key{keys["alice"].id, strings.Repeat("x", 30)})
	se = refusedV3(t, "wrong secret", wrong.call("DescribeRegions", nil, nil), "SignatureDoesNotMatch", 400)
	if !strings.Contains(*se.Message, "server canonical request is:\nPOST\n/\n\n") || !strings.Contains(*se.Message, "server string to sign is:\nACS3-HMAC-SHA256\n") {
		t.Errorf("SignatureDoesNotMatch's message: %s", *se.Message)
	}
	unknown := newV3Clients(t, srv.api, key{"LTAI" + strings.Repeat("Z", 20), keys["alice"].secret})
	refusedV3(t, "unknown key", unknown.call("DescribeRegions", nil, nil), "InvalidAccessKeyId.NotFound", 404)
	sm3 := newV3Clients(t, srv.api, keys["alice"], func(c *openapiutil.Config) { c.SignatureAlgorithm = dara.String("ACS3-HMAC-SM3") })
	refusedV3(t, "unknown algorithm", sm3.call("DescribeRegions", nil, nil), "IncompleteSignature", 400)
	replayer := newV3Clients(t, srv.api, keys["alice"], func(c *openapiutil.Config) { c.HttpClient = &replayClient{twice: true} })
	refusedV3(t, "a replayed request", replayer.call("DescribeRegions", nil, nil), "SignatureNonceUsed", 400)
	stale := time.Now().Add(-20 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	for _, tc := range []struct {
		name, code string
		r          v3Request
	}{
		{"expired x-acs-date", "InvalidTimeStamp.Expired", v3Request{set: map[string]string{"x-acs-date": stale}}},
		{"no x-acs-signature-nonce", "MissingParameter", v3Request{set: map[string]string{"x-acs-signature-nonce": drop}}},
		{"an x-acs header not signed", "IncompleteSignature", v3Request{unsigned: map[string]string{"x-acs-extra": "1"}}},
		{"host not signed", "IncompleteSignature", v3Request{set: map[string]string{"host": drop}}},
	} {
		r := tc.r
		r.action, r.query = "DeleteApiGroup", map[string]string{"GroupId": orders}
		if status, e, body := sendV3(t, srv.api, keys["alice"], r); status != 400 || e.Code != tc.code {
			t.Fatalf("%s: %d %s", tc.name, status, body)
		}
	}
	must(t, "the group survived the refusals", admin.call("DescribeApiGroup", map[string]any{"GroupId": orders}, nil))

	// What the SDK did is in the operation log, by the key, through the
	// OpenAPI; so are the refusals of the rules.
	st, err := store.Open(ctx, srv.db)
	must(t, "open the database beside the server", err)
	defer st.Close()
	entries, _, err := st.ListOpLog(ctx, ownerOf(t, srv.db, "acme"), store.OpLogQuery{Limit: 200})
	must(t, "ListOpLog", err)
	for _, want := range []struct{ action, target, outcome string }{
		{"CreateVpc", vpcID, "ok"},
		{"CreateVSwitch", vswID, "ok"},
		{"CreateApiGroup", orders, "ok"},
		{"ModifyApiGroup", orders, "ok"},
		{"EnableVpcDomain", orders, "ok"},
		{"CreateInstance", inst.InstanceId, "ok"},
		{"MoveGroup", orders, "InstanceNotBoundToVpc"},
		{"BindVpc", inst.InstanceId, "ok"},
		{"MoveGroup", orders, "ok"},
		{"ModifyInstanceVpcAttributeForConsole", inst.InstanceId, "InstanceVpcInUse"},
		{"BindDomain", custom, "ok"},
	} {
		i := slices.IndexFunc(entries, func(e rules.OpLogEntry) bool {
			return e.Action == want.action && e.Target == want.target && e.Outcome == want.outcome
		})
		if i < 0 {
			t.Errorf("no %s of %s with outcome %s in the operation log", want.action, want.target, want.outcome)
			continue
		}
		if e := entries[i]; e.Source != rules.SourceOpenAPI || e.Actor != keys["alice"].id {
			t.Errorf("%s of %s: source %q actor %q, want OpenAPI and %s", want.action, want.target, e.Source, e.Actor, keys["alice"].id)
		}
	}

	// Undo it all.
	for range 2 { // an absent domain: still a success
		must(t, "DeleteDomain", admin.call("DeleteDomain", map[string]any{"GroupId": orders, "DomainName": custom}, nil))
	}
	must(t, "ModifyIntranetDomainPolicy (disable)", admin.call("ModifyIntranetDomainPolicy", map[string]any{"GroupId": orders, "VpcIntranetEnable": false}, nil))
	must(t, "unbind the instance", admin.call("ModifyInstanceVpcAttributeForConsole", map[string]any{"InstanceId": inst.InstanceId, "DeleteVpcAccess": true}, nil))
	groupIDs["v3_dedicated"] = dedicatedGroup.GroupId
	for name, id := range groupIDs {
		must(t, "DeleteApiGroup "+name, admin.call("DeleteApiGroup", map[string]any{"GroupId": id}, nil))
	}
	must(t, "DeleteInstance", admin.call("DeleteInstance", map[string]any{"InstanceId": inst.InstanceId}, nil))
	_, err = admin.vpc.DeleteVSwitch(&vpcclient.DeleteVSwitchRequest{RegionId: s(region), VSwitchId: s(vswID)})
	must(t, "DeleteVSwitch", err)
	_, err = admin.vpc.DeleteVpc(&vpcclient.DeleteVpcRequest{RegionId: s(region), VpcId: s(vpcID)})
	must(t, "DeleteVpc", err)
	if p := listPage(nil); p.TotalCount != 0 {
		t.Fatalf("groups left: %v", names(p))
	}
	left, err := admin.vpc.DescribeVpcs(&vpcclient.DescribeVpcsRequest{RegionId: s(region)})
	must(t, "DescribeVpcs", err)
	if dara.Int32Value(left.Body.TotalCount) != 0 {
		t.Fatalf("VPCs left: %v", left.Body)
	}

	srv.stop(t)
	if !strings.Contains(srv.logs(), "server=openapi method=POST action=DeleteVpc status=200") {
		t.Errorf("the server's log has no line for DeleteVpc:\n%s", srv.logs())
	}
}
