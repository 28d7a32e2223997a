package handlers_test

import (
	"context"
	"net/http"
	"path/filepath"
	"regexp"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/web/webtest"
)

// Group Details shown again from what the console kept is what a console
// that never showed it shows: after each kind of change, for a viewer and
// for an operator, with the traffic of the moment.
func TestGroupPageKeptIsTheFreshPage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	c, err := webtest.Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	tn, err := webtest.NewTenant(ctx, c.Store, "alpha", "10.1.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	a := store.Actor{AccountID: tn.Account.ID, Name: "test", Source: rules.SourceCLI}
	path := "/groups/" + tn.Group
	logins := []string{tn.Operator, tn.Viewer}
	clients := map[string]*webtest.Client{}
	for _, login := range logins {
		clients[login] = c.Login(t, login, tn.Password)
	}
	// The CSRF token and the time to the daily reset differ from one
	// request to the next by design; the traffic card is each console's
	// gateway's (a fresh console has a gateway of its own).
	varying := regexp.MustCompile(`(content|value|data-token)="[A-Za-z0-9_-]{32}"|in \d+ h \d+ min|in \d+ min`)
	traffic := regexp.MustCompile(`<section class="card" aria-labelledby="group-traffic-title".*?</section>`)
	body := func(cl *webtest.Client) string {
		t.Helper()
		p := cl.Get(t, path).Expect(http.StatusOK)
		return varying.ReplaceAllString(p.Body, "…")
	}
	differ := func(what, got, want string) {
		t.Helper()
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		from := max(0, i-200)
		t.Errorf("%s: the pages differ at byte %d:\n…%s\nwant\n…%s", what, i, got[from:min(len(got), i+200)], want[from:min(len(want), i+200)])
	}
	check := func(what string, shows ...string) {
		t.Helper()
		// A console over a store of its own on the same file: nothing
		// kept, by the handlers or by the store.
		st, err := store.Open(ctx, filepath.Join(dir, "console.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		fresh, err := webtest.OpenOn(st, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer fresh.Close()
		for _, login := range logins {
			first, again := body(clients[login]), body(clients[login])
			if first != again {
				differ(what+", "+login+", shown twice", again, first)
			}
			got := traffic.ReplaceAllString(again, "")
			if want := traffic.ReplaceAllString(body(fresh.Login(t, login, tn.Password)), ""); got != want {
				differ(what+", "+login+", kept against a fresh console's", got, want)
			}
		}
		clients[tn.Operator].Get(t, path).Shows(shows...)
	}
	check("first views", "orders", "list_orders")

	name := "orders_v2"
	if _, err := c.Store.ModifyGroup(ctx, a, tn.Group, store.GroupChange{Name: &name}); err != nil {
		t.Fatal(err)
	}
	check("renamed", "orders_v2")

	if _, err := c.Store.DisableVpcDomain(ctx, a, tn.Group); err != nil {
		t.Fatal(err)
	}
	check("VPC domain disabled", "Enable VPC Second-level Domain")

	if _, err := c.Store.CreateAPI(ctx, a, tn.Group, rules.APIDefinition{Name: "create_order", Method: rules.MethodPost, Path: "/orders",
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "{}"}); err != nil {
		t.Fatal(err)
	}
	check("an API created", "create_order", "2 APIs")

	if _, err := c.Store.CreateVpc(ctx, a, rules.VpcInput{Name: "second-vpc", RegionID: "cn-hangzhou", CIDR: "192.168.0.0/16"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Store.EnableVpcDomain(ctx, a, tn.Group); err != nil {
		t.Fatal(err)
	}
	check("a VPC created, the VPC domain enabled again", "second-vpc")

	// A call counts at once, while the account's rows, and so the parts
	// kept, stay as they were.
	op := clients[tn.Operator]
	op.Get(t, path).Shows("0 of 1,000 calls today")
	g, err := c.Store.GetGroup(ctx, tn.Account.ID, tn.Group)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodGet, c.GatewayServer.URL+"/orders", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = g.PublicDomain()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the call answered %d", resp.StatusCode)
	}
	op.Get(t, path).Shows("1 of 1,000 calls today")
	check("after a call", "1 of 1,000 calls today")

	// What a viewer may not do is not in the operator's page kept, and
	// the other way round.
	op.Get(t, path).Shows("Modify Instance for API Group Deployment", "Bind Domain Name")
	clients[tn.Viewer].Get(t, path).ShowsNot("Modify Instance for API Group Deployment").ShowsNot("Bind Domain Name")
	op.Get(t, path).Shows("Modify Instance for API Group Deployment")
}
