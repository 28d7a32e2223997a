package web_test

import (
	"context"
	"testing"

	"gatehouse/handlers"
	"gatehouse/web/webtest"
)

// fixture is a console over a fresh store with two accounts holding
// look-alike resources (webtest.Tenant), for the tests that compare them.
type fixture struct {
	*webtest.Console
	a, b webtest.Tenant
}

func newFixture(t *testing.T, tune func(*handlers.Config)) *fixture {
	t.Helper()
	c, err := webtest.Open(t.TempDir(), tune)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	f := &fixture{Console: c}
	ctx := context.Background()
	if f.a, err = webtest.NewTenant(ctx, c.Store, "alpha", "10.1.0.0/16"); err != nil {
		t.Fatal(err)
	}
	if f.b, err = webtest.NewTenant(ctx, c.Store, "bravo", "10.1.0.0/16"); err != nil {
		t.Fatal(err)
	}
	return f
}

// changes counts the successful changes of an account (webtest.Tenant.Changes).
func (f *fixture) changes(t *testing.T, tn webtest.Tenant) int {
	t.Helper()
	n, err := tn.Changes(context.Background(), f.Store)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
