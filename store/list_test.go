package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

// listWorld: account A with 23 groups in cn-hangzhou (on the shared and a
// dedicated instance) and 5 in cn-shanghai, created one second apart except
// for a few created in the same instant (ties are broken by id); account B
// with one group.
func listWorld(t *testing.T) (*world, []rules.Group) {
	t.Helper()
	w := newWorld(t)
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	w.s.now = func() time.Time { return clock }
	var groups []rules.Group
	for i := range 28 {
		region, inst := "cn-hangzhou", w.shared
		switch {
		case i >= 23:
			region, inst = "cn-shanghai", sharedIn(t, "cn-shanghai")
		case i%3 == 0:
			inst = w.bound.ID
		}
		name := fmt.Sprintf("grp_%02d", i)
		switch i {
		case 4:
			name = "payments_api"
		case 9:
			name = "Pay_Later"
		case 12:
			name = "a_b_literal"
		case 13:
			name = "aXb_wildcard"
		}
		groups = append(groups, mustGroup(t, w.s, w.a, name, region, inst))
		if i%7 != 0 { // groups 0-1, 7-8, 14-15, 21-22 share their instant
			clock = clock.Add(time.Second)
		}
	}
	mustGroup(t, w.s, w.b, "bravo_group", "cn-hangzhou", w.shared)
	return w, groups
}

// newestFirst orders groups as the default list does.
func newestFirst(gs []rules.Group) []rules.Group {
	out := slices.Clone(gs)
	slices.SortFunc(out, func(a, b rules.Group) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}

func rowIDs(rows []GroupRow) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.ID
	}
	return out
}

func groupIDs(gs []rules.Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.ID
	}
	return out
}

