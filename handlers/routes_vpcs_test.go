package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"gatehouse/web/webtest"
)

// Network › VPCs: the list, Create VPC, a VPC's page, its vSwitches, and
// deleting both. What the delete dialogs say when the rules already refuse
// is in dialogs_refusal_test.go.
var vpcRoutes = map[string]routeTest{
	"GET /vpcs":                            testVpcsPage,
	"GET /vpcs/new":                        testVpcNewPage,
	"POST /vpcs":                           testVpcCreate,
	"GET /vpcs/:id":                        testVpcPage,
	"GET /vpcs/:id/vswitches/new":          testVSwitchNewPage,
	"POST /vpcs/:id/vswitches/new":         testVSwitchCreate,
	"GET /vpcs/:id/vswitches/:vsw/delete":  testVSwitchDeletePage,
	"POST /vpcs/:id/vswitches/:vsw/delete": testVSwitchDelete,
	"GET /vpcs/:id/delete":                 testVpcDeletePage,
	"POST /vpcs/:id/delete":                testVpcDelete,
}

func testVpcsPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.viewer), "/vpcs?region=cn-hangzhou", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.Shows("VPCs", "main", short(rt.a.Vpc), "gw").ShowsNot(short(rt.b.Vpc))
		if p.Has(`a[href="/vpcs/new"]`) {
			t.Errorf("%s: a viewer is offered Create VPC", p)
		}
	})
	rt.as(t, rt.viewer).Get(t, "/vpcs?region=cn-shanghai").Expect(http.StatusOK).ShowsNot(rt.a.Vpc)
	rt.as(t, rt.viewer).Get(t, "/vpcs?region=mars").Expect(http.StatusUnprocessableEntity).
		ExpectFieldError("region", `The region "mars" does not exist. Choose one of the list.`)
}

func testVpcNewPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.operator), "/vpcs/new?region=cn-beijing", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Create VPC").ExpectButton("Create VPC")
		if p.Value("region") != "cn-beijing" {
			t.Errorf("%s: region %q", p, p.Value("region"))
		}
	})
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/vpcs/new"), viewerRefusal)
}

func testVpcCreate(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		name := rt.name("net")
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/vpcs", url.Values{"name": {name}, "region": {"cn-hangzhou"}, "cidr": {"192.168.0.0/16"}},
			"/vpcs/*", "("+name+") created in")
		if after.Heading() != name {
			t.Errorf("after Create VPC, the page is %q, want the VPC's", after.Heading())
		}
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		op := rt.as(t, rt.operator)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			p := op.PostAs(t, mode, "/vpcs", url.Values{"name": {"kept"}, "region": {"cn-hangzhou"}, "cidr": {"8.8.0.0/16"}}).
				Expect(http.StatusUnprocessableEntity).ExpectDialog(mode, "Create VPC").
				ExpectFieldError("cidr", "A VPC CIDR block lies inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16; 8.8.0.0/16 does not.")
			if p.Value("name") != "kept" || p.Value("cidr") != "8.8.0.0/16" {
				t.Errorf("%s: the values typed are lost", p)
			}
			op.PostAs(t, mode, "/vpcs", url.Values{"name": {"x"}, "region": {"mars"}, "cidr": {"10.0.0.0/16"}}).
				Expect(http.StatusUnprocessableEntity).ExpectFieldError("region", "mars")
		}
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/vpcs", url.Values{"name": {"v"}, "region": {"cn-hangzhou"}, "cidr": {"10.0.0.0/16"}}), viewerRefusal)
	})
}

func testVpcPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.viewer), "/vpcs/"+rt.a.Vpc, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		if p.Heading() != "main" {
			t.Errorf("%s: heading %q", p, p.Heading())
		}
		p.Shows(rt.a.Vpc, "sw", short(rt.a.VSwitch), "gw")
	})
	rt.as(t, rt.viewer).Get(t, "/vpcs/"+rt.b.Vpc).Expect(http.StatusNotFound).ShowsNot(rt.b.Account.ID)
	t.Run("proxy URL", func(t *testing.T) { testVpcProxyURL(t, rt) })
}

func testVSwitchNewPage(t *testing.T, rt *routeT) {
	rt.expectGetModes(t, rt.as(t, rt.operator), "/vpcs/"+rt.a.Vpc+"/vswitches/new", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Create vSwitch").ExpectButton("Create vSwitch")
		if !has(p.Options("zone"), "cn-hangzhou-g") {
			t.Errorf("%s: zones %q, want the VPC region's", p, p.Options("zone"))
		}
	})
	rt.as(t, rt.operator).Get(t, "/vpcs/"+rt.b.Vpc+"/vswitches/new").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/vpcs/"+rt.a.Vpc+"/vswitches/new"), viewerRefusal)
}

