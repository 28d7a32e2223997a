package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"gatehouse/rules"
)

// TestConcurrentOperatorsKeepTheRules: 32 goroutines race binds, rebinds,
// unbinds, VPC-domain enables and disables, moves and INTRANET domain
// binds around one dedicated instance, and creations, edits, deployments,
// abolitions and deletions of APIs in the same groups (on routes that
// collide), for 5 seconds, while readers check that every snapshot they see
// is one the rules accept. Afterwards the database satisfies every rule,
// every success wrote exactly one operation-log row, the generation the
// store announces is the database's, and no call met "database is locked".
func TestConcurrentOperatorsKeepTheRules(t *testing.T) {
	duration := 5 * time.Second
	if testing.Short() {
		duration = time.Second
	}
	ctx := context.Background()
	w := newWorld(t)
	s, a := w.s, w.a
	inst := w.bound.ID
	if _, err := s.UnbindVpc(ctx, a, inst); err != nil {
		t.Fatal(err)
	}
	bindings := [][2]string{{w.vpc.ID, w.vsw.ID}, {w.vpc.ID, w.vsw2.ID}, {w.vpc2.ID, w.vsw3.ID}}
	var groups []string
	for i := range 8 {
		on := inst
		if i%2 == 1 {
			on = w.shared
		}
		groups = append(groups, mustGroup(t, s, a, fmt.Sprintf("race_%d", i), "cn-hangzhou", on).ID)
	}
	domains := []string{"a.race.example.com", "b.race.example.com", "c.race.example.com"}
	// API names and paths that collide: /r/[id] and /r/[key] are one route.
	apiNames := []string{"race_one", "race_two", "race_three"}
	apiPaths := []string{"/r/[id]", "/r/[key]", "/s", "/t/[x]"}
	opsBefore := count(t, s, `SELECT COUNT(*) FROM op_log`)

	var (
		successes, refusals, reads atomic.Int64
		mu                         sync.Mutex
		failures                   []string
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	// outcome sorts a mutation's result: a rules refusal is expected in a
	// race, anything else (above all a busy database) is a failure.
	outcome := func(op string, err error) {
		var re *rules.Error
		switch {
		case err == nil:
			successes.Add(1)
		case errors.As(err, &re):
			refusals.Add(1)
		case isBusy(err) || strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy"):
			fail("%s: database busy: %v", op, err)
		default:
			fail("%s: %v", op, err)
		}
	}
	checkSnapshot := func(d GroupDetail) {
		if d.Instance.Dedicated() && d.VpcDomainEnabled && !d.Instance.Bound() {
			fail("reader saw group %s with the VPC domain on an unbound instance", d.ID)
		}
		if d.Instance.Bound() && (d.Vpc == nil || d.VSwitch == nil || d.VSwitch.VpcID != d.Vpc.ID || d.Vpc.ID != d.Instance.VpcID) {
			fail("reader saw a half-applied binding: %+v / %+v / %+v", d.Instance, d.Vpc, d.VSwitch)
		}
		for _, dom := range d.Domains {
			if dom.NetworkType == rules.NetworkIntranet && (!d.VpcDomainEnabled || !d.Instance.Dedicated() || !d.Instance.Bound()) {
				fail("reader saw INTRANET domain %s on group %s that cannot serve it", dom.Name, d.ID)
			}
		}
	}

	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	for worker := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(worker), 42))
			for time.Now().Before(deadline) {
				g := groups[rng.IntN(len(groups))]
				if worker < 4 { // readers: every snapshot must satisfy the rules
					d, err := s.GetGroupDetail(ctx, a.AccountID, g)
					if err != nil {
						fail("read: %v", err)
						continue
					}
					checkSnapshot(d)
					err = s.read(ctx, func(tx querier) error {
						bad, err := invariantViolations(ctx, tx)
						for _, b := range bad {
							fail("reader saw a broken rule: %s", b)
						}
						return err
					})
					if err != nil {
						fail("read invariants: %v", err)
					}
					reads.Add(1)
					continue
				}
				pickAPI := func() (string, bool) {
					page, err := s.ListAPIs(ctx, a.AccountID, APIQuery{GroupID: g})
					if err != nil {
						fail("list APIs: %v", err)
						return "", false
					}
					if len(page.Items) == 0 {
						return "", false
					}
					return page.Items[rng.IntN(len(page.Items))].ID, true
				}
				stage := rules.Stages()[rng.IntN(3)]
				switch rng.IntN(14) {
				case 0, 1:
					b := bindings[rng.IntN(len(bindings))]
					_, err := s.BindVpc(ctx, a, inst, b[0], b[1])
					outcome("bind", err)
				case 2:
					_, err := s.UnbindVpc(ctx, a, inst)
					outcome("unbind", err)
				case 3:
					_, err := s.EnableVpcDomain(ctx, a, g)
					outcome("enable", err)
				case 4:
					_, err := s.DisableVpcDomain(ctx, a, g)
					outcome("disable", err)
				case 5:
					to := inst
					if rng.IntN(2) == 0 {
						to = w.shared
					}
					_, err := s.MoveGroup(ctx, a, g, to)
					outcome("move", err)
				case 6:
					_, err := s.BindDomain(ctx, a, g, rules.DomainInput{Name: domains[rng.IntN(len(domains))],
						NetworkType: rules.NetworkIntranet, Force: true})
					outcome("bind domain", err)
				case 7:
					_, err := s.UnbindDomain(ctx, a, g, domains[rng.IntN(len(domains))])
					outcome("unbind domain", err)
				case 8:
					_, err := s.CreateAPI(ctx, a, g, mockDef(apiNames[rng.IntN(len(apiNames))], "GET", apiPaths[rng.IntN(len(apiPaths))]))
					outcome("create API", err)
				case 9:
					if id, ok := pickAPI(); ok {
						_, err := s.ModifyAPI(ctx, a, id, mockDef(apiNames[rng.IntN(len(apiNames))], "GET", apiPaths[rng.IntN(len(apiPaths))]))
						outcome("modify API", err)
					}
				case 10, 11:
					if id, ok := pickAPI(); ok {
						_, err := s.DeployAPI(ctx, a, id, stage, "race")
						outcome("deploy API", err)
					}
				case 12:
					if id, ok := pickAPI(); ok {
						_, err := s.AbolishAPI(ctx, a, id, stage)
						outcome("abolish API", err)
					}
				case 13:
					if id, ok := pickAPI(); ok {
						outcome("delete API", s.DeleteAPI(ctx, a, id))
					}
				}
			}
		}()
	}
	wg.Wait()

	for _, f := range failures {
		t.Error(f)
	}
	t.Logf("%d successes, %d refusals, %d reads", successes.Load(), refusals.Load(), reads.Load())
	if successes.Load() < 50 || refusals.Load() == 0 || reads.Load() == 0 {
		t.Errorf("too little happened: %d successes, %d refusals, %d reads", successes.Load(), refusals.Load(), reads.Load())
	}
	if logged := count(t, s, `SELECT COUNT(*) FROM op_log`) - opsBefore; int64(logged) != successes.Load() {
		t.Errorf("%d operation-log rows for %d successful mutations", logged, successes.Load())
	}
	var apis, deployments int
	if err := s.w.QueryRow(`SELECT (SELECT COUNT(*) FROM apis), (SELECT COUNT(*) FROM api_deployments)`).Scan(&apis, &deployments); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d APIs and %d deployments left", apis, deployments)
	var gen int64
	if err := s.w.QueryRow(generationQuery).Scan(&gen); err != nil || gen != s.GatewayGeneration() {
		t.Errorf("the database's generation %d, the store's %d (%v)", gen, s.GatewayGeneration(), err)
	}
	assertInvariants(t, s)
}

