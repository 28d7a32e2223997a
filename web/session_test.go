package web_test

import (
	"net/http"
	"net/url"
	"testing"
)

// A role change made by an admin applies to the user's open session on its
// next request: the demoted operator, still logged in, can no longer change
// anything; promoted again, can. Sessions are served from memory
// (store.sessionCache), so this proves the memory follows the change.
func TestRoleChangeAppliesToOpenSessions(t *testing.T) {
	f := newFixture(t, nil)
	op := f.Login(t, f.a.Operator, f.a.Password)
	admin := f.Login(t, f.a.Admin, f.a.Password)
	edit := func() int {
		t.Helper()
		resp := op.Post(t, "/groups/"+f.a.Group+"/edit", url.Values{"name": {"orders"}, "description": {"x"}})
		return resp.Status
	}
	if got := edit(); got != http.StatusSeeOther {
		t.Fatalf("operator edits: status %d, want 303", got)
	}
	setRole := func(role string) {
		t.Helper()
		resp := admin.Post(t, "/users/"+f.a.Operator+"/role", url.Values{"role": {role}})
		if resp.Status != http.StatusSeeOther {
			t.Fatalf("set role %s: status %d\n%s", role, resp.Status, resp.Body)
		}
	}
	setRole("viewer")
	if got := edit(); got != http.StatusForbidden {
		t.Fatalf("demoted to viewer, same session: status %d, want 403", got)
	}
	setRole("operator")
	if got := edit(); got != http.StatusSeeOther {
		t.Fatalf("operator again, same session: status %d, want 303", got)
	}
}
