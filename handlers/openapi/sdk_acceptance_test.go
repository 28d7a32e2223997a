package openapi_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// served is a running `gatehouse serve` on a temporary database.
type served struct {
	db         string
	api        string // the OpenAPI endpoint's host:port
	console    string
	gatewayTLS string // the gateway's HTTPS listener's host:port
	cmd        *exec.Cmd
	mu         sync.Mutex
	log        bytes.Buffer  // its standard error
	done       chan struct{} // closed once it has exited
	exit       error         // its exit, once done is closed
}

func (s *served) logs() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.log.String()
}

// moduleRoot is the module's directory, two levels above this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil || !bytes.HasPrefix(mod, []byte("module gatehouse\n")) {
		t.Fatalf("%s is not the gatehouse module's root: %v", root, err)
	}
	return root
}

// gatehouse runs a command of the binary and returns its standard output.
func gatehouse(t *testing.T, bin, stdin string, args ...string) string {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("gatehouse %s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	return out.String()
}

var listening = regexp.MustCompile(`msg=listening server=([\w-]+) addr=(\S+)`)

// startServe builds the binary, prepares the database (acme: an admin and
// a viewer; rival: an admin; a key each) and starts `gatehouse serve` on
// free ports, read back from its log.
func startServe(t *testing.T) (*served, map[string]key) {
	t.Helper()
	bin, dir := gatehouseBinary(t), t.TempDir()
	s := &served{db: filepath.Join(dir, "gatehouse.db"), done: make(chan struct{})}
	keys := map[string]key{}
	for _, u := range []struct{ account, login, role string }{
		{"acme", "alice", "admin"}, {"acme", "victor", "viewer"}, {"rival", "rita", "admin"},
	} {
		gatehouse(t, bin, testPassword+"\n", "user", "add", "--db", s.db, "--account", u.account, "--name", u.login, "--role", u.role)
		var k struct{ AccessKeyId, AccessKeySecret string }
		if err := json.Unmarshal([]byte(gatehouse(t, bin, "", "accesskey", "create", "--db", s.db, "--user", u.login)), &k); err != nil {
			t.Fatal(err)
		}
		keys[u.login] = key{k.AccessKeyId, k.AccessKeySecret}
	}

	s.cmd = exec.Command(bin, "serve", "--db", s.db, "--addr", "127.0.0.1:0", "--api-addr", "127.0.0.1:0", "--gateway-addr", "127.0.0.1:0", "--gateway-tls-addr", "127.0.0.1:0")
	stderr, err := s.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrs := make(chan [2]string, 4)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			s.mu.Lock()
			s.log.WriteString(line + "\n")
			s.mu.Unlock()
			if m := listening.FindStringSubmatch(line); m != nil {
				addrs <- [2]string{m[1], m[2]}
			}
		}
		s.exit = s.cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(func() {
		select {
		case <-s.done:
		default:
			s.cmd.Process.Kill()
			<-s.done
		}
		if t.Failed() {
			t.Logf("gatehouse serve's log:\n%s", s.logs())
		}
	})
	deadline := time.After(20 * time.Second)
	for s.api == "" || s.console == "" || s.gatewayTLS == "" {
		select {
		case a := <-addrs:
			switch a[0] {
			case "openapi":
				s.api = a[1]
			case "console":
				s.console = a[1]
			case "gateway-tls":
				s.gatewayTLS = a[1]
			}
		case <-s.done:
			t.Fatalf("gatehouse serve exited: %v\n%s", s.exit, s.logs())
		case <-deadline:
			t.Fatalf("gatehouse serve did not say where it listens:\n%s", s.logs())
		}
	}
	return s, keys
}

// The binary is built once for every test of the package, into a
// directory TestMain removes.
var (
	buildOnce sync.Once
	buildDir  string
	buildBin  string
	buildErr  error
)

