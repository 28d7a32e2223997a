package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/store"
	"gatehouse/web/webtest"
)

// loggedOut reports whether a client's session has ended: a page answers
// with the way to the login page.
func loggedOut(t *testing.T, c *webtest.Client) bool {
	t.Helper()
	resp := c.Get(t, "/groups")
	switch resp.Status {
	case http.StatusOK:
		return false
	case http.StatusFound:
		return strings.HasPrefix(resp.Header.Get("Location"), "/login")
	}
	t.Fatalf("GET /groups: status %d", resp.Status)
	return false
}

// lastAction is the newest operation-log row of the tenant.
func (f *fixture) lastAction(t *testing.T, tn webtest.Tenant) (action, target, detail string) {
	t.Helper()
	ops, _, err := f.Store.ListOpLog(context.Background(), tn.Account.ID, store.OpLogQuery{Limit: 1})
	if err != nil || len(ops) == 0 {
		t.Fatalf("op log: %v", err)
	}
	return ops[0].Action, ops[0].Target, ops[0].Detail
}

// An admin resets a password: made by Gatehouse and shown once in the
// dialog, or typed by the admin. The user's open session ends at once,
// the old password stops working, and the operation log says so.
func TestAdminResetsAPassword(t *testing.T) {
	f := newFixture(t, nil)
	admin := f.Login(t, f.a.Admin, f.a.Password)
	op := f.Login(t, f.a.Operator, f.a.Password)

	if resp := admin.Get(t, "/users/"+f.a.Operator+"/password"); resp.Status != http.StatusOK || !strings.Contains(resp.Body, "New password (optional)") {
		t.Fatalf("reset dialog: status %d", resp.Status)
	}
	before := f.changes(t, f.a)
	if resp := admin.Post(t, "/users/"+f.a.Operator+"/password", url.Values{"password": {"short"}}); resp.Status != http.StatusUnprocessableEntity || !strings.Contains(resp.Body, "at least 12") {
		t.Errorf("a short password: status %d", resp.Status)
	}
	if f.changes(t, f.a) != before || loggedOut(t, op) {
		t.Fatal("a refused reset changed something")
	}

	resp := admin.Post(t, "/users/"+f.a.Operator+"/password", nil)
	issued := resp.Text("code#password-issued-value")
	if resp.Status != http.StatusOK || issued == "" {
		t.Fatalf("reset: status %d, no password shown\n%.500s", resp.Status, resp.Body)
	}
	if !loggedOut(t, op) {
		t.Error("the user's open session survived the reset")
	}
	if action, target, _ := f.lastAction(t, f.a); action != "ResetUserPassword" || target != f.a.Operator {
		t.Errorf("op log: %s %s", action, target)
	}
	if resp := f.Anonymous(t).Post(t, "/login", url.Values{"login": {f.a.Operator}, "password": {f.a.Password}}); resp.Status == http.StatusSeeOther {
		t.Error("the old password still logs in")
	}
	again := f.Login(t, f.a.Operator, issued)

	if resp := admin.Post(t, "/users/"+f.a.Operator+"/password", url.Values{"password": {"typed-by-the-admin"}}); resp.Status != http.StatusSeeOther {
		t.Fatalf("reset to a typed password: status %d", resp.Status)
	}
	if !loggedOut(t, again) {
		t.Error("the session of the new password survived the second reset")
	}
	f.Login(t, f.a.Operator, "typed-by-the-admin")
}

