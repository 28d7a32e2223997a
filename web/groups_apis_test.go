package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"gatehouse/rules"
)

// Deleting a group that still holds APIs is refused in the console, with
// the reason and the way to its APIs, before Confirm and at Confirm, and
// the group stays.
func TestDeletingAGroupWithAPIsExplainsItself(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	a := f.a.Actor()
	g, err := f.Store.CreateGroup(ctx, a, rules.GroupInput{Name: "users_api", RegionID: "cn-hangzhou", InstanceID: "api-shared-vpc-001"})
	if err != nil {
		t.Fatal(err)
	}
	api, err := f.Store.CreateAPI(ctx, a, g.ID, rules.APIDefinition{Name: "get_user", Method: "GET", Path: "/users/[id]",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	c := f.Login(t, f.a.Operator, f.a.Password)
	want := []string{"still holds 1 API", "get_user", "Delete its APIs first: abolish any that are deployed, then delete them.",
		`href="/groups/` + g.ID + `#group-apis"`}
	for _, resp := range []struct {
		what  string
		check func() (int, string)
	}{
		{"the dialog", func() (int, string) { p := c.Get(t, "/groups/"+g.ID+"/delete"); return p.Status, p.Body }},
		{"Confirm", func() (int, string) { p := c.Post(t, "/groups/"+g.ID+"/delete", nil); return p.Status, p.Body }},
	} {
		status, body := resp.check()
		if status != http.StatusConflict {
			t.Fatalf("%s: status %d, want 409\n%.500s", resp.what, status, body)
		}
		for _, w := range want {
			if !strings.Contains(body, w) {
				t.Errorf("%s does not say %q:\n%s", resp.what, w, body)
			}
		}
	}
	if p := c.Get(t, "/groups/"+g.ID); p.Status != http.StatusOK {
		t.Fatalf("the group is gone: %d", p.Status)
	}
	// Once its API is gone, the group goes.
	if err := f.Store.DeleteAPI(ctx, a, api.ID); err != nil {
		t.Fatal(err)
	}
	if p := c.Get(t, "/groups/"+g.ID+"/delete"); p.Status != http.StatusOK {
		t.Fatalf("the emptied group's dialog: %d", p.Status)
	}
	if p := c.Post(t, "/groups/"+g.ID+"/delete", nil); p.Status != http.StatusSeeOther {
		t.Fatalf("delete the emptied group: %d\n%.500s", p.Status, p.Body)
	}
}
