package store

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"gatehouse/rules"
)

// The benchmark database: 100,000 groups in one account with 2 APIs each
// (200,000 APIs, half of them deployed), built once per test binary by the
// generator into a temporary directory (removed by TestMain).
const (
	benchGroups       = 100_000
	benchAPIsPerGroup = 2
)

var (
	benchOnce    sync.Once
	benchDir     string
	benchStore   *Store
	benchAccount string
	benchErr     error
)

func benchDB(b *testing.B) (*Store, string) {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		if benchDir, benchErr = os.MkdirTemp("", "gatehouse-bench-"); benchErr != nil {
			return
		}
		if benchStore, benchErr = OpenAndMigrate(ctx, filepath.Join(benchDir, "bench.db")); benchErr != nil {
			return
		}
		start := time.Now()
		if benchErr = benchStore.GenerateGroupsWithAPIs(ctx, benchGroups, "bench-big", benchAPIsPerGroup); benchErr != nil {
			return
		}
		b.Logf("generated %d groups and %d APIs in %v", benchGroups, benchGroups*benchAPIsPerGroup, time.Since(start))
		acct, err := benchStore.AccountByName(ctx, "bench-big")
		benchAccount, benchErr = acct.ID, err
	})
	if benchErr != nil {
		b.Fatalf("benchmark database: %v", benchErr)
	}
	return benchStore, benchAccount
}

func BenchmarkListGroups100k(b *testing.B) {
	s, acct := benchDB(b)
	ctx := context.Background()
	// A cursor half-way down the list: keyset pages cost the same at any depth.
	var mid string
	{
		page, err := s.ListGroups(ctx, acct, GroupQuery{Limit: 50, PageNumber: benchGroups / 100})
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("middle page: %v", err)
		}
		last := page.Items[len(page.Items)-1]
		mid = groupCursor{orderBy: "c", key: unixNano(last.CreatedAt), id: last.ID}.encode()
	}
	cases := []struct {
		name string
		q    GroupQuery
	}{
		{"FirstPage", GroupQuery{Limit: 20}},
		{"FirstPageOfRegion", GroupQuery{RegionID: "cn-shanghai", Limit: 20}},
		{"KeysetMiddlePage", GroupQuery{Limit: 20, After: mid}},
		{"ModifiedAscFirstPage", GroupQuery{OrderBy: "modified", Sort: "asc", Limit: 20}},
		{"KeywordCommon", GroupQuery{Keyword: "pay", Limit: 20}},
		{"KeywordRare", GroupQuery{Keyword: "_99999", Limit: 20}},
		{"KeywordInRegion", GroupQuery{RegionID: "cn-hangzhou", Keyword: "inv", Limit: 20}},
		{"KeywordFolded", GroupQuery{Keyword: "üBER", Limit: 20}}, // a tenth of the names, beyond ASCII
		{"PageNumber1000", GroupQuery{Limit: 50, PageNumber: 1000}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				page, err := s.ListGroups(ctx, acct, c.q)
				if err != nil {
					b.Fatal(err)
				}
				if page.Total == 0 {
					b.Fatal("empty result")
				}
			}
		})
	}
	// A search's total is counted once per version of the account's groups
	// (countCache); these count it every time, as the first search after a
	// change does.
	for _, c := range cases[4:8] {
		b.Run(c.name+"Uncounted", func(b *testing.B) {
			for b.Loop() {
				s.counts = countCache{}
				if _, err := s.ListGroups(ctx, acct, c.q); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkGroupDetail(b *testing.B) {
	s, acct := benchDB(b)
	ctx := context.Background()
	page, err := s.ListGroups(ctx, acct, GroupQuery{Limit: MaxGroupPageSize})
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		id := page.Items[i%len(page.Items)].ID
		if _, err := s.GetGroupDetail(ctx, acct, id); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkListAPIs200k: the API list of an account of 200,000 APIs, as
// the console's list page and DescribeApis ask for it.
func BenchmarkListAPIs200k(b *testing.B) {
	s, acct := benchDB(b)
	ctx := context.Background()
	page, err := s.ListAPIs(ctx, acct, APIQuery{Limit: 50, PageNumber: benchGroups * benchAPIsPerGroup / 100})
	if err != nil || len(page.Items) == 0 {
		b.Fatalf("middle page: %v", err)
	}
	last := page.Items[len(page.Items)-1]
	mid := groupCursor{orderBy: apiCursorTag, key: unixNano(last.CreatedAt), id: last.ID}.encode()
	cases := []struct {
		name string
		q    APIQuery
	}{
		{"FirstPage", APIQuery{Limit: 20}},
		{"KeysetMiddlePage", APIQuery{Limit: 20, After: mid}},
		{"Group", APIQuery{GroupID: last.GroupID}},
		{"StageRelease", APIQuery{Stage: rules.StageRelease, Limit: 20}},
		{"StageReleaseMiddlePage", APIQuery{Stage: rules.StageRelease, Limit: 20, After: mid}},
		{"NameSearch", APIQuery{Name: "orders", Limit: 20}},
		{"PathSearch", APIQuery{Path: "/billing", Limit: 20}},
		{"Method", APIQuery{Method: "POST", Limit: 20}},
		{"DescribeApisPage1", APIQuery{Limit: 50, PageNumber: 1}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				page, err := s.ListAPIs(ctx, acct, c.q)
				if err != nil {
					b.Fatal(err)
				}
				if page.Total == 0 || len(page.Items) == 0 {
					b.Fatal("empty result")
				}
			}
		})
	}
	b.Run("NameSearchUncounted", func(b *testing.B) {
		for b.Loop() {
			s.counts = countCache{}
			if _, err := s.ListAPIs(ctx, acct, APIQuery{Name: "orders", Limit: 20}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("DeploymentsRelease", func(b *testing.B) {
		for b.Loop() {
			page, err := s.ListDeployments(ctx, acct, DeploymentQuery{Stage: rules.StageRelease, Limit: 50})
			if err != nil || len(page.Items) != 50 {
				b.Fatalf("%d deployments, %v", len(page.Items), err)
			}
		}
	})
	b.Run("GetAPI", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.GetAPI(ctx, acct, last.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkDeployedAPIs: the gateway's read of every deployment (100,000
// of the big account, as many again in TEST).
func BenchmarkDeployedAPIs(b *testing.B) {
	s, _ := benchDB(b)
	ctx := context.Background()
	for b.Loop() {
		_, ds, err := s.DeployedAPIs(ctx)
		if err != nil || len(ds) != benchGroups*2 {
			b.Fatalf("%d deployments, %v", len(ds), err)
		}
	}
}