// An admin removes a user: the user's open session is refused on its next
// request, their AccessKeys go, and the account's last admin can be
// neither removed nor demoted (the dialog says so before any Confirm).
func TestAdminRemovesAUserButNotTheLastAdmin(t *testing.T) {
	f := newFixture(t, nil)
	admin := f.Login(t, f.a.Admin, f.a.Password)
	op := f.Login(t, f.a.Operator, f.a.Password)
	ctx := context.Background()
	actor := store.Actor{AccountID: f.a.Account.ID, Name: f.a.Admin}
	if _, _, err := f.Store.CreateAccessKey(ctx, actor, f.a.Operator); err != nil {
		t.Fatal(err)
	}

	resp := admin.Get(t, "/users/"+f.a.Operator+"/remove")
	if resp.Status != http.StatusOK || !strings.Contains(resp.Body, "their AccessKey is deleted") {
		t.Fatalf("remove dialog: status %d\n%.500s", resp.Status, resp.Body)
	}
	if resp := admin.Post(t, "/users/"+f.a.Operator+"/remove", nil); resp.Status != http.StatusSeeOther {
		t.Fatalf("remove: status %d", resp.Status)
	}
	if !loggedOut(t, op) {
		t.Error("the removed user's open session was not refused")
	}
	if action, target, detail := f.lastAction(t, f.a); action != "DeleteUser" || target != f.a.Operator || !strings.Contains(detail, "AccessKeys deleted") {
		t.Errorf("op log: %s %s %s", action, target, detail)
	}
	keys, err := f.Store.ListAccessKeys(ctx, f.a.Account.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.UserLogin == f.a.Operator {
			t.Errorf("the removed user's AccessKey %s is left", k.ID)
		}
	}

	// The last admin: the dialog refuses before Confirm, the post too, and
	// so does a demotion; nothing changes.
	before := f.changes(t, f.a)
	resp = admin.Get(t, "/users/"+f.a.Admin+"/remove")
	if resp.Status != http.StatusConflict || !strings.Contains(resp.Body, "last admin") || strings.Contains(resp.Body, ">Remove</button>") {
		t.Errorf("remove dialog of the last admin: status %d", resp.Status)
	}
	if resp := admin.Post(t, "/users/"+f.a.Admin+"/remove", nil); resp.Status != http.StatusConflict || !strings.Contains(resp.Body, "last admin") {
		t.Errorf("removing the last admin: status %d", resp.Status)
	}
	if resp := admin.Post(t, "/users/"+f.a.Admin+"/role", url.Values{"role": {"operator"}}); resp.Status != http.StatusConflict || !strings.Contains(resp.Body, "last admin") {
		t.Errorf("demoting the last admin: status %d", resp.Status)
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
	here := f.Login(t, f.a.Viewer, f.a.Password)
	elsewhere := f.Login(t, f.a.Viewer, f.a.Password)
	before := f.changes(t, f.a)
	for _, bad := range []url.Values{
		{"current_password": {"not-the-password"}, "password": {"a-new-long-password"}, "password_repeat": {"a-new-long-password"}},
		{"current_password": {f.a.Password}, "password": {"a-new-long-password"}, "password_repeat": {"another-long-password"}},
		{"current_password": {f.a.Password}, "password": {"short"}, "password_repeat": {"short"}},
	} {
		if resp := here.Post(t, "/password", bad); resp.Status != http.StatusUnprocessableEntity {
			t.Errorf("%v: status %d, want 422", bad, resp.Status)
		}
	}
	if f.changes(t, f.a) != before || loggedOut(t, elsewhere) {
		t.Fatal("a refused change changed something")
	}
	resp := here.Post(t, "/password", url.Values{"current_password": {f.a.Password}, "password": {"a-new-long-password"}, "password_repeat": {"a-new-long-password"}})
	if resp.Status != http.StatusSeeOther {
		t.Fatalf("change: status %d", resp.Status)
	}
	if loggedOut(t, here) {
		t.Error("the session that changed the password ended")
	}
	if !loggedOut(t, elsewhere) {
		t.Error("the user's other session survived the change")
	}
	if action, target, _ := f.lastAction(t, f.a); action != "ChangePassword" || target != f.a.Viewer {
		t.Errorf("op log: %s %s", action, target)
	}
	f.Login(t, f.a.Viewer, "a-new-long-password")
}
