package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
)

// Deleting a group that still holds APIs is refused in the console, with
// the reason and what to do, before Confirm and at Confirm, and the group
// stays.
func TestDeletingAGroupWithAPIsExplainsItself(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	a := store.Actor{AccountID: f.a.account.ID, Name: f.a.admin, Source: rules.SourceConsole}
	g, err := f.st.CreateGroup(ctx, a, rules.GroupInput{Name: "users_api", RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"})
	if err != nil {
		t.Fatal(err)
	}
	api, err := f.st.CreateAPI(ctx, a, g.ID, rules.APIDefinition{Name: "get_user", Method: "GET", Path: "/users/[id]",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	c := f.login(t, f.a.operator, f.a.password)
	want := []string{"still holds 1 API", "get_user", "Delete its APIs first: abolish any that are deployed, then delete them.",
		`href="/groups/` + g.ID + `#group-apis"`}
	resp, body := c.get("/groups/" + g.ID + "/delete")
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("the dialog: status %d, want 409\n%.500s", resp.StatusCode, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the dialog does not say %q:\n%s", w, body)
		}
	}
	if strings.Contains(body, `type="submit" class="btn danger"`) {
		t.Errorf("the refused dialog offers Delete")
	}
	resp, body = c.post("/groups/"+g.ID+"/delete", nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("status %d, want 409\n%.500s", resp.StatusCode, body)
	}
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("the refusal does not say %q:\n%s", w, body)
		}
	}
	if resp, _ := c.get("/groups/" + g.ID); resp.StatusCode != http.StatusOK {
		t.Fatalf("the group is gone: %d", resp.StatusCode)
	}
	// Once its API is gone, the group goes.
	if err := f.st.DeleteAPI(ctx, a, api.ID); err != nil {
		t.Fatal(err)
	}
	if resp, body := c.get("/groups/" + g.ID + "/delete"); resp.StatusCode != http.StatusOK {
		t.Fatalf("the emptied group's dialog: %d\n%.500s", resp.StatusCode, body)
	}
	if resp, body := c.post("/groups/"+g.ID+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete the emptied group: %d\n%.500s", resp.StatusCode, body)
	}
}
