package store

import (
	"context"
	"database/sql"
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
