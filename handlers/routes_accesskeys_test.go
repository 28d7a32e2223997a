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
	"GET /accesskeys/new":          testAccessKeyNewPage,
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
		p.Shows("AccessKeys", rt.a.Key).ShowsNot(rt.b.Key)
		if !p.Has(`a[href="/accesskeys/new"]`) {
			t.Errorf("%s: no Create AccessKey", p)
		}
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
		p.ExpectDialog(mode, "AccessKey created").Shows(rt.a.Viewer).
			ExpectAlert("Save the secret now: it is shown only this once.")
		if secret := p.Text("#new-key-secret"); len(secret) < 20 {
			t.Errorf("%s: secret %q", p, secret)
		}
		if again := rt.as(t, rt.admin).Get(t, "/accesskeys"); strings.Contains(again.Body, p.Text("#new-key-secret")) {
			t.Errorf("the secret is shown again on the next page")
		}
		// Download CSV holds this key's id and secret, as Alibaba Cloud's
		// console writes them; I have saved it leads to the list.
		id, secret := p.Text("#new-key-id"), p.Text("#new-key-secret")
		a := p.Doc().Find(`a[download]`)
		csv, err := url.PathUnescape(strings.TrimPrefix(a.AttrOr("href", ""), "data:text/csv;charset=utf-8,"))
		if err != nil || csv != "AccessKeyId,AccessKeySecret\r\n"+id+","+secret+"\r\n" || a.Text() != "Download CSV" ||
			a.AttrOr("download", "") != "AccessKey_"+id+".csv" {
			t.Errorf("%s: Download CSV %q (%v) as %q", p, csv, err, a.AttrOr("download", ""))
		}
		if _, _, got, err := rt.Store.AccessKeyForSignature(context.Background(), id); err != nil || got != secret {
			t.Errorf("the secret shown is not the key's: %v", err)
		}
		if !p.Has(`a[href="/accesskeys"]`) || !strings.Contains(p.Text(".dialog-foot"), "I have saved it") {
			t.Errorf("%s: no I have saved it", p)
		}
		// No user chosen: refused beside the field.
		rt.as(t, rt.admin).PostAs(t, mode, "/accesskeys", url.Values{"user": {""}}).Expect(http.StatusUnprocessableEntity).
			ExpectFieldError("user", "Choose the user the AccessKey acts as.")
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

// Create AccessKey asks which user the key acts as, nothing chosen.
func testAccessKeyNewPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.admin), "/accesskeys/new", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Create AccessKey").ExpectButton("Create AccessKey")
		if p.Value("user") != "" || !has(p.Options("user"), rt.a.Viewer) || has(p.Options("user"), rt.b.Admin) {
			t.Errorf("%s: user %q chosen among %q", p, p.Value("user"), p.Options("user"))
		}
	})
	expectForbidden(t, rt.as(t, rt.operator).Get(t, "/accesskeys/new"), adminOnly)
}
