package store

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"gatehouse/rules"
)

// Group Details' data and the account's version it was read at: each kind
// of change, made by this process or another one, moves the version and
// shows in what GroupView reads, as a store that never read it reads it.
func TestGroupViewFollowsEveryChange(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "gatehouse.db")
	s, err := OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	// another is a second process on the same database.
	another, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer another.Close()

	a := newAccount(t, s, "alpha")
	vpc := mustVpc(t, s, a, "cn-hangzhou", "172.16.0.0/12")
	vsw := mustVSwitch(t, s, a, vpc, "cn-hangzhou-g", "172.16.0.0/24")
	inst := mustInstance(t, s, a, "cn-hangzhou", "cn-hangzhou-g")
	other := mustInstance(t, s, a, "cn-hangzhou", "cn-hangzhou-h")
	if _, err := s.BindVpc(ctx, a, inst.ID, vpc.ID, vsw.ID); err != nil {
		t.Fatal(err)
	}
	g := mustGroup(t, s, a, "orders", "cn-hangzhou", inst.ID)
	api := mustAPI(t, s, a, g.ID, mockDef("list", "GET", "/orders"))
	// Two more groups share the account's VPCs and, for one, the region's
	// instances with g.
	g2 := mustGroup(t, s, a, "billing", "cn-hangzhou", sharedIn(t, "cn-hangzhou"))
	g3 := mustGroup(t, s, a, "users", "cn-beijing", sharedIn(t, "cn-beijing"))
	now := time.Now()
	cert, key := selfSigned(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "tls.example.com")
	name, desc := "orders_v2", "the orders"

	changes := []struct {
		name string
		by   *Store
		do   func(s *Store) error
	}{
		{"the group's description", s, func(s *Store) error {
			_, err := s.ModifyGroup(ctx, a, g.ID, GroupChange{Description: &desc})
			return err
		}},
		{"the group renamed by another process", another, func(s *Store) error {
			_, err := s.ModifyGroup(ctx, a, g.ID, GroupChange{Name: &name})
			return err
		}},
		{"the VPC domain enabled", s, func(s *Store) error {
			_, err := s.EnableVpcDomain(ctx, a, g.ID)
			return err
		}},
		{"a custom domain bound", s, func(s *Store) error {
			_, err := s.BindDomain(ctx, a, g.ID, rules.DomainInput{Name: "tls.example.com", NetworkType: rules.NetworkInternet})
			return err
		}},
		{"its certificate uploaded", another, func(s *Store) error {
			_, err := s.SetDomainCertificate(ctx, a, g.ID, rules.DomainInput{Name: "tls.example.com", CertName: "tls", CertPEM: cert, KeyPEM: key})
			return err
		}},
		{"the instance renamed", s, func(s *Store) error {
			n := "gateway-1"
			_, err := s.ModifyInstance(ctx, a, inst.ID, rules.InstanceChange{Name: &n})
			return err
		}},
		{"a destination instance renamed", s, func(s *Store) error {
			n := "gateway-2"
			_, err := s.ModifyInstance(ctx, a, other.ID, rules.InstanceChange{Name: &n})
			return err
		}},
		{"a VPC created", another, func(s *Store) error {
			_, err := s.CreateVpc(ctx, a, rules.VpcInput{Name: "second", RegionID: "cn-hangzhou", CIDR: "192.168.0.0/16"})
			return err
		}},
		{"an API created", s, func(s *Store) error {
			_, err := s.CreateAPI(ctx, a, g.ID, mockDef("create", "POST", "/orders"))
			return err
		}},
		{"an API deployed", another, func(s *Store) error {
			_, err := s.DeployAPI(ctx, a, api.ID, rules.StageRelease, "")
			return err
		}},
		{"an API changed", s, func(s *Store) error {
			_, err := s.ModifyAPI(ctx, a, api.ID, mockDef("list_all", "GET", "/orders"))
			return err
		}},
		{"an API abolished", s, func(s *Store) error {
			_, err := s.AbolishAPI(ctx, a, api.ID, rules.StageRelease)
			return err
		}},
		{"an API deleted", s, func(s *Store) error { return s.DeleteAPI(ctx, a, api.ID) }},
		{"the domain unbound", another, func(s *Store) error {
			_, err := s.UnbindDomain(ctx, a, g.ID, "tls.example.com")
			return err
		}},
		{"the VPC domain disabled", s, func(s *Store) error {
			_, err := s.DisableVpcDomain(ctx, a, g.ID)
			return err
		}},
		{"the group moved", s, func(s *Store) error {
			_, err := s.MoveGroup(ctx, a, g.ID, other.ID)
			return err
		}},
		{"the shared instance's row changed", s, func(s *Store) error {
			_, err := s.w.ExecContext(ctx, `UPDATE instances SET name = name || '+' WHERE id = ?`, sharedIn(t, "cn-hangzhou"))
			return err
		}},
	}
	viewOf := func(s *Store, id string) GroupView {
		t.Helper()
		v, err := s.GroupView(ctx, a.AccountID, id, 10)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	view := func(s *Store) GroupView { return viewOf(s, g.ID) }
	for _, ch := range changes {
		viewOf(s, g2.ID)
		viewOf(s, g3.ID)
		before := view(s)
		if again := view(s); !reflect.DeepEqual(again, before) {
			t.Fatalf("%s: read twice without a change, the views differ", ch.name)
		}
		if err := ch.do(ch.by); err != nil {
			t.Fatalf("%s: %v", ch.name, err)
		}
		after := view(s)
		if reflect.DeepEqual(after.GroupDetail, before.GroupDetail) && reflect.DeepEqual(after.Vpcs, before.Vpcs) &&
			reflect.DeepEqual(after.Instances, before.Instances) && reflect.DeepEqual(after.APIs, before.APIs) {
			t.Errorf("%s: Group Details' data did not change", ch.name)
		}
		if after.Version <= before.Version {
			t.Errorf("%s: the account's version stayed %d", ch.name, after.Version)
		}
		fresh, err := Open(ctx, path) // never read the groups
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{g.ID, g2.ID, g3.ID} {
			if got, want := viewOf(s, id), viewOf(fresh, id); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: the view of %s answered\n%+v\nwant\n%+v", ch.name, id, got, want)
			}
		}
		fresh.Close()
	}
}

