package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"gatehouse/rules"
)

// searchNames are group names with letters beyond ASCII.
var searchNames = []string{"Über_api", "über_orders", "ÜBERWEISUNG", "订单服务_API", "ΣΊΣΥΦΟΣ_svc", "Straẞe_maps", "plain_ascii"}

// Name search folds case for every letter: "über" finds Über_api, Chinese
// names match their own characters, Greek capitals match small letters,
// and a rename is searched by its new name.
func TestListGroupsSearchFoldsEveryLetter(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := newAccount(t, s, "acme")
	shared := sharedIn(t, "cn-hangzhou")
	ids := map[string]string{}
	for _, n := range searchNames {
		ids[n] = mustGroup(t, s, a, n, "cn-hangzhou", shared).ID
	}
	mustGroup(t, s, newAccount(t, s, "rival"), "Über_rival", "cn-hangzhou", shared)

	search := func(keyword string) string {
		t.Helper()
		p, err := s.ListGroups(ctx, a.AccountID, GroupQuery{Keyword: keyword})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range p.Items {
			got = append(got, r.Name)
		}
		if p.Total != len(got) {
			t.Errorf("%q: total %d for %d rows", keyword, p.Total, len(got))
		}
		slices.Sort(got)
		return strings.Join(got, ",")
	}
	tests := []struct{ keyword, want string }{
		{"über", "ÜBERWEISUNG,Über_api,über_orders"},
		{"ÜBER", "ÜBERWEISUNG,Über_api,über_orders"},
		{" Über_A ", "Über_api"},
		{"uber", ""}, // an accent is not a case
		{"订单", "订单服务_API"},
		{"服务_api", "订单服务_API"},
		{"σίσυφος", "ΣΊΣΥΦΟΣ_svc"},
		{"strasse", ""}, // simple folding: ẞ is one letter, not "ss"
		{"straße", "Straẞe_maps"},
		{"_API", "Über_api,订单服务_API"},
		{"ASCII", "plain_ascii"},
	}
	for _, tt := range tests {
		if got := search(tt.keyword); got != tt.want {
			t.Errorf("search %q = %s, want %s", tt.keyword, got, tt.want)
		}
		for _, n := range searchNames { // the store and rules.NameContains agree
			if strings.Contains(","+tt.want+",", ","+n+",") != rules.NameContains(n, tt.keyword) {
				t.Errorf("rules.NameContains(%q, %q) disagrees with the search", n, tt.keyword)
			}
		}
	}

	// A rename is found by its new name, not its old one.
	name := "Ärger_api"
	if _, err := s.ModifyGroup(ctx, a, ids["Über_api"], GroupChange{Name: &name}); err != nil {
		t.Fatal(err)
	}
	if got := search("über"); got != "ÜBERWEISUNG,über_orders" {
		t.Errorf("after the rename, über = %s", got)
	}
	if got := search("ärger"); got != "Ärger_api" {
		t.Errorf("after the rename, ärger = %s", got)
	}
}

// A database from before folded names (schema 5) gets them on migrating:
// its non-ASCII names are found by a search folded for every letter.
func TestMigrationFoldsExistingNames(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.migrateTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return seedCatalogue(ctx, tx, s.now()) }); err != nil {
		t.Fatal(err)
	}
	a := newAccount(t, s, "acme")
	shared := sharedIn(t, "cn-hangzhou")
	for i, n := range searchNames { // as the store of schema 5 wrote them
		if _, err := s.w.Exec(`INSERT INTO api_groups (id, account_id, region_id, instance_id, name, created_at, modified_at)
			VALUES (?, ?, 'cn-hangzhou', ?, ?, ?, ?)`, rules.NewGroupID(), a.AccountID, shared, n, i+1, i+1); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, n := range searchNames {
		if got := count(t, s, `SELECT COUNT(*) FROM api_groups WHERE name = ? AND name_folded = ?`, n, rules.FoldName(n)); got != 1 {
			t.Errorf("%s: not folded by the migration", n)
		}
	}
	p, err := s.ListGroups(ctx, a.AccountID, GroupQuery{Keyword: "ÜBER"})
	if err != nil || p.Total != 3 || len(p.Items) != 3 {
		t.Fatalf("search after the migration: %+v, %v", p, err)
	}
}