func TestListGroupsKeysetPagesForwardAndBack(t *testing.T) {
	ctx := context.Background()
	w, groups := listWorld(t)
	want := groupIDs(newestFirst(groups))

	var pages []GroupPage
	q := GroupQuery{Limit: 5}
	for {
		page, err := w.s.ListGroups(ctx, w.a.AccountID, q)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 28 {
			t.Fatalf("total %d, want 28", page.Total)
		}
		pages = append(pages, page)
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	var got []string
	for _, p := range pages {
		got = append(got, rowIDs(p.Items)...)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("forward walk:\n got %v\nwant %v", got, want)
	}
	if len(pages) != 6 || pages[0].Prev != "" || pages[5].Next != "" || pages[1].Prev == "" {
		t.Fatalf("page links: %d pages", len(pages))
	}
	// Back from the last page with Prev: the same pages, in reverse.
	q = GroupQuery{Limit: 5, Before: pages[5].Prev}
	for i := 4; i >= 0; i-- {
		page, err := w.s.ListGroups(ctx, w.a.AccountID, q)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rowIDs(page.Items), rowIDs(pages[i].Items)) {
			t.Fatalf("backward page %d:\n got %v\nwant %v", i, rowIDs(page.Items), rowIDs(pages[i].Items))
		}
		if (page.Prev == "") != (i == 0) || page.Next == "" {
			t.Fatalf("backward page %d links: prev %q next %q", i, page.Prev, page.Next)
		}
		q.Before = page.Prev
	}

	// Oldest first.
	asc, err := w.s.ListGroups(ctx, w.a.AccountID, GroupQuery{Sort: "asc", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	rev := slices.Clone(want)
	slices.Reverse(rev)
	if !slices.Equal(rowIDs(asc.Items), rev) || asc.Next != "" {
		t.Fatalf("ascending:\n got %v\nwant %v", rowIDs(asc.Items), rev)
	}
	for _, r := range asc.Items {
		if (r.InstanceType == rules.InstanceDedicated) != (r.InstanceID == w.bound.ID) || r.InstanceName == "" {
			t.Fatalf("row instance: %+v", r)
		}
	}
}

func TestListGroupsFilters(t *testing.T) {
	ctx := context.Background()
	w, groups := listWorld(t)
	s, acct := w.s, w.a.AccountID
	list := func(q GroupQuery) GroupPage {
		t.Helper()
		p, err := s.ListGroups(ctx, acct, q)
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	names := func(p GroupPage) string {
		var n []string
		for _, r := range p.Items {
			n = append(n, r.Name)
		}
		slices.Sort(n)
		return strings.Join(n, ",")
	}

	if p := list(GroupQuery{RegionID: "cn-shanghai"}); p.Total != 5 || len(p.Items) != 5 {
		t.Fatalf("cn-shanghai: total %d, %d items", p.Total, len(p.Items))
	}
	if p := list(GroupQuery{RegionID: "cn-hangzhou", Limit: 3}); p.Total != 23 || len(p.Items) != 3 {
		t.Fatalf("cn-hangzhou: total %d, %d items", p.Total, len(p.Items))
	}
	if p := list(GroupQuery{InstanceID: w.bound.ID}); p.Total != 8 {
		t.Fatalf("on the dedicated instance: total %d", p.Total)
	}
	if p := list(GroupQuery{Keyword: "PAY", Limit: 1}); p.Total != 2 || len(p.Items) != 1 || p.Next == "" {
		t.Fatalf("keyword PAY: total %d, %d items", p.Total, len(p.Items))
	}
	if p := list(GroupQuery{Keyword: "a_b"}); names(p) != "a_b_literal" {
		t.Fatalf("keyword a_b (underscore is literal): %s", names(p))
	}
	if p := list(GroupQuery{Keyword: "%"}); p.Total != 0 {
		t.Fatalf("keyword %%: total %d", p.Total)
	}
	if p := list(GroupQuery{Keyword: "grp_2", RegionID: "cn-shanghai"}); names(p) != "grp_23,grp_24,grp_25,grp_26,grp_27" {
		t.Fatalf("keyword in region: %s", names(p))
	}

	// Page numbers (OFFSET) agree with the keyset order.
	want := groupIDs(newestFirst(groups))
	p2 := list(GroupQuery{Limit: 5, PageNumber: 2})
	if !slices.Equal(rowIDs(p2.Items), want[5:10]) || p2.Total != 28 || p2.Next != "" {
		t.Fatalf("page 2: %v", rowIDs(p2.Items))
	}
	if p := list(GroupQuery{Limit: 5, PageNumber: 7}); len(p.Items) != 0 || p.Total != 28 {
		t.Fatalf("page past the end: %d items", len(p.Items))
	}

	// Modified order: a modified group comes first.
	s.now = func() time.Time { return time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }
	desc := "touched"
	if _, err := s.ModifyGroup(ctx, w.a, groups[3].ID, GroupChange{Description: &desc}); err != nil {
		t.Fatal(err)
	}
	byMod := list(GroupQuery{OrderBy: "modified", Limit: 2})
	if byMod.Items[0].ID != groups[3].ID {
		t.Fatalf("modified first: %v", rowIDs(byMod.Items))
	}
	next := list(GroupQuery{OrderBy: "modified", Limit: 2, After: byMod.Next})
	if len(next.Items) != 2 || slices.Contains(rowIDs(next.Items), groups[3].ID) {
		t.Fatalf("modified page 2: %v", rowIDs(next.Items))
	}

	for _, bad := range []GroupQuery{
		{After: "garbage!"},
		{OrderBy: "created", After: byMod.Next}, // a cursor of another order
		{Sort: "sideways"},
		{OrderBy: "name"},
		{After: byMod.Next, Before: byMod.Next},
		{PageNumber: -1},
	} {
		_, err := s.ListGroups(ctx, acct, bad)
		var ie *InputError
		if !errors.As(err, &ie) {
			t.Errorf("%+v: want an input error, got %v", bad, err)
		}
	}
}

// TestGroupListUsesIndexes: every list query reads an index of api_groups
// in the page order, with no full scan and no sort of the whole list.
func TestGroupListUsesIndexes(t *testing.T) {
	s := newStore(t)
	// With data and statistics, as after PRAGMA optimize on a real database.
	if err := s.GenerateGroups(context.Background(), 5000, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`ANALYZE`); err != nil {
		t.Fatal(err)
	}
	cursor := groupCursor{orderBy: "c", key: 1, id: "x"}.encode()
	mcursor := groupCursor{orderBy: "m", key: 1, id: "x"}.encode()
	for _, q := range []GroupQuery{
		{},
		{Sort: "asc"},
		{After: cursor},
		{Before: cursor},
		{RegionID: "cn-hangzhou"},
		{RegionID: "cn-hangzhou", After: cursor},
		{OrderBy: "modified"},
		{OrderBy: "modified", RegionID: "cn-hangzhou", After: mcursor},
		{Keyword: "pay"},
		{Keyword: "pay", RegionID: "cn-hangzhou"},
		{PageNumber: 3, Limit: 50},
	} {
		l, err := planGroupList("acct", q)
		if err != nil {
			t.Fatal(err)
		}
		for _, query := range []struct {
			sql  string
			args []any
		}{{l.query, l.args}, {l.countQuery, l.countArgs}} {
			plan := explain(t, s, query.sql, query.args...)
			t.Logf("%+v:\n%s", q, plan)
			if strings.Contains(plan, "SCAN g\n") || strings.Contains(plan, "TEMP B-TREE") || !strings.Contains(plan, "INDEX") && !strings.Contains(plan, "PRIMARY KEY") {
				t.Errorf("%+v:\n%s\n%s", q, query.sql, plan)
			}
		}
	}
}

func explain(t *testing.T, s *Store, query string, args ...any) string {
	t.Helper()
	rows, err := s.r.Query(`EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}
