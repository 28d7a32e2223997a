package openapi_test

import (
	"context"
	"strings"
	"testing"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// A shared instance's VPC domain is reachable from any account's VPCs in
// its region (R3): DescribeVpcAccessDecision asked by rival about acme's
// group answers as the network would, allowed with the address, and
// names nothing of acme. Asked about acme's dedicated instance, it refuses
// by R4, again naming nothing of acme (issue 16).
func TestAccessDecisionAcrossAccounts(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	acme := store.Actor{AccountID: w.acme, Name: "alice", Source: rules.SourceCLI}
	rival := store.Actor{AccountID: w.rival, Name: "rita", Source: rules.SourceCLI}
	shared, _ := rules.DefaultSharedInstanceID("cn-hangzhou")
	onShared, err := w.st.CreateGroup(ctx, acme, rules.GroupInput{Name: "acme_secret_orders", RegionID: "cn-hangzhou", InstanceID: shared})
	must(t, "create acme's group", err)
	_, err = w.st.EnableVpcDomain(ctx, acme, onShared.ID)
	must(t, "enable its VPC domain", err)

	acmeVpc, err := w.st.CreateVpc(ctx, acme, rules.VpcInput{Name: "acme-vpc", RegionID: "cn-hangzhou", CIDR: "10.1.0.0/16"})
	must(t, "acme's VPC", err)
	acmeVsw, err := w.st.CreateVSwitch(ctx, acme, rules.VSwitchInput{VpcID: acmeVpc.ID, ZoneID: "cn-hangzhou-g", Name: "acme-vsw", CIDR: "10.1.1.0/24"})
	must(t, "acme's vSwitch", err)
	inst, err := w.st.CreateInstance(ctx, acme, rules.InstanceInput{Name: "acme-gw", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: rules.DefaultHTTPSPolicy})
	must(t, "acme's instance", err)
	_, err = w.st.BindVpc(ctx, acme, inst.ID, acmeVpc.ID, acmeVsw.ID)
	must(t, "bind it", err)
	onDedicated, err := w.st.CreateGroup(ctx, acme, rules.GroupInput{Name: "acme_private_api", RegionID: "cn-hangzhou", InstanceID: inst.ID})
	must(t, "create acme's dedicated group", err)
	_, err = w.st.EnableVpcDomain(ctx, acme, onDedicated.ID)
	must(t, "enable its VPC domain", err)

	rivalVpc, err := w.st.CreateVpc(ctx, rival, rules.VpcInput{Name: "rival-vpc", RegionID: "cn-hangzhou", CIDR: "10.2.0.0/16"})
	must(t, "rival's VPC", err)

	c := newClients(t, w.serve(t, openapi.Options{Limits: rules.DefaultLimits()}), w.rivalAdmin)
	secrets := []string{onShared.Name, onDedicated.Name, w.acme, inst.ID, acmeVpc.ID, acmeVsw.ID, "acme"}
	tests := []struct {
		name, caller, domain string
		allowed              bool
		rule, address        string
	}{
		{"shared, rival's VPC", "vpc", onShared.VpcDomain(), true, "R3", rules.SharedVpcAddress(onShared.ID)},
		{"shared, rival's hybrid network", "hybrid", onShared.VpcDomain(), false, "R10", rules.SharedVpcAddress(onShared.ID)},
		{"dedicated, rival's VPC", "vpc", onDedicated.VpcDomain(), false, "R4", ""},
		{"public, the Internet", "internet", onDedicated.PublicDomain(), true, "R2", rules.PublicAddress("cn-hangzhou")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			params := map[string]string{"CallerType": tt.caller, "DomainName": tt.domain}
			if tt.caller != "internet" {
				params["CallerVpcId"] = rivalVpc.ID
			}
			var d struct {
				Allowed                                 bool
				Address, Rule, Reason, Recommend, Error string
			}
			must(t, "DescribeVpcAccessDecision", c.common(openapi.VersionCloudAPI, "DescribeVpcAccessDecision", params, &d))
			if d.Allowed != tt.allowed || d.Rule != tt.rule || d.Address != tt.address {
				t.Fatalf("got %+v", d)
			}
			for _, s := range secrets {
				if strings.Contains(d.Reason+d.Recommend, s) {
					t.Fatalf("the answer to rival names %q of acme: %s %s", s, d.Reason, d.Recommend)
				}
			}
		})
	}
}