// The API list's name filter folds every letter as the group search does,
// in DescribeApis' list and DescribeDeployedApis' alike; renaming an API
// is searched by its new name, and its deployment by the name deployed.
func TestListAPIsNameFilterFoldsEveryLetter(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	g := mustGroup(t, w.s, w.a, "orders", "cn-hangzhou", w.shared)
	ids := map[string]string{}
	for i, n := range searchNames {
		api := mustAPI(t, w.s, w.a, g.ID, mockDef(n, "GET", fmt.Sprintf("/r%d", i)))
		ids[n] = api.ID
		mustDeploy(t, w.s, w.a, api.ID, rules.StageRelease)
	}
	theirs := mustGroup(t, w.s, w.b, "theirs", "cn-hangzhou", w.shared)
	mustAPI(t, w.s, w.b, theirs.ID, mockDef("Über_rival", "GET", "/r"))

	search := func(keyword string) (listed, deployed string) {
		t.Helper()
		p, err := w.s.ListAPIs(ctx, w.a.AccountID, APIQuery{Name: keyword})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range p.Items {
			got = append(got, r.Name)
		}
		if p.Total != len(got) {
			t.Errorf("%q: total %d for %d rows", keyword, p.Total, len(got))
		}
		slices.Sort(got)
		d, err := w.s.ListDeployments(ctx, w.a.AccountID, DeploymentQuery{Stage: rules.StageRelease, Name: keyword})
		if err != nil {
			t.Fatal(err)
		}
		var dep []string
		for _, r := range d.Items {
			dep = append(dep, r.Definition.Name)
		}
		slices.Sort(dep)
		return strings.Join(got, ","), strings.Join(dep, ",")
	}
	for _, tt := range []struct{ keyword, want string }{
		{"über", "ÜBERWEISUNG,Über_api,über_orders"},
		{"ÜBER", "ÜBERWEISUNG,Über_api,über_orders"},
		{"uber", ""},
		{"订单", "订单服务_API"},
		{"σίσυφος", "ΣΊΣΥΦΟΣ_svc"},
		{"straße", "Straẞe_maps"},
		{"_API", "Über_api,订单服务_API"},
		{"100%", ""}, // no LIKE wildcard
	} {
		listed, deployed := search(tt.keyword)
		if listed != tt.want || deployed != tt.want {
			t.Errorf("search %q: listed %s, deployed %s; want %s", tt.keyword, listed, deployed, tt.want)
		}
	}

	def := mockDef("Ärger_api", "GET", "/r0")
	if _, err := w.s.ModifyAPI(ctx, w.a, ids["Über_api"], def); err != nil {
		t.Fatal(err)
	}
	if listed, deployed := search("ärger"); listed != "Ärger_api" || deployed != "" {
		t.Errorf("after the rename, ärger: listed %s, deployed %s; want the API, not its deployment (until deployed again)", listed, deployed)
	}
	mustDeploy(t, w.s, w.a, ids["Über_api"], rules.StageRelease)
	if _, deployed := search("ÄRGER"); deployed != "Ärger_api" {
		t.Errorf("redeployed, ÄRGER: deployed %s", deployed)
	}
}

