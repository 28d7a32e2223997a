package webtest

import (
	"context"
	"fmt"
	"strings"

	"gatehouse/rules"
	"gatehouse/store"
)

// Tenant is one account with a resource of each kind: a VPC with a
// vSwitch, a dedicated instance bound to it and one left unbound, a group
// on the bound instance with its VPC domain enabled, a custom domain and
// an API (list_orders, GET /orders, a Mock, deployed to RELEASE), an
// access key, and an admin, an operator and a viewer sharing Password.
type Tenant struct {
	Account                   rules.Account
	Admin, Operator, Viewer   string
	Password                  string
	Vpc, VSwitch              string
	Instance, UnboundInstance string
	Group, Domain, Key        string
	API                       string
}

// NewTenant makes the account name and its resources in cidr (a /16).
func NewTenant(ctx context.Context, st *store.Store, name, cidr string) (Tenant, error) {
	tn := Tenant{Admin: name + "-admin", Operator: name + "-op", Viewer: name + "-viewer", Password: "a-long-password-" + name}
	for _, u := range []struct {
		login string
		role  rules.Role
	}{{tn.Admin, rules.RoleAdmin}, {tn.Operator, rules.RoleOperator}, {tn.Viewer, rules.RoleViewer}} {
		if _, err := st.AddUser(ctx, name, u.login, u.role, tn.Password); err != nil {
			return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
		}
	}
	acct, err := st.AccountByName(ctx, name)
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	tn.Account = acct
	a := tn.Actor()
	vpc, err := st.CreateVpc(ctx, a, rules.VpcInput{Name: "main", RegionID: "cn-hangzhou", CIDR: cidr})
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	vsw, err := st.CreateVSwitch(ctx, a, rules.VSwitchInput{VpcID: vpc.ID, ZoneID: "cn-hangzhou-g", Name: "sw", CIDR: strings.Replace(cidr, "/16", "/24", 1)})
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	inst, err := st.CreateInstance(ctx, a, rules.InstanceInput{Name: "gw", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: rules.DefaultHTTPSPolicy})
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	if _, err := st.BindVpc(ctx, a, inst.ID, vpc.ID, vsw.ID); err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	unbound, err := st.CreateInstance(ctx, a, rules.InstanceInput{Name: "spare", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: rules.DefaultHTTPSPolicy})
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	g, err := st.CreateGroup(ctx, a, rules.GroupInput{Name: "orders", RegionID: "cn-hangzhou", InstanceID: inst.ID})
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	if _, err := st.EnableVpcDomain(ctx, a, g.ID); err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	d, err := st.BindDomain(ctx, a, g.ID, rules.DomainInput{Name: "api." + name + ".example.com", NetworkType: rules.NetworkInternet})
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	key, _, err := st.CreateAccessKey(ctx, a, tn.Admin)
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	api, err := st.CreateAPI(ctx, a, g.ID, rules.APIDefinition{Name: "list_orders", Method: rules.MethodGet, Path: "/orders",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "{}"})
	if err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	if _, err := st.DeployAPI(ctx, a, api.ID, rules.StageRelease, "by the fixture"); err != nil {
		return tn, fmt.Errorf("webtest: tenant %s: %w", name, err)
	}
	tn.API = api.ID
	tn.Vpc, tn.VSwitch, tn.Instance, tn.UnboundInstance, tn.Group, tn.Domain, tn.Key = vpc.ID, vsw.ID, inst.ID, unbound.ID, g.ID, d.Name, key.ID
	return tn, nil
}

// Actor makes changes in the tenant's account directly through the store,
// as a test's fixture does.
func (tn Tenant) Actor() store.Actor {
	return store.Actor{AccountID: tn.Account.ID, Name: "fixture", Source: rules.SourceConsole}
}

// Changes counts the successful changes of the account: every mutation
// writes exactly one operation-log row with outcome ok in its transaction
// (logins and logouts are not changes).
func (tn Tenant) Changes(ctx context.Context, st *store.Store) (int, error) {
	n := 0
	var before store.OpLogCursor
	for {
		entries, next, err := st.ListOpLog(ctx, tn.Account.ID, store.OpLogQuery{Limit: 200, Before: before})
		if err != nil {
			return 0, err
		}
		for _, e := range entries {
			if e.Outcome == "ok" && e.Action != "Login" && e.Action != "Logout" {
				n++
			}
		}
		if next.IsZero() {
			return n, nil
		}
		before = next
	}
}
