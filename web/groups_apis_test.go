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
	a := store.Actor{AccountID: f.a.Account.ID, Name: f.a.Admin, Source: rules.SourceConsole}
	api, err := f.Store.CreateAPI(context.Background(), a, f.a.Group, rules.APIDefinition{Name: "get_user", Method: "GET", Path: "/users/[id]",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	c := f.Login(t, f.a.Operator, f.a.Password)
	resp := c.Post(t, "/groups/"+f.a.Group+"/delete", nil)
	if resp.Status != http.StatusConflict {
		t.Fatalf("status %d, want 409\n%.500s", resp.Status, resp.Body)
	}
	for _, want := range []string{"still holds 1 API", "get_user", "Delete its APIs first: abolish any that are deployed, then delete them."} {
		if !strings.Contains(resp.Body, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, resp.Body)
		}
	}
	if resp := c.Get(t, "/groups/"+f.a.Group); resp.Status != http.StatusOK {
		t.Fatalf("the group is gone: %d", resp.Status)
	}
	// Once its API is gone, the group goes.
	if err := f.Store.DeleteAPI(context.Background(), a, api.ID); err != nil {
		t.Fatal(err)
	}
	if resp := c.Post(t, "/groups/"+f.a.Group+"/delete", nil); resp.Status != http.StatusSeeOther {
		t.Fatalf("delete the emptied group: %d\n%.500s", resp.Status, resp.Body)
	}
}
