package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/web/webtest"
)

// AccessKeys (admins only).
var accessKeyRoutes = map[string]routeTest{
	"GET /accesskeys":              testAccessKeysPage,
	"POST /accesskeys":             testAccessKeyCreate,
	"POST /accesskeys/:id/enable":  testAccessKeyEnable,
	"POST /accesskeys/:id/disable": testAccessKeyDisable,
	"GET /accesskeys/:id/delete":   testAccessKeyDeletePage,
	"POST /accesskeys/:id/delete":  testAccessKeyDelete,
}

// newKey is an access key of the first tenant's viewer.
func (rt *routeT) newKey(t *testing.T) rules.AccessKey {
	t.Helper()
	k, _, err := rt.Store.CreateAccessKey(context.Background(), rt.actor(), rt.a.Viewer)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func testAccessKeysPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.admin), "/accesskeys", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows("AccessKeys", rt.a.Key).ShowsNot(rt.b.Key).ExpectButton("Create AccessKey")
		if p.Has("#new-key-secret") {
			t.Errorf("%s: a secret is shown on the list", p)
		}
	})
	expectForbidden(t, rt.as(t, rt.operator).Get(t, "/accesskeys"), adminOnly)
}

func testAccessKeyCreate(t *testing.T, rt *routeT) {
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
		// The secret is shown on the answer itself, this once: no redirect.
		p := rt.as(t, rt.admin).PostAs(t, mode, "/accesskeys", url.Values{"user": {rt.a.Viewer}}).Expect(http.StatusCreated)
		if mode == webtest.Fragment {
			p.ExpectFragment()
		} else {
			p.ExpectFullPage()
		}
		p.ExpectAlert("AccessKey created for " + rt.a.Viewer + ". Save the secret now: it is shown only this once.")
		if secret := p.Text("#new-key-secret"); len(secret) < 20 {
			t.Errorf("%s: secret %q", p, secret)
		}
		if again := rt.as(t, rt.admin).Get(t, "/accesskeys"); strings.Contains(again.Body, p.Text("#new-key-secret")) {
			t.Errorf("the secret is shown again on the next page")
		}
		// Another account's user is not one of this account's.
		rt.as(t, rt.admin).PostAs(t, mode, "/accesskeys", url.Values{"user": {rt.b.Admin}}).Expect(http.StatusNotFound).
			ExpectFieldError("user", `The user "`+rt.b.Admin+`" does not exist.`)
	}
	expectForbidden(t, rt.as(t, rt.operator).Post(t, "/accesskeys", url.Values{"user": {rt.a.Operator}}), adminOnly)
}

// expectKeyState checks a key's state through the store.
func expectKeyState(t *testing.T, rt *routeT, id string, enabled bool) {
	t.Helper()
	keys, err := rt.Store.ListAccessKeys(context.Background(), rt.a.Account.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k.ID == id && k.Enabled == enabled {
			return
		}
	}
	t.Errorf("the key %s is not in the state enabled=%v", id, enabled)
}

func testAccessKeyEnable(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		k := rt.newKey(t)
		if _, err := rt.Store.SetAccessKeyEnabled(context.Background(), rt.actor(), k.ID, false); err != nil {
			t.Fatal(err)
		}
		rt.expectChange(t, rt.as(t, rt.admin), mode, "/accesskeys/"+k.ID+"/enable", nil, "/accesskeys", "AccessKey "+k.ID+" enabled.")
		expectKeyState(t, rt, k.ID, true)
	})
	rt.as(t, rt.admin).Post(t, "/accesskeys/"+rt.b.Key+"/enable", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.operator).Post(t, "/accesskeys/"+rt.a.Key+"/enable", nil), adminOnly)
}

func testAccessKeyDisable(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		k := rt.newKey(t)
		rt.expectChange(t, rt.as(t, rt.admin), mode, "/accesskeys/"+k.ID+"/disable", nil, "/accesskeys", "AccessKey "+k.ID+" disabled.")
		expectKeyState(t, rt, k.ID, false)
	})
	rt.as(t, rt.admin).Post(t, "/accesskeys/"+rt.b.Key+"/disable", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.operator).Post(t, "/accesskeys/"+rt.a.Key+"/disable", nil), adminOnly)
}

func testAccessKeyDeletePage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.admin), "/accesskeys/"+rt.a.Key+"/delete", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Delete AccessKey").ExpectButton("Delete").
			Shows("Delete the AccessKey "+rt.a.Key+" of "+rt.a.Admin+"?", "to stop it for a while, disable it instead.")
	})
	rt.as(t, rt.admin).Get(t, "/accesskeys/"+rt.b.Key+"/delete").Expect(http.StatusNotFound).
		Shows(`The AccessKey "` + rt.b.Key + `" does not exist.`)
	expectForbidden(t, rt.as(t, rt.operator).Get(t, "/accesskeys/"+rt.a.Key+"/delete"), adminOnly)
}

func testAccessKeyDelete(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		k := rt.newKey(t)
		after := rt.expectChange(t, rt.as(t, rt.admin), mode, "/accesskeys/"+k.ID+"/delete", nil, "/accesskeys",
			"AccessKey "+k.ID+" deleted. Clients using it can no longer call the OpenAPI endpoint.")
		if strings.Contains(after.Text("table"), k.ID) {
			t.Errorf("the deleted key is still listed")
		}
	})
	rt.as(t, rt.admin).Post(t, "/accesskeys/"+rt.b.Key+"/delete", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.operator).Post(t, "/accesskeys/"+rt.a.Key+"/delete", nil), adminOnly)
}
