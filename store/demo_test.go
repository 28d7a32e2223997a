package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"gatehouse/rules"
)

// invariants are queries counting rows that break a rule: every state a
// sequence of accepted mutations can reach has none.
var invariants = map[string]string{
	"group and its instance in different regions, or another account's dedicated instance": `
		SELECT COUNT(*) FROM api_groups g JOIN instances i ON i.id = g.instance_id
		WHERE g.region_id <> i.region_id OR (i.account_id IS NOT NULL AND i.account_id <> g.account_id)`,
	"R5/R7/R8: VPC domain enabled on an unbound dedicated instance": `
		SELECT COUNT(*) FROM api_groups g JOIN instances i ON i.id = g.instance_id
		WHERE g.vpc_domain_enabled = 1 AND i.type = 'VPC_DEDICATED' AND i.vpc_id IS NULL`,
	"R9: INTRANET domain without a bound dedicated instance and an enabled VPC domain": `
		SELECT COUNT(*) FROM custom_domains d JOIN api_groups g ON g.id = d.group_id JOIN instances i ON i.id = g.instance_id
		WHERE d.network_type = 'INTRANET' AND (i.type <> 'VPC_DEDICATED' OR i.vpc_id IS NULL OR g.vpc_domain_enabled = 0)`,
	"R9: a domain in another account than its group": `
		SELECT COUNT(*) FROM custom_domains d JOIN api_groups g ON g.id = d.group_id WHERE d.account_id <> g.account_id`,
	"R9: more than 5 domains of a type": `
		SELECT COUNT(*) FROM (SELECT group_id, network_type FROM custom_domains GROUP BY 1, 2 HAVING COUNT(*) > 5)`,
	"R4: binding to another account's VPC, a vSwitch outside the VPC, or another region": `
		SELECT COUNT(*) FROM instances i JOIN vpcs v ON v.id = i.vpc_id JOIN vswitches w ON w.id = i.vswitch_id
		WHERE v.account_id <> i.account_id OR w.vpc_id <> v.id OR v.region_id <> i.region_id OR i.endpoint_ip = ''`,
	"group_counts out of step": `
		SELECT COUNT(*) FROM (SELECT account_id, region_id, COUNT(*) AS n FROM api_groups GROUP BY 1, 2) g
		LEFT JOIN group_counts c USING (account_id, region_id) WHERE c.n IS NULL OR c.n <> g.n`,
	"an API in another account than its group, its group's name or region out of step, or a deployment out of step with its API": `
		SELECT (SELECT COUNT(*) FROM apis a JOIN api_groups g ON g.id = a.group_id
		        WHERE a.account_id <> g.account_id OR a.group_name <> g.name OR a.region_id <> g.region_id)
		     + (SELECT COUNT(*) FROM api_deployments d JOIN apis a ON a.id = d.api_id
		        WHERE d.account_id <> a.account_id OR d.group_id <> a.group_id OR d.api_created_at <> a.created_at OR d.revision > a.revision)`,
	"two APIs of a group, or two deployments of a stage, on one route": `
		SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM apis GROUP BY group_id, method, route_shape HAVING COUNT(*) > 1))
		     + (SELECT COUNT(*) FROM (SELECT 1 FROM api_deployments GROUP BY group_id, stage, method, route_shape HAVING COUNT(*) > 1))`,
	"api_counts out of step": `
		SELECT COUNT(*) FROM (SELECT account_id, COUNT(*) AS n FROM apis GROUP BY 1) a
		LEFT JOIN api_counts c USING (account_id) WHERE c.n IS NULL OR c.n <> a.n`,
	"foreign keys": `SELECT COUNT(*) FROM pragma_foreign_key_check`,
}

// invariantViolations runs every invariant in one snapshot of q.
func invariantViolations(ctx context.Context, q querier) ([]string, error) {
	var out []string
	for what, query := range invariants {
		var n int
		if err := q.QueryRowContext(ctx, query).Scan(&n); err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if n != 0 {
			out = append(out, fmt.Sprintf("%s: %d rows", what, n))
		}
	}
	return out, nil
}

// assertInvariants checks the whole database against the rules.
func assertInvariants(t testing.TB, s *Store) {
	t.Helper()
	bad, err := invariantViolations(context.Background(), s.w)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range bad {
		t.Error(b)
	}
}

