package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gatehouse/rules"
)

// DemoAccount is the name of the account Demo fills.
const DemoAccount = "demo"

// Demo fills the account "demo" with a realistic setup, in one
// transaction: VPCs with vSwitches in cn-hangzhou and cn-shanghai, a
// dedicated instance bound to a VPC and one that is not, groups on shared
// and dedicated instances (some with the VPC domain enabled) and custom
// domains of both network types. It goes through the same code (and rules)
// as the console. It is idempotent: when the account exists it changes
// nothing and returns false. It creates no users.
func (s *Store) Demo(ctx context.Context) (created bool, err error) {
	err = s.write(ctx, func(tx *sql.Tx) error {
		if _, err := accountByName(ctx, tx, DemoAccount); err == nil {
			return nil
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		acct, _, err := s.ensureAccount(ctx, tx, DemoAccount)
		if err != nil {
			return err
		}
		created = true
		return s.fillDemo(ctx, tx, Actor{AccountID: acct.ID, Name: "demo", Source: rules.SourceCLI})
	})
	if err != nil {
		return false, fmt.Errorf("store: demo: %w", err)
	}
	return created, nil
}

func (s *Store) fillDemo(ctx context.Context, tx *sql.Tx, a Actor) error {
	vpc := func(region, name, cidr, desc string) (rules.VPC, error) {
		return s.createVpc(ctx, tx, a, rules.VpcInput{Name: name, Description: desc, RegionID: region, CIDR: cidr})
	}
	vsw := func(v rules.VPC, zone, name, cidr string) (rules.VSwitch, error) {
		return s.createVSwitch(ctx, tx, a, rules.VSwitchInput{VpcID: v.ID, ZoneID: zone, Name: name, CIDR: cidr})
	}
	prod, err := vpc("cn-hangzhou", "prod-vpc", "172.16.0.0/12", "Production network")
	if err != nil {
		return err
	}
	prodG, err := vsw(prod, "cn-hangzhou-g", "prod-app-g", "172.16.0.0/24")
	if err != nil {
		return err
	}
	if _, err := vsw(prod, "cn-hangzhou-h", "prod-app-h", "172.16.1.0/24"); err != nil {
		return err
	}
	staging, err := vpc("cn-hangzhou", "staging-vpc", "192.168.0.0/16", "Staging network")
	if err != nil {
		return err
	}
	if _, err := vsw(staging, "cn-hangzhou-i", "staging-app", "192.168.10.0/24"); err != nil {
		return err
	}
	sh, err := vpc("cn-shanghai", "shanghai-vpc", "10.0.0.0/8", "Shanghai office and batch jobs")
	if err != nil {
		return err
	}
	if _, err := vsw(sh, "cn-shanghai-e", "shanghai-batch", "10.20.0.0/16"); err != nil {
		return err
	}

	bound, err := s.createInstance(ctx, tx, a, rules.InstanceInput{Name: "prod-gateway", RegionID: "cn-hangzhou",
		ZoneID: "cn-hangzhou-g", Spec: "api.s1.medium", HTTPSPolicy: "HTTPS2_TLS1_2"})
	if err != nil {
		return err
	}
	if _, err := s.bindVpc(ctx, tx, a, bound.ID, prod.ID, prodG.ID); err != nil {
		return err
	}
	unbound, err := s.createInstance(ctx, tx, a, rules.InstanceInput{Name: "staging-gateway", RegionID: "cn-hangzhou",
		ZoneID: "cn-hangzhou-h", Spec: "api.s1.small", HTTPSPolicy: "HTTPS2_TLS1_0"})
	if err != nil {
		return err
	}
	hzShared, ok1 := rules.DefaultSharedInstanceID("cn-hangzhou")
	shShared, ok2 := rules.DefaultSharedInstanceID("cn-shanghai")
	if !ok1 || !ok2 {
		return errors.New("the catalogue has no shared instance in cn-hangzhou or cn-shanghai")
	}

	groups := []struct {
		name, desc, region, instance string
		vpcDomain                    bool
		domains                      []rules.DomainInput
	}{
		{"orders_api", "Order placement and tracking", "cn-hangzhou", hzShared, true,
			[]rules.DomainInput{{Name: "orders.demo-shop.example.com", NetworkType: rules.NetworkInternet}}},
		{"catalog_api", "Product catalogue, read-only", "cn-hangzhou", hzShared, false, nil},
		{"payments_api", "Payment callbacks from the PSP", "cn-shanghai", shShared, true, nil},
		{"shanghai_reports", "Nightly reports", "cn-shanghai", shShared, false, nil},
		{"billing_internal", "Billing, reachable from prod-vpc only", "cn-hangzhou", bound.ID, true,
			[]rules.DomainInput{{Name: "billing.internal.demo-shop.example.com", NetworkType: rules.NetworkIntranet}}},
		{"inventory_service", "Stock levels for the warehouse systems", "cn-hangzhou", bound.ID, true, nil},
		{"partner_gateway", "APIs published to partners", "cn-hangzhou", bound.ID, false,
			[]rules.DomainInput{{Name: "partners.demo-shop.example.com", NetworkType: rules.NetworkInternet}}},
		{"staging_sandbox", "Try-outs before production", "cn-hangzhou", unbound.ID, false, nil},
	}
	made := map[string]rules.Group{}
	for _, gd := range groups {
		g, err := s.createGroup(ctx, tx, a, rules.GroupInput{Name: gd.name, Description: gd.desc, RegionID: gd.region, InstanceID: gd.instance})
		if err != nil {
			return fmt.Errorf("group %s: %w", gd.name, err)
		}
		made[gd.name] = g
		if gd.vpcDomain {
			if _, err := s.enableVpcDomain(ctx, tx, a, g.ID); err != nil {
				return fmt.Errorf("group %s: %w", gd.name, err)
			}
		}
		for _, d := range gd.domains {
			bd, detail, err := s.bindDomain(ctx, tx, a, g.ID, d)
			if err == nil {
				err = s.logOp(ctx, tx, a, rules.ActionBindDomain, bd.Name, detail)
			}
			if err != nil {
				return fmt.Errorf("group %s: %w", gd.name, err)
			}
		}
	}
	return s.fillDemoAPIs(ctx, tx, a, made)
}

// fillDemoAPIs gives the demo's groups Mock and HTTP APIs deployed to
// RELEASE and TEST, one of them edited since its RELEASE deployment (so
// the two stages serve different revisions) and one not deployed at all.
func (s *Store) fillDemoAPIs(ctx context.Context, tx *sql.Tx, a Actor, groups map[string]rules.Group) error {
	both := rules.ProtocolsHTTP | rules.ProtocolsHTTPS
	jsonType := []rules.Header{{Name: "Content-Type", Value: "application/json"}}
	backend := "http://127.0.0.1:9000"
	apis := []struct {
		group  string
		def    rules.APIDefinition
		stages []rules.Stage
	}{
		{"orders_api", rules.APIDefinition{Name: "list_orders", Description: "The latest orders, newest first", Method: rules.MethodGet, Path: "/orders",
			Protocols: both, Backend: rules.BackendMock, MockBody: `{"orders":[{"id":"o-1001","status":"PAID"},{"id":"o-1002","status":"SHIPPED"}]}`,
			MockHeaders: jsonType}, []rules.Stage{rules.StageRelease, rules.StageTest}},
		{"orders_api", rules.APIDefinition{Name: "get_order", Description: "One order by its id", Method: rules.MethodGet, Path: "/orders/[orderId]",
			Protocols: both, Backend: rules.BackendHTTP, ServiceAddress: backend, ServicePath: "/v1/orders/[orderId]", ServiceTimeout: 3000},
			[]rules.Stage{rules.StageRelease, rules.StageTest}},
		{"orders_api", rules.APIDefinition{Name: "create_order", Description: "Place an order", Method: rules.MethodPost, Path: "/orders",
			Protocols: rules.ProtocolsHTTPS, Backend: rules.BackendHTTP, ServiceAddress: backend, ServicePath: "/v1/orders", ServiceTimeout: 10_000},
			[]rules.Stage{rules.StageTest}},
		{"catalog_api", rules.APIDefinition{Name: "search_products", Description: "Search the catalogue", Method: rules.MethodGet, Path: "/products",
			Protocols: both, Backend: rules.BackendMock, MockBody: `{"products":[{"sku":"P-1","name":"Kettle"}],"total":1}`, MockHeaders: jsonType},
			[]rules.Stage{rules.StageRelease, rules.StageTest}},
		{"catalog_api", rules.APIDefinition{Name: "product_feed", Description: "Not ready yet: no stage serves it", Method: rules.MethodGet,
			Path: "/feed", Protocols: both, Backend: rules.BackendMock, MockStatus: 503, MockBody: "Coming soon"}, nil},
		{"billing_internal", rules.APIDefinition{Name: "get_invoice", Description: "Invoices, from prod-vpc only", Method: rules.MethodGet,
			Path: "/invoices/[id]", Protocols: both, Backend: rules.BackendMock, MockBody: `{"invoice":"INV-7","amount":"42.00"}`, MockHeaders: jsonType,
			DisableInternet: true}, []rules.Stage{rules.StageRelease}},
		{"inventory_service", rules.APIDefinition{Name: "stock_level", Description: "Stock of one item", Method: rules.MethodAny,
			Path: "/stock/[sku]", Protocols: both, Backend: rules.BackendHTTP, ServiceAddress: backend, ServicePath: "/stock/[sku]", ServiceMethod: rules.MethodAny,
			ServiceTimeout: 2000}, []rules.Stage{rules.StageRelease, rules.StageTest}},
	}
	for _, ad := range apis {
		g, ok := groups[ad.group]
		if !ok {
			return fmt.Errorf("API %s: no group %s", ad.def.Name, ad.group)
		}
		api, err := s.createAPI(ctx, tx, a, g.ID, ad.def)
		if err != nil {
			return fmt.Errorf("API %s: %w", ad.def.Name, err)
		}
		for _, st := range ad.stages {
			if _, err := s.deployAPI(ctx, tx, a, api.ID, st, "First deployment"); err != nil {
				return fmt.Errorf("API %s: %w", ad.def.Name, err)
			}
		}
		if ad.def.Name == "list_orders" { // TEST gets revision 2; RELEASE keeps revision 1
			def := api.APIDefinition
			def.MockBody = `{"orders":[{"id":"o-1001","status":"PAID"},{"id":"o-1002","status":"SHIPPED"}],"next":"o-1003"}`
			if _, err := s.modifyAPI(ctx, tx, a, api.ID, def); err != nil {
				return fmt.Errorf("API %s: %w", ad.def.Name, err)
			}
			if _, err := s.deployAPI(ctx, tx, a, api.ID, rules.StageTest, "Adds the next-page cursor"); err != nil {
				return fmt.Errorf("API %s: %w", ad.def.Name, err)
			}
		}
	}
	return nil
}

// Benchmark data: the accounts GenerateGroups spreads over by default, the
// regions where it gives each account VPCs and dedicated instances, and
// the batch size of its transactions.
var (
	benchAccounts = []string{"bench-1", "bench-2", "bench-3", "bench-4"}
	benchRegions  = []string{"cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1"}
	// Names mix cases and letters beyond ASCII, as operators' names do, so
	// that searches exercise folding (rules.FoldName).
	benchWords = []string{"Orders", "payments", "USERS", "inventory", "Billing", "search", "Shipping", "catalog", "auth", "Über_notify"}
)

const generateBatch = 5000

// placement is where a generated group may go.
type placement struct {
	regionID, instanceID string
	vpcDomainOK          bool // the VPC domain may be enabled there (R5)
}

// GenerateGroups loads n groups for benchmarks, in batched transactions of
// generateBatch rows through one prepared statement. With accountName ""
// they are spread over the accounts bench-1 … bench-4; otherwise they all
// go into accountName (created if new, so its users see them). Every
// account used gets, once, a VPC with a vSwitch and a bound dedicated
// instance in each of four regions plus an unbound one in cn-hangzhou; the
// groups are spread over every region, on its shared instance and the
// account's dedicated instances, a third of them with the VPC domain
// enabled where R5 allows. Names are "<word>_<run tag>_<n>", unique per
// account and region across runs. group_counts stays right (triggers).
func (s *Store) GenerateGroups(ctx context.Context, n int, accountName string) error {
	return s.GenerateGroupsWithAPIs(ctx, n, accountName, 0)
}

// GenerateGroupsWithAPIs is GenerateGroups with apisPerGroup APIs in each
// group, in the same transactions: Mock and HTTP backends in turn, the
// usual shapes of a REST API (list, get, create, update, delete of a
// resource), the first API of each group deployed to RELEASE and the second
// to TEST. 100,000 groups with 2 APIs each make 200,000 APIs.
func (s *Store) GenerateGroupsWithAPIs(ctx context.Context, n int, accountName string, apisPerGroup int) error {
	if apisPerGroup < 0 {
		return fmt.Errorf("store: generate groups: negative APIs per group %d", apisPerGroup)
	}
	if n < 0 {
		return fmt.Errorf("store: generate groups: negative count %d", n)
	}
	// Bulk inserts with random ids touch every page of every index: a page
	// cache large enough for them saves most of the reads and writes. The
	// writer connection gets its default back afterwards.
	if _, err := s.w.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil { // 256 MiB
		return fmt.Errorf("store: generate groups: %w", err)
	}
	defer s.w.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`) //nolint:errcheck // the default again; nothing to lose
	names := benchAccounts
	if accountName != "" {
		names = []string{accountName}
	}
	type target struct {
		acct   rules.Account
		places []placement
	}
	targets := make([]target, len(names))
	for i, name := range names {
		if err := rules.CheckAccountName(name); err != nil {
			return fmt.Errorf("store: generate groups: %w", asInputError(err))
		}
		var t target
		err := s.write(ctx, func(tx *sql.Tx) error {
			var err error
			if t.acct, _, err = s.ensureAccount(ctx, tx, name); err != nil {
				return err
			}
			t.places, err = s.benchPlacements(ctx, tx, Actor{AccountID: t.acct.ID, Name: "generator", Source: rules.SourceCLI})
			return err
		})
		if err != nil {
			return fmt.Errorf("store: generate groups: account %s: %w", name, err)
		}
		targets[i] = t
	}

	tag := runTag()
	start := s.now().UTC().Add(-time.Duration(n) * time.Millisecond)
	for done := 0; done < n; {
		size := min(generateBatch, n-done)
		err := s.write(ctx, func(tx *sql.Tx) error {
			stmt, err := tx.PrepareContext(ctx, `INSERT INTO api_groups
				(id, account_id, region_id, instance_id, name, name_folded, description, vpc_domain_enabled, created_at, modified_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
			if err != nil {
				return err
			}
			defer stmt.Close()
			var apis *apiGenerator
			if apisPerGroup > 0 {
				if apis, err = newAPIGenerator(ctx, tx, apisPerGroup); err != nil {
					return err
				}
				defer apis.close()
			}
			perAccount := make([]int, len(targets))
			for i := done; i < done+size; i++ {
				t := targets[i%len(targets)]
				k := i / len(targets)
				p := t.places[k%len(t.places)]
				at := unixNano(start.Add(time.Duration(i) * time.Millisecond))
				name := fmt.Sprintf("%s_%s_%d", benchWords[k%len(benchWords)], tag, i)
				vpcDomain := p.vpcDomainOK && k%3 == 0
				groupID := rules.NewGroupID()
				if _, err := stmt.ExecContext(ctx, groupID, t.acct.ID, p.regionID, p.instanceID, name, rules.FoldName(name),
					"Generated for benchmarks", vpcDomain, at, at); err != nil {
					return err
				}
				if apis != nil {
					if err := apis.add(ctx, t.acct.ID, groupID, name, p.regionID, benchWords[k%len(benchWords)], at); err != nil {
						return err
					}
				}
				perAccount[i%len(targets)]++
			}
			for i, c := range perAccount {
				if c == 0 {
					continue
				}
				a := Actor{AccountID: targets[i].acct.ID, Name: "generator", Source: rules.SourceCLI}
				if err := s.logOp(ctx, tx, a, rules.ActionGenerateGroups, targets[i].acct.ID, fmt.Sprintf("%d groups, %d APIs", c, c*apisPerGroup)); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: generate groups: batch at %d: %w", done, err)
		}
		done += size
	}
	return nil
}

// apiGenerator inserts the generated APIs of GenerateGroupsWithAPIs and
// their deployments through prepared statements.
type apiGenerator struct {
	perGroup     int
	api, deploy  *sql.Stmt
	mock, remote rules.APIDefinition
}

// The shapes of generated APIs: name prefix, method, path after /<word>.
var generatedOps = []struct{ verb, method, path string }{
	{"list", rules.MethodGet, ""}, {"create", rules.MethodPost, ""}, {"get", rules.MethodGet, "/[id]"},
	{"update", rules.MethodPut, "/[id]"}, {"delete", rules.MethodDelete, "/[id]"},
}

func newAPIGenerator(ctx context.Context, tx *sql.Tx, perGroup int) (*apiGenerator, error) {
	g := &apiGenerator{perGroup: perGroup}
	var err error
	if g.api, err = tx.PrepareContext(ctx, `INSERT INTO apis (id, account_id, group_id, group_name, region_id, route_shape, revision, created_at, modified_at, `+apiDefNames+`)
		VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?, `+apiDefPlaceholders+`)`); err != nil {
		return nil, err
	}
	if g.deploy, err = tx.PrepareContext(ctx, `INSERT INTO api_deployments (api_id, stage, account_id, group_id, api_created_at,
		route_shape, revision, description, deployed_by, deployed_via, deployed_at, `+apiDefNamesD+`)
		VALUES (?, ?, ?, ?, ?, ?, 1, 'Generated for benchmarks', 'generator', 'cli', ?, `+apiDefPlaceholders+`)`); err != nil {
		g.api.Close()
		return nil, err
	}
	base := rules.APIDefinition{Protocols: rules.ProtocolsHTTP | rules.ProtocolsHTTPS, Description: "Generated for benchmarks"}
	g.mock, g.remote = base, base
	g.mock.Backend, g.mock.MockBody, g.mock.MockHeaders = rules.BackendMock, `{"ok":true}`, []rules.Header{{Name: "Content-Type", Value: "application/json"}}
	g.remote.Backend, g.remote.ServiceAddress, g.remote.ServiceTimeout = rules.BackendHTTP, "http://127.0.0.1:9000", 10_000
	return g, nil
}

// asciiPath keeps the characters of word a request path may hold (SPEC
// §6: ASCII): "Über_notify" → "ber_notify". A path the rules refuse
// would be a deployment the gateway cannot route, and its group would
// answer every call with an internal error.
func asciiPath(word string) string {
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII {
			return -1
		}
		return r
	}, word)
}