// TestTwoStoresOnOneFileWaitInsteadOfFailing: two Stores on one file (as a
// server and `gatehouse demo` running beside it) write at once; BEGIN
// IMMEDIATE and the busy timeout make one wait for the other, and no write
// fails with "database is locked".
func TestTwoStoresOnOneFileWaitInsteadOfFailing(t *testing.T) {
	ctx := context.Background()
	first := newStore(t)
	second, err := OpenAndMigrate(ctx, first.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer second.Close()
	a := newAccount(t, first, "alpha")
	shared := sharedIn(t, "cn-hangzhou")
	var wg sync.WaitGroup
	var created atomic.Int64
	errs := make(chan error, 16)
	deadline := time.Now().Add(time.Second)
	for i := range 16 {
		s := first
		if i%2 == 1 {
			s = second
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				if _, err := s.CreateGroup(ctx, a, rules.GroupInput{Name: fmt.Sprintf("g%d_%d", i, n), RegionID: "cn-hangzhou", InstanceID: shared}); err != nil {
					errs <- err
					return
				}
				created.Add(1)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("write failed: %v (busy: %v)", err, isBusy(err))
	}
	if n := count(t, first, `SELECT COUNT(*) FROM api_groups`); int64(n) != created.Load() || n == 0 {
		t.Fatalf("%d groups, %d reported created", n, created.Load())
	}
	assertInvariants(t, first)
}
