package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

// apiListWorld: account A with 3 groups holding 25 APIs (some created in
// the same instant: ties are broken by id), several deployed; account B
// with one API of the same name.
func apiListWorld(t *testing.T) (*world, []rules.Group, []rules.API) {
	t.Helper()
	w := newWorld(t)
	clock := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	w.s.now = func() time.Time { return clock }
	groups := []rules.Group{
		mustGroup(t, w.s, w.a, "orders", "cn-hangzhou", w.shared),
		mustGroup(t, w.s, w.a, "billing", "cn-hangzhou", w.bound.ID),
		mustGroup(t, w.s, w.a, "reports", "cn-shanghai", sharedIn(t, "cn-shanghai")),
	}
	var apis []rules.API
	for i := range 25 {
		g := groups[i%3]
		method := []string{"GET", "POST", "PUT", "ANY"}[i%4]
		def := mockDef(fmt.Sprintf("api_%02d", i), method, fmt.Sprintf("/res%02d/[id]", i))
		if i == 7 {
			def.Name, def.Path = "Payments_Refund", "/payments/refund"
		}
		if i == 8 {
			def.Name, def.Path = "pay_out", "/payouts/[id]"
		}
		if i%4 == 1 {
			def.Visibility = "PUBLIC"
		}
		apis = append(apis, mustAPI(t, w.s, w.a, g.ID, def))
		if i%5 != 0 {
			clock = clock.Add(time.Second)
		}
	}
	for i, api := range apis {
		if i%2 == 0 {
			mustDeploy(t, w.s, w.a, api.ID, rules.StageRelease)
		}
		if i%3 == 0 {
			mustDeploy(t, w.s, w.a, api.ID, rules.StageTest)
		}
	}
	bg := mustGroup(t, w.s, w.b, "theirs", "cn-hangzhou", w.shared)
	mustDeploy(t, w.s, w.b, mustAPI(t, w.s, w.b, bg.ID, mockDef("api_00", "GET", "/res00/[id]")).ID, rules.StageRelease)
	return w, groups, apis
}

