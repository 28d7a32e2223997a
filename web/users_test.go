package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gatehouse/store"
)

// loggedOut reports whether a client's session has ended: a page answers
// with the way to the login page.
func loggedOut(t *testing.T, c *client) bool {
	t.Helper()
	resp, _ := c.get("/groups")
	switch resp.StatusCode {
	case http.StatusOK:
		return false
	case http.StatusFound:
		return strings.HasPrefix(resp.Header.Get("Location"), "/login")
	}
	t.Fatalf("GET /groups: status %d", resp.StatusCode)
	return false
}

// lastAction is the newest operation-log row of the tenant.
func (f *fixture) lastAction(t *testing.T, tn tenant) (action, target, detail string) {
	t.Helper()
	ops, _, err := f.st.ListOpLog(context.Background(), tn.account.ID, store.OpLogQuery{Limit: 1})
	if err != nil || len(ops) == 0 {
		t.Fatalf("op log: %v", err)
	}
	return ops[0].Action, ops[0].Target, ops[0].Detail
}

var issuedRE = regexp.MustCompile(`<code id="password-issued-value">([^<]+)</code>`)

// An admin resets a password: made by Gatehouse and shown once in the
// dialog, or typed by the admin. The user's open session ends at once,
// the old password stops working, and the operation log says so.
func TestAdminResetsAPassword(t *testing.T) {
	f := newFixture(t, nil)
	admin := f.login(t, f.a.admin, f.a.password)
	op := f.login(t, f.a.operator, f.a.password)

	if resp, body := admin.get("/users/" + f.a.operator + "/password"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "New password (optional)") {
		t.Fatalf("reset dialog: status %d", resp.StatusCode)
	}
	before := f.changes(t, f.a)
	if resp, body := admin.post("/users/"+f.a.operator+"/password", url.Values{"password": {"short"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "at least 12") {
		t.Errorf("a short password: status %d", resp.StatusCode)
	}
	if f.changes(t, f.a) != before || loggedOut(t, op) {
		t.Fatal("a refused reset changed something")
	}

	resp, body := admin.post("/users/"+f.a.operator+"/password", nil)
	m := issuedRE.FindStringSubmatch(body)
	if resp.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("reset: status %d, no password shown\n%.500s", resp.StatusCode, body)
	}
	if !loggedOut(t, op) {
		t.Error("the user's open session survived the reset")
	}
	if action, target, _ := f.lastAction(t, f.a); action != "ResetUserPassword" || target != f.a.operator {
		t.Errorf("op log: %s %s", action, target)
	}
	if resp, _ := f.anonymous(t).post("/login", url.Values{"login": {f.a.operator}, "password": {f.a.password}}); resp.StatusCode == http.StatusSeeOther {
		t.Error("the old password still logs in")
	}
	again := f.login(t, f.a.operator, m[1])

	if resp, _ := admin.post("/users/"+f.a.operator+"/password", url.Values{"password": {"typed-by-the-admin"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset to a typed password: status %d", resp.StatusCode)
	}
	if !loggedOut(t, again) {
		t.Error("the session of the new password survived the second reset")
	}
	f.login(t, f.a.operator, "typed-by-the-admin")
}

// An admin removes a user: the user's open session is refused on its next
// request, their AccessKeys go, and the account's last admin can be
// neither removed nor demoted (the dialog says so before any Confirm).
func TestAdminRemovesAUserButNotTheLastAdmin(t *testing.T) {
	f := newFixture(t, nil)
	admin := f.login(t, f.a.admin, f.a.password)
	op := f.login(t, f.a.operator, f.a.password)
	ctx := context.Background()
	actor := store.Actor{AccountID: f.a.account.ID, Name: f.a.admin}
	if _, _, err := f.st.CreateAccessKey(ctx, actor, f.a.operator); err != nil {
		t.Fatal(err)
	}

	resp, body := admin.get("/users/" + f.a.operator + "/remove")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "1 AccessKey") {
		t.Fatalf("remove dialog: status %d\n%.500s", resp.StatusCode, body)
	}
	if resp, _ := admin.post("/users/"+f.a.operator+"/remove", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: status %d", resp.StatusCode)
	}
	if !loggedOut(t, op) {
		t.Error("the removed user's open session was not refused")
	}
	if action, target, detail := f.lastAction(t, f.a); action != "DeleteUser" || target != f.a.operator || !strings.Contains(detail, "AccessKeys deleted") {
		t.Errorf("op log: %s %s %s", action, target, detail)
	}
	keys, err := f.st.ListAccessKeys(ctx, f.a.account.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.UserLogin == f.a.operator {
			t.Errorf("the removed user's AccessKey %s is left", k.ID)
		}
	}

	// The last admin: the dialog refuses before Confirm, the post too, and
	// so does a demotion; nothing changes.
	before := f.changes(t, f.a)
	resp, body = admin.get("/users/" + f.a.admin + "/remove")
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "last admin") || strings.Contains(body, ">Remove</button>") {
		t.Errorf("remove dialog of the last admin: status %d", resp.StatusCode)
	}
	if resp, body := admin.post("/users/"+f.a.admin+"/remove", nil); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "last admin") {
		t.Errorf("removing the last admin: status %d", resp.StatusCode)
	}
	if resp, body := admin.post("/users/"+f.a.admin+"/role", url.Values{"role": {"operator"}}); resp.StatusCode != http.StatusConflict || !strings.Contains(body, "last admin") {
		t.Errorf("demoting the last admin: status %d", resp.StatusCode)
	}
	if f.changes(t, f.a) != before || loggedOut(t, admin) {
		t.Error("a refusal changed something")
	}
}

// A user of any role changes their own password with the current one; the
// other sessions of the user end, the one that changed it goes on; a wrong
// current password changes nothing.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	f := newFixture(t, nil)
	here := f.login(t, f.a.viewer, f.a.password)
	elsewhere := f.login(t, f.a.viewer, f.a.password)
	before := f.changes(t, f.a)
	for _, bad := range []url.Values{
		{"current_password": {"not-the-password"}, "password": {"a-new-long-password"}, "password_repeat": {"a-new-long-password"}},
		{"current_password": {f.a.password}, "password": {"a-new-long-password"}, "password_repeat": {"another-long-password"}},
		{"current_password": {f.a.password}, "password": {"short"}, "password_repeat": {"short"}},
	} {
		if resp, _ := here.post("/password", bad); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d, want 422", bad, resp.StatusCode)
		}
	}
	if f.changes(t, f.a) != before || loggedOut(t, elsewhere) {
		t.Fatal("a refused change changed something")
	}
	resp, _ := here.post("/password", url.Values{"current_password": {f.a.password}, "password": {"a-new-long-password"}, "password_repeat": {"a-new-long-password"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: status %d", resp.StatusCode)
	}
	if loggedOut(t, here) {
		t.Error("the session that changed the password ended")
	}
	if !loggedOut(t, elsewhere) {
		t.Error("the user's other session survived the change")
	}
	if action, target, _ := f.lastAction(t, f.a); action != "ChangePassword" || target != f.a.viewer {
		t.Errorf("op log: %s %s", action, target)
	}
	f.login(t, f.a.viewer, "a-new-long-password")
}
