package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"gatehouse/rules"
)

// The operation log's filters (action, outcome, target, time range) each
// give exactly their entries, newest first by time, in keyset pages that
// neither skip nor repeat an entry, also when entries share a time.
func TestOpLogFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	a := newAccount(t, s, "alpha")
	other := newAccount(t, s, "bravo")
	start := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	clock := start
	s.now = func() time.Time { return clock }
	type entry struct {
		action, target, outcome string
		at                      time.Time
	}
	// The account's creation is its first entry, at the time it was made.
	created, _, err := s.ListOpLog(ctx, a.AccountID, OpLogQuery{Action: rules.ActionCreateAccount})
	if err != nil || len(created) != 1 {
		t.Fatalf("account creation: %v %v", created, err)
	}
	written := []entry{{action: rules.ActionCreateAccount, target: a.AccountID, outcome: rules.OutcomeOK, at: created[0].Time}}
	for i := range 60 {
		// Three entries a minute: times are shared, as in a busy minute.
		clock = start.Add(time.Duration(i/3) * time.Minute)
		e := entry{action: rules.ActionBindVpc, target: "inst-a", outcome: rules.OutcomeOK, at: clock}
		switch i % 4 {
		case 1:
			e.outcome = rules.CodeInstanceVpcInUse
		case 2:
			e.action, e.target = rules.ActionDeleteVpc, "vpc-b"
		case 3:
			e.action, e.target, e.outcome = rules.ActionDeleteVpc, "vpc-b", rules.CodeVpcInUse
		}
		if err := s.LogEvent(ctx, a, e.action, e.target, e.outcome, "detail"); err != nil {
			t.Fatal(err)
		}
		if err := s.LogEvent(ctx, other, e.action, e.target, e.outcome, "other account"); err != nil {
			t.Fatal(err)
		}
		written = append(written, e)
	}
	want := func(keep func(entry) bool) int {
		n := 0
		for _, e := range written {
			if keep(e) {
				n++
			}
		}
		return n
	}
	at := func(minute int) time.Time { return start.Add(time.Duration(minute) * time.Minute) }
	tests := []struct {
		name string
		q    OpLogQuery
		keep func(entry) bool
	}{
		{"everything", OpLogQuery{}, func(entry) bool { return true }},
		{"an action", OpLogQuery{Action: rules.ActionDeleteVpc}, func(e entry) bool { return e.action == rules.ActionDeleteVpc }},
		{"refused", OpLogQuery{Outcome: rules.OutcomeFilterRefused}, func(e entry) bool { return e.outcome != rules.OutcomeOK }},
		{"succeeded", OpLogQuery{Outcome: rules.OutcomeFilterOK}, func(e entry) bool { return e.outcome == rules.OutcomeOK }},
		{"a target", OpLogQuery{Target: "inst-a"}, func(e entry) bool { return e.target == "inst-a" }},
		{"a time range", OpLogQuery{Since: at(5), Until: at(12)}, func(e entry) bool { return !e.at.Before(at(5)) && e.at.Before(at(12)) }},
		{"an action refused in a range", OpLogQuery{Action: rules.ActionBindVpc, Outcome: rules.OutcomeFilterRefused, Since: at(3)},
			func(e entry) bool {
				return e.action == rules.ActionBindVpc && e.outcome != rules.OutcomeOK && !e.at.Before(at(3))
			}},
		{"until only", OpLogQuery{Until: at(2)}, func(e entry) bool { return e.at.Before(at(2)) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Limit = 7
			var got []rules.OpLogEntry
			seen := map[int64]bool{}
			for pages := 0; ; pages++ {
				if pages > 20 {
					t.Fatal("paging does not end")
				}
				page, next, err := s.ListOpLog(ctx, a.AccountID, q)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range page {
					if seen[e.Seq] {
						t.Fatalf("entry %d on two pages", e.Seq)
					}
					seen[e.Seq] = true
					if e.AccountID != a.AccountID {
						t.Fatalf("another account's entry: %+v", e)
					}
				}
				got = append(got, page...)
				if next.IsZero() {
					break
				}
				q.Before = next
			}
			if n := want(tt.keep); len(got) != n {
				t.Fatalf("%d entries, want %d", len(got), n)
			}
			for i, e := range got {
				if !tt.keep(entry{e.Action, e.Target, e.Outcome, e.Time}) {
					t.Errorf("entry %+v does not match the filter", e)
				}
				if i > 0 && (e.Time.After(got[i-1].Time) || (e.Time.Equal(got[i-1].Time) && e.Seq > got[i-1].Seq)) {
					t.Errorf("entry %d is not older than the one before it", i)
				}
			}
		})
	}
}

