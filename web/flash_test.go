package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/web/webtest"
)

// flashAfter posts a form, follows its redirect and returns the success
// message the next page shows.
func flashAfter(t *testing.T, c *webtest.Client, path string, form url.Values) string {
	t.Helper()
	next := c.Follow(t, c.Post(t, path, form).Expect(http.StatusSeeOther)).Expect(http.StatusOK)
	msg := next.Text("#flashes .flash.success")
	if msg == "" {
		t.Fatalf("no success message after POST %s:\n%.600s", path, next.Body)
	}
	return msg
}

// The messages after binding and unbinding a VPC name the binding that was
// replaced as the store's transaction read it (store.BindingChange), not
// the one the dialog was opened on: here it moved meanwhile (another
// operator, the OpenAPI).
func TestBindingMessagesNameWhatWasCommitted(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	a := f.a.Actor()
	vpc := func(cidr, sw string) (string, string) {
		t.Helper()
		v, err := f.Store.CreateVpc(ctx, a, rules.VpcInput{Name: "other", RegionID: "cn-hangzhou", CIDR: cidr})
		if err != nil {
			t.Fatal(err)
		}
		w, err := f.Store.CreateVSwitch(ctx, a, rules.VSwitchInput{VpcID: v.ID, ZoneID: "cn-hangzhou-g", Name: "sw", CIDR: sw})
		if err != nil {
			t.Fatal(err)
		}
		return v.ID, w.ID
	}
	vpc2, vsw2 := vpc("192.168.0.0/16", "192.168.1.0/24")
	vpc3, vsw3 := vpc("172.16.0.0/12", "172.16.1.0/24")
	op := f.Login(t, f.a.Operator, f.a.Password)

	// The operator opens the dialog on the instance bound to f.a.Vpc; the
	// binding moves to vpc2 meanwhile; the operator confirms vpc3.
	op.Get(t, "/instances/"+f.a.Instance+"/bind").Expect(http.StatusOK)
	if _, err := f.Store.BindVpc(ctx, a, f.a.Instance, vpc2, vsw2); err != nil {
		t.Fatal(err)
	}
	msg := flashAfter(t, op, "/instances/"+f.a.Instance+"/bind", url.Values{"vpc": {vpc3}, "vswitch": {vsw3}})
	if want := "VPC " + vpc2 + " no longer reaches"; !strings.Contains(msg, want) {
		t.Errorf("after the change: %q, want it to say %q", msg, want)
	}

	// Unbind: the dialog was opened on vpc3; the binding moved to vpc2.
	// (The group on the instance holds the binding, R7: free it first.)
	if _, err := f.Store.DisableVpcDomain(ctx, a, f.a.Group); err != nil {
		t.Fatal(err)
	}
	op.Get(t, "/instances/"+f.a.Instance+"/unbind").Expect(http.StatusOK)
	if _, err := f.Store.BindVpc(ctx, a, f.a.Instance, vpc2, vsw2); err != nil {
		t.Fatal(err)
	}
	if msg := flashAfter(t, op, "/instances/"+f.a.Instance+"/unbind", nil); msg != "VPC "+vpc2+" unbound from instance "+f.a.Instance+"." {
		t.Errorf("after unbinding: %q, want it to name %s", msg, vpc2)
	}
}
