package webtest

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Page is one answer of the console, read as an operator would: its
// status, where it leads, and its HTML by role, label, name and the ids
// the console keeps stable. The Expect… and Shows… methods report to the
// test that made the request and return the page, so they chain.
type Page struct {
	t            testing.TB
	Method, Path string
	Status       int
	Header       http.Header
	Body         string
	// Route is the route of web/routes.go that answered ("GET /vpcs/:id").
	Route string
	doc   *goquery.Document
}

// Doc is the answer parsed as HTML (a fragment is parsed into a body).
func (p *Page) Doc() *goquery.Document {
	if p.doc == nil {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(p.Body))
		if err != nil {
			p.t.Fatalf("%s %s: the answer is not HTML: %v", p.Method, p.Path, err)
		}
		p.doc = doc
	}
	return p.doc
}

// excerpt is the start of the visible text, for failure messages.
func (p *Page) excerpt() string {
	text := p.Body
	if strings.Contains(p.Header.Get("Content-Type"), "html") && p.Body != "" {
		text = p.Text("body")
	}
	if len(text) > 600 {
		text = text[:600] + "…"
	}
	return text
}

func (p *Page) String() string { return fmt.Sprintf("%s %s → %d", p.Method, p.Path, p.Status) }

// Expect stops the test unless the answer has status.
func (p *Page) Expect(status int) *Page {
	p.t.Helper()
	if p.Status != status {
		p.t.Fatalf("%s: want %d\n%s", p, status, p.excerpt())
	}
	return p
}

// normalize collapses runs of white space, as a reader sees text.
func normalize(s string) string { return strings.Join(strings.Fields(s), " ") }

// Text is the text of what selector matches as a reader sees it: white
// space collapsed, and blocks (paragraphs, cells, terms and their
// definitions…) apart from each other.
func (p *Page) Text(selector string) string {
	var b strings.Builder
	p.Doc().Find(selector).Each(func(_ int, s *goquery.Selection) {
		for _, n := range s.Nodes {
			readText(&b, n)
			b.WriteByte(' ')
		}
	})
	return normalize(b.String())
}

// blocks are the elements whose text stands apart from their neighbours'.
var blocks = map[string]bool{
	"p": true, "div": true, "section": true, "li": true, "dt": true, "dd": true, "td": true, "th": true, "tr": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "option": true, "label": true, "legend": true, "br": true,
	"button": true, "a": true, "dialog": true, "main": true, "nav": true, "header": true, "aside": true, "form": true,
}

func readText(b *strings.Builder, n *html.Node) {
	switch {
	case n.Type == html.TextNode:
		b.WriteString(n.Data)
		return
	case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "title"):
		return
	}
	block := n.Type == html.ElementNode && blocks[n.Data]
	if block {
		b.WriteByte(' ')
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		readText(b, c)
	}
	if block {
		b.WriteByte(' ')
	}
}

// Has reports whether selector matches anything.
func (p *Page) Has(selector string) bool { return p.Doc().Find(selector).Length() > 0 }

// Shows fails the test unless the page's text holds each of texts.
func (p *Page) Shows(texts ...string) *Page {
	p.t.Helper()
	body := p.Text("body")
	for _, want := range texts {
		if !strings.Contains(body, normalize(want)) {
			p.t.Errorf("%s: the page does not say %q\n%s", p, want, p.excerpt())
		}
	}
	return p
}

// ShowsNot fails the test if the page's text holds text.
func (p *Page) ShowsNot(text string) *Page {
	p.t.Helper()
	if strings.Contains(p.Text("body"), normalize(text)) {
		p.t.Errorf("%s: the page says %q, and should not\n%s", p, text, p.excerpt())
	}
	return p
}

// IsFullPage reports whether the answer is a whole page in the layout:
// a title, the console's landmarks (main) and, for a logged-in visitor,
// the navigation.
func (p *Page) IsFullPage() bool {
	return strings.HasPrefix(strings.ToLower(strings.TrimSpace(p.Body)), "<!doctype html>") &&
		p.Has("head > title") && p.Has("main#main")
}