func (g *apiGenerator) close() {
	g.api.Close()
	g.deploy.Close()
}

// add inserts the APIs of one group (about word), the first deployed to
// RELEASE and the second to TEST.
func (g *apiGenerator) add(ctx context.Context, accountID, groupID, groupName, regionID, word string, at int64) error {
	for j := range g.perGroup {
		op := generatedOps[j%len(generatedOps)]
		def := g.mock
		if j%2 == 1 {
			def = g.remote
		}
		def.Name, def.Method, def.Path = op.verb+"_"+word, op.method, "/"+asciiPath(word)+op.path
		if round := j / len(generatedOps); round > 0 {
			def.Name += "_" + strconv.Itoa(round)
			def.Path = "/v" + strconv.Itoa(round+1) + def.Path
		}
		def = def.WithDefaults().Normalized()
		id, shape, created := rules.NewAPIID(), rules.RouteShape(def.Path), at+int64(j)
		if _, err := g.api.ExecContext(ctx, append([]any{id, accountID, groupID, groupName, regionID, shape, created, created}, apiDefArgs(def)...)...); err != nil {
			return err
		}
		if j < 2 {
			stage := []rules.Stage{rules.StageRelease, rules.StageTest}[j]
			if _, err := g.deploy.ExecContext(ctx, append([]any{id, string(stage), accountID, groupID, created, shape, created}, apiDefArgs(def)...)...); err != nil {
				return err
			}
		}
	}
	return nil
}

