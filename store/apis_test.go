package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

func mockDef(name, method, path string) rules.APIDefinition {
	return rules.APIDefinition{Name: name, Method: method, Path: path, Protocols: rules.ProtocolsHTTP,
		Backend: rules.BackendMock, MockBody: `{"api":"` + name + `"}`}
}

func httpDef(name, method, path string) rules.APIDefinition {
	return rules.APIDefinition{Name: name, Method: method, Path: path, Protocols: rules.ProtocolsHTTP | rules.ProtocolsHTTPS,
		Backend: rules.BackendHTTP, ServiceAddress: "http://127.0.0.1:9000", ServiceTimeout: 5000}
}

func mustAPI(t testing.TB, s *Store, a Actor, groupID string, def rules.APIDefinition) rules.API {
	t.Helper()
	api, err := s.CreateAPI(context.Background(), a, groupID, def)
	if err != nil {
		t.Fatalf("create API %s: %v", def.Name, err)
	}
	return api
}

func mustDeploy(t testing.TB, s *Store, a Actor, id string, stage rules.Stage) rules.Deployment {
	t.Helper()
	d, err := s.DeployAPI(context.Background(), a, id, stage, "deployed by a test")
	if err != nil {
		t.Fatalf("deploy %s to %s: %v", id, stage, err)
	}
	return d
}

