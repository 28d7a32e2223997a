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
	op := f.login(t, f.a.operator, f.a.password)
	admin := f.login(t, f.a.admin, f.a.password)
	edit := func() int {
		t.Helper()
		resp, _ := op.post("/groups/"+f.a.group+"/edit", url.Values{"name": {"orders"}, "description": {"x"}})
		return resp.StatusCode
	}
	if got := edit(); got != http.StatusSeeOther {
		t.Fatalf("operator edits: status %d, want 303", got)
	}
	setRole := func(role string) {
		t.Helper()
		resp, body := admin.post("/users/"+f.a.operator+"/role", url.Values{"role": {role}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("set role %s: status %d\n%s", role, resp.StatusCode, body)
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