func testVSwitchCreate(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		vpc := rt.newVpc(t)
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/vpcs/"+vpc.ID+"/vswitches/new",
			url.Values{"name": {rt.name("sw")}, "zone": {"cn-hangzhou-h"}, "cidr": {"172.16.9.0/24"}},
			"/vpcs/"+vpc.ID, "(cn-hangzhou-h, 172.16.9.0/24) created in VPC "+vpc.ID+".")
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		vpc := rt.newVpc(t)
		w := rt.newVSwitch(t, vpc)
		op := rt.as(t, rt.operator)
		path := "/vpcs/" + vpc.ID + "/vswitches/new"
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			op.PostAs(t, mode, path, url.Values{"name": {"clash"}, "zone": {"cn-hangzhou-g"}, "cidr": {"172.16.1.128/25"}}).
				Expect(http.StatusConflict).ExpectDialog(mode, "Create vSwitch").
				ExpectFieldError("cidr", "overlaps 172.16.1.0/24 of the vSwitch \""+w.Name+"\"")
			op.PostAs(t, mode, path, url.Values{"name": {"far"}, "zone": {"cn-shanghai-e"}, "cidr": {"172.16.2.0/24"}}).
				Expect(http.StatusUnprocessableEntity).ExpectFieldError("zone", "The zone cn-shanghai-e is in China (Shanghai)")
			// Every bad field at once: a bad name does not hide the overlap.
			op.PostAs(t, mode, path, url.Values{"name": {"-clash"}, "zone": {"cn-hangzhou-g"}, "cidr": {"172.16.1.128/25"}}).
				Expect(http.StatusUnprocessableEntity).ExpectFieldError("name", "A vSwitch name starts with a letter.").
				ExpectFieldError("cidr", "overlaps 172.16.1.0/24 of the vSwitch \""+w.Name+"\"")
		}
		op.Post(t, "/vpcs/"+rt.b.Vpc+"/vswitches/new", url.Values{"name": {"x"}, "zone": {"cn-hangzhou-g"}, "cidr": {"10.1.9.0/24"}}).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, path, url.Values{"name": {"v"}}), viewerRefusal)
	})
}

func testVSwitchDeletePage(t *testing.T, rt *routeT) {
	vpc := rt.newVpc(t)
	w := rt.newVSwitch(t, vpc)
	path := "/vpcs/" + vpc.ID + "/vswitches/" + w.ID + "/delete"
	rt.expectGetModes(t, rt.as(t, rt.operator), path, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Delete vSwitch").ExpectButton("Delete").Shows("This cannot be undone.")
	})
	op := rt.as(t, rt.operator)
	// A vSwitch of another VPC, or of another account, is not this VPC's.
	op.Get(t, "/vpcs/"+rt.a.Vpc+"/vswitches/"+w.ID+"/delete").Expect(http.StatusNotFound)
	op.Get(t, "/vpcs/"+rt.b.Vpc+"/vswitches/"+rt.b.VSwitch+"/delete").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, path), viewerRefusal)
}

func testVSwitchDelete(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		vpc := rt.newVpc(t)
		w := rt.newVSwitch(t, vpc)
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/vpcs/"+vpc.ID+"/vswitches/"+w.ID+"/delete", nil,
			"/vpcs/"+vpc.ID, "vSwitch "+w.ID+" deleted.")
	})
	t.Run("refused while an endpoint is in it", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, true)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			rt.as(t, rt.operator).PostAs(t, mode, "/vpcs/"+inst.VpcID+"/vswitches/"+inst.VSwitchID+"/delete", nil).
				Expect(http.StatusConflict).ExpectDialog(mode, "Delete vSwitch").
				ExpectAlert(`holds the VPC endpoint of 1 dedicated instance ("` + inst.ID + `")`)
		}
	})
	rt.as(t, rt.operator).Post(t, "/vpcs/"+rt.b.Vpc+"/vswitches/"+rt.b.VSwitch+"/delete", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/vpcs/"+rt.a.Vpc+"/vswitches/"+rt.a.VSwitch+"/delete", nil), viewerRefusal)
}

func testVpcDeletePage(t *testing.T, rt *routeT) {
	vpc := rt.newVpc(t)
	rt.expectGetModes(t, rt.as(t, rt.operator), "/vpcs/"+vpc.ID+"/delete", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Delete VPC").ExpectButton("Delete").Shows("Delete the VPC \"" + vpc.Name + "\" (" + vpc.ID)
	})
	rt.as(t, rt.operator).Get(t, "/vpcs/"+rt.b.Vpc+"/delete").Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, "/vpcs/"+vpc.ID+"/delete"), viewerRefusal)
}

func testVpcDelete(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		vpc := rt.newVpc(t)
		rt.expectChange(t, rt.as(t, rt.operator), mode, "/vpcs/"+vpc.ID+"/delete", nil,
			"/vpcs", "VPC "+vpc.ID+" ("+vpc.Name+") deleted.")
	})
	t.Run("refused while it has vSwitches or a bound instance", func(t *testing.T) {
		t.Parallel()
		inst := rt.newInstance(t, true)
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			rt.as(t, rt.operator).PostAs(t, mode, "/vpcs/"+inst.VpcID+"/delete", nil).
				Expect(http.StatusConflict).ExpectDialog(mode, "Delete VPC").ExpectAlert("Unbind the VPC from them first.")
		}
		if _, err := rt.Store.GetVpc(context.Background(), rt.a.Account.ID, inst.VpcID); err != nil {
			t.Errorf("a refused delete deleted the VPC: %v", err)
		}
	})
	rt.as(t, rt.operator).Post(t, "/vpcs/"+rt.b.Vpc+"/delete", nil).Expect(http.StatusNotFound)
	expectForbidden(t, rt.as(t, rt.viewer).Post(t, "/vpcs/"+rt.a.Vpc+"/delete", nil), viewerRefusal)
}
