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

// Manage APIs › API Groups: the list, Create Group, Group Details, Edit,
// Delete and custom domains. The VPC domain and Modify Instance are in
// routes_groups_vpc_test.go.
var groupRoutes = map[string]routeTest{
	"GET /groups":               testGroupsPage,
	"GET /groups/new":           testGroupNewPage,
	"GET /groups/new/instances": testGroupInstanceOptions,
	"POST /groups":              testGroupCreate,
}

var groupDetailRoutes = map[string]routeTest{
	"GET /groups/:id":         testGroupPage,
	"GET /groups/:id/edit":    testGroupEditPage,
	"POST /groups/:id/edit":   testGroupEdit,
	"GET /groups/:id/delete":  testGroupDeletePage,
	"POST /groups/:id/delete": testGroupDelete,
}

var groupDomainRoutes = map[string]routeTest{
	"GET /groups/:id/domains/new":           testGroupBindDomainPage,
	"POST /groups/:id/domains/new":          testGroupBindDomain,
	"GET /groups/:id/domains/:name/unbind":  testGroupUnbindDomainPage,
	"POST /groups/:id/domains/:name/unbind": testGroupUnbindDomain,
	// A custom domain's HTTPS certificate: routes_groups_certs_test.go.
	"GET /groups/:id/domains/:name/certificate/upload":  testDomainCertificatePage,
	"POST /groups/:id/domains/:name/certificate/upload": testDomainCertificateUpload,
	"GET /groups/:id/domains/:name/certificate/delete":  testDomainCertificateDeletePage,
	"POST /groups/:id/domains/:name/certificate/delete": testDomainCertificateDelete,
}

func testGroupsPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.viewer), "/groups?region=cn-hangzhou&q=orders", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows("API Groups", "orders", rt.a.Group).ExpectNoFieldErrors()
		if p.Has(`a[href="/groups/new"]`) {
			t.Errorf("%s: a viewer is offered Create Group", p)
		}
	})
	op := rt.as(t, rt.operator)
	p := op.Get(t, "/groups").Expect(http.StatusOK)
	if !p.Has(`a[href="/groups/new"]`) {
		t.Errorf("an operator is not offered Create Group")
	}
	if strings.Contains(p.Body, rt.b.Group) {
		t.Errorf("the list shows another account's group")
	}
	op.Get(t, "/groups?q=no_such_group_anywhere").Expect(http.StatusOK).Shows("No groups match")
	// A bad filter is answered 400 beside the filter; the list still shows.
	op.Get(t, "/groups?region=mars").Expect(http.StatusBadRequest).
		ExpectFieldError("region", `The region "mars" does not exist; showing the groups of every region.`).Shows(rt.a.Group)
	op.Get(t, "/groups?q="+strings.Repeat("x", 51)).Expect(http.StatusBadRequest).
		ExpectFieldError("q", "Search for at most 50 characters: no group name is longer.")
	op.Get(t, "/groups?after=not-a-cursor").Expect(http.StatusBadRequest).
		ExpectAlert("This page link is not valid for the list").Shows(rt.a.Group)
}

func testGroupNewPage(t *testing.T, rt *routeT) {
	op := rt.as(t, rt.operator)
	rt.expectGetModes(t, op, "/groups/new?name=typed_name", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Create Group").ExpectButton("Create")
		if p.Value("name") != "typed_name" || p.Value("region") != "cn-hangzhou" {
			t.Errorf("%s: name %q, region %q: what was typed is kept, the region defaults to cn-hangzhou", p, p.Value("name"), p.Value("region"))
		}
		// The region's shared instance and this account's instances, no
		// other account's.
		opts := p.Options("instance")
		if !has(opts, rt.hangzhouShared) || !has(opts, rt.a.Instance) || has(opts, rt.b.Instance) {
			t.Errorf("%s: instance choices %q", p, opts)
		}
	})
	op.Get(t, "/groups/new?region=mars").Expect(http.StatusBadRequest).
		ExpectFieldError("region", `The region "mars" does not exist. Choose a region.`)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/groups/new"), viewerRefusal)
}

