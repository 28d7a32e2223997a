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
	got, err := storedCalls(ctx, s, "g1", h)
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
	if got, _ := storedCalls(ctx, s, "g1", h+1); len(got) != 1 {
		t.Errorf("from the next hour: %+v", got)
	}
	if err := s.AddDomainCalls(ctx, []HourlyCalls{{"g1", "a.example.com", h, 1, 2}}); err == nil {
		t.Error("more failed calls than calls were accepted")
	}
	add(HourlyCalls{"g3", "c.example.com", h + DomainCallsKept + 1, 1, 0})
	if got, _ := storedCalls(ctx, s, "g1", 0); len(got) != 1 || got[0].Hour != h+1 {
		t.Errorf("after a week: %+v, want the last hour's only", got)
	}
	if err := s.AddDomainCalls(ctx, nil); err != nil {
		t.Error(err)
	}
}

// storedCalls are a group's stored counts from hour on, as GroupCallsStored
// reads them.
func storedCalls(ctx context.Context, s *Store, groupID string, hour int64) ([]HourlyCalls, error) {
	_, out, err := s.GroupCallsStored(ctx, groupID, 0, hour)
	return out, err
}

// Group Details reads a group's reservation of the day and its hours in
// one statement: each is the group's own, the reservation the day's.
func TestGroupCallsStored(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	const h, day = 490000, 20416
	if err := s.AddDomainCalls(ctx, []HourlyCalls{{"g1", "b.example.com", h, 2, 0}, {"g1", "a.example.com", h, 3, 1}, {"g2", "a.example.com", h, 7, 7}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReservePublicCalls(ctx, "g1", day, 40, 1000); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ReservePublicCalls(ctx, "g1", day-1, 90, 1000); err != nil {
		t.Fatal(err)
	}
	reserved, hours, err := s.GroupCallsStored(ctx, "g1", day, h)
	if err != nil {
		t.Fatal(err)
	}
	want := []HourlyCalls{{"g1", "a.example.com", h, 3, 1}, {"g1", "b.example.com", h, 2, 0}}
	if reserved != 40 || len(hours) != 2 || hours[0] != want[0] || hours[1] != want[1] {
		t.Errorf("reserved %d, hours %+v; want 40, %+v", reserved, hours, want)
	}
	if reserved, hours, err := s.GroupCallsStored(ctx, "g2", day, h); reserved != 0 || len(hours) != 1 || err != nil {
		t.Errorf("another group: reserved %d, hours %+v, %v; want 0 and its own hour", reserved, hours, err)
	}
	if reserved, hours, err := s.GroupCallsStored(ctx, "g1", day+1, h+1); reserved != 0 || len(hours) != 0 || err != nil {
		t.Errorf("the next day and hour: reserved %d, hours %+v, %v; want nothing", reserved, hours, err)
	}
}
