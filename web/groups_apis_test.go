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
// the reason and what to do, and the group stays.
func TestDeletingAGroupWithAPIsExplainsItself(t *testing.T) {
	f := newFixture(t, nil)
	a := store.Actor{AccountID: f.a.account.ID, Name: f.a.admin, Source: rules.SourceConsole}
	api, err := f.st.CreateAPI(context.Background(), a, f.a.group, rules.APIDefinition{Name: "get_user", Method: "GET", Path: "/users/[id]",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	c := f.login(t, f.a.operator, f.a.password)
	resp, body := c.post("/groups/"+f.a.group+"/delete", nil)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("status %d, want 409\n%.500s", resp.StatusCode, body)
	}
	for _, want := range []string{"still holds 1 API", "get_user", "Delete its APIs first: abolish any that are deployed, then delete them."} {
		if !strings.Contains(body, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, body)
		}
	}
	if resp, _ := c.get("/groups/" + f.a.group); resp.StatusCode != http.StatusOK {
		t.Fatalf("the group is gone: %d", resp.StatusCode)
	}
	// Once its API is gone, the group goes.
	if err := f.st.DeleteAPI(context.Background(), a, api.ID); err != nil {
		t.Fatal(err)
	}
	if resp, body := c.post("/groups/"+f.a.group+"/delete", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete the emptied group: %d\n%.500s", resp.StatusCode, body)
	}
}
