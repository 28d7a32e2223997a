package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
)

var flashRE = regexp.MustCompile(`<div class="flash success">([^<]*)</div>`)

// flashAfter posts a form, follows its redirect and returns the success
// message the next page shows.
func flashAfter(t *testing.T, c *client, path string, form url.Values) string {
	t.Helper()
	resp, body := c.post(path, form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: status %d\n%s", path, resp.StatusCode, body)
	}
	_, page := c.get(resp.Header.Get("Location"))
	m := flashRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no success message after POST %s:\n%s", path, page)
	}
	return html.UnescapeString(m[1])
}

// The messages after binding and unbinding a VPC name the binding that was
// replaced as the store's transaction read it (store.BindingChange), not
// the one the dialog was opened on: here it moved meanwhile (another
// operator, the OpenAPI).
func TestBindingMessagesNameWhatWasCommitted(t *testing.T) {
	f := newFixture(t, nil)
	ctx := context.Background()
	a := store.Actor{AccountID: f.a.account.ID, Name: "fixture", Source: rules.SourceConsole}
	vpc := func(cidr, sw string) (string, string) {
		t.Helper()
		v, err := f.st.CreateVpc(ctx, a, rules.VpcInput{Name: "other", RegionID: "cn-hangzhou", CIDR: cidr})
		if err != nil {
			t.Fatal(err)
		}
		w, err := f.st.CreateVSwitch(ctx, a, rules.VSwitchInput{VpcID: v.ID, ZoneID: "cn-hangzhou-g", Name: "sw", CIDR: sw})
		if err != nil {
			t.Fatal(err)
		}
		return v.ID, w.ID
	}
	vpc2, vsw2 := vpc("192.168.0.0/16", "192.168.1.0/24")
	vpc3, vsw3 := vpc("172.16.0.0/12", "172.16.1.0/24")
	op := f.login(t, f.a.operator, f.a.password)

	// The operator opens the dialog on the instance bound to f.a.vpc; the
	// binding moves to vpc2 meanwhile; the operator confirms vpc3.
	if resp, _ := op.get("/instances/" + f.a.inst + "/bind"); resp.StatusCode != http.StatusOK {
		t.Fatalf("bind dialog: %d", resp.StatusCode)
	}
	if _, err := f.st.BindVpc(ctx, a, f.a.inst, vpc2, vsw2); err != nil {
		t.Fatal(err)
	}
	msg := flashAfter(t, op, "/instances/"+f.a.inst+"/bind", url.Values{"vpc": {vpc3}, "vswitch": {vsw3}})
	if want := "VPC " + vpc2 + " no longer reaches"; !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(msg) {
		t.Errorf("after the change: %q, want it to say %q", msg, want)
	}

	// Unbind: the dialog was opened on vpc3; the binding moved to vpc2.
	// (The group on the instance holds the binding, R7: free it first.)
	if _, err := f.st.DisableVpcDomain(ctx, a, f.a.group); err != nil {
		t.Fatal(err)
	}
	if resp, _ := op.get("/instances/" + f.a.inst + "/unbind"); resp.StatusCode != http.StatusOK {
		t.Fatalf("unbind dialog: %d", resp.StatusCode)
	}
	if _, err := f.st.BindVpc(ctx, a, f.a.inst, vpc2, vsw2); err != nil {
		t.Fatal(err)
	}
	if msg := flashAfter(t, op, "/instances/"+f.a.inst+"/unbind", nil); msg != "VPC "+vpc2+" unbound from instance "+f.a.inst+"." {
		t.Errorf("after unbinding: %q, want it to name %s", msg, vpc2)
	}
}