func TestDemoIsIdempotent(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	created, err := s.Demo(ctx)
	if err != nil || !created {
		t.Fatalf("first demo: %v %v", created, err)
	}
	first := dump(t, s)
	created, err = s.Demo(ctx)
	if err != nil || created {
		t.Fatalf("second demo: %v %v", created, err)
	}
	if dump(t, s) != first {
		t.Fatal("the second demo changed data")
	}
	acct, err := s.AccountByName(ctx, DemoAccount)
	if err != nil {
		t.Fatal(err)
	}
	id := acct.ID
	for what, c := range map[string]struct {
		query string
		want  int
	}{
		"VPCs":                   {`SELECT COUNT(*) FROM vpcs WHERE account_id = ?`, 3},
		"regions of VPCs":        {`SELECT COUNT(DISTINCT region_id) FROM vpcs WHERE account_id = ?`, 2},
		"vSwitches":              {`SELECT COUNT(*) FROM vswitches WHERE account_id = ?`, 4},
		"dedicated instances":    {`SELECT COUNT(*) FROM instances WHERE account_id = ?`, 2},
		"bound instances":        {`SELECT COUNT(*) FROM instances WHERE account_id = ? AND vpc_id IS NOT NULL`, 1},
		"groups":                 {`SELECT COUNT(*) FROM api_groups WHERE account_id = ?`, 8},
		"groups on shared":       {`SELECT COUNT(*) FROM api_groups g JOIN instances i ON i.id = g.instance_id WHERE g.account_id = ? AND i.type = 'VPC_SHARED'`, 4},
		"VPC domains enabled":    {`SELECT COUNT(*) FROM api_groups WHERE account_id = ? AND vpc_domain_enabled = 1`, 4},
		"INTERNET domains":       {`SELECT COUNT(*) FROM custom_domains WHERE account_id = ? AND network_type = 'INTERNET'`, 2},
		"INTRANET domains":       {`SELECT COUNT(*) FROM custom_domains WHERE account_id = ? AND network_type = 'INTRANET'`, 1},
		"users (none: not ours)": {`SELECT COUNT(*) FROM users WHERE account_id = ?`, 0},
		"APIs":                   {`SELECT COUNT(*) FROM apis WHERE account_id = ?`, 7},
		"Mock APIs":              {`SELECT COUNT(*) FROM apis WHERE account_id = ? AND backend = 'MOCK'`, 4},
		"deployments":            {`SELECT COUNT(*) FROM api_deployments WHERE account_id = ?`, 10},
		"RELEASE deployments":    {`SELECT COUNT(*) FROM api_deployments WHERE account_id = ? AND stage = 'RELEASE'`, 5},
		"TEST deployments":       {`SELECT COUNT(*) FROM api_deployments WHERE account_id = ? AND stage = 'TEST'`, 5},
		"stages a revision apart": {`SELECT COUNT(*) FROM api_deployments r JOIN api_deployments t ON t.api_id = r.api_id
			WHERE r.account_id = ? AND r.stage = 'RELEASE' AND t.stage = 'TEST' AND r.revision <> t.revision`, 1},
	} {
		if n := count(t, s, c.query, id); n != c.want {
			t.Errorf("%s: %d, want %d", what, n, c.want)
		}
	}
	page, err := s.ListGroups(ctx, id, GroupQuery{})
	if err != nil || page.Total != 8 {
		t.Fatalf("demo groups list: %d %v", page.Total, err)
	}
	assertInvariants(t, s)
}

func TestGenerateGroups(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const n = 20_000
	start := time.Now()
	if err := s.GenerateGroups(ctx, n, ""); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	t.Logf("generated %d groups in %v", n, took)
	if took > 15*time.Second {
		t.Errorf("generating %d groups took %v, want < 15s", n, took)
	}
	if got := count(t, s, `SELECT COUNT(*) FROM api_groups`); got != n {
		t.Fatalf("%d groups, want %d", got, n)
	}
	for _, name := range benchAccounts {
		acct, err := s.AccountByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		page, err := s.ListGroups(ctx, acct.ID, GroupQuery{})
		if err != nil || page.Total != n/len(benchAccounts) {
			t.Fatalf("%s: %d groups, %v", name, page.Total, err)
		}
		if regions := count(t, s, `SELECT COUNT(DISTINCT region_id) FROM api_groups WHERE account_id = ?`, acct.ID); regions != len(rules.Regions()) {
			t.Errorf("%s: groups in %d regions, want %d", name, regions, len(rules.Regions()))
		}
		if insts := count(t, s, `SELECT COUNT(DISTINCT i.type) FROM api_groups g JOIN instances i ON i.id = g.instance_id WHERE g.account_id = ?`, acct.ID); insts != 2 {
			t.Errorf("%s: groups on %d instance types, want shared and dedicated", name, insts)
		}
	}

	// Into one named account, twice: the names of the runs do not collide
	// and the account's setup is made once.
	for range 2 {
		if err := s.GenerateGroups(ctx, 1500, "acme"); err != nil {
			t.Fatal(err)
		}
	}
	acme, err := s.AccountByName(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if page, err := s.ListGroups(ctx, acme.ID, GroupQuery{}); err != nil || page.Total != 3000 {
		t.Fatalf("acme: %d groups, %v", page.Total, err)
	}
	if insts := count(t, s, `SELECT COUNT(*) FROM instances WHERE account_id = ?`, acme.ID); insts != len(benchRegions)+1 {
		t.Fatalf("acme has %d dedicated instances", insts)
	}
	assertInvariants(t, s)
}