// An API is created with its defaults, only its backend's settings, and an
// operation-log row; it reads back as written.
func TestCreateAndGetAPI(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s, a := w.s, w.a
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", w.shared)

	def := mockDef("get_user", "GET", "/users/[id]")
	def.MockHeaders = []rules.Header{{Name: "Content-Type", Value: "application/json"}, {Name: "X-Trace", Value: "a: b"}}
	def.ServiceAddress = "http://ignored:1" // a Mock API keeps no HTTP settings
	api := mustAPI(t, s, a, g.ID, def)
	if !rules.IsAPIID(api.ID) || api.Revision != 1 || api.GroupID != g.ID || api.AccountID != a.AccountID {
		t.Fatalf("created %+v", api)
	}
	if op := lastOp(t, s, a.AccountID); op.Action != "CreateApi" || op.Target != api.ID || op.Outcome != "ok" || !strings.Contains(op.Detail, "GET /users/[id]") {
		t.Fatalf("op log: %+v", op)
	}
	got, err := s.GetAPI(ctx, a.AccountID, api.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := def.WithDefaults().Normalized()
	if !sameDefinition(got.APIDefinition, want) || got.ServiceAddress != "" || got.MockStatus != 200 || got.AuthType != "ANONYMOUS" ||
		got.Visibility != "PRIVATE" || got.ResultType != "JSON" || got.Group.ID != g.ID || len(got.Deployments) != 0 ||
		!slices.Equal(got.MockHeaders, def.MockHeaders) {
		t.Fatalf("read back %+v, want %+v", got.APIDefinition, want)
	}

	h := mustAPI(t, s, a, g.ID, httpDef("create_user", "POST", "/users"))
	got, err = s.GetAPI(ctx, a.AccountID, h.ID)
	if err != nil || got.ServicePath != "/" || got.ServiceMethod != "POST" || got.MockStatus != 0 || got.Protocols.String() != "HTTP,HTTPS" {
		t.Fatalf("HTTP API: %+v %v", got.APIDefinition, err)
	}
}

// Every refusal of the store's API methods changes nothing: bad input, a
// name or route the group has (paths that differ only in placeholder
// names included), another account's group or API, deleting a deployed
// API or a group with APIs, deploying onto a route another API serves in
// the stage, and a bad stage or description.
func TestAPIRefusalsChangeNothing(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s, a, b := w.s, w.a, w.b
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", w.shared)
	other := mustGroup(t, s, a, "billing", "cn-hangzhou", w.shared)
	theirs := mustGroup(t, s, b, "theirs", "cn-hangzhou", w.shared)
	user := mustAPI(t, s, a, g.ID, mockDef("get_user", "GET", "/users/[id]"))
	anyUser := mustAPI(t, s, a, g.ID, mockDef("any_user", "ANY", "/users/[uid]")) // ANY beside GET: allowed
	theirAPI := mustAPI(t, s, b, theirs.ID, mockDef("their_api", "GET", "/x"))
	mustDeploy(t, s, a, user.ID, rules.StageRelease)
	// Same name and route in another group: allowed.
	mustAPI(t, s, a, other.ID, mockDef("get_user", "GET", "/users/[id]"))

	bad := mockDef("x", "FETCH", "users")
	bad.MockStatus = 999
	cases := []struct {
		name string
		code string
		fn   func() error
	}{
		{"invalid definition", rules.CodeInvalidAPIName, func() error { _, err := s.CreateAPI(ctx, a, g.ID, bad); return err }},
		{"APP authentication", rules.CodeUnsupportedAuthType, func() error {
			d := mockDef("app_api", "GET", "/app")
			d.AuthType = "APP"
			_, err := s.CreateAPI(ctx, a, g.ID, d)
			return err
		}},
		{"a name the group has", rules.CodeDuplicateAPIName, func() error {
			_, err := s.CreateAPI(ctx, a, g.ID, mockDef("get_user", "GET", "/other"))
			return err
		}},
		{"a route the group has, placeholders renamed", rules.CodeDuplicateAPIRoute, func() error {
			_, err := s.CreateAPI(ctx, a, g.ID, mockDef("get_user_2", "GET", "/users/[name]"))
			return err
		}},
		{"modify onto another API's route", rules.CodeDuplicateAPIRoute, func() error {
			d := mockDef("any_user", "GET", "/users/[x]")
			_, err := s.ModifyAPI(ctx, a, anyUser.ID, d)
			return err
		}},
		{"modify onto another API's name", rules.CodeDuplicateAPIName, func() error {
			_, err := s.ModifyAPI(ctx, a, anyUser.ID, mockDef("get_user", "ANY", "/users/[uid]"))
			return err
		}},
		{"modify to an invalid definition", rules.CodeInvalidMockStatusCode, func() error {
			d := mockDef("any_user", "ANY", "/users/[uid]")
			d.MockStatus = 418
			_, err := s.ModifyAPI(ctx, a, anyUser.ID, d)
			return err
		}},
		{"another account's group", rules.CodeGroupNotFound, func() error {
			_, err := s.CreateAPI(ctx, a, theirs.ID, mockDef("sneaky", "GET", "/s"))
			return err
		}},
		{"an absent group", rules.CodeGroupNotFound, func() error {
			_, err := s.CreateAPI(ctx, a, strings.Repeat("0", 32), mockDef("sneaky", "GET", "/s"))
			return err
		}},
		{"modify another account's API", rules.CodeAPINotFound, func() error {
			_, err := s.ModifyAPI(ctx, a, theirAPI.ID, mockDef("their_api", "GET", "/y"))
			return err
		}},
		{"delete another account's API", rules.CodeAPINotFound, func() error { return s.DeleteAPI(ctx, a, theirAPI.ID) }},
		{"deploy another account's API", rules.CodeAPINotFound, func() error {
			_, err := s.DeployAPI(ctx, a, theirAPI.ID, rules.StageRelease, "")
			return err
		}},
		{"abolish another account's API", rules.CodeAPINotFound, func() error {
			_, err := s.AbolishAPI(ctx, a, theirAPI.ID, rules.StageRelease)
			return err
		}},
		{"delete a deployed API", rules.CodeAPIDeployed, func() error { return s.DeleteAPI(ctx, a, user.ID) }},
		{"delete a group with APIs", rules.CodeGroupHasAPIs, func() error { return s.DeleteGroup(ctx, a, g.ID) }},
		{"an unknown stage", rules.CodeStageNotFound, func() error {
			_, err := s.DeployAPI(ctx, a, anyUser.ID, "PROD", "")
			return err
		}},
		{"abolish from an unknown stage", rules.CodeStageNotFound, func() error {
			_, err := s.AbolishAPI(ctx, a, user.ID, "")
			return err
		}},
		{"a long deployment description", rules.CodeInvalidDescription, func() error {
			_, err := s.DeployAPI(ctx, a, anyUser.ID, rules.StageTest, strings.Repeat("d", 181))
			return err
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { unchanged(t, s, tc.code, tc.fn) })
	}

	// Every field error of a definition is reported at once.
	_, err := s.CreateAPI(ctx, a, g.ID, bad)
	var ie *InputError
	if !errors.As(err, &ie) || len(ie.Errs) < 4 {
		t.Fatalf("want every field error, got %v", err)
	}
	// The refusals speak to an operator.
	err = s.DeleteGroup(ctx, a, g.ID)
	if re, _ := rules.AsError(err); !strings.Contains(re.Message, `"orders" still holds 2 APIs ("any_user" and "get_user")`) {
		t.Errorf("group deletion: %v", err)
	}
	err = s.DeleteAPI(ctx, a, user.ID)
	if re, _ := rules.AsError(err); !strings.Contains(re.Message, "deployed to RELEASE") {
		t.Errorf("API deletion: %v", err)
	}
	assertInvariants(t, s)
}

// A deployment is a snapshot: editing the API changes no stage until it is
// deployed again; each stage keeps its own; abolishing takes it off one
// stage; an API deployed nowhere can be deleted, and then its group.
func TestDeploySnapshots(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s, a := w.s, w.a
	clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	s.now = func() time.Time { clock = clock.Add(time.Minute); return clock }
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", w.shared)
	api := mustAPI(t, s, a, g.ID, mockDef("list_orders", "GET", "/orders"))
	opsBefore := count(t, s, `SELECT COUNT(*) FROM op_log`)

	rel, err := s.DeployAPI(ctx, a, api.ID, rules.StageRelease, "First release")
	if err != nil {
		t.Fatal(err)
	}
	if rel.Revision != 1 || rel.Stage != rules.StageRelease || rel.DeployedBy != a.Name || rel.DeployedVia != rules.SourceConsole ||
		rel.Description != "First release" || rel.DeployedAt.IsZero() || rel.Definition.Path != "/orders" {
		t.Fatalf("deployment %+v", rel)
	}

	// Edit: revision 2, RELEASE still serves revision 1 as it was.
	v2 := mockDef("list_orders", "GET", "/v2/orders")
	v2.MockBody = `{"v":2}`
	edited, err := s.ModifyAPI(ctx, a, api.ID, v2)
	if err != nil || edited.Revision != 2 {
		t.Fatalf("modify: %+v %v", edited, err)
	}
	d, err := s.GetAPI(ctx, a.AccountID, api.ID)
	if err != nil {
		t.Fatal(err)
	}
	release, ok := d.Deployment(rules.StageRelease)
	if !ok || release.Revision != 1 || release.Definition.Path != "/orders" || release.Definition.MockBody != `{"api":"list_orders"}` ||
		d.Path != "/v2/orders" || d.Revision != 2 {
		t.Fatalf("after the edit: API %+v, RELEASE %+v", d.APIDefinition, release)
	}
	if _, ok := d.Deployment(rules.StageTest); ok {
		t.Fatal("TEST has a deployment nobody made")
	}
	row, err := s.GetDeployment(ctx, a.AccountID, api.ID, rules.StageRelease)
	if err != nil || row.Definition.Path != "/orders" || row.GroupName != "orders" || row.RegionID != "cn-hangzhou" {
		t.Fatalf("GetDeployment: %+v %v", row, err)
	}
	_, snap, err := s.DeployedAPIs(ctx)
	if err != nil || len(snap) != 1 || snap[0].Definition.Path != "/orders" {
		t.Fatalf("the gateway's snapshot: %+v %v", snap, err)
	}
	// The same definition again: no new revision.
	if same, err := s.ModifyAPI(ctx, a, api.ID, v2); err != nil || same.Revision != 2 {
		t.Fatalf("unchanged modify: %+v %v", same, err)
	}

	// TEST gets revision 2; RELEASE keeps 1 until deployed again.
	mustDeploy(t, s, a, api.ID, rules.StageTest)
	d, _ = s.GetAPI(ctx, a.AccountID, api.ID)
	if r, _ := d.Deployment(rules.StageRelease); r.Revision != 1 {
		t.Fatalf("RELEASE moved: %+v", r)
	}
	if tst, _ := d.Deployment(rules.StageTest); tst.Revision != 2 || tst.Definition.Path != "/v2/orders" {
		t.Fatalf("TEST: %+v", tst)
	}
	if len(d.Deployments) != 2 || d.Deployments[0].Stage != rules.StageRelease || d.Deployments[1].Stage != rules.StageTest {
		t.Fatalf("deployments in stage order: %+v", d.Deployments)
	}
	redeployed := mustDeploy(t, s, a, api.ID, rules.StageRelease)
	if redeployed.Revision != 2 || !redeployed.DeployedAt.After(rel.DeployedAt) {
		t.Fatalf("redeployed: %+v", redeployed)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM api_deployments WHERE api_id = ?`, api.ID); n != 2 {
		t.Fatalf("%d deployment rows", n)
	}

	// Abolish RELEASE, then again (nothing to do), then TEST; then delete.
	if gone, err := s.AbolishAPI(ctx, a, api.ID, rules.StageRelease); err != nil || !gone {
		t.Fatalf("abolish: %v %v", gone, err)
	}
	if _, err := s.GetDeployment(ctx, a.AccountID, api.ID, rules.StageRelease); !rules.HasCode(err, rules.CodeAPINotFound) {
		t.Fatalf("abolished deployment: %v", err)
	}
	if gone, err := s.AbolishAPI(ctx, a, api.ID, rules.StageRelease); err != nil || gone {
		t.Fatalf("abolish again: %v %v", gone, err)
	}
	if op := lastOp(t, s, a.AccountID); op.Action != "AbolishApi" || !strings.Contains(op.Detail, "was not deployed") {
		t.Fatalf("op log of a second abolish: %+v", op)
	}
	unchanged(t, s, rules.CodeAPIDeployed, func() error { return s.DeleteAPI(ctx, a, api.ID) })
	if _, err := s.AbolishAPI(ctx, a, api.ID, rules.StageTest); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteAPI(ctx, a, api.ID); err != nil {
		t.Fatalf("delete once abolished everywhere: %v", err)
	}
	if _, err := s.GetAPI(ctx, a.AccountID, api.ID); !rules.HasCode(err, rules.CodeAPINotFound) {
		t.Fatalf("deleted API: %v", err)
	}
	if err := s.DeleteGroup(ctx, a, g.ID); err != nil {
		t.Fatalf("delete the emptied group: %v", err)
	}
	// Deploy, modify, modify (no change), deploy ×2, abolish ×3, delete,
	// delete the group; the refused deletion is not the store's to log.
	if n := count(t, s, `SELECT COUNT(*) FROM op_log`) - opsBefore; n != 10 {
		t.Errorf("%d operation-log rows, want 10", n)
	}
	assertInvariants(t, s)
}

// A stage serves each method and path shape once in a group, even when
// the definitions moved on: an API whose path another API's RELEASE
// snapshot still holds cannot be deployed there, but can to other stages.
func TestDeployRouteConflict(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s, a := w.s, w.a
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", w.shared)
	first := mustAPI(t, s, a, g.ID, mockDef("first_api", "GET", "/items/[id]"))
	mustDeploy(t, s, a, first.ID, rules.StageRelease)
	if _, err := s.ModifyAPI(ctx, a, first.ID, mockDef("first_api", "GET", "/things/[id]")); err != nil {
		t.Fatal(err)
	}
	second := mustAPI(t, s, a, g.ID, mockDef("second_api", "GET", "/items/[key]"))
	unchanged(t, s, rules.CodeDuplicateAPIRoute, func() error {
		_, err := s.DeployAPI(ctx, a, second.ID, rules.StageRelease, "")
		return err
	})
	_, err := s.DeployAPI(ctx, a, second.ID, rules.StageRelease, "")
	if re, _ := rules.AsError(err); re == nil || !strings.Contains(re.Message, `serves GET /items/[id] with the API "first_api"`) {
		t.Fatalf("conflict message: %v", err)
	}
	mustDeploy(t, s, a, second.ID, rules.StageTest)
	// Redeploying first (now /things) frees /items in RELEASE.
	mustDeploy(t, s, a, first.ID, rules.StageRelease)
	mustDeploy(t, s, a, second.ID, rules.StageRelease)
	// ANY and GET on one shape share a stage.
	anyAPI := mustAPI(t, s, a, g.ID, mockDef("any_items", "ANY", "/items/[id]"))
	mustDeploy(t, s, a, anyAPI.ID, rules.StageRelease)
	assertInvariants(t, s)
}

// The generation moves, in the transaction, with every change the gateway
// serves from and not with the others; the hooks see it once committed,
// with the change readable; another process's change is seen on refresh.
func TestGatewayGeneration(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s, a := w.s, w.a
	var seen []int64
	var readable []int
	s.OnGatewayChange(func(gen int64) {
		seen = append(seen, gen)
		_, ds, err := s.DeployedAPIs(ctx)
		if err != nil {
			t.Errorf("read in the hook: %v", err)
		}
		readable = append(readable, len(ds))
	})
	start := s.GatewayGeneration()
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", w.shared)
	moves := func(what string, want bool, fn func() error) {
		t.Helper()
		before, hooks := s.GatewayGeneration(), len(seen)
		if err := fn(); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		after := s.GatewayGeneration()
		if moved := after > before; moved != want {
			t.Errorf("%s: generation %d → %d, want moved=%v", what, before, after, want)
		}
		if want && (len(seen) != hooks+1 || seen[len(seen)-1] != after) {
			t.Errorf("%s: hooks saw %v, want one call with %d", what, seen[hooks:], after)
		}
		if !want && len(seen) != hooks {
			t.Errorf("%s: hooks ran for nothing", what)
		}
	}
	var api rules.API
	moves("create an API", false, func() (err error) {
		api, err = s.CreateAPI(ctx, a, g.ID, mockDef("list_orders", "GET", "/orders"))
		return err
	})
	moves("modify it", false, func() error { _, err := s.ModifyAPI(ctx, a, api.ID, mockDef("list_orders", "GET", "/o")); return err })
	moves("deploy it", true, func() error { _, err := s.DeployAPI(ctx, a, api.ID, rules.StageRelease, ""); return err })
	if readable[len(readable)-1] != 1 {
		t.Errorf("the hook read %d deployments, want the one just committed", readable[len(readable)-1])
	}
	gen, _, err := s.DeployedAPIs(ctx)
	if err != nil || gen != s.GatewayGeneration() {
		t.Errorf("the snapshot's generation %d, the store's %d (%v)", gen, s.GatewayGeneration(), err)
	}
	moves("abolish it", true, func() error { _, err := s.AbolishAPI(ctx, a, api.ID, rules.StageRelease); return err })
	moves("enable the VPC domain", true, func() error { _, err := s.EnableVpcDomain(ctx, a, g.ID); return err })
	moves("rename the group", false, func() error {
		name := "orders_v2"
		_, err := s.ModifyGroup(ctx, a, g.ID, GroupChange{Name: &name})
		return err
	})
	moves("bind a domain", true, func() error {
		_, err := s.BindDomain(ctx, a, g.ID, rules.DomainInput{Name: "api.example.com", NetworkType: rules.NetworkInternet})
		return err
	})
	moves("move the group", true, func() error { _, err := s.MoveGroup(ctx, a, g.ID, w.bound.ID); return err })
	moves("unbind the instance's VPC (refused: nothing moves)", false, func() error {
		if _, err := s.UnbindVpc(ctx, a, w.bound.ID); !rules.HasCode(err, rules.CodeInstanceVpcInUse) {
			return fmt.Errorf("want InstanceVpcInUse, got %v", err)
		}
		return nil
	})
	moves("create a VPC", true, func() error {
		_, err := s.CreateVpc(ctx, a, rules.VpcInput{Name: "more", RegionID: "cn-shanghai", CIDR: "10.0.0.0/16"})
		return err
	})
	moves("create a group", true, func() error { mustGroup(t, s, a, "more_groups", "cn-hangzhou", w.shared); return nil })
	moves("log an event", false, func() error { return s.LogEvent(ctx, a, "Login", "x", "ok", "") })

	// The journal says what changed since the start, in order.
	changes, current, complete, err := s.GatewayChangesSince(ctx, start)
	if err != nil || !complete || current != s.GatewayGeneration() {
		t.Fatalf("changes since %d: complete %v, current %d (%v)", start, complete, current, err)
	}
	var kinds []string
	for i, c := range changes {
		if c.Generation != start+int64(i)+1 {
			t.Fatalf("change %d has generation %d", i, c.Generation)
		}
		if len(kinds) == 0 || kinds[len(kinds)-1] != c.Kind+" "+c.Key {
			kinds = append(kinds, c.Kind+" "+c.Key)
		}
	}
	wantKinds := []string{"group " + g.ID, "deployment " + g.ID, "group " + g.ID, "domain api.example.com", "group " + g.ID}
	if len(kinds) < len(wantKinds)+2 || !slices.Equal(kinds[:len(wantKinds)], wantKinds) || !strings.HasPrefix(kinds[len(kinds)-2], "vpc ") ||
		!strings.HasPrefix(kinds[len(kinds)-1], "group ") {
		t.Fatalf("changes: %v", kinds)
	}
	if c, cur, ok, _ := s.GatewayChangesSince(ctx, current); !ok || len(c) != 0 || cur != current {
		t.Fatalf("nothing since now: %v %d %v", c, cur, ok)
	}
	if _, _, ok, _ := s.GatewayChangesSince(ctx, current+5); ok {
		t.Fatal("a generation from the future is complete")
	}
	// Another process's change: seen once refreshed, and announced.
	other, err := OpenAndMigrate(ctx, s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.DeployAPI(ctx, a, api.ID, rules.StageTest, "from elsewhere"); err != nil {
		t.Fatal(err)
	}
	before, hooks := s.GatewayGeneration(), len(seen)
	got, err := s.RefreshGatewayGeneration(ctx)
	if err != nil || got <= before || s.GatewayGeneration() != got || len(seen) != hooks+1 || other.GatewayGeneration() != got {
		t.Fatalf("refresh: %d (was %d, other %d), hooks %d→%d, %v", got, before, other.GatewayGeneration(), hooks, len(seen), err)
	}
	if again, _ := s.RefreshGatewayGeneration(ctx); again != got || len(seen) != hooks+1 {
		t.Fatalf("a refresh without a change announced %d", again)
	}
	if changes, _, ok, _ := s.GatewayChangesSince(ctx, before); !ok || len(changes) != 1 || changes[0].Kind != ChangeDeployment || changes[0].Key != g.ID {
		t.Fatalf("the other process's change: %+v", changes)
	}
	if gen, ds, err := s.DeployedAPIsOfGroup(ctx, g.ID); err != nil || gen != got || len(ds) != 1 || ds[0].Stage != rules.StageTest {
		t.Fatalf("the group's deployments: %d %+v %v", gen, ds, err)
	}
	// The journal keeps at least the last 65,536 steps; every 4,096th
	// prunes the older ones, and a snapshot older than what is kept reads
	// everything again.
	pruning := (got + gatewayChangesKept + 4096) / 4096 * 4096
	if _, err := s.w.Exec(`INSERT INTO gateway_changes (v, kind, key) VALUES (?, 'vpc', 'x')`, pruning); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM gateway_changes WHERE v <= ?`, got); n != 0 {
		t.Fatalf("%d old steps kept", n)
	}
	if c, cur, ok, err := s.GatewayChangesSince(ctx, got); ok || c != nil || err != nil || cur != pruning {
		t.Fatalf("a pruned journal: %v %d %v %v", c, cur, ok, err)
	}
	if c, _, ok, _ := s.GatewayChangesSince(ctx, pruning-1); !ok || len(c) != 1 {
		t.Fatalf("the step after the gap: %v %v", c, ok)
	}
}

// A database from before the APIs (version 6) with groups upgrades: its
// groups keep working, take APIs, and the generation starts at 0 and moves
// with the first change.
func TestMigrateUpgradesADatabaseWithoutAPIs(t *testing.T) {
	ctx := context.Background()
	const old = 6 // the last version without the APIs' tables
	s := newStoreAt(t, old)
	a := newAccount(t, s, "alpha")
	g := mustGroup(t, s, a, "old_group", "cn-hangzhou", sharedIn(t, "cn-hangzhou"))
	if v, _ := s.SchemaVersion(ctx); v != old || s.GatewayGeneration() != 0 {
		t.Fatalf("version %d, generation %d", v, s.GatewayGeneration())
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(ctx); v != LatestSchemaVersion() || s.GatewayGeneration() != 0 {
		t.Fatalf("after: version %d, generation %d", v, s.GatewayGeneration())
	}
	api := mustAPI(t, s, a, g.ID, mockDef("new_api", "GET", "/new"))
	before := s.GatewayGeneration()
	mustDeploy(t, s, a, api.ID, rules.StageRelease)
	if s.GatewayGeneration() <= before {
		t.Fatal("the generation does not move after the upgrade")
	}
	if page, err := s.ListAPIs(ctx, a.AccountID, APIQuery{}); err != nil || page.Total != 1 {
		t.Fatalf("list after the upgrade: %d %v", page.Total, err)
	}
	assertInvariants(t, s)
}

// newStoreAt opens a store on a temporary file migrated to version only.
func newStoreAt(t testing.TB, version int) *Store {
	t.Helper()
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.migrateTo(ctx, version); err != nil {
		t.Fatal(err)
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return seedCatalogue(ctx, tx, s.now()) }); err != nil {
		t.Fatal(err)
	}
	return s
}
