package openapi_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// The input policy of both doors (rules' Normalize and CheckVpcID) through
// the OpenAPI endpoint; e2e's groups, VPC and instance input tests send
// the same values through the console and get the same answers.
func TestInputPolicy(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	c := newClients(t, w.serve(t, openapi.Options{Limits: rules.DefaultLimits()}), w.admin)
	acme := store.Actor{AccountID: w.acme, Name: "alice", Source: rules.SourceCLI}

	// Surrounding space is dropped; no instance means the region's shared one.
	req := cloudapi.CreateCreateApiGroupRequest()
	c.at(req)
	req.GroupName, req.Description, req.RegionId = "  padded_api\t", " d ", "cn-hangzhou"
	g, err := c.api.CreateApiGroup(req)
	must(t, "CreateApiGroup with a padded name", err)
	if g.GroupName != "padded_api" || g.Description != "d" || g.InstanceId != "api-shared-vpc-001" {
		t.Fatalf("CreateApiGroup: %+v", g)
	}

	// A malformed VPC or vSwitch id is absent, as Alibaba answers it.
	v, err := w.st.CreateVpc(ctx, acme, rules.VpcInput{Name: "prod", RegionID: "cn-hangzhou", CIDR: "10.1.0.0/16"})
	must(t, "a VPC", err)
	sw, err := w.st.CreateVSwitch(ctx, acme, rules.VSwitchInput{VpcID: v.ID, ZoneID: "cn-hangzhou-g", Name: "a", CIDR: "10.1.1.0/24"})
	must(t, "a vSwitch", err)
	inst, err := w.st.CreateInstance(ctx, acme, rules.InstanceInput{Name: "gw", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small"})
	must(t, "an instance", err)

	vsw := vpc.CreateCreateVSwitchRequest()
	c.at(vsw)
	vsw.VpcId, vsw.ZoneId, vsw.CidrBlock = "vpc-NOPE", "cn-hangzhou-g", "10.1.2.0/24"
	_, err = c.vpc.CreateVSwitch(vsw)
	refused(t, "CreateVSwitch in a malformed VPC id", err, rules.CodeVpcNotFound, http.StatusNotFound)

	for _, tc := range []struct{ what, vpcID, vswID, code string }{
		{"malformed VPC id", "vpc-NOPE", sw.ID, rules.CodeVpcNotFound},
		{"malformed vSwitch id", v.ID, "sw-1", rules.CodeVSwitchNotFound},
	} {
		err := c.common(openapi.VersionCloudAPI, "ModifyInstanceVpcAttributeForConsole",
			map[string]string{"InstanceId": inst.ID, "VpcId": tc.vpcID, "VswitchId": tc.vswID}, nil)
		refused(t, "bind, "+tc.what, err, tc.code, http.StatusNotFound)
	}

	// An empty VSwitchName takes Alibaba's default, as in the console.
	vsw.VpcId, vsw.VSwitchName = v.ID, ""
	made, err := c.vpc.CreateVSwitch(vsw)
	must(t, "CreateVSwitch without a name", err)
	got, err := w.st.GetVSwitch(ctx, w.acme, made.VSwitchId)
	must(t, "read it", err)
	if got.Name != "vsw-cn-hangzhou-g" {
		t.Errorf("default vSwitch name %q", got.Name)
	}
}
