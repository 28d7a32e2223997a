package openapi_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// acmeResources are one of each of acme's resources, for the action table.
type acmeResources struct {
	vpc, vsw, inst, group, domain, api, subDomain string
}

func (w *world) acmeResources(t *testing.T) acmeResources {
	t.Helper()
	ctx := context.Background()
	a := store.Actor{AccountID: w.acme, Name: "alice", Source: rules.SourceConsole}
	v, err := w.st.CreateVpc(ctx, a, rules.VpcInput{Name: "acme-vpc", RegionID: "cn-hangzhou", CIDR: "10.0.0.0/16"})
	must(t, "CreateVpc", err)
	sw, err := w.st.CreateVSwitch(ctx, a, rules.VSwitchInput{VpcID: v.ID, ZoneID: "cn-hangzhou-g", Name: "acme-vsw", CIDR: "10.0.1.0/24"})
	must(t, "CreateVSwitch", err)
	inst, err := w.st.CreateInstance(ctx, a, rules.InstanceInput{Name: "acme-gw", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g",
		Spec: "api.s1.small", HTTPSPolicy: "HTTPS2_TLS1_2"})
	must(t, "CreateInstance", err)
	_, err = w.st.BindVpc(ctx, a, inst.ID, v.ID, sw.ID)
	must(t, "BindVpc", err)
	g, err := w.st.CreateGroup(ctx, a, rules.GroupInput{Name: "acme_group", RegionID: "cn-hangzhou", InstanceID: inst.ID})
	must(t, "CreateGroup", err)
	d, err := w.st.BindDomain(ctx, a, g.ID, rules.DomainInput{Name: "api.acme.example.com", NetworkType: rules.NetworkInternet})
	must(t, "BindDomain", err)
	api, err := w.st.CreateAPI(ctx, a, g.ID, rules.APIDefinition{Name: "acme_api", Method: "GET", Path: "/acme",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "acme"})
	must(t, "CreateAPI", err)
	_, err = w.st.DeployAPI(ctx, a, api.ID, rules.StageRelease, "")
	must(t, "DeployAPI", err)
	return acmeResources{vpc: v.ID, vsw: sw.ID, inst: inst.ID, group: g.ID, domain: d.Name, api: api.ID, subDomain: g.PublicDomain()}
}

// actionCase is how the table calls an action with acme's ids.
type actionCase struct {
	mutates bool              // a change: refused to viewers
	params  map[string]string // naming acme's resources where the action takes any
	// mayAnswer: the action names none of acme's resources, or only
	// filters by them; another account's call may succeed, on its own
	// account, but must not show acme's ids. Otherwise it must answer 404.
	mayAnswer bool
}