// Every row Group Details holds moves its account's version when it
// changes, whatever writes it, and another account's rows do not; its
// stored traffic moves the account's traffic version, and only that.
func TestAccountVersionMovesWithEveryTable(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	g := mustGroup(t, w.s, w.a, "orders", "cn-hangzhou", w.bound.ID)
	api := mustAPI(t, w.s, w.a, g.ID, mockDef("list", "GET", "/orders"))
	if _, err := w.s.DeployAPI(ctx, w.a, api.ID, rules.StageTest, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.BindDomain(ctx, w.a, g.ID, rules.DomainInput{Name: "api.example.com", NetworkType: rules.NetworkInternet}); err != nil {
		t.Fatal(err)
	}
	if err := w.s.AddDomainCalls(ctx, []HourlyCalls{{g.ID, g.PublicDomain(), 490000, 3, 1}}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ReservePublicCalls(ctx, g.ID, 20416, 100, 1000); err != nil {
		t.Fatal(err)
	}
	bVpc := mustVpc(t, w.s, w.b, "cn-beijing", "10.0.0.0/8")
	version := func(accountID string) int64 {
		t.Helper()
		v, err := accountVersion(ctx, w.s.rq, accountID)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, u := range []struct{ table, set, where, id string }{
		{"custom_domains", "account_id", "name", "api.example.com"}, // before its group, whose deletion takes it along
		{"api_groups", "account_id", "id", g.ID},
		{"instances", "account_id", "id", w.bound.ID},
		{"vpcs", "account_id", "id", w.vpc.ID},
		{"vswitches", "account_id", "id", w.vsw.ID},
		{"apis", "account_id", "id", api.ID},
		{"api_deployments", "account_id", "api_id", api.ID},
	} {
		for _, op := range []string{"UPDATE", "DELETE then INSERT"} {
			before, otherBefore := version(w.a.AccountID), version(w.b.AccountID)
			tx, err := w.s.w.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			stmts := []string{fmt.Sprintf(`UPDATE %s SET %s = %[2]s WHERE %s = ?`, u.table, u.set, u.where)}
			if op != "UPDATE" {
				stmts = []string{
					fmt.Sprintf(`CREATE TEMP TABLE saved AS SELECT * FROM %s WHERE %s = ?`, u.table, u.where),
					`PRAGMA defer_foreign_keys = ON`,
					fmt.Sprintf(`DELETE FROM %s WHERE %s = ?`, u.table, u.where),
					fmt.Sprintf(`INSERT INTO %s SELECT * FROM temp.saved`, u.table),
					`DROP TABLE temp.saved`,
				}
			}
			for _, q := range stmts {
				var args []any
				if len(q) > 0 && (q[len(q)-1] == '?') {
					args = []any{u.id}
				}
				if _, err := tx.ExecContext(ctx, q, args...); err != nil {
					tx.Rollback()
					t.Fatalf("%s %s: %s: %v", op, u.table, q, err)
				}
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if after := version(w.a.AccountID); after <= before {
				t.Errorf("%s of %s: the account's version stayed %d", op, u.table, after)
			}
			if after := version(w.b.AccountID); after != otherBefore {
				t.Errorf("%s of %s: another account's version moved from %d to %d", op, u.table, otherBefore, after)
			}
		}
	}
	// And the other way round: the other account's VPC moves its own only.
	before, otherBefore := version(w.a.AccountID), version(w.b.AccountID)
	if _, err := w.s.w.ExecContext(ctx, `UPDATE vpcs SET name = 'renamed' WHERE id = ?`, bVpc.ID); err != nil {
		t.Fatal(err)
	}
	if version(w.a.AccountID) != before || version(w.b.AccountID) <= otherBefore {
		t.Error("another account's VPC renamed: the versions did not move as they should")
	}

	// The stored traffic: the traffic version moves, the account's does not.
	traffic := func(accountID string) int64 {
		t.Helper()
		var v int64
		if err := w.s.rq.QueryRowContext(ctx, trafficVersionQuery, accountID).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, change := range []struct {
		what string
		do   func() error
	}{
		{"calls stored", func() error {
			return w.s.AddDomainCalls(ctx, []HourlyCalls{{g.ID, g.PublicDomain(), 490001, 1, 0}})
		}},
		{"calls reserved", func() error {
			_, err := w.s.ReservePublicCalls(ctx, g.ID, 20417, 100, 1000)
			return err
		}},
		{"old calls deleted", func() error {
			_, err := w.s.w.ExecContext(ctx, `DELETE FROM domain_hourly_calls WHERE group_id = ?`, g.ID)
			return err
		}},
	} {
		before, tBefore, otherBefore := version(w.a.AccountID), traffic(w.a.AccountID), traffic(w.b.AccountID)
		if err := change.do(); err != nil {
			t.Fatal(err)
		}
		if traffic(w.a.AccountID) <= tBefore || version(w.a.AccountID) != before || traffic(w.b.AccountID) != otherBefore {
			t.Errorf("%s: traffic version %d → %d, account version %d → %d, another account's traffic %d → %d",
				change.what, tBefore, traffic(w.a.AccountID), before, version(w.a.AccountID), otherBefore, traffic(w.b.AccountID))
		}
	}
}

// The session's read carries the account's version, and a change moves it.
func TestSessionCarriesTheAccountVersion(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	u, err := w.s.AddUser(ctx, "alpha", "ops", rules.RoleAdmin, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	sess, err := w.s.CreateSession(ctx, u, now, time.Hour, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	want, err := accountVersion(ctx, w.s.rq, w.a.AccountID)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 { // read, then from the session cache
		got, err := w.s.SessionByID(ctx, sess.ID, now)
		if err != nil || got.AccountVersion != want {
			t.Fatalf("read %d: version %d, %v; want %d", i, got.AccountVersion, err, want)
		}
	}
	g := mustGroup(t, w.s, w.a, "orders", "cn-hangzhou", w.shared)
	got, err := w.s.SessionByID(ctx, sess.ID, now)
	if err != nil || got.AccountVersion <= want {
		t.Errorf("after a change: version %d, %v; want more than %d", got.AccountVersion, err, want)
	}
	if got.TrafficVersion < 1 {
		t.Errorf("traffic version %d before any traffic, want 1 or more (0 is \"not read\")", got.TrafficVersion)
	}
	if err := w.s.AddDomainCalls(ctx, []HourlyCalls{{g.ID, g.PublicDomain(), 490000, 1, 0}}); err != nil {
		t.Fatal(err)
	}
	after, err := w.s.SessionByID(ctx, sess.ID, now)
	if err != nil || after.TrafficVersion <= got.TrafficVersion || after.AccountVersion != got.AccountVersion {
		t.Errorf("after calls stored: traffic %d → %d, account %d → %d, %v", got.TrafficVersion, after.TrafficVersion, got.AccountVersion, after.AccountVersion, err)
	}
}

// Kept answers a value only at the version it was kept under, keeps one
// version of each account's values and never an older one, nothing at
// version 0, and stays within its bytes.
func TestKept(t *testing.T) {
	c := NewKept[string, string](1600)
	c.Put("a", 5, "g1", "view 1", 10)
	if v, ok := c.Get("a", 5, "g1"); !ok || v != "view 1" {
		t.Fatal("a value kept at version 5 is not answered at 5")
	}
	if _, ok := c.Get("a", 6, "g1"); ok {
		t.Error("a value of version 5 answered at 6")
	}
	if _, ok := c.Get("b", 5, "g1"); ok {
		t.Error("account a's value answered for account b")
	}
	c.Put("a", 6, "g2", "view 2", 10)
	if _, ok := c.Get("a", 5, "g1"); ok {
		t.Error("a value of version 5 is still answered after one of version 6 came")
	}
	c.Put("a", 5, "g1", "view 1", 10) // read before the change, kept after it
	if _, ok := c.Get("a", 5, "g1"); ok {
		t.Error("a late value of an older version was kept")
	}
	c.Put("a", 0, "g3", "view 3", 10)
	if _, ok := c.Get("a", 0, "g3"); ok {
		t.Error("a value was kept at version 0 (not read)")
	}
	c.Put("a", 6, "big", "too big", 101) // over a sixteenth of 1,600
	if _, ok := c.Get("a", 6, "big"); ok {
		t.Error("a value over a sixteenth of the bytes was kept")
	}
	for i := range 200 {
		c.Put(fmt.Sprint("acct", i), 1, "g", "v", 100)
		if c.bytes > 1600 {
			t.Fatalf("%d bytes held, more than 1,600", c.bytes)
		}
	}
	c.Put("a", 7, "g1", "v", 10)
	c.Put("a", 7, "g1", "v again", 30) // the same key again: counted once
	if c.accounts["a"].bytes != 30 {
		t.Errorf("account a holds %d bytes, want 30", c.accounts["a"].bytes)
	}
}