func testGroupInstanceOptions(t *testing.T, rt *routeT) {
	cl := rt.as(t, rt.operator)
	p := cl.GetAs(t, webtest.Fragment, "/groups/new/instances?region=cn-hangzhou").Expect(http.StatusOK).ExpectFragment()
	if opts := p.Options("instance"); !has(opts, rt.hangzhouShared) || !has(opts, rt.a.UnboundInstance) || has(opts, rt.b.Instance) {
		t.Errorf("cn-hangzhou's instances: %q", opts)
	}
	p = cl.GetAs(t, webtest.Fragment, "/groups/new/instances?region=mars").Expect(http.StatusBadRequest).ExpectFragment()
	p.ExpectFieldError("instance", `The region "mars" does not exist. Choose a region first.`)
	// Asked for as a page (no JavaScript, or boosted), it leads to the
	// dialog with that region.
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Boosted} {
		p := cl.GetAs(t, mode, "/groups/new/instances?region=cn-shanghai")
		if p.Status != http.StatusSeeOther || p.Header.Get("Location") != "/groups/new?region=cn-shanghai" {
			t.Errorf("%s: %d to %q, want 303 to the dialog", mode, p.Status, p.Header.Get("Location"))
		}
	}
}

func testGroupCreate(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		name := rt.name("created_")
		form := url.Values{"name": {name}, "description": {"made by a test"}, "region": {"cn-hangzhou"}, "instance": {rt.hangzhouShared}}
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups", form, "/groups/*", "API group "+name+" created.")
		if after.Heading() != name {
			t.Errorf("after Create, the page is %q, want Group Details of %s", after.Heading(), name)
		}
	})
	t.Run("no instance chosen: the region's shared instance", func(t *testing.T) {
		t.Parallel()
		name := rt.name("defaulted_")
		after := rt.expectChange(t, rt.as(t, rt.operator), webtest.NoJS, "/groups", url.Values{"name": {name}, "region": {"cn-hangzhou"}}, "/groups/*", "API group "+name+" created.")
		after.Shows(rt.hangzhouShared)
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		op := rt.as(t, rt.operator)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			// Every bad field at once, beside its field, values kept: a
			// malformed name does not hide an instance of another region.
			p := op.PostAs(t, mode, "/groups", url.Values{"name": {"9lives"}, "description": {"kept"}, "region": {"cn-shanghai"}, "instance": {rt.a.Instance}}).
				Expect(http.StatusUnprocessableEntity)
			p.ExpectDialog(mode, "Create Group").ExpectFieldError("name", "A group name starts with a letter.").
				ExpectFieldError("instance", "Choose an instance in China (Shanghai)")
			if p.Value("description") != "kept" {
				t.Errorf("%s: the description typed is lost", p)
			}
			// Every error of a field is listed beside it: too short, a
			// digit first, and (named together) a space and a hyphen.
			p = op.PostAs(t, mode, "/groups", url.Values{"name": {"1 -"}, "region": {"cn-hangzhou"}}).Expect(http.StatusUnprocessableEntity)
			p.ExpectFieldError("name", "A group name is 4 to 50 characters long; this one has 3.").
				ExpectFieldError("name", "A group name starts with a letter.").
				ExpectFieldError("name", `' ' and '-' are not allowed.`)
			if n := p.Doc().Find("#group-new-name-error li").Length(); n != 3 {
				t.Errorf("%s: %d errors listed beside the name, want 3", p, n)
			}
			if _, focus := p.Doc().Find("#group-new-name").Attr("autofocus"); !focus {
				t.Errorf("%s: the first field in error does not take the focus", p)
			}
			// No instance chosen is no error: the region's shared instance
			// is the default, so only the name is refused.
			op.PostAs(t, mode, "/groups", url.Values{"name": {"9lives"}, "region": {"cn-hangzhou"}}).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("name", "A group name starts with a letter.").ExpectNoFieldError("instance")
			// R1: unique in the region.
			op.PostAs(t, mode, "/groups", url.Values{"name": {"orders"}, "region": {"cn-hangzhou"}, "instance": {rt.hangzhouShared}}).
				Expect(http.StatusConflict).ExpectFieldError("name", `Your account already has a group named "orders" in`)
			// Another account's instance is absent.
			op.PostAs(t, mode, "/groups", url.Values{"name": {rt.name("stolen_")}, "region": {"cn-hangzhou"}, "instance": {rt.b.Instance}}).
				Expect(http.StatusNotFound).ExpectFieldError("instance", `The instance "`+rt.b.Instance+`" does not exist.`)
			// An instance of another region.
			op.PostAs(t, mode, "/groups", url.Values{"name": {rt.name("elsewhere_")}, "region": {"cn-shanghai"}, "instance": {rt.a.Instance}}).
				Expect(http.StatusUnprocessableEntity).ExpectFieldError("instance", "Choose an instance in")
		}
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/groups", url.Values{"name": {"viewer_group"}, "region": {"cn-hangzhou"}, "instance": {rt.hangzhouShared}}), viewerRefusal)
	})
}

func testGroupPage(t *testing.T, rt *routeT) {
	g, err := rt.Store.GetGroup(context.Background(), rt.a.Account.ID, rt.a.Group)
	if err != nil {
		t.Fatal(err)
	}
	rt.expectGetModes(t, rt.as(t, rt.viewer), "/groups/"+rt.a.Group, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows(g.PublicDomain(), g.VpcDomain(), rt.a.Domain, rt.a.Instance)
		if p.Heading() != "orders" || !p.Has("#reachability") {
			t.Errorf("%s: heading %q; Group Details shows the reachability panel", p, p.Heading())
		}
		if p.Has(`a[href$="/delete"], a[href$="/edit"]`) {
			t.Errorf("%s: a viewer is offered a change", p)
		}
	})
	if p := rt.as(t, rt.operator).Get(t, "/groups/"+rt.a.Group); !p.Has(`a[href="/groups/` + rt.a.Group + `/edit"]`) {
		t.Errorf("an operator is not offered Edit")
	}
	rt.as(t, rt.viewer).Get(t, "/groups/"+rt.b.Group).Expect(http.StatusNotFound).Shows("does not exist").ShowsNot(rt.b.Account.ID)
	t.Run("traffic", func(t *testing.T) { testGroupTraffic(t, rt) })
}

func testGroupEditPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.operator), "/groups/"+rt.a.Group+"/edit", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Edit API Group").ExpectButton("Save")
		if p.Value("name") != "orders" {
			t.Errorf("%s: the name field holds %q", p, p.Value("name"))
		}
	})
	rt.as(t, rt.operator).Get(t, "/groups/"+rt.b.Group+"/edit").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/groups/"+rt.a.Group+"/edit"), viewerRefusal)
}

func testGroupEdit(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.newGroup(t, rt.hangzhouShared, false)
		name := rt.name("renamed_")
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups/"+g.ID+"/edit", url.Values{"name": {name}, "description": {"new words"}},
			"/groups/"+g.ID, "API group "+name+" saved.")
		after.Shows("new words")
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		g := rt.newGroup(t, rt.hangzhouShared, false)
		op := rt.as(t, rt.operator)
		path := "/groups/" + g.ID + "/edit"
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			op.PostAs(t, mode, path, url.Values{"name": {"ab"}, "description": {"d"}}).Expect(http.StatusUnprocessableEntity).
				ExpectDialog(mode, "Edit API Group").ExpectFieldError("name", "A group name is 4 to 50 characters long; this one has 2.")
			op.PostAs(t, mode, path, url.Values{"name": {"orders"}}).Expect(http.StatusConflict).
				ExpectFieldError("name", `Your account already has a group named "orders"`)
			// Both at once: a description too long does not hide the name taken.
			op.PostAs(t, mode, path, url.Values{"name": {"orders"}, "description": {strings.Repeat("d", 181)}}).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("description", "at most 180 characters").ExpectFieldError("name", `Your account already has a group named "orders"`)
		}
		op.Post(t, "/groups/"+rt.b.Group+"/edit", url.Values{"name": {"taken_over"}}).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, path, url.Values{"name": {"viewer_edit"}}), viewerRefusal)
		if cur, err := rt.Store.GetGroup(context.Background(), rt.a.Account.ID, g.ID); err != nil || cur.Name != g.Name {
			t.Errorf("refused edits changed the group: %q, %v", cur.Name, err)
		}
	})
}

func testGroupDeletePage(t *testing.T, rt *routeT) {
	g := rt.newGroup(t, rt.hangzhouShared, false)
	bindDomain(t, rt, g.ID, rt.name("del")+".example.com")
	rt.expectGetModes(t, rt.as(t, rt.operator), "/groups/"+g.ID+"/delete", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Delete API group "+g.Name+"?").ExpectButton("Delete").
			Shows("This cannot be undone.", "Its 1 custom domain is unbound too; remove their CNAME records.")
	})
	rt.as(t, rt.operator).Get(t, "/groups/"+rt.b.Group+"/delete").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/groups/"+rt.a.Group+"/delete"), viewerRefusal)
	// A group holding APIs (the tenant's holds list_orders): the refusal,
	// no Delete (TestRefusedDialogs).
	rt.as(t, rt.operator).Get(t, "/groups/"+rt.a.Group+"/delete").Expect(http.StatusConflict).
		ExpectAlert(`The group "orders" still holds 1 API ("list_orders").`).ExpectNoButton("Delete")
}

// newAPI defines an API (a mock backend) in a group of the first tenant.
func (rt *routeT) newAPI(t *testing.T, groupID, name string) rules.API {
	t.Helper()
	api, err := rt.Store.CreateAPI(context.Background(), rt.actor(), groupID, rules.APIDefinition{Name: name, Method: "GET", Path: "/" + name,
		Protocols: rules.ProtocolsHTTP, Backend: rules.BackendMock, MockBody: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	return api
}

func testGroupDelete(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.newGroup(t, rt.hangzhouShared, true)
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups/"+g.ID+"/delete", nil, "/groups", "API group "+g.Name+" deleted.")
		rt.as(t, rt.viewer).Get(t, "/groups/"+g.ID).Expect(http.StatusNotFound)
	})
	t.Run("refused while it holds APIs", func(t *testing.T) {
		t.Parallel()
		g := rt.newGroup(t, rt.hangzhouShared, false)
		api := rt.newAPI(t, g.ID, "get_user")
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			rt.as(t, rt.operator).PostAs(t, mode, "/groups/"+g.ID+"/delete", nil).Expect(http.StatusConflict).
				ExpectDialog(mode, "Delete API group "+g.Name+"?").ExpectNoButton("Delete").
				ExpectAlert("still holds 1 API (\"get_user\"). Delete its APIs first: abolish any that are deployed, then delete them. Then delete the group.")
		}
		rt.as(t, rt.viewer).Get(t, "/groups/"+g.ID).Expect(http.StatusOK)
		// Once its API is gone, the group goes.
		if err := rt.Store.DeleteAPI(context.Background(), rt.actor(), api.ID); err != nil {
			t.Fatal(err)
		}
		rt.expectChange(t, rt.as(t, rt.operator), webtest.NoJS, "/groups/"+g.ID+"/delete", nil, "/groups", "API group "+g.Name+" deleted.")
	})
	op := rt.as(t, rt.operator)
	op.Post(t, "/groups/"+rt.b.Group+"/delete", nil).Expect(http.StatusNotFound)
	op.Post(t, "/groups/grp-does-not-exist/delete", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/groups/"+rt.a.Group+"/delete", nil), viewerRefusal)
}

func testGroupBindDomainPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.operator), "/groups/"+rt.a.Group+"/domains/new", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Bind Domain Name").ExpectButton("Bind")
		if p.Value("network_type") != "INTERNET" {
			t.Errorf("%s: network type %q, want INTERNET first", p, p.Value("network_type"))
		}
	})
	rt.as(t, rt.operator).Get(t, "/groups/"+rt.b.Group+"/domains/new").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/groups/"+rt.a.Group+"/domains/new"), viewerRefusal)
}

func testGroupBindDomain(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.newGroup(t, rt.hangzhouShared, false)
		domain := rt.name("api") + ".bind.example.com"
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups/"+g.ID+"/domains/new", url.Values{"domain": {domain}, "network_type": {"INTERNET"}},
			"/groups/"+g.ID, "Domain name "+domain+" bound to API group "+g.Name+" (INTERNET). Add a CNAME record: "+domain+" → "+g.PublicDomain()+".")
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		g := rt.newGroup(t, rt.hangzhouShared, false)
		op := rt.as(t, rt.operator)
		path := "/groups/" + g.ID + "/domains/new"
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			op.PostAs(t, mode, path, url.Values{"domain": {"10.0.0.1"}, "network_type": {"INTERNET"}}).Expect(http.StatusUnprocessableEntity).
				ExpectDialog(mode, "Bind Domain Name").ExpectFieldError("domain", "looks like an IP address.")
			op.PostAs(t, mode, path, url.Values{"domain": {"ok.example.com"}, "network_type": {"SATELLITE"}}).Expect(http.StatusUnprocessableEntity).
				ExpectFieldError("network_type", `The network type "SATELLITE" does not exist. Choose INTERNET or INTRANET.`)
			// R9: a group on a shared instance takes no INTRANET domain.
			op.PostAs(t, mode, path, url.Values{"domain": {"in.example.com"}, "network_type": {"INTRANET"}}).Expect(http.StatusConflict).
				ExpectFieldError("network_type", "shared instances do not support custom domains on the VPC second-level domain")
			// Another account's domain is taken, without saying whose.
			op.PostAs(t, mode, path, url.Values{"domain": {rt.b.Domain}, "network_type": {"INTERNET"}}).Expect(http.StatusConflict).
				ExpectFieldError("domain", "is already bound to an API group of another account").ShowsNot(rt.b.Group)
		}
		op.Post(t, "/groups/"+rt.b.Group+"/domains/new", url.Values{"domain": {"x.example.com"}, "network_type": {"INTERNET"}}).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, path, url.Values{"domain": {"v.example.com"}}), viewerRefusal)
	})
}

func testGroupUnbindDomainPage(t *testing.T, rt *routeT) {
	path := "/groups/" + rt.a.Group + "/domains/" + rt.a.Domain + "/unbind"
	rt.expectGetModes(t, rt.as(t, rt.operator), path, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Unbind Domain Name").ExpectButton("Unbind").Shows("Unbind the domain name " + rt.a.Domain + " from the API group orders?")
	})
	op := rt.as(t, rt.operator)
	op.Get(t, "/groups/"+rt.a.Group+"/domains/not-bound.example.com/unbind").Expect(http.StatusNotFound)
	op.Get(t, "/groups/"+rt.b.Group+"/domains/"+rt.b.Domain+"/unbind").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, path), viewerRefusal)
}

func testGroupUnbindDomain(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g := rt.newGroup(t, rt.hangzhouShared, false)
		domain := rt.name("gone") + ".example.com"
		bindDomain(t, rt, g.ID, domain)
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups/"+g.ID+"/domains/"+domain+"/unbind", nil,
			"/groups/"+g.ID, "Domain name "+domain+" unbound from API group "+g.Name+". Remove its CNAME record.")
	})
	op := rt.as(t, rt.operator)
	op.Post(t, "/groups/"+rt.a.Group+"/domains/not-bound.example.com/unbind", nil).Expect(http.StatusNotFound)
	op.Post(t, "/groups/"+rt.b.Group+"/domains/"+rt.b.Domain+"/unbind", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/groups/"+rt.a.Group+"/domains/"+rt.a.Domain+"/unbind", nil), viewerRefusal)
}