func apiNewestFirst(apis []rules.API) []string {
	s := slices.Clone(apis)
	slices.SortFunc(s, func(a, b rules.API) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	ids := make([]string, len(s))
	for i, a := range s {
		ids[i] = a.ID
	}
	return ids
}

func apiRowIDs(rows []APIRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

// Keyset pages cover the list exactly once forwards and backwards, ties of
// creation time included, and the rows carry their group and stages.
func TestListAPIsKeysetPages(t *testing.T) {
	ctx := context.Background()
	w, groups, apis := apiListWorld(t)
	want := apiNewestFirst(apis)
	var got []string
	var pages []APIPage
	q := APIQuery{Limit: 7}
	for {
		page, err := w.s.ListAPIs(ctx, w.a.AccountID, q)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 25 {
			t.Fatalf("total %d", page.Total)
		}
		pages = append(pages, page)
		got = append(got, apiRowIDs(page.Items)...)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	if !slices.Equal(got, want) || len(pages) != 4 || pages[0].Prev != "" {
		t.Fatalf("forward: %d pages\n got %v\nwant %v", len(pages), got, want)
	}
	// Backwards from the last page.
	var back []string
	q = APIQuery{Limit: 7, Before: pages[3].Prev}
	for q.Before != "" {
		page, err := w.s.ListAPIs(ctx, w.a.AccountID, q)
		if err != nil {
			t.Fatal(err)
		}
		back = append(apiRowIDs(page.Items), back...)
		q.Before = page.Prev
	}
	if !slices.Equal(back, want[:21]) {
		t.Fatalf("backward:\n got %v\nwant %v", back, want[:21])
	}
	// Page numbers.
	page, err := w.s.ListAPIs(ctx, w.a.AccountID, APIQuery{Limit: 10, PageNumber: 3})
	if err != nil || !slices.Equal(apiRowIDs(page.Items), want[20:]) || page.Total != 25 || page.Next != "" {
		t.Fatalf("page 3: %v %v", apiRowIDs(page.Items), err)
	}
	// A row: its group, region, stages in order.
	// api_00: RELEASE and TEST.
	i := slices.IndexFunc(pages[3].Items, func(r APIRow) bool { return r.Name == "api_00" })
	if i < 0 {
		t.Fatal("api_00 is not on the last page")
	}
	row := pages[3].Items[i]
	if row.Name != "api_00" || row.GroupName != groups[0].Name || row.RegionID != "cn-hangzhou" || len(row.Stages) != 2 ||
		row.Stages[0].Stage != rules.StageRelease || row.Stages[1].Stage != rules.StageTest || row.Stages[0].Revision != 1 ||
		row.Stages[0].DeployedBy != w.a.Name || row.Stages[0].DeployedAt.IsZero() {
		t.Fatalf("row %+v", row)
	}
	if _, ok := row.DeployedTo(rules.StagePre); ok {
		t.Fatal("PRE")
	}
	// Bad cursors and pages.
	for _, q := range []APIQuery{{After: "garbage"}, {After: "x", Before: "y"}, {PageNumber: -1},
		{After: groupCursor{orderBy: "c", key: 1, id: "x"}.encode()}, {Stage: "PROD"}} {
		if _, err := w.s.ListAPIs(ctx, w.a.AccountID, q); err == nil {
			t.Errorf("%+v accepted", q)
		} else if _, ok := rules.AsError(err); !ok {
			t.Errorf("%+v: not a rules error: %v", q, err)
		}
	}
}

// Each filter, alone and together, returns the APIs it names and counts
// them; another account's never show.
func TestListAPIsFilters(t *testing.T) {
	ctx := context.Background()
	w, groups, apis := apiListWorld(t)
	match := func(keep func(i int, a rules.API) bool) []string {
		var sel []rules.API
		for i, a := range apis {
			if keep(i, a) {
				sel = append(sel, a)
			}
		}
		return apiNewestFirst(sel)
	}
	tests := []struct {
		name string
		q    APIQuery
		want []string
	}{
		{"group", APIQuery{GroupID: groups[1].ID}, match(func(i int, _ rules.API) bool { return i%3 == 1 })},
		{"RELEASE", APIQuery{Stage: rules.StageRelease}, match(func(i int, _ rules.API) bool { return i%2 == 0 })},
		{"TEST", APIQuery{Stage: rules.StageTest}, match(func(i int, _ rules.API) bool { return i%3 == 0 })},
		{"PRE (none)", APIQuery{Stage: rules.StagePre}, nil},
		{"group and stage", APIQuery{GroupID: groups[0].ID, Stage: rules.StageRelease}, match(func(i int, _ rules.API) bool { return i%3 == 0 && i%2 == 0 })},
		{"method", APIQuery{Method: "ANY"}, match(func(i int, _ rules.API) bool { return i%4 == 3 })},
		{"name, any case", APIQuery{Name: "PAY"}, match(func(i int, _ rules.API) bool { return i == 7 || i == 8 })},
		{"name with a LIKE wildcard is literal", APIQuery{Name: "api_0%"}, nil},
		{"name with _", APIQuery{Name: "y_o"}, match(func(i int, _ rules.API) bool { return i == 8 })},
		{"path", APIQuery{Path: "/payouts"}, match(func(i int, _ rules.API) bool { return i == 8 })},
		{"path and method", APIQuery{Path: "[id]", Method: "GET"}, match(func(i int, a rules.API) bool { return i%4 == 0 && a.Path != "/payments/refund" })},
		{"one API", APIQuery{APIID: apis[3].ID}, []string{apis[3].ID}},
		{"stage and name", APIQuery{Stage: rules.StageTest, Name: "api_1"}, match(func(i int, a rules.API) bool { return i%3 == 0 && strings.HasPrefix(a.Name, "api_1") })},
		{"another account's API by id", APIQuery{APIID: "x"}, nil},
		{"PUBLIC", APIQuery{Visibility: "PUBLIC"}, match(func(i int, _ rules.API) bool { return i%4 == 1 })},
		{"PRIVATE", APIQuery{Visibility: "PRIVATE"}, match(func(i int, _ rules.API) bool { return i%4 != 1 })},
		{"deployed to no stage", APIQuery{UnDeployed: true}, match(func(i int, _ rules.API) bool { return i%2 != 0 && i%3 != 0 })},
		{"deployed to no stage, PUBLIC, in a group", APIQuery{UnDeployed: true, Visibility: "PUBLIC", GroupID: groups[1].ID},
			match(func(i int, _ rules.API) bool { return i%2 != 0 && i%3 == 1 && i%4 == 1 })},
		{"deployed to no stage and to TEST (none)", APIQuery{UnDeployed: true, Stage: rules.StageTest}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for range 2 { // counted, then remembered
				q := tc.q
				q.Limit = 100
				page, err := w.s.ListAPIs(ctx, w.a.AccountID, q)
				if err != nil {
					t.Fatal(err)
				}
				if got := apiRowIDs(page.Items); !slices.Equal(got, tc.want) && (len(got) != 0 || len(tc.want) != 0) || page.Total != len(tc.want) {
					t.Fatalf("got %v (total %d), want %v", got, page.Total, tc.want)
				}
			}
		})
	}
	// Keyset pages through a stage filter too.
	want := match(func(i int, _ rules.API) bool { return i%2 == 0 })
	var got []string
	for q := (APIQuery{Stage: rules.StageRelease, Limit: 4}); ; {
		page, err := w.s.ListAPIs(ctx, w.a.AccountID, q)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, apiRowIDs(page.Items)...)
		if q.After = page.Next; q.After == "" {
			break
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("RELEASE pages: %v, want %v", got, want)
	}
	// Account B sees only its own.
	page, err := w.s.ListAPIs(ctx, w.b.AccountID, APIQuery{})
	if err != nil || page.Total != 1 || len(page.Items) != 1 {
		t.Fatalf("account B: %d %v", page.Total, err)
	}
	if page, _ := w.s.ListAPIs(ctx, w.b.AccountID, APIQuery{GroupID: groups[0].ID}); page.Total != 0 || len(page.Items) != 0 {
		t.Fatalf("account B lists account A's group: %+v", page)
	}
}

// A remembered filtered total follows every change that can move it:
// creation, rename, deletion, deployment and abolition.
func TestAPIFilteredTotalsFollowChanges(t *testing.T) {
	ctx := context.Background()
	w, groups, apis := apiListWorld(t)
	total := func(q APIQuery) int {
		t.Helper()
		page, err := w.s.ListAPIs(ctx, w.a.AccountID, q)
		if err != nil {
			t.Fatal(err)
		}
		return page.Total
	}
	pay, release := APIQuery{Name: "pay"}, APIQuery{Stage: rules.StageRelease}
	if total(pay) != 2 || total(release) != 13 {
		t.Fatalf("start: %d %d", total(pay), total(release))
	}
	api := mustAPI(t, w.s, w.a, groups[2].ID, mockDef("repay", "GET", "/repay"))
	if total(pay) != 3 {
		t.Fatal("creation")
	}
	mustDeploy(t, w.s, w.a, api.ID, rules.StageRelease)
	if total(release) != 14 {
		t.Fatal("deployment")
	}
	if _, err := w.s.ModifyAPI(ctx, w.a, api.ID, mockDef("refund", "GET", "/repay")); err != nil || total(pay) != 2 {
		t.Fatalf("rename: %v", err)
	}
	if _, err := w.s.AbolishAPI(ctx, w.a, apis[0].ID, rules.StageRelease); err != nil || total(release) != 13 {
		t.Fatalf("abolition: %v", err)
	}
	// Visibility and "deployed to no stage" follow a change of visibility
	// and the last abolition. (Pages of 2: a page that holds every match
	// counts its rows, and the remembered count would go unread.)
	public, undeployed := APIQuery{Visibility: "PUBLIC", Limit: 2}, APIQuery{UnDeployed: true, Limit: 2}
	if total(public) != 6 || total(undeployed) != 8 {
		t.Fatalf("before: %d PUBLIC, %d deployed nowhere", total(public), total(undeployed))
	}
	shown := mockDef("refund", "GET", "/repay")
	shown.Visibility = "PUBLIC"
	if _, err := w.s.ModifyAPI(ctx, w.a, api.ID, shown); err != nil || total(public) != 7 {
		t.Fatalf("visibility: %v", err)
	}
	if _, err := w.s.AbolishAPI(ctx, w.a, api.ID, rules.StageRelease); err != nil || total(undeployed) != 9 {
		t.Fatalf("the last stage abolished: %v", err)
	}
	// A change of the visibility alone, as another process might write it,
	// moves the list's version too (migration 13).
	if total(public) != 7 { // counted, and remembered at this version
		t.Fatal("PUBLIC after the abolition")
	}
	if _, err := w.s.w.Exec(`UPDATE apis SET visibility = 'PRIVATE' WHERE id = ?`, api.ID); err != nil || total(public) != 6 {
		t.Fatalf("visibility alone: %v, %d PUBLIC", err, total(public))
	}
	if err := w.s.DeleteAPI(ctx, w.a, apis[7].ID); err != nil || total(pay) != 1 {
		t.Fatalf("deletion: %v", err)
	}
	if total(APIQuery{}) != 25 {
		t.Fatal("the unfiltered total")
	}
	// Renaming a group renames it on its APIs' rows, in the same change.
	name := "orders_renamed"
	if _, err := w.s.ModifyGroup(ctx, w.a, groups[0].ID, GroupChange{Name: &name}); err != nil {
		t.Fatal(err)
	}
	page, err := w.s.ListAPIs(ctx, w.a.AccountID, APIQuery{GroupID: groups[0].ID})
	if err != nil || len(page.Items) == 0 {
		t.Fatal(err)
	}
	for _, r := range page.Items {
		if r.GroupName != name || r.RegionID != "cn-hangzhou" {
			t.Fatalf("row of %s: group %q in %s", r.Name, r.GroupName, r.RegionID)
		}
	}
	assertInvariants(t, w.s)
}

// Deployments of a stage, as deployed: filters, paging and totals.
func TestListDeployments(t *testing.T) {
	ctx := context.Background()
	w, groups, apis := apiListWorld(t)
	// An edit after deployment: the list shows the deployed name.
	if _, err := w.s.ModifyAPI(ctx, w.a, apis[0].ID, mockDef("renamed_after", "GET", "/moved/[id]")); err != nil {
		t.Fatal(err)
	}
	page, err := w.s.ListDeployments(ctx, w.a.AccountID, DeploymentQuery{Stage: rules.StageRelease, Limit: 5, PageNumber: 3})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 13 || len(page.Items) != 3 {
		t.Fatalf("page 3 of RELEASE: %d items of %d", len(page.Items), page.Total)
	}
	last := page.Items[2]
	if last.APIID != apis[0].ID || last.Definition.Name != "api_00" || last.Definition.Path != "/res00/[id]" || last.GroupName != "orders" ||
		last.Stage != rules.StageRelease || last.Description != "deployed by a test" {
		t.Fatalf("the oldest deployment: %+v", last)
	}
	for _, tc := range []struct {
		q    DeploymentQuery
		want int
	}{
		{DeploymentQuery{Stage: rules.StageTest}, 9},
		{DeploymentQuery{Stage: "test"}, 9},
		{DeploymentQuery{Stage: rules.StagePre}, 0},
		{DeploymentQuery{Stage: rules.StageRelease, GroupID: groups[0].ID}, 5},
		{DeploymentQuery{Stage: rules.StageRelease, Method: "GET"}, 7},
		{DeploymentQuery{Stage: rules.StageRelease, Name: "renamed"}, 0},
		{DeploymentQuery{Stage: rules.StageRelease, Name: "API_0"}, 4}, // 0, 2, 4, 6 (8 is pay_out)
		{DeploymentQuery{Stage: rules.StageRelease, Path: "/payouts"}, 1},
		{DeploymentQuery{Stage: rules.StageRelease, APIID: apis[2].ID}, 1},
		{DeploymentQuery{Stage: rules.StageRelease, APIID: apis[1].ID}, 0},
	} {
		page, err := w.s.ListDeployments(ctx, w.a.AccountID, tc.q)
		if err != nil || page.Total != tc.want || len(page.Items) != min(tc.want, DefaultAPIPageSize) {
			t.Errorf("%+v: %d items of %d, want %d (%v)", tc.q, len(page.Items), page.Total, tc.want, err)
		}
	}
	if _, err := w.s.ListDeployments(ctx, w.a.AccountID, DeploymentQuery{}); !rules.HasCode(err, rules.CodeStageNotFound) {
		t.Fatalf("no stage: %v", err)
	}
	if page, _ := w.s.ListDeployments(ctx, w.b.AccountID, DeploymentQuery{Stage: rules.StageRelease}); page.Total != 1 {
		t.Fatalf("account B: %d", page.Total)
	}
}

// TestAPIListUsesIndexes: every API-list query reads an index in the page
// order, with no full scan of apis and no sort of the whole list.
func TestAPIListUsesIndexes(t *testing.T) {
	s := newStore(t)
	if err := s.GenerateGroupsWithAPIs(context.Background(), 2000, "", 2); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	cursor := groupCursor{orderBy: apiCursorTag, key: 1, id: "x"}.encode()
	for _, q := range []APIQuery{
		{}, {After: cursor}, {Before: cursor}, {GroupID: "g"}, {GroupID: "g", After: cursor}, {Stage: rules.StageRelease},
		{Stage: rules.StageTest, Before: cursor}, {GroupID: "g", Stage: rules.StageRelease}, {Name: "pay"}, {Path: "/orders"},
		{Method: "GET"}, {Name: "pay", Stage: rules.StageRelease}, {PageNumber: 3, Limit: 50}, {APIID: "x"},
	} {
		l, err := planAPIList("acct", q)
		if err != nil {
			t.Fatal(err)
		}
		for _, query := range []struct {
			sql  string
			args []any
		}{{l.query, l.args}, {l.countQuery, l.countArgs}} {
			plan := explain(t, s, query.sql, query.args...)
			if strings.Contains(plan, "SCAN a\n") || strings.Contains(plan, "SCAN s\n") || strings.Contains(plan, "TEMP B-TREE") {
				t.Errorf("%+v:\n%s\n%s", q, query.sql, plan)
			}
		}
	}
}

// The list's stages (each API's stage_summary, kept by triggers) follow
// every deployment, redeployment and abolition, as GetAPI reads them from
// the deployments themselves; a database of schema 10 gets them on
// migrating.
func TestAPIListStagesFollowDeployments(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	clock := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	w.s.now = func() time.Time { return clock }
	at := func(sec int) { clock = time.Date(2026, 3, 1, 0, 0, sec, 0, time.UTC) }
	g := mustGroup(t, w.s, w.a, "orders", "cn-hangzhou", w.shared)
	api := mustAPI(t, w.s, w.a, g.ID, mockDef("list_orders", "GET", "/orders"))
	check := func(step string, want ...string) {
		t.Helper()
		page, err := w.s.ListAPIs(ctx, w.a.AccountID, APIQuery{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("%s: %+v, %v", step, page, err)
		}
		d, err := w.s.GetAPI(ctx, w.a.AccountID, api.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got, fromDetail []string
		for _, s := range page.Items[0].Stages {
			got = append(got, fmt.Sprintf("%s r%d %s %s", s.Stage, s.Revision, s.DeployedAt.Format(time.TimeOnly), s.DeployedBy))
		}
		for _, dep := range d.Deployments {
			fromDetail = append(fromDetail, fmt.Sprintf("%s r%d %s %s", dep.Stage, dep.Revision, dep.DeployedAt.Format(time.TimeOnly), dep.DeployedBy))
		}
		if strings.Join(got, ", ") != strings.Join(want, ", ") || strings.Join(fromDetail, ", ") != strings.Join(want, ", ") {
			t.Errorf("%s: the list says %q, the deployments %q; want %q", step, got, fromDetail, want)
		}
	}
	check("not deployed")
	at(2)
	mustDeploy(t, w.s, w.a, api.ID, rules.StageTest)
	check("TEST", "TEST r1 00:00:02 "+w.a.Name)
	at(3)
	mustDeploy(t, w.s, w.a, api.ID, rules.StageRelease)
	check("RELEASE and TEST", "RELEASE r1 00:00:03 "+w.a.Name, "TEST r1 00:00:02 "+w.a.Name)
	def := api.APIDefinition
	def.MockBody = "[]"
	if _, err := w.s.ModifyAPI(ctx, w.a, api.ID, def); err != nil {
		t.Fatal(err)
	}
	check("edited: no stage moves", "RELEASE r1 00:00:03 "+w.a.Name, "TEST r1 00:00:02 "+w.a.Name)
	at(5)
	mustDeploy(t, w.s, w.a, api.ID, rules.StageTest)
	check("TEST redeployed", "RELEASE r1 00:00:03 "+w.a.Name, "TEST r2 00:00:05 "+w.a.Name)
	if _, err := w.s.AbolishAPI(ctx, w.a, api.ID, rules.StageRelease); err != nil {
		t.Fatal(err)
	}
	check("RELEASE abolished", "TEST r2 00:00:05 "+w.a.Name)
	if _, err := w.s.AbolishAPI(ctx, w.a, api.ID, rules.StageTest); err != nil {
		t.Fatal(err)
	}
	check("all abolished")
}

func TestMigrationSummarisesExistingStages(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.migrateTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return seedCatalogue(ctx, tx, s.now()) }); err != nil {
		t.Fatal(err)
	}
	if err := s.GenerateGroupsWithAPIs(ctx, 3, "old", 2); err != nil { // as schema 10 kept them: no summary
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM api_deployments`); n != 6 {
		t.Fatalf("%d deployments", n)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	acct, err := s.AccountByName(ctx, "old")
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.ListAPIs(ctx, acct.ID, APIQuery{})
	if err != nil || len(page.Items) != 6 {
		t.Fatalf("%+v, %v", page, err)
	}
	for _, r := range page.Items {
		if len(r.Stages) != 1 || r.Stages[0].Revision != 1 || r.Stages[0].DeployedBy != "generator" {
			t.Errorf("%s: stages %+v after the migration", r.Name, r.Stages)
		}
	}
}

// TestGeneratedAPIsAreValid: the benchmarks' generated APIs pass the
// rules (a path the rules refuse is one the gateway cannot route: the
// load run calls them).
func TestGeneratedAPIsAreValid(t *testing.T) {
	s := newStore(t)
	ctx := context.Background()
	if err := s.GenerateGroupsWithAPIs(ctx, 40, "gen", 2); err != nil {
		t.Fatal(err)
	}
	rows, err := s.rq.QueryContext(ctx, `SELECT path FROM apis`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		n++
		d := rules.APIDefinition{Name: "check", Method: "GET", Path: p, Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock}.WithDefaults()
		for _, err := range d.Validate() {
			if re, ok := rules.AsError(err); ok && re.Code == rules.CodeInvalidRequestPath {
				t.Errorf("generated path %q: %v", p, err)
			}
		}
	}
	if n != 80 {
		t.Errorf("%d APIs generated, want 80", n)
	}
}