func gatehouseBinary(t *testing.T) string {
	t.Helper()
	root := moduleRoot(t)
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "gatehouse-openapi-"); buildErr != nil {
			return
		}
		buildBin = filepath.Join(buildDir, "gatehouse")
		build := exec.Command("go", "build", "-o", buildBin, ".")
		build.Dir = root
		if out, err := build.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return buildBin
}

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// stop sends SIGTERM and expects a clean exit.
func (s *served) stop(t *testing.T) {
	t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-s.done:
		if s.exit != nil {
			t.Fatalf("gatehouse serve after SIGTERM: %v", s.exit)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("gatehouse serve did not stop on SIGTERM")
	}
}

// The acceptance flow of the issue: the official SDK (its client, signer
// and response parsing; services/cloudapi and services/vpc; CommonRequest
// for the actions this SDK version lacks) against a real `gatehouse serve`.
func TestSDKAgainstGatehouseServe(t *testing.T) {
	t.Setenv("HTTP_PROXY", "") // the SDK honours proxies; the server is local
	t.Setenv("http_proxy", "")
	srv, keys := startServe(t)
	admin := newClients(t, srv.api, keys["alice"])
	ctx := context.Background()

	// Catalogue.
	regionsReq := cloudapi.CreateDescribeRegionsRequest()
	regionsReq.Domain, regionsReq.Scheme = srv.api, "http"
	regions, err := admin.api.DescribeRegions(regionsReq)
	must(t, "DescribeRegions", err)
	strictly(t, regions, &cloudapi.DescribeRegionsResponse{})
	if i := slices.IndexFunc(regions.Regions.Region, func(r cloudapi.Region) bool { return r.RegionId == "cn-hangzhou" }); i < 0 ||
		regions.Regions.Region[i].LocalName != "China (Hangzhou)" || regions.Regions.Region[i].RegionEndpoint != srv.api {
		t.Fatalf("DescribeRegions: %+v", regions.Regions)
	}
	zonesReq := vpc.CreateDescribeZonesRequest()
	zonesReq.Domain, zonesReq.Scheme = srv.api, "http"
	zones, err := admin.vpc.DescribeZones(zonesReq)
	must(t, "DescribeZones", err)
	strictly(t, zones, &vpc.DescribeZonesResponse{})
	if len(zones.Zones.Zone) < 2 || zones.Zones.Zone[0].ZoneId != "cn-hangzhou-g" {
		t.Fatalf("DescribeZones: %+v", zones.Zones)
	}

	// A VPC and a vSwitch.
	createVpc := vpc.CreateCreateVpcRequest()
	createVpc.Domain, createVpc.Scheme = srv.api, "http"
	createVpc.CidrBlock, createVpc.VpcName, createVpc.Description = "10.20.0.0/16", "sdk-vpc", "made by the SDK"
	madeVpc, err := admin.vpc.CreateVpc(createVpc)
	must(t, "CreateVpc", err)
	strictly(t, madeVpc, &vpc.CreateVpcResponse{})
	if !rules.IsVpcID(madeVpc.VpcId) || madeVpc.RequestId == "" {
		t.Fatalf("CreateVpc: %+v", madeVpc)
	}
	createVsw := vpc.CreateCreateVSwitchRequest()
	createVsw.Domain, createVsw.Scheme = srv.api, "http"
	createVsw.VpcId, createVsw.ZoneId, createVsw.CidrBlock, createVsw.VSwitchName = madeVpc.VpcId, "cn-hangzhou-g", "10.20.1.0/24", "sdk-vsw"
	madeVsw, err := admin.vpc.CreateVSwitch(createVsw)
	must(t, "CreateVSwitch", err)
	if !rules.IsVSwitchID(madeVsw.VSwitchId) {
		t.Fatalf("CreateVSwitch: %+v", madeVsw)
	}
	descVpcs := vpc.CreateDescribeVpcsRequest()
	descVpcs.Domain, descVpcs.Scheme = srv.api, "http"
	descVpcs.VpcId = madeVpc.VpcId
	vpcs, err := admin.vpc.DescribeVpcs(descVpcs)
	must(t, "DescribeVpcs", err)
	strictly(t, vpcs, &vpc.DescribeVpcsResponse{})
	if vpcs.TotalCount != 1 || vpcs.Vpcs.Vpc[0].CidrBlock != "10.20.0.0/16" || vpcs.Vpcs.Vpc[0].VpcName != "sdk-vpc" ||
		vpcs.Vpcs.Vpc[0].RegionId != "cn-hangzhou" || !slices.Equal(vpcs.Vpcs.Vpc[0].VSwitchIds.VSwitchId, []string{madeVsw.VSwitchId}) ||
		vpcs.Vpcs.Vpc[0].OwnerId == 0 || vpcs.Vpcs.Vpc[0].Status != "Available" {
		t.Fatalf("DescribeVpcs: %+v", vpcs.Vpcs)
	}
	descVsws := vpc.CreateDescribeVSwitchesRequest()
	descVsws.Domain, descVsws.Scheme = srv.api, "http"
	descVsws.VpcId = madeVpc.VpcId
	vsws, err := admin.vpc.DescribeVSwitches(descVsws)
	must(t, "DescribeVSwitches", err)
	strictly(t, vsws, &vpc.DescribeVSwitchesResponse{})
	if vsws.TotalCount != 1 || vsws.VSwitches.VSwitch[0].VSwitchId != madeVsw.VSwitchId ||
		vsws.VSwitches.VSwitch[0].ZoneId != "cn-hangzhou-g" || vsws.VSwitches.VSwitch[0].AvailableIpAddressCount != 252 {
		t.Fatalf("DescribeVSwitches: %+v", vsws.VSwitches)
	}

	// Groups, listed with paging and a keyword.
	groupIDs := map[string]string{}
	for _, name := range []string{"sdk_orders", "sdk_billing", "sdk_users", "unrelated"} {
		req := cloudapi.CreateCreateApiGroupRequest()
		req.Domain, req.Scheme = srv.api, "http"
		req.GroupName, req.Description = name, "Group "+name+" from the SDK."
		res, err := admin.api.CreateApiGroup(req)
		must(t, "CreateApiGroup "+name, err)
		strictly(t, res, &cloudapi.CreateApiGroupResponse{})
		if !rules.IsGroupID(res.GroupId) || res.InstanceId != "api-shared-vpc-001" || res.InstanceType != "VPC_SHARED" ||
			res.SubDomain != rules.PublicDomain(res.GroupId, "cn-hangzhou") || res.GroupName != name {
			t.Fatalf("CreateApiGroup: %+v", res)
		}
		groupIDs[name] = res.GroupId
	}
	orders := groupIDs["sdk_orders"]
	listPage := func(keyword, sort string, number, size int) *cloudapi.DescribeApiGroupsResponse {
		t.Helper()
		req := cloudapi.CreateDescribeApiGroupsRequest()
		req.Domain, req.Scheme = srv.api, "http"
		req.GroupName, req.Sort = keyword, sort
		if number > 0 {
			req.PageNumber = requests.NewInteger(number)
		}
		if size > 0 {
			req.PageSize = requests.NewInteger(size)
		}
		res, err := admin.api.DescribeApiGroups(req)
		must(t, "DescribeApiGroups", err)
		strictly(t, res, &cloudapi.DescribeApiGroupsResponse{})
		return res
	}
	names := func(res *cloudapi.DescribeApiGroupsResponse) []string {
		var out []string
		for _, g := range res.ApiGroupAttributes.ApiGroupAttribute {
			out = append(out, g.GroupName)
		}
		return out
	}
	if p := listPage("sdk_", "", 1, 2); p.TotalCount != 3 || p.PageNumber != 1 || p.PageSize != 2 ||
		!slices.Equal(names(p), []string{"sdk_users", "sdk_billing"}) {
		t.Fatalf("page 1 of sdk_, newest first: %d %v", p.TotalCount, names(p))
	}
	if p := listPage("sdk_", "", 2, 2); p.TotalCount != 3 || p.PageNumber != 2 || !slices.Equal(names(p), []string{"sdk_orders"}) {
		t.Fatalf("page 2 of sdk_: %d %v", p.TotalCount, names(p))
	}
	if p := listPage("SDK_", "asc", 1, 0); p.PageSize != 10 || !slices.Equal(names(p), []string{"sdk_orders", "sdk_billing", "sdk_users"}) {
		t.Fatalf("sdk_ oldest first, default page size: %d %v", p.PageSize, names(p))
	}
	if p := listPage("", "", 1, 500); p.PageSize != 50 || p.TotalCount != 4 {
		t.Fatalf("PageSize is capped at 50: %d, total %d", p.PageSize, p.TotalCount)
	}
	if p := listPage("", "", 1, 0); p.ApiGroupAttributes.ApiGroupAttribute[0].RegionId != "cn-hangzhou" ||
		p.ApiGroupAttributes.ApiGroupAttribute[0].CreatedTime == "" || p.ApiGroupAttributes.ApiGroupAttribute[0].InstanceType != "VPC_SHARED" {
		t.Fatalf("group attributes: %+v", p.ApiGroupAttributes.ApiGroupAttribute[0])
	}
	modify := cloudapi.CreateModifyApiGroupRequest()
	modify.Domain, modify.Scheme = srv.api, "http"
	modify.GroupId, modify.Description = orders, "Orders, described again."
	modified, err := admin.api.ModifyApiGroup(modify)
	must(t, "ModifyApiGroup", err)
	if modified.GroupName != "sdk_orders" || modified.Description != "Orders, described again." {
		t.Fatalf("ModifyApiGroup: %+v", modified)
	}

	// The VPC second-level domain on the shared instance.
	intranet := cloudapi.CreateCreateIntranetDomainRequest()
	intranet.Domain, intranet.Scheme = srv.api, "http"
	intranet.GroupId = orders
	vpcDomain, err := admin.api.CreateIntranetDomain(intranet)
	must(t, "CreateIntranetDomain", err)
	if vpcDomain.DomainName != rules.VpcDomain(orders, "cn-hangzhou") {
		t.Fatalf("CreateIntranetDomain: %+v", vpcDomain)
	}
	policy := cloudapi.CreateModifyIntranetDomainPolicyRequest()
	policy.Domain, policy.Scheme = srv.api, "http"
	policy.GroupId, policy.VpcIntranetEnable = orders, "true"
	_, err = admin.api.ModifyIntranetDomainPolicy(policy)
	must(t, "ModifyIntranetDomainPolicy (enable again)", err)

	// A dedicated instance; the refusals R8 and R5 while it is unbound.
	createInst := cloudapi.CreateCreateInstanceRequest()
	createInst.Domain, createInst.Scheme = srv.api, "http"
	createInst.InstanceName, createInst.InstanceSpec, createInst.ZoneId = "sdk-gateway", "api.s1.small", "cn-hangzhou-g"
	createInst.HttpsPolicy, createInst.ChargeType = "HTTPS2_TLS1_2", "PostPaid"
	inst, err := admin.api.CreateInstance(createInst)
	must(t, "CreateInstance", err)
	strictly(t, inst, &cloudapi.CreateInstanceResponse{})
	if !rules.IsDedicatedInstanceID(inst.InstanceId) {
		t.Fatalf("CreateInstance: %+v", inst)
	}
	move := func(k key, groupID, target string) error {
		return newClients(t, srv.api, k).common(openapi.VersionCloudAPI, "ModifyApiGroupInstance",
			map[string]string{"GroupId": groupID, "TargetInstanceId": target, "Remark": "moved by the SDK test"}, nil)
	}
	se := refused(t, "R8: move a VPC-enabled group to an unbound dedicated instance", move(keys["alice"], orders, inst.InstanceId), "InstanceNotBoundToVpc", 400)
	if !strings.Contains(se.Message(), "bound to") {
		t.Errorf("R8's message: %s", se.Message())
	}
	onDedicated := cloudapi.CreateCreateApiGroupRequest()
	onDedicated.Domain, onDedicated.Scheme = srv.api, "http"
	onDedicated.GroupName, onDedicated.InstanceId = "sdk_dedicated", inst.InstanceId
	dedicatedGroup, err := admin.api.CreateApiGroup(onDedicated)
	must(t, "CreateApiGroup on the dedicated instance", err)
	if dedicatedGroup.InstanceType != "VPC_DEDICATED" {
		t.Fatalf("CreateApiGroup on the dedicated instance: %+v", dedicatedGroup)
	}
	intranet = cloudapi.CreateCreateIntranetDomainRequest()
	intranet.Domain, intranet.Scheme = srv.api, "http"
	intranet.GroupId = dedicatedGroup.GroupId
	_, err = admin.api.CreateIntranetDomain(intranet)
	se = refused(t, "R5: enable the VPC domain on an unbound dedicated instance", err, "InstanceNotBoundToVpc", 400)
	if !strings.Contains(se.Message(), "If you do not bind the instance to a VPC, you cannot enable VPC second-level domain name") {
		t.Errorf("R5's message: %s", se.Message())
	}

	// Bind the instance (ModifyInstanceVpcAttributeForConsole), move the
	// group, and ask the access check.
	must(t, "bind the instance", admin.common(openapi.VersionCloudAPI, "ModifyInstanceVpcAttributeForConsole", map[string]string{
		"InstanceId": inst.InstanceId, "VpcId": madeVpc.VpcId, "VswitchId": madeVsw.VSwitchId, "VpcOwnerId": ownerOf(t, srv.db, "acme"),
		"Token": "sdk-token-1"}, nil))
	must(t, "move the group", move(keys["alice"], orders, inst.InstanceId))
	var decision struct {
		Allowed                                      bool
		Address, Rule, DailyLimit, Reason, RequestId string
	}
	must(t, "DescribeVpcAccessDecision", admin.common(openapi.VersionCloudAPI, "DescribeVpcAccessDecision", map[string]string{
		"CallerType": "vpc", "CallerVpcId": madeVpc.VpcId, "DomainName": vpcDomain.DomainName, "Protocol": "HTTPS"}, &decision))
	if endpoint, err := netip.ParseAddr(decision.Address); err != nil || !decision.Allowed || decision.Rule != "R4" ||
		!netip.MustParsePrefix("10.20.1.0/24").Contains(endpoint) || decision.DailyLimit != "unlimited" || decision.RequestId == "" {
		t.Fatalf("access check from the bound VPC: %+v", decision)
	}
	endpointAddr := decision.Address
	// The endpoint takes one of the vSwitch's addresses.
	vsws, err = admin.vpc.DescribeVSwitches(descVsws)
	must(t, "DescribeVSwitches after the bind", err)
	if vsws.TotalCount != 1 || vsws.VSwitches.VSwitch[0].AvailableIpAddressCount != 251 {
		t.Fatalf("DescribeVSwitches after the bind: %+v", vsws.VSwitches)
	}
	must(t, "DescribeVpcAccessDecision from the Internet", admin.common(openapi.VersionCloudAPI, "DescribeVpcAccessDecision", map[string]string{
		"CallerType": "internet", "DomainName": vpcDomain.DomainName}, &decision))
	if decision.Allowed || decision.Address != "" || decision.Rule != "R11" {
		t.Fatalf("access check from the Internet: %+v", decision)
	}

	// R7: the VPC cannot be unbound while a group on the instance has its
	// VPC domain enabled.
	err = admin.common(openapi.VersionCloudAPI, "ModifyInstanceVpcAttributeForConsole",
		map[string]string{"InstanceId": inst.InstanceId, "DeleteVpcAccess": "true"}, nil)
	se = refused(t, "R7: unbind the VPC in use", err, "InstanceVpcInUse", 400)
	if !strings.Contains(se.Message(), "sdk_orders") {
		t.Errorf("R7's message does not name the group: %s", se.Message())
	}

	// A custom domain on the VPC domain.
	const custom = "api.sdk-test.example.com"
	set := cloudapi.CreateSetDomainRequest()
	set.Domain, set.Scheme = srv.api, "http"
	set.GroupId, set.DomainName, set.CustomDomainType = orders, custom, "INTRANET"
	bound, err := admin.api.SetDomain(set)
	must(t, "SetDomain", err)
	strictly(t, bound, &cloudapi.SetDomainResponse{})
	if bound.DomainName != custom || bound.SubDomain != vpcDomain.DomainName || bound.GroupId != orders {
		t.Fatalf("SetDomain: %+v", bound)
	}
	descDomain := cloudapi.CreateDescribeDomainRequest()
	descDomain.Domain, descDomain.Scheme = srv.api, "http"
	descDomain.GroupId, descDomain.DomainName = orders, custom
	dom, err := admin.api.DescribeDomain(descDomain)
	must(t, "DescribeDomain", err)
	strictly(t, dom, &cloudapi.DescribeDomainResponse{})
	if dom.DomainName != custom || dom.SubDomain != vpcDomain.DomainName || dom.DomainBindingStatus == "" {
		t.Fatalf("DescribeDomain: %+v", dom)
	}

	// Describe everything.
	descGroup := cloudapi.CreateDescribeApiGroupRequest()
	descGroup.Domain, descGroup.Scheme = srv.api, "http"
	descGroup.GroupId = orders
	group, err := admin.api.DescribeApiGroup(descGroup)
	must(t, "DescribeApiGroup", err)
	strictly(t, group, &cloudapi.DescribeApiGroupResponse{})
	if group.InstanceId != inst.InstanceId || group.InstanceType != "VPC_DEDICATED" || group.VpcDomain != vpcDomain.DomainName ||
		group.InstanceVipList != endpointAddr || group.HttpsPolicy != "HTTPS2_TLS1_2" ||
		len(group.CustomDomains.DomainItem) != 1 || group.CustomDomains.DomainItem[0].DomainName != custom ||
		group.CustomDomains.DomainItem[0].CustomDomainType != "INTRANET" || group.Description != "Orders, described again." {
		t.Fatalf("DescribeApiGroup: %s", group.GetHttpContentString())
	}
	descInst := cloudapi.CreateDescribeInstancesRequest()
	descInst.Domain, descInst.Scheme = srv.api, "http"
	insts, err := admin.api.DescribeInstances(descInst)
	must(t, "DescribeInstances", err)
	strictly(t, insts, &cloudapi.DescribeInstancesResponse{})
	var shared, dedicated *cloudapi.InstanceAttribute
	for i, a := range insts.Instances.InstanceAttribute {
		switch a.InstanceId {
		case "api-shared-vpc-001":
			shared = &insts.Instances.InstanceAttribute[i]
		case inst.InstanceId:
			dedicated = &insts.Instances.InstanceAttribute[i]
		}
	}
	if shared == nil || dedicated == nil || insts.TotalCount != 2 || shared.InstanceType != "VPC_SHARED" || !shared.VpcSlbIntranetEnable ||
		dedicated.InstanceType != "VPC_DEDICATED" || dedicated.InstanceSpec != "api.s1.small" || dedicated.InstanceRpsLimit != 2500 ||
		!dedicated.VpcIntranetEnable || dedicated.UserVpcId != madeVpc.VpcId || dedicated.UserVswitchId != madeVsw.VSwitchId ||
		dedicated.Status != "RUNNING" || dedicated.ZoneId != "cn-hangzhou-g" || dedicated.InstanceName != "sdk-gateway" {
		t.Fatalf("DescribeInstances: %s", insts.GetHttpContentString())
	}

	// Roles and tenants through the binary: the viewer describes but does
	// not change; the rival account does not see acme's ids.
	viewer := newClients(t, srv.api, keys["victor"])
	vdesc := cloudapi.CreateDescribeApiGroupRequest()
	vdesc.Domain, vdesc.Scheme = srv.api, "http"
	vdesc.GroupId = orders
	_, err = viewer.api.DescribeApiGroup(vdesc)
	must(t, "the viewer's DescribeApiGroup", err)
	refused(t, "the viewer moves a group", move(keys["victor"], orders, "api-shared-vpc-001"), "Forbidden", 403)
	rival := newClients(t, srv.api, keys["rita"])
	rdesc := cloudapi.CreateDescribeApiGroupRequest()
	rdesc.Domain, rdesc.Scheme = srv.api, "http"
	rdesc.GroupId = orders
	_, err = rival.api.DescribeApiGroup(rdesc)
	refused(t, "rival describes acme's group", err, "NotFoundApiGroup", 404)
	rdel := vpc.CreateDeleteVpcRequest()
	rdel.Domain, rdel.Scheme = srv.api, "http"
	rdel.VpcId = madeVpc.VpcId
	_, err = rival.vpc.DeleteVpc(rdel)
	refused(t, "rival deletes acme's VPC", err, "InvalidVpcId.NotFound", 404)

	// Signature, timestamp, nonce and key failures through the binary.
	wrong := newClients(t, srv.api, key{keys["alice"].id, strings.Repeat("x", 30)})
	wreq := cloudapi.CreateDescribeRegionsRequest()
	wreq.Domain, wreq.Scheme = srv.api, "http"
	_, err = wrong.api.DescribeRegions(wreq)
	refused(t, "wrong secret", err, "SignatureDoesNotMatch", 400)
	unknown := newClients(t, srv.api, key{"LTAI" + strings.Repeat("Z", 20), keys["alice"].secret})
	ureq := cloudapi.CreateDescribeRegionsRequest()
	ureq.Domain, ureq.Scheme = srv.api, "http"
	_, err = unknown.api.DescribeRegions(ureq)
	refused(t, "unknown key", err, "InvalidAccessKeyId.NotFound", 404)
	old := signedValues(keys["alice"], http.MethodGet, map[string]string{"Action": "DescribeRegions",
		"Timestamp": time.Now().Add(-20 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")})
	if status, e, _ := raw(t, srv.api, http.MethodGet, old); status != 400 || e.Code != "InvalidTimeStamp.Expired" {
		t.Fatalf("expired timestamp: %d %+v", status, e)
	}
	once := signedValues(keys["alice"], http.MethodGet, map[string]string{"Action": "DescribeRegions"})
	if status, _, body := raw(t, srv.api, http.MethodGet, once); status != 200 {
		t.Fatalf("first use of a nonce: %d %s", status, body)
	}
	if status, e, _ := raw(t, srv.api, http.MethodGet, once); status != 400 || e.Code != "SignatureNonceUsed" {
		t.Fatalf("reused nonce: %d %+v", status, e)
	}

	// What the SDK did is in the operation log, by the key, through the
	// OpenAPI; so are the refusals.
	st, err := store.Open(ctx, srv.db)
	must(t, "open the database beside the server", err)
	defer st.Close()
	acme := ownerOf(t, srv.db, "acme")
	entries, _, err := st.ListOpLog(ctx, acme, store.OpLogQuery{Limit: 200})
	must(t, "ListOpLog", err)
	for _, want := range []struct{ action, target, outcome string }{
		{"CreateVpc", madeVpc.VpcId, "ok"},
		{"CreateVSwitch", madeVsw.VSwitchId, "ok"},
		{"CreateApiGroup", orders, "ok"},
		{"ModifyApiGroup", orders, "ok"},
		{"EnableVpcDomain", orders, "ok"},
		{"CreateInstance", inst.InstanceId, "ok"},
		{"MoveGroup", orders, "InstanceNotBoundToVpc"},
		{"EnableVpcDomain", dedicatedGroup.GroupId, "InstanceNotBoundToVpc"},
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

	// A disabled key (disabled beside the running server) is refused.
	_, err = st.SetAccessKeyEnabled(ctx, store.Actor{AccountID: acme, Name: "alice", Source: rules.SourceConsole}, keys["victor"].id, false)
	must(t, "disable the viewer's key", err)
	vreq := cloudapi.CreateDescribeRegionsRequest()
	vreq.Domain, vreq.Scheme = srv.api, "http"
	_, err = viewer.api.DescribeRegions(vreq)
	refused(t, "disabled key", err, "InvalidAccessKeyId.Inactive", 400)

	// Delete it all.
	delDomain := func() {
		req := cloudapi.CreateDeleteDomainRequest()
		req.Domain, req.Scheme = srv.api, "http"
		req.GroupId, req.DomainName = orders, custom
		_, err := admin.api.DeleteDomain(req)
		must(t, "DeleteDomain", err)
	}
	delDomain()
	delDomain() // an absent domain: still a success
	policy = cloudapi.CreateModifyIntranetDomainPolicyRequest()
	policy.Domain, policy.Scheme = srv.api, "http"
	policy.GroupId, policy.VpcIntranetEnable = orders, "false"
	_, err = admin.api.ModifyIntranetDomainPolicy(policy)
	must(t, "ModifyIntranetDomainPolicy (disable)", err)
	must(t, "unbind the instance", admin.common(openapi.VersionCloudAPI, "ModifyInstanceVpcAttributeForConsole",
		map[string]string{"InstanceId": inst.InstanceId, "DeleteVpcAccess": "true"}, nil))
	for name, id := range groupIDs {
		req := cloudapi.CreateDeleteApiGroupRequest()
		req.Domain, req.Scheme = srv.api, "http"
		req.GroupId = id
		_, err := admin.api.DeleteApiGroup(req)
		must(t, "DeleteApiGroup "+name, err)
	}
	delGroup := cloudapi.CreateDeleteApiGroupRequest()
	delGroup.Domain, delGroup.Scheme = srv.api, "http"
	delGroup.GroupId = dedicatedGroup.GroupId
	_, err = admin.api.DeleteApiGroup(delGroup)
	must(t, "DeleteApiGroup sdk_dedicated", err)
	delInst := cloudapi.CreateDeleteInstanceRequest()
	delInst.Domain, delInst.Scheme = srv.api, "http"
	delInst.InstanceId = inst.InstanceId
	_, err = admin.api.DeleteInstance(delInst)
	must(t, "DeleteInstance", err)
	delVsw := vpc.CreateDeleteVSwitchRequest()
	delVsw.Domain, delVsw.Scheme = srv.api, "http"
	delVsw.VSwitchId = madeVsw.VSwitchId
	_, err = admin.vpc.DeleteVSwitch(delVsw)
	must(t, "DeleteVSwitch", err)
	delVpc := vpc.CreateDeleteVpcRequest()
	delVpc.Domain, delVpc.Scheme = srv.api, "http"
	delVpc.VpcId = madeVpc.VpcId
	_, err = admin.vpc.DeleteVpc(delVpc)
	must(t, "DeleteVpc", err)

	if p := listPage("", "", 1, 0); p.TotalCount != 0 {
		t.Fatalf("groups left: %v", names(p))
	}
	descVpcs = vpc.CreateDescribeVpcsRequest()
	descVpcs.Domain, descVpcs.Scheme = srv.api, "http"
	left, err := admin.vpc.DescribeVpcs(descVpcs)
	must(t, "DescribeVpcs", err)
	if left.TotalCount != 0 {
		t.Fatalf("VPCs left: %+v", left.Vpcs)
	}
	insts, err = admin.api.DescribeInstances(cloudapiDescribeInstances(srv.api))
	must(t, "DescribeInstances", err)
	if insts.TotalCount != 1 {
		t.Fatalf("instances left: %+v", insts.Instances)
	}

	srv.stop(t)
	if !strings.Contains(srv.logs(), "server=openapi method=POST action=DeleteVpc status=200") {
		t.Errorf("the server's log has no line for DeleteVpc:\n%s", srv.logs())
	}
}

func cloudapiDescribeInstances(addr string) *cloudapi.DescribeInstancesRequest {
	req := cloudapi.CreateDescribeInstancesRequest()
	req.Domain, req.Scheme = addr, "http"
	return req
}

// ownerOf reads an account's id from the database file.
func ownerOf(t *testing.T, db, account string) string {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.AccountByName(context.Background(), account)
	if err != nil {
		t.Fatal(err)
	}
	return a.ID
}