// A database of schema 7 gets its API names folded on migrating, current
// and deployed alike.
func TestMigrationFoldsExistingAPINames(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.migrateTo(ctx, 7); err != nil {
		t.Fatal(err)
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return seedCatalogue(ctx, tx, s.now()) }); err != nil {
		t.Fatal(err)
	}
	a := newAccount(t, s, "acme")
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", sharedIn(t, "cn-hangzhou"))
	for i, n := range searchNames { // as the store of schema 7 wrote them
		id := rules.NewAPIID()
		if _, err := s.w.Exec(`INSERT INTO apis (id, account_id, group_id, group_name, region_id, route_shape, revision, created_at, modified_at,
			name, description, method, path, protocols, backend, mock_body, mock_status, mock_headers, service_address, service_path,
			service_method, service_timeout, auth_type, disable_internet, visibility, result_type, result_sample)
			VALUES (?, ?, ?, 'orders', 'cn-hangzhou', ?, 1, ?, ?, ?, '', 'GET', ?, 'HTTP', 'MOCK', '', 200, '', '', '', '', 0, 'ANONYMOUS', 0, 'PRIVATE', 'JSON', '')`,
			id, a.AccountID, g.ID, fmt.Sprintf("/r%d", i), i+1, i+1, n, fmt.Sprintf("/r%d", i)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.w.Exec(`INSERT INTO api_deployments (api_id, stage, account_id, group_id, api_created_at, route_shape, revision,
			description, deployed_by, deployed_via, deployed_at, name, api_description, method, path, protocols, backend, mock_body,
			mock_status, mock_headers, service_address, service_path, service_method, service_timeout, auth_type, disable_internet,
			visibility, result_type, result_sample)
			VALUES (?, 'RELEASE', ?, ?, ?, ?, 1, '', 'old', 'console', ?, ?, '', 'GET', ?, 'HTTP', 'MOCK', '', 200, '', '', '', '', 0,
			'ANONYMOUS', 0, 'PRIVATE', 'JSON', '')`,
			id, a.AccountID, g.ID, i+1, fmt.Sprintf("/r%d", i), i+1, n, fmt.Sprintf("/r%d", i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"apis", "api_deployments"} {
		for _, n := range searchNames {
			if got := count(t, s, `SELECT COUNT(*) FROM `+table+` WHERE name = ? AND name_folded = ?`, n, rules.FoldName(n)); got != 1 {
				t.Errorf("%s %s: not folded by the migration", table, n)
			}
		}
	}
	p, err := s.ListAPIs(ctx, a.AccountID, APIQuery{Name: "ÜBER"})
	if err != nil || p.Total != 3 || len(p.Items) != 3 {
		t.Fatalf("search after the migration: %+v, %v", p, err)
	}
	d, err := s.ListDeployments(ctx, a.AccountID, DeploymentQuery{Stage: rules.StageRelease, Name: "über"})
	if err != nil || d.Total != 3 {
		t.Fatalf("deployments after the migration: %+v, %v", d, err)
	}
}

// A form offers an account's groups by name when they are few, and none
// (with more set) past the limit; another account's never.
func TestGroupChoices(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := newAccount(t, s, "acme")
	shared := sharedIn(t, "cn-hangzhou")
	for _, n := range []string{"zeta_api", "Über_api", "alpha_api", "beta_api"} {
		mustGroup(t, s, a, n, "cn-hangzhou", shared)
	}
	mustGroup(t, s, newAccount(t, s, "rival"), "aardvark", "cn-hangzhou", shared)
	got, more, err := s.GroupChoices(ctx, a.AccountID, 0, 4)
	if err != nil || more {
		t.Fatalf("4 groups, at most 4: more %v, %v", more, err)
	}
	var names []string
	for _, g := range got {
		names = append(names, g.Name)
		if g.RegionID != "cn-hangzhou" || !rules.IsGroupID(g.ID) {
			t.Errorf("%+v", g)
		}
	}
	if strings.Join(names, ",") != "alpha_api,beta_api,zeta_api,Über_api" { // folded, then byte order
		t.Errorf("order: %v", names)
	}
	if got, more, err := s.GroupChoices(ctx, a.AccountID, 0, 3); err != nil || !more || got != nil {
		t.Errorf("4 groups, at most 3: %v, more %v, %v", got, more, err)
	}
	if got, more, err := s.GroupChoices(ctx, newAccount(t, s, "empty").AccountID, 0, 3); err != nil || more || len(got) != 0 {
		t.Errorf("no groups: %v, more %v, %v", got, more, err)
	}
}

// The choices are kept by the account's version: a new group shows to a
// request that read the version it moved to.
func TestGroupChoicesKeptByVersion(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := newAccount(t, s, "acme")
	shared := sharedIn(t, "cn-hangzhou")
	mustGroup(t, s, a, "alpha_api", "cn-hangzhou", shared)
	version := func() int64 {
		t.Helper()
		v, err := accountVersion(ctx, s.rq, a.AccountID)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	names := func(v int64, max int) (out []string, more bool) {
		t.Helper()
		got, more, err := s.GroupChoices(ctx, a.AccountID, v, max)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range got {
			out = append(out, g.Name)
		}
		return out, more
	}
	before := version()
	if got, _ := names(before, 4); len(got) != 1 {
		t.Fatalf("%v, want alpha_api", got)
	}
	mustGroup(t, s, a, "beta_api", "cn-hangzhou", shared)
	after := version()
	if after == before {
		t.Fatal("a new group did not move the account's version")
	}
	if got, _ := names(after, 4); strings.Join(got, ",") != "alpha_api,beta_api" {
		t.Errorf("at the new version: %v, want alpha_api,beta_api", got)
	}
	if got, more := names(after, 1); got != nil || !more {
		t.Errorf("at most 1: %v, more %v; want none and more", got, more)
	}
	if got, _ := names(0, 4); len(got) != 2 {
		t.Errorf("no version: %v, want both", got)
	}
}
