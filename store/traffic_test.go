package store

import (
	"context"
	"testing"
)

// Counts add up across flushes, stay per group, hour and domain, are read
// from an hour on, and the ones older than a week go.
func TestDomainCalls(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const h = 490000
	add := func(counts ...HourlyCalls) {
		t.Helper()
		if err := s.AddDomainCalls(ctx, counts); err != nil {
			t.Fatal(err)
		}
	}
	add(HourlyCalls{"g1", "a.example.com", h, 3, 1}, HourlyCalls{"g1", "b.example.com", h, 2, 0}, HourlyCalls{"g2", "a.example.com", h, 7, 7})
	add(HourlyCalls{"g1", "a.example.com", h, 4, 2}, HourlyCalls{"g1", "a.example.com", h + 1, 1, 0})
	got, err := s.DomainCallsSince(ctx, "g1", h)
	if err != nil {
		t.Fatal(err)
	}
	want := []HourlyCalls{{"g1", "a.example.com", h, 7, 3}, {"g1", "b.example.com", h, 2, 0}, {"g1", "a.example.com", h + 1, 1, 0}}
	if len(got) != len(want) {
		t.Fatalf("%+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("row %d: %+v, want %+v", i, got[i], want[i])
		}
	}
	if got, _ := s.DomainCallsSince(ctx, "g1", h+1); len(got) != 1 {
		t.Errorf("from the next hour: %+v", got)
	}
	if err := s.AddDomainCalls(ctx, []HourlyCalls{{"g1", "a.example.com", h, 1, 2}}); err == nil {
		t.Error("more failed calls than calls were accepted")
	}
	add(HourlyCalls{"g3", "c.example.com", h + DomainCallsKept + 1, 1, 0})
	if got, _ := s.DomainCallsSince(ctx, "g1", 0); len(got) != 1 || got[0].Hour != h+1 {
		t.Errorf("after a week: %+v, want the last hour's only", got)
	}
	if err := s.AddDomainCalls(ctx, nil); err != nil {
		t.Error(err)
	}
}
