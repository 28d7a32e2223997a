package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"gatehouse/web/webtest"
)

// No secret in a URL: no form that submits with GET carries the CSRF
// token (its own method, or a button's formmethod), and no link, action
// or hx-get holds it. Every GET route of the console is walked, as a page
// and as an htmx fragment, by an admin (who sees every control); a route
// added without a way to fill its parameters here fails the test.
func TestNoGetFormCarriesTheCSRFToken(t *testing.T) {
	f := newFixture(t, nil)
	admin := f.Login(t, f.a.Admin, f.a.Password)
	params := map[string]string{ // by the path segment before the parameter
		"groups/:id": f.a.Group, "instances/:id": f.a.UnboundInstance, "vpcs/:id": f.a.Vpc,
		"vswitches/:vsw": f.a.VSwitch, "domains/:name": f.a.Domain, "accesskeys/:id": f.a.Key, "users/:login": f.a.Operator,
		"apis/:id": f.a.API, "stages/:stage": "RELEASE",
	}
	walked := 0
	for _, r := range f.Routes() {
		if r.Method != http.MethodGet || strings.Contains(r.Path, "*") || r.Path == "/healthz" {
			continue
		}
		path, ok := fillParams(r.Path, params)
		if !ok {
			t.Errorf("GET %s: no value for its parameters; add one to this test", r.Path)
			continue
		}
		// The bound instance too: its dialogs show other forms.
		paths := []string{path}
		if strings.HasPrefix(r.Path, "/instances/:id") {
			paths = append(paths, strings.Replace(path, f.a.UnboundInstance, f.a.Instance, 1))
		}
		for _, p := range paths {
			for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
				resp := admin.GetAs(t, mode, p)
				if resp.Status != http.StatusOK && resp.Status != http.StatusConflict {
					continue // a redirect to the page, or a refusal without forms
				}
				walked++
				for _, problem := range tokenInURLs(t, resp.Body, admin.CSRF) {
					t.Errorf("GET %s (%s): %s", p, mode, problem)
				}
			}
		}
	}
	if walked < 20 {
		t.Fatalf("only %d pages walked", walked)
	}
}

// fillParams puts a value in place of each :parameter of a route path.
func fillParams(path string, params map[string]string) (string, bool) {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, ":") {
			continue
		}
		if i == 0 {
			return "", false
		}
		v, ok := params[segs[i-1]+"/"+s]
		if !ok {
			return "", false
		}
		segs[i] = url.PathEscape(v)
	}
	return strings.Join(segs, "/"), true
}

// tokenInURLs parses a page and lists each place the CSRF token would
// travel in a URL: a form that submits with GET holding the token field,
// or a link, form action or hx-get holding the token.
func tokenInURLs(t *testing.T, body, token string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var problems []string
	var forms []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			if n.Data == "form" {
				forms = append(forms, n)
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "href", "action", "formaction", "hx-get", "src":
					if strings.Contains(a.Val, "_csrf") || (token != "" && strings.Contains(a.Val, token)) {
						problems = append(problems, "<"+n.Data+" "+a.Key+"> holds the token: "+a.Val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	for _, form := range forms {
		if !submitsWithGet(form) {
			continue
		}
		if hasDescendant(form, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "_csrf" }) {
			problems = append(problems, "a form that submits with GET (action "+attr(form, "action")+") carries the _csrf field")
		}
	}
	return problems
}

// submitsWithGet reports whether a form can be submitted with GET: its
// method is GET (the default), or one of its buttons says formmethod=get.
func submitsWithGet(form *html.Node) bool {
	if m := strings.ToLower(attr(form, "method")); m == "" || m == "get" {
		return true
	}
	return hasDescendant(form, func(n *html.Node) bool {
		return (n.Data == "button" || n.Data == "input") && strings.EqualFold(attr(n, "formmethod"), "get")
	})
}

func hasDescendant(n *html.Node, match func(*html.Node) bool) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if (c.Type == html.ElementNode && match(c)) || hasDescendant(c, match) {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// Without JavaScript, the Show zones / Show instances / Show vSwitches
// buttons post their form with refresh set: the dialog comes back with the
// choice applied and what was typed kept, and nothing changes.
func TestRefreshButtonsShowTheDialogAgain(t *testing.T) {
	f := newFixture(t, nil)
	op := f.Login(t, f.a.Operator, f.a.Password)
	before := f.changes(t, f.a)
	tests := []struct {
		path string
		form url.Values
		want []string
	}{
		{"/groups", url.Values{"refresh": {"1"}, "name": {"typed_name"}, "description": {"kept"}, "region": {"cn-shanghai"}},
			[]string{`value="typed_name"`, ">kept</textarea>", "api-shared-vpc-002"}},
		{"/instances", url.Values{"refresh": {"1"}, "name": {"typed-gw"}, "region": {"cn-beijing"}},
			[]string{`value="typed-gw"`, "cn-beijing-h"}},
		{"/instances/" + f.a.UnboundInstance + "/bind", url.Values{"refresh": {"1"}, "vpc": {f.a.Vpc}},
			[]string{f.a.VSwitch}},
	}
	for _, tt := range tests {
		resp := op.Post(t, tt.path, tt.form)
		if resp.Status != http.StatusOK {
			t.Errorf("refresh %s: status %d", tt.path, resp.Status)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(resp.Body, w) {
				t.Errorf("refresh %s: the dialog does not show %s", tt.path, w)
			}
		}
	}
	if after := f.changes(t, f.a); after != before {
		t.Errorf("a refresh changed something: %d changes, then %d", before, after)
	}
	// The refresh is a post like any: without the token it is refused.
	if resp := op.PostRaw(t, "/groups", url.Values{"refresh": {"1"}, "region": {"cn-shanghai"}}, nil); resp.Status != http.StatusForbidden {
		t.Errorf("a refresh without the CSRF token: status %d, want 403", resp.Status)
	}
}