// ExpectFullPage fails the test unless the answer is a whole page.
func (p *Page) ExpectFullPage() *Page {
	p.t.Helper()
	if !p.IsFullPage() {
		p.t.Errorf("%s: want a whole page in the layout, got a fragment\n%.300s", p, p.Body)
	}
	return p
}

// ExpectFragment fails the test unless the answer is a fragment: no
// layout, no navigation, something to swap in.
func (p *Page) ExpectFragment() *Page {
	p.t.Helper()
	if p.IsFullPage() || p.Has("nav[aria-label=Console]") || p.Has("#flashes") || strings.TrimSpace(p.Body) == "" {
		p.t.Errorf("%s: want a fragment without the layout\n%.300s", p, p.Body)
	}
	return p
}

// control is the form control named name (not a hidden one), or with
// the id "#…" when several controls share the name.
func (p *Page) control(name string) *goquery.Selection {
	if strings.HasPrefix(name, "#") {
		return p.Doc().Find(name).First()
	}
	return p.Doc().Find(fmt.Sprintf(`input[name=%q]:not([type=hidden]), select[name=%q], textarea[name=%q]`, name, name, name)).First()
}

// FieldError is the error message shown beside the form control named
// name (or "#id"): the element its aria-describedby points at that is marked as an
// error or, for a field that does not point at it, the error inside the
// same field (or fieldset); "" when the field has none.
func (p *Page) FieldError(name string) string {
	ctl := p.control(name)
	if ctl.Length() == 0 {
		p.t.Errorf("%s: no field named %q\n%s", p, name, p.excerpt())
		return ""
	}
	ids, _ := ctl.Attr("aria-describedby")
	for _, id := range strings.Fields(ids) {
		if el := p.Doc().Find("#" + id); el.HasClass("field-error") {
			return normalize(el.Text())
		}
	}
	return normalize(ctl.Closest(".field, fieldset").Find(".field-error").Text())
}

// ExpectFieldError fails the test unless the field named name is marked
// invalid and its error, beside it, says want.
func (p *Page) ExpectFieldError(name, want string) *Page {
	p.t.Helper()
	got := p.FieldError(name)
	if !strings.Contains(got, normalize(want)) {
		p.t.Errorf("%s: field %q error %q, want it to say %q\n%s", p, name, got, want, p.excerpt())
	}
	if ctl := p.control(name); got != "" && ctl.AttrOr("type", "") != "radio" {
		if inv, _ := ctl.Attr("aria-invalid"); inv != "true" {
			p.t.Errorf("%s: field %q has an error but is not marked aria-invalid", p, name)
		}
	}
	return p
}

// ExpectNoFieldError fails the test if the field named name shows an
// error or is marked invalid.
func (p *Page) ExpectNoFieldError(name string) *Page {
	p.t.Helper()
	if got := p.FieldError(name); got != "" {
		p.t.Errorf("%s: field %q shows the error %q, want none", p, name, got)
	}
	if inv, _ := p.control(name).Attr("aria-invalid"); inv == "true" {
		p.t.Errorf("%s: field %q is marked aria-invalid", p, name)
	}
	return p
}

// ExpectNoFieldErrors fails the test if any field shows an error.
func (p *Page) ExpectNoFieldErrors() *Page {
	p.t.Helper()
	if t := p.Text(".field-error"); t != "" {
		p.t.Errorf("%s: unexpected field errors: %s", p, t)
	}
	return p
}

// Alert is the text of the page's alerts (role=alert): a refusal of the
// whole form or action.
func (p *Page) Alert() string { return p.Text("[role=alert]") }

// ExpectAlert fails the test unless an alert says want.
func (p *Page) ExpectAlert(want string) *Page {
	p.t.Helper()
	if got := p.Alert(); !strings.Contains(got, normalize(want)) {
		p.t.Errorf("%s: alert %q, want it to say %q\n%s", p, got, want, p.excerpt())
	}
	return p
}

