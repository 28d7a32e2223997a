package store

import (
	"context"
	"path/filepath"
	"testing"

	"gatehouse/rules"
)

// A remembered search total follows every change that can move it: a new
// group, a rename, a move to another instance, a deletion, and a change
// made by another process on the same file; a change that cannot move it
// (the VPC domain) leaves it remembered.
func TestFilteredTotalsFollowChanges(t *testing.T) {
	w, groups := listWorld(t)
	ctx := context.Background()
	total := func(s *Store, q GroupQuery) int {
		t.Helper()
		page, err := s.ListGroups(ctx, w.a.AccountID, q)
		if err != nil {
			t.Fatal(err)
		}
		return page.Total
	}
	search := GroupQuery{Keyword: "pay"}
	onBound := GroupQuery{InstanceID: w.bound.ID}
	want := func(q GroupQuery, n int) {
		t.Helper()
		for range 2 { // counted, then remembered
			if got := total(w.s, q); got != n {
				t.Fatalf("%+v: total %d, want %d", q, got, n)
			}
		}
	}
	want(search, 2) // payments_api, Pay_Later
	bound := total(w.s, onBound)

	g := mustGroup(t, w.s, w.a, "repay_plan", "cn-hangzhou", w.bound.ID)
	want(search, 3)
	want(onBound, bound+1)

	name := "plain_name"
	if _, err := w.s.ModifyGroup(ctx, w.a, g.ID, GroupChange{Name: &name}); err != nil {
		t.Fatal(err)
	}
	want(search, 2)

	if _, err := w.s.MoveGroup(ctx, w.a, g.ID, w.shared); err != nil {
		t.Fatal(err)
	}
	want(onBound, bound)

	if _, err := w.s.EnableVpcDomain(ctx, w.a, groups[4].ID); err != nil {
		t.Fatal(err)
	}
	want(search, 2)

	if err := w.s.DeleteGroup(ctx, w.a, groups[9].ID); err != nil { // Pay_Later
		t.Fatal(err)
	}
	want(search, 1)

	// Another process: a second Store on the same file.
	other, err := Open(ctx, filepath.Clean(w.s.Path()))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, err := other.CreateGroup(ctx, w.a, rules.GroupInput{Name: "payroll", RegionID: "cn-hangzhou", InstanceID: w.shared}); err != nil {
		t.Fatal(err)
	}
	want(search, 2)

	// Another account's change leaves this one's totals alone, and its own
	// are its own.
	mustGroup(t, w.s, w.b, "pay_bravo", "cn-hangzhou", w.shared)
	want(search, 2)
	if page, err := w.s.ListGroups(ctx, w.b.AccountID, search); err != nil || page.Total != 1 {
		t.Fatalf("bravo's search: %d, %v", page.Total, err)
	}
}
