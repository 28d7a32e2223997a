package store

import (
	"context"
	"errors"
	"testing"

	"gatehouse/rules"
)

// A page read inside View sees one state: a change committed between two
// of its reads shows in neither, and shows in the next View.
func TestViewIsOneSnapshotAcrossMethods(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := newAccount(t, s, "acme")
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", sharedIn(t, "cn-hangzhou"))

	err := s.View(ctx, func(ctx context.Context) error {
		before, err := s.GetGroupDetail(ctx, a.AccountID, g.ID)
		if err != nil {
			return err
		}
		// Another operator renames the group and adds a VPC meanwhile.
		name := "orders_renamed"
		if _, err := s.ModifyGroup(context.Background(), a, g.ID, GroupChange{Name: &name}); err != nil {
			return err
		}
		mustVpc(t, s, a, "cn-hangzhou", "10.0.0.0/8")
		after, err := s.GetGroup(ctx, a.AccountID, g.ID)
		if err != nil {
			return err
		}
		if before.Name != "orders" || after.Name != "orders" {
			t.Errorf("inside one View the name read %q, then %q; want orders both times", before.Name, after.Name)
		}
		vpcs, err := s.ListVpcsWithoutVSwitches(ctx, a.AccountID, "")
		if err != nil {
			return err
		}
		if len(vpcs) != 0 {
			t.Errorf("inside the View, %d VPCs; want the 0 of its snapshot", len(vpcs))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// Outside it, and on the connections it used, the change shows.
	for range 8 { // more than the read pool's connections
		got, err := s.GetGroup(ctx, a.AccountID, g.ID)
		if err != nil || got.Name != "orders_renamed" {
			t.Fatalf("after the View: %q, %v; want orders_renamed", got.Name, err)
		}
		if err := s.View(ctx, func(ctx context.Context) error {
			vpcs, err := s.ListVpcsWithoutVSwitches(ctx, a.AccountID, "")
			if err == nil && len(vpcs) != 1 {
				t.Errorf("a later View sees %d VPCs, want 1", len(vpcs))
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
}

// View hands fn's error back, and a canceled context stops its reads with
// the context's error, not a stale answer.
func TestViewReturnsErrorsAndHonoursCancellation(t *testing.T) {
	s := newStore(t)
	a := newAccount(t, s, "acme")
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", sharedIn(t, "cn-hangzhou"))

	boom := errors.New("boom")
	if err := s.View(context.Background(), func(context.Context) error { return boom }); !errors.Is(err, boom) {
		t.Fatalf("View returned %v, want fn's error", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	err := s.View(ctx, func(ctx context.Context) error {
		if _, err := s.GetGroup(ctx, a.AccountID, g.ID); err != nil {
			return err
		}
		cancel()
		_, err := s.GetGroup(ctx, a.AccountID, g.ID)
		return err
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a read after cancel inside View: %v, want context.Canceled", err)
	}
	if _, err := s.GetGroup(ctx, a.AccountID, g.ID); !errors.Is(err, context.Canceled) {
		t.Fatalf("a read with a canceled context: %v, want context.Canceled", err)
	}
	if _, err := s.GetGroupDetail(ctx, a.AccountID, g.ID); !errors.Is(err, context.Canceled) {
		t.Fatalf("a read transaction with a canceled context: %v, want context.Canceled", err)
	}
	// The pool is still good for a live context.
	if _, err := s.GetGroupDetail(context.Background(), a.AccountID, g.ID); err != nil {
		t.Fatalf("after the canceled reads: %v", err)
	}
}

// A View nested in another reuses it, and a not-found inside keeps its
// rule error.
func TestViewNestsAndKeepsRuleErrors(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := newAccount(t, s, "acme")
	err := s.View(ctx, func(outer context.Context) error {
		return s.View(outer, func(inner context.Context) error {
			if inner != outer {
				t.Error("a nested View made a second snapshot")
			}
			_, err := s.GetGroupDetail(inner, a.AccountID, "0123456789abcdef0123456789abcdef")
			return err
		})
	})
	if re, ok := rules.AsError(err); !ok || re.Code != rules.CodeGroupNotFound {
		t.Fatalf("a missing group inside View: %v, want the rules' not-found", err)
	}
}