// Value is the value a form control named name holds: an input's value,
// a select's chosen option, a textarea's text.
func (p *Page) Value(name string) string {
	ctl := p.control(name)
	switch goquery.NodeName(ctl) {
	case "select":
		v, _ := ctl.Find("option[selected]").First().Attr("value")
		return v
	case "textarea":
		return ctl.Text()
	}
	v, _ := ctl.Attr("value")
	return v
}

// Options are the values a select named name offers (the empty
// placeholder left out).
func (p *Page) Options(name string) []string {
	var out []string
	p.Doc().Find(fmt.Sprintf(`select[name=%q] option`, name)).Each(func(_ int, s *goquery.Selection) {
		if v, _ := s.Attr("value"); v != "" {
			out = append(out, v)
		}
	})
	return out
}

// SubmitButtons are the labels of the buttons that submit a form, but for
// the header's Log out.
func (p *Page) SubmitButtons() []string {
	var out []string
	p.Doc().Find("form").Each(func(_ int, f *goquery.Selection) {
		if action, _ := f.Attr("action"); action == "/logout" {
			return
		}
		f.Find("button").Each(func(_ int, b *goquery.Selection) {
			if typ, ok := b.Attr("type"); !ok || typ == "submit" {
				out = append(out, normalize(b.Text()))
			}
		})
	})
	return out
}

// ExpectButton fails the test unless a submit button says label.
func (p *Page) ExpectButton(label string) *Page {
	p.t.Helper()
	if !slices.Contains(p.SubmitButtons(), label) {
		p.t.Errorf("%s: no %q button (buttons: %q)\n%s", p, label, p.SubmitButtons(), p.excerpt())
	}
	return p
}

// ExpectNoButton fails the test if a submit button says label.
func (p *Page) ExpectNoButton(label string) *Page {
	p.t.Helper()
	if slices.Contains(p.SubmitButtons(), label) {
		p.t.Errorf("%s: a %q button is offered, and should not be\n%s", p, label, p.excerpt())
	}
	return p
}

// Dialog is the text of the dialog's title: an htmx modal <dialog> or,
// without JavaScript, the dialog shown as a page.
func (p *Page) Dialog() string { return p.Text("dialog h2, section.dialog-page h1") }

// ExpectDialog fails the test unless the answer is the dialog titled
// title, as a modal for htmx (mode Fragment) or a page otherwise.
func (p *Page) ExpectDialog(mode Mode, title string) *Page {
	p.t.Helper()
	if got := p.Dialog(); got != title {
		p.t.Errorf("%s: dialog %q, want %q\n%s", p, got, title, p.excerpt())
	}
	if mode == Fragment {
		p.ExpectFragment()
		if !p.Has("dialog") {
			p.t.Errorf("%s: an htmx dialog must be a <dialog>", p)
		}
	} else {
		p.ExpectFullPage()
	}
	return p
}

// Heading is the page's first h1.
func (p *Page) Heading() string { return normalize(p.Doc().Find("h1").First().Text()) }

// Flash is the text of the one-time messages (#flashes).
func (p *Page) Flash() string { return p.Text("#flashes") }

// ExpectRedirect fails the test unless the answer sends the browser to
// path (or, for a path ending in *, somewhere under it): 303 See Other
// with Location for a browser without JavaScript, 204 with HX-Location for
// htmx.
func (p *Page) ExpectRedirect(mode Mode, path string) *Page {
	p.t.Helper()
	leadsTo := func(loc string) bool {
		if prefix, ok := strings.CutSuffix(path, "*"); ok {
			return strings.HasPrefix(loc, prefix) && len(loc) > len(prefix)
		}
		return loc == path
	}
	if mode == NoJS {
		if p.Status != http.StatusSeeOther || !leadsTo(p.Header.Get("Location")) {
			p.t.Errorf("%s to %q: want 303 to %q\n%s", p, p.Header.Get("Location"), path, p.excerpt())
		}
		return p
	}
	if p.Status != http.StatusNoContent || !leadsTo(p.HXLocation()) {
		p.t.Errorf("%s HX-Location %q: want 204 with HX-Location %q\n%s", p, p.Header.Get("HX-Location"), path, p.excerpt())
	}
	return p
}