// The Overview counts what needs attention: unbound dedicated instances,
// groups whose VPC domain is off, refused changes since a time.
func TestOverview(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s, a := w.s, w.a
	clock := time.Date(2026, 11, 1, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return clock }
	today := rules.LimitDay(clock)
	before, err := s.GetOverview(ctx, a.AccountID, clock.Add(-time.Hour), today)
	if err != nil {
		t.Fatal(err)
	}
	g := mustGroup(t, s, a, "vpc_off_group", "cn-hangzhou", sharedIn(t, "cn-hangzhou"))
	inst := mustInstance(t, s, a, "cn-hangzhou", "cn-hangzhou-g")
	mustAPI(t, s, a, g.ID, mockDef("overview_api", "GET", "/overview"))
	if err := s.LogEvent(ctx, a, rules.ActionDeleteVpc, "vpc-x", rules.CodeVpcInUse, "refused"); err != nil {
		t.Fatal(err)
	}
	clock = clock.Add(-2 * time.Hour) // an older refusal, outside the window
	if err := s.LogEvent(ctx, a, rules.ActionDeleteVpc, "vpc-x", rules.CodeVpcInUse, "refused"); err != nil {
		t.Fatal(err)
	}
	// Calls through its public domain today: the gateway's reservation.
	if _, err := s.ReservePublicCalls(ctx, g.ID, today, 900, 1000); err != nil {
		t.Fatal(err)
	}
	o, err := s.GetOverview(ctx, a.AccountID, clock.Add(time.Hour), today)
	if err != nil {
		t.Fatal(err)
	}
	if o.VpcOffTotal != before.VpcOffTotal+1 || o.VpcOff[len(o.VpcOff)-1].ID != g.ID && o.VpcOff[0].ID != g.ID {
		t.Errorf("VPC domain off: %d (was %d), %v", o.VpcOffTotal, before.VpcOffTotal, o.VpcOff)
	}
	found := false
	for _, u := range o.Unbound {
		found = found || u.ID == inst.ID
		if u.Bound() {
			t.Errorf("a bound instance among the unbound: %s", u.ID)
		}
	}
	if !found || len(o.Unbound) != len(before.Unbound)+1 {
		t.Errorf("unbound: %v", o.Unbound)
	}
	if o.Refused != before.Refused+1 {
		t.Errorf("refused since: %d, want %d", o.Refused, before.Refused+1)
	}
	if o.Groups != before.Groups+1 || o.Dedicated != before.Dedicated+1 || o.APIs != before.APIs+1 {
		t.Errorf("counts: %+v", o)
	}
	if len(o.PublicToday) != 1 || o.PublicToday[0].Group.ID != g.ID || o.PublicToday[0].Reserved != 900 {
		t.Errorf("public calls today: %+v", o.PublicToday)
	}
	if other, err := s.GetOverview(ctx, a.AccountID, clock, today+1); err != nil || len(other.PublicToday) != 0 {
		t.Errorf("another day's reservations: %+v %v", other.PublicToday, err)
	}
	if len(o.VpcOff) > overviewShown {
		t.Errorf("%d groups named, at most %d", len(o.VpcOff), overviewShown)
	}
}

// The Overview names the APIs whose RELEASE serves an older revision than
// their definition's, and follows deployments, changes and abolitions;
// another account's do not count, and TEST alone does not.
func TestOverviewReleaseBehind(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s, a := w.s, w.a
	overview := func(accountID string) Overview {
		t.Helper()
		o, err := s.GetOverview(ctx, accountID, time.Now(), rules.LimitDay(time.Now()))
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	behind := func(want int) {
		t.Helper()
		o := overview(a.AccountID)
		if o.ReleaseBehindTotal != want || len(o.ReleaseBehind) != want {
			t.Fatalf("%d behind (%d named), want %d", o.ReleaseBehindTotal, len(o.ReleaseBehind), want)
		}
	}
	g := mustGroup(t, s, a, "release_behind", "cn-hangzhou", w.shared)
	api := mustAPI(t, s, a, g.ID, mockDef("get_user", "GET", "/users/[id]"))
	behind(0) // never deployed: nothing RELEASE serves
	mustDeploy(t, s, a, api.ID, rules.StageRelease)
	behind(0)
	changed := mockDef("get_user", "GET", "/users/[id]/profile")
	if _, err := s.ModifyAPI(ctx, a, api.ID, changed); err != nil {
		t.Fatal(err)
	}
	behind(1)
	r := overview(a.AccountID).ReleaseBehind[0]
	if r.ID != api.ID || r.Name != "get_user" || r.GroupID != g.ID || r.Group != "release_behind" || r.Revision != 2 || r.Release != 1 {
		t.Fatalf("named: %+v", r)
	}
	mustDeploy(t, s, a, api.ID, rules.StageTest) // TEST serves the latest: RELEASE is still behind
	behind(1)
	if n := overview(w.b.AccountID).ReleaseBehindTotal; n != 0 {
		t.Fatalf("account B sees %d", n)
	}
	mustDeploy(t, s, a, api.ID, rules.StageRelease)
	behind(0)
	if _, err := s.ModifyAPI(ctx, a, api.ID, mockDef("get_user", "GET", "/users/[id]")); err != nil {
		t.Fatal(err)
	}
	behind(1)
	if _, err := s.AbolishAPI(ctx, a, api.ID, rules.StageRelease); err != nil {
		t.Fatal(err)
	}
	behind(0) // RELEASE serves nothing of it any more
	assertInvariants(t, s)
}

// Migration 14 finds the APIs already behind in RELEASE.
func TestMigrationFindsReleaseBehind(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.migrateTo(ctx, 13); err != nil {
		t.Fatal(err)
	}
	if err := s.write(ctx, func(tx *sql.Tx) error { return seedCatalogue(ctx, tx, s.now()) }); err != nil {
		t.Fatal(err)
	}
	if err := s.GenerateGroupsWithAPIs(ctx, 3, "old", 2); err != nil {
		t.Fatal(err)
	}
	// One API changed after its RELEASE deployment, as schema 13 kept it.
	if _, err := s.w.Exec(`UPDATE apis SET revision = 2 WHERE id = (SELECT api_id FROM api_deployments WHERE stage = 'RELEASE' ORDER BY api_id LIMIT 1)`); err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	acct, err := s.AccountByName(ctx, "old")
	if err != nil {
		t.Fatal(err)
	}
	o, err := s.GetOverview(ctx, acct.ID, time.Now(), rules.LimitDay(time.Now()))
	if err != nil || o.ReleaseBehindTotal != 1 || o.ReleaseBehind[0].Release != 1 || o.ReleaseBehind[0].Revision != 2 {
		t.Fatalf("%+v, %v", o.ReleaseBehind, err)
	}
}