// benchPlacements gives a generator account its VPCs and dedicated
// instances (once) and returns every place a group may go: each region's
// shared instances and the account's dedicated instances.
func (s *Store) benchPlacements(ctx context.Context, tx *sql.Tx, a Actor) ([]placement, error) {
	var dedicated int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM instances WHERE account_id = ?`, a.AccountID).Scan(&dedicated); err != nil {
		return nil, err
	}
	if dedicated == 0 {
		for _, regionID := range benchRegions {
			region, ok := rules.RegionByID(regionID)
			if !ok {
				return nil, fmt.Errorf("bench region %s is not in the catalogue", regionID)
			}
			zone := region.Zones[0]
			v, err := s.createVpc(ctx, tx, a, rules.VpcInput{Name: "bench-" + regionID, RegionID: regionID, CIDR: "10.0.0.0/16"})
			if err != nil {
				return nil, err
			}
			w, err := s.createVSwitch(ctx, tx, a, rules.VSwitchInput{VpcID: v.ID, ZoneID: zone, Name: "bench-" + zone, CIDR: "10.0.1.0/24"})
			if err != nil {
				return nil, err
			}
			inst, err := s.createInstance(ctx, tx, a, rules.InstanceInput{Name: "bench-" + regionID, RegionID: regionID,
				ZoneID: zone, Spec: "api.s2.large", HTTPSPolicy: "HTTPS2_TLS1_2"})
			if err != nil {
				return nil, err
			}
			if _, err := s.bindVpc(ctx, tx, a, inst.ID, v.ID, w.ID); err != nil {
				return nil, err
			}
		}
		if _, err := s.createInstance(ctx, tx, a, rules.InstanceInput{Name: "bench-unbound", RegionID: benchRegions[0],
			ZoneID: "cn-hangzhou-h", Spec: "api.s1.small", HTTPSPolicy: "HTTPS2_TLS1_0"}); err != nil {
			return nil, err
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+instanceCols+` FROM instances i
		WHERE i.account_id = ? OR i.account_id IS NULL ORDER BY i.region_id, i.id`, a.AccountID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []placement
	for rows.Next() {
		var in rules.Instance
		if err := rows.Scan(instanceDest(&in)...); err != nil {
			return nil, err
		}
		out = append(out, placement{regionID: in.RegionID, instanceID: in.ID,
			vpcDomainOK: rules.CheckEnableVpcDomain(rules.Group{}, in) == nil})
	}
	return out, rows.Err()
}

// runTag is a short random tag that keeps generated names of separate runs
// apart.
func runTag() string {
	const letters = "abcdefghijklmnopqrstuvwxyz"
	b := make([]byte, 5)
	rand.Read(b) //nolint:errcheck // crypto/rand.Read never fails
	for i := range b {
		b[i] = letters[int(b[i])%len(letters)]
	}
	return string(b)
}

// DemoAdmin is the login of the demo account's admin.
const DemoAdmin = "admin"

// EnsureDemoAdmin creates the demo account's admin with a random password
// when it does not exist yet, and returns that password (made true). There
// is no default password: the caller shows this one once.
func (s *Store) EnsureDemoAdmin(ctx context.Context) (password string, made bool, err error) {
	if _, err := s.AccountIDOfLogin(ctx, DemoAdmin); err == nil {
		return "", false, nil
	} else if !rules.HasCode(err, CodeUserNotFound) {
		return "", false, err
	}
	password = rules.NewPassword()
	if _, err := s.AddUser(ctx, DemoAccount, DemoAdmin, rules.RoleAdmin, password); err != nil {
		return "", false, err
	}
	return password, true, nil
}