// actionTable has a case for every action of every version: a served
// action without a case fails TestEveryActionIsIsolatedAndGuarded.
func actionTable(r acmeResources) map[string]map[string]actionCase {
	return map[string]map[string]actionCase{
		openapi.VersionCloudAPI: {
			"DescribeRegions":            {params: map[string]string{}, mayAnswer: true},
			"CreateApiGroup":             {mutates: true, params: map[string]string{"GroupName": "stolen_group", "InstanceId": r.inst}},
			"DescribeApiGroups":          {params: map[string]string{"GroupId": r.group}, mayAnswer: true},
			"DescribeApiGroup":           {params: map[string]string{"GroupId": r.group}},
			"ModifyApiGroup":             {mutates: true, params: map[string]string{"GroupId": r.group, "Description": "mine"}},
			"DeleteApiGroup":             {mutates: true, params: map[string]string{"GroupId": r.group}},
			"CreateIntranetDomain":       {mutates: true, params: map[string]string{"GroupId": r.group}},
			"ModifyIntranetDomainPolicy": {mutates: true, params: map[string]string{"GroupId": r.group, "VpcIntranetEnable": "true"}},
			"ModifyApiGroupInstance":     {mutates: true, params: map[string]string{"GroupId": r.group, "TargetInstanceId": "api-shared-vpc-001"}},
			"DescribeInstances":          {params: map[string]string{"InstanceId": r.inst}, mayAnswer: true},
			"CreateInstance":             {mutates: true, params: map[string]string{"InstanceName": "own-gw", "InstanceSpec": "api.s1.small", "ZoneId": "cn-hangzhou-g"}, mayAnswer: true},
			"DeleteInstance":             {mutates: true, params: map[string]string{"InstanceId": r.inst}},
			"ModifyInstanceAttribute":    {mutates: true, params: map[string]string{"InstanceId": r.inst, "InstanceName": "stolen-gw", "HttpsPolicy": "HTTPS1_1_TLS1_0"}},
			"ModifyInstanceVpcAttributeForConsole": {mutates: true, params: map[string]string{"InstanceId": r.inst, "VpcId": r.vpc, "VswitchId": r.vsw,
				"DeleteVpcAccess": "true"}},
			"SetDomain":      {mutates: true, params: map[string]string{"GroupId": r.group, "DomainName": "www.acme.example.com"}},
			"DescribeDomain": {params: map[string]string{"GroupId": r.group, "DomainName": r.domain}},
			"DeleteDomain":   {mutates: true, params: map[string]string{"GroupId": r.group, "DomainName": r.domain}},
			"SetDomainCertificate": {mutates: true, params: map[string]string{"GroupId": r.group, "DomainName": r.domain, "CertificateName": "stolen",
				"CertificateBody": "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "CertificatePrivateKey": "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"}},
			"DeleteDomainCertificate":   {mutates: true, params: map[string]string{"GroupId": r.group, "DomainName": r.domain, "CertificateId": "0123456789abcdef0123456789abcdef"}},
			"DescribeVpcAccessDecision": {params: map[string]string{"CallerType": "vpc", "CallerVpcId": r.vpc, "DomainName": r.subDomain}},
			"CreateApi": {mutates: true, params: map[string]string{"GroupId": r.group, "ApiName": "stolen_api",
				"RequestConfig": `{"RequestPath":"/s","RequestHttpMethod":"GET","RequestProtocol":"HTTP"}`, "ServiceConfig": `{"Mock":"TRUE"}`}},
			"ModifyApi":            {mutates: true, params: map[string]string{"ApiId": r.api, "Description": "mine"}},
			"DeleteApi":            {mutates: true, params: map[string]string{"ApiId": r.api}},
			"DescribeApi":          {params: map[string]string{"ApiId": r.api}},
			"DescribeApis":         {params: map[string]string{"GroupId": r.group}, mayAnswer: true},
			"DeployApi":            {mutates: true, params: map[string]string{"ApiId": r.api, "StageName": "TEST"}},
			"AbolishApi":           {mutates: true, params: map[string]string{"ApiId": r.api, "StageName": "RELEASE"}},
			"DescribeDeployedApis": {params: map[string]string{"GroupId": r.group, "StageName": "RELEASE"}, mayAnswer: true},
			"DescribeDeployedApi":  {params: map[string]string{"ApiId": r.api, "StageName": "RELEASE"}},
		},
		openapi.VersionVPC: {
			"DescribeZones":     {params: map[string]string{"RegionId": "cn-hangzhou"}, mayAnswer: true},
			"CreateVpc":         {mutates: true, params: map[string]string{"CidrBlock": "10.0.0.0/16"}, mayAnswer: true},
			"DescribeVpcs":      {params: map[string]string{"VpcId": r.vpc}, mayAnswer: true},
			"DeleteVpc":         {mutates: true, params: map[string]string{"VpcId": r.vpc}},
			"CreateVSwitch":     {mutates: true, params: map[string]string{"VpcId": r.vpc, "ZoneId": "cn-hangzhou-h", "CidrBlock": "10.0.2.0/24"}},
			"DescribeVSwitches": {params: map[string]string{"VpcId": r.vpc}, mayAnswer: true},
			"DeleteVSwitch":     {mutates: true, params: map[string]string{"VSwitchId": r.vsw}},
		},
	}
}

// Every action served, of both versions: a viewer's key is refused every
// change (403, on record) and describes; another account's key never
// reaches acme's resources (404, or an answer without them); and acme's
// account is as it was. The table must name every action the endpoint
// serves, with whether it changes something, so a new action cannot be
// left out.
func TestEveryActionIsIsolatedAndGuarded(t *testing.T) {
	w := newWorld(t)
	r := w.acmeResources(t)
	addr := w.serve(t, openapi.Options{})
	ctx := context.Background()
	changes := func(account string) int {
		entries, _, err := w.st.ListOpLog(ctx, account, store.OpLogQuery{Limit: 200})
		must(t, "ListOpLog", err)
		n := 0
		for _, e := range entries {
			if e.Outcome == "ok" {
				n++
			}
		}
		return n
	}
	before := changes(w.acme)
	acmeIDs := []string{r.vpc, r.vsw, r.inst, r.group, r.domain, r.api, w.acme}

	table := actionTable(r)
	for _, version := range []string{openapi.VersionCloudAPI, openapi.VersionVPC} {
		served := openapi.ServedActions(version)
		cases := table[version]
		var names []string
		for name := range served {
			names = append(names, name)
		}
		sort.Strings(names)
		for name := range cases {
			if _, ok := served[name]; !ok {
				t.Errorf("%s %s is in the table but not served", version, name)
			}
		}
		for _, name := range names {
			tc, ok := cases[name]
			if !ok {
				t.Errorf("%s %s is served but has no case in actionTable: add one", version, name)
				continue
			}
			t.Run(version+"/"+name, func(t *testing.T) {
				if served[name] != tc.mutates {
					t.Fatalf("the endpoint refuses it to viewers: %v; the table says it changes something: %v", served[name], tc.mutates)
				}
				p := map[string]string{"Action": name, "Version": version}
				for k, v := range tc.params {
					p[k] = v
				}
				status, e, body := raw(t, addr, http.MethodPost, signedValues(w.viewer, http.MethodPost, p))
				switch {
				case tc.mutates && (status != http.StatusForbidden || e.Code != "Forbidden"):
					t.Errorf("viewer: %d %s, want 403 Forbidden: %s", status, e.Code, body)
				case !tc.mutates && status != http.StatusOK:
					t.Errorf("viewer describing: %d %s: %s", status, e.Code, body)
				}
				status, e, body = raw(t, addr, http.MethodPost, signedValues(w.rivalAdmin, http.MethodPost, p))
				switch {
				case !tc.mayAnswer && status != http.StatusNotFound:
					t.Errorf("another account: %d %s, want 404: %s", status, e.Code, body)
				case tc.mayAnswer && status >= 500:
					t.Errorf("another account: %d %s: %s", status, e.Code, body)
				}
				for _, id := range acmeIDs {
					if strings.Contains(string(body), id) && !strings.Contains(e.Message, id) {
						t.Errorf("another account's answer shows acme's %s: %s", id, body)
					}
				}
			})
		}
	}
	if after := changes(w.acme); after != before {
		t.Errorf("acme's account changed: %d → %d committed changes", before, after)
	}
	refusals, _, err := w.st.ListOpLog(ctx, w.acme, store.OpLogQuery{Limit: 200})
	must(t, "ListOpLog", err)
	forbidden := 0
	for _, e := range refusals {
		if e.Outcome == "Forbidden" && e.Actor == w.viewer.id {
			forbidden++
		}
	}
	want := 0
	for _, cases := range table {
		for _, tc := range cases {
			if tc.mutates {
				want++
			}
		}
	}
	if forbidden != want {
		t.Errorf("%d of the viewer's refused changes on record, want %d", forbidden, want)
	}
}
