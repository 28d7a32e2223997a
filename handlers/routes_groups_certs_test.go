package handlers_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"gatehouse/rules"
	"gatehouse/web/webtest"
)

// A custom domain's HTTPS certificate from Group Details: Upload (or
// Replace) Certificate and Delete Certificate, the console's door to
// SetDomainCertificate and DeleteDomainCertificate.

// certDomain binds a new custom domain to a new group of the first
// tenant, with a certificate named certName when certName is not "".
func certDomain(t *testing.T, rt *routeT, certName string) (rules.Group, string, string) {
	t.Helper()
	g := rt.newGroup(t, rt.hangzhouShared, false)
	domain := rt.name("tls") + ".certs.example.com"
	in := rules.DomainInput{Name: domain, NetworkType: rules.NetworkInternet}
	if certName != "" {
		now := time.Now()
		in.CertName = certName
		in.CertPEM, in.KeyPEM = webtest.CertificatePair(t, domain, now.Add(-time.Hour), now.Add(30*24*time.Hour))
	}
	if _, err := rt.Store.BindDomain(context.Background(), rt.actor(), g.ID, in); err != nil {
		t.Fatal(err)
	}
	return g, domain, in.CertPEM
}

// domainCert is the certificate a domain of the first tenant has ("" for
// none).
func domainCert(t *testing.T, rt *routeT, domain string) rules.CustomDomain {
	t.Helper()
	d, err := rt.Store.GetDomain(context.Background(), rt.a.Account.ID, domain)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// certRow is the Certificate cell of domain's row on Group Details.
func certRow(p *webtest.Page, domain string) string {
	var cell string
	p.Doc().Find("#custom-domains-table tbody tr").Each(func(_ int, tr *goquery.Selection) {
		if strings.Contains(tr.Find(`td[data-label="Domain name"]`).Text(), domain) {
			cell = strings.Join(strings.Fields(tr.Find(`td[data-label="Certificate"]`).Text()), " ")
		}
	})
	return cell
}

func testDomainCertificatePage(t *testing.T, rt *routeT) {
	op := rt.as(t, rt.operator)
	// Without a certificate: Upload Certificate.
	path := "/groups/" + rt.a.Group + "/domains/" + rt.a.Domain + "/certificate/upload"
	rt.expectGetModes(t, op, path, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Upload Certificate").ExpectButton("Upload").ExpectNoFieldErrors().
			Shows("The HTTPS certificate of " + rt.a.Domain + " (API group orders).").ShowsNot("It replaces")
		for _, f := range []string{"cert_name", "certificate", "key"} {
			if !p.Has(`[name="` + f + `"]`) {
				t.Errorf("%s: no field %s", p, f)
			}
		}
	})
	// With one: Replace Certificate, naming the one it replaces.
	g, domain, _ := certDomain(t, rt, "old-cert")
	exp := domainCert(t, rt, domain).CertExpires.UTC().Format(time.DateOnly)
	rt.expectGetModes(t, op, "/groups/"+g.ID+"/domains/"+domain+"/certificate/upload", http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Replace Certificate").ExpectButton("Replace").
			Shows("It replaces the current certificate old-cert, expiring " + exp + ".")
	})
	// Group Details offers each in the domain's row, to operators only.
	p := op.Get(t, "/groups/"+g.ID).Expect(http.StatusOK)
	if !p.Has(`a[href="/groups/`+g.ID+`/domains/`+domain+`/certificate/upload"][aria-label="Replace Certificate of `+domain+`"]`) ||
		!p.Has(`a[href="/groups/`+g.ID+`/domains/`+domain+`/certificate/delete"][aria-label="Delete Certificate of `+domain+`"]`) {
		t.Errorf("Group Details offers no Replace and Delete Certificate for %s: %q", domain, certRow(p, domain))
	}
	p = op.Get(t, "/groups/"+rt.a.Group).Expect(http.StatusOK)
	if !p.Has(`a[href="`+path+`"][aria-label="Upload Certificate for `+rt.a.Domain+`"]`) || p.Has(`a[href$="/certificate/delete"]`) {
		t.Errorf("Group Details of a domain without a certificate: %q, want Upload Certificate alone", certRow(p, rt.a.Domain))
	}
	if p := rt.as(t, rt.viewer).Get(t, "/groups/"+g.ID).Expect(http.StatusOK); p.Has(`a[href*="/certificate/"]`) {
		t.Errorf("a viewer is offered a certificate's change: %q", certRow(p, domain))
	}
	op.Get(t, "/groups/"+rt.a.Group+"/domains/not-bound.example.com/certificate/upload").Expect(http.StatusNotFound)
	op.Get(t, "/groups/"+rt.a.Group+"/domains/"+domain+"/certificate/upload").Expect(http.StatusNotFound) // another group's domain
	op.Get(t, "/groups/"+rt.b.Group+"/domains/"+rt.b.Domain+"/certificate/upload").Expect(http.StatusNotFound).ShowsNot(rt.b.Account.ID)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, path), viewerRefusal)
}

func testDomainCertificateUpload(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g, domain, _ := certDomain(t, rt, "")
		now := time.Now()
		cert, key := webtest.CertificatePair(t, domain, now.Add(-time.Hour), now.Add(60*24*time.Hour))
		path := "/groups/" + g.ID + "/domains/" + domain + "/certificate/upload"
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, path, url.Values{"cert_name": {"prod-2026"}, "certificate": {cert}, "key": {key}},
			"/groups/"+g.ID, `Certificate "prod-2026" uploaded for `+domain+"; HTTPS to it is served with this certificate from now on.")
		if got, want := certRow(after, domain), "Yes prod-2026 · expires "+now.Add(60*24*time.Hour).UTC().Format(time.DateOnly); !strings.HasPrefix(got, want) {
			t.Errorf("after Upload, the Certificate column says %q, want %q", got, want)
		}
		if d := domainCert(t, rt, domain); d.CertPEM != cert || d.CertName != "prod-2026" {
			t.Errorf("the store holds %q, not the certificate uploaded", d.CertName)
		}
		// Replace it: the new one, without a name, is named by its id.
		cert2, key2 := webtest.CertificatePair(t, domain, now.Add(-time.Hour), now.Add(90*24*time.Hour))
		after = rt.expectChange(t, rt.as(t, rt.operator), mode, path, url.Values{"certificate": {cert2}, "key": {key2}},
			"/groups/"+g.ID, "Certificate "+rules.CertificateID(cert2)+" replaced on "+domain+";")
		if got := certRow(after, domain); !strings.HasPrefix(got, "Yes expires "+now.Add(90*24*time.Hour).UTC().Format(time.DateOnly)) {
			t.Errorf("after Replace, the Certificate column says %q", got)
		}
		if d := domainCert(t, rt, domain); d.CertPEM != cert2 {
			t.Error("the store kept the replaced certificate")
		}
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		g, domain, oldCert := certDomain(t, rt, "kept")
		now := time.Now()
		cert, key := webtest.CertificatePair(t, domain, now.Add(-time.Hour), now.Add(30*24*time.Hour))
		_, otherKey := webtest.CertificatePair(t, domain, now.Add(-time.Hour), now.Add(30*24*time.Hour))
		expired, expiredKey := webtest.CertificatePair(t, domain, now.Add(-60*24*time.Hour), now.Add(-time.Hour))
		elsewhere, elsewhereKey := webtest.CertificatePair(t, "other.example.org", now.Add(-time.Hour), now.Add(30*24*time.Hour))
		op := rt.as(t, rt.operator)
		path := "/groups/" + g.ID + "/domains/" + domain + "/certificate/upload"
		tests := []struct {
			name, certName, cert, key string
			field                     string
		}{
			{"a mismatched pair", "mismatched", cert, otherKey, "key"},
			{"an expired certificate", "expired", expired, expiredKey, "certificate"},
			{"a certificate of another name", "wrong-name", elsewhere, elsewhereKey, "certificate"},
			{"no certificate, no key", "empty", "", "", "certificate"},
			{"not PEM", "garbage", "hello", key, "certificate"},
			{"a name too long", strings.Repeat("n", rules.CertNameMax+1), cert, key, "cert_name"},
		}
		for _, tt := range tests {
			// The same input through SetDomainCertificate (the OpenAPI
			// action's store path) is refused with the message the
			// dialog must show.
			_, err := rt.Store.SetDomainCertificate(context.Background(), rt.actor(), g.ID,
				rules.DomainInput{Name: domain, CertName: tt.certName, CertPEM: tt.cert, KeyPEM: tt.key})
			want := refusalMessage(t, err, tt.field)
			for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
				p := op.PostAs(t, mode, path, url.Values{"cert_name": {tt.certName}, "certificate": {tt.cert}, "key": {tt.key}}).
					Expect(http.StatusUnprocessableEntity).ExpectDialog(mode, "Replace Certificate").ExpectFieldError(tt.field, want)
				if p.Value("cert_name") != tt.certName || p.Value("key") != "" {
					t.Errorf("%s, %s: the name typed is lost, or the key is sent back", tt.name, p)
				}
			}
		}
		// The messages an operator reads, as rules.ParseCertificate words them.
		op.Post(t, path, url.Values{"certificate": {cert}, "key": {otherKey}}).Expect(http.StatusUnprocessableEntity).
			ExpectFieldError("key", "The private key does not belong to the certificate. Upload the key the certificate was issued for.")
		op.Post(t, path, url.Values{"certificate": {expired}, "key": {expiredKey}}).Expect(http.StatusUnprocessableEntity).
			ExpectFieldError("certificate", "The certificate expired on ")
		op.Post(t, path, url.Values{"certificate": {elsewhere}, "key": {elsewhereKey}}).Expect(http.StatusUnprocessableEntity).
			ExpectFieldError("certificate", `The certificate does not cover "`+domain+`": it is issued for "other.example.org".`)
		if d := domainCert(t, rt, domain); d.CertPEM != oldCert || d.CertName != "kept" {
			t.Errorf("refused uploads changed the certificate to %q", d.CertName)
		}
		// Refusals are in the operation log under SetDomainCertificate.
		if got := refusalsOf(t, rt, domain); len(got) == 0 || got[0].Action != rules.ActionSetDomainCertificate || got[0].Outcome != rules.CodeCertificateNameMismatch {
			t.Errorf("the last refusal recorded: %+v", got)
		}
		form := url.Values{"certificate": {cert}, "key": {key}}
		op.Post(t, "/groups/"+rt.a.Group+"/domains/"+domain+"/certificate/upload", form).Expect(http.StatusNotFound) // not this group's
		op.Post(t, "/groups/"+g.ID+"/domains/not-bound.example.com/certificate/upload", form).Expect(http.StatusNotFound)
		op.Post(t, "/groups/"+rt.b.Group+"/domains/"+rt.b.Domain+"/certificate/upload", form).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, path, form), viewerRefusal)
		if d := domainCert(t, rt, domain); d.CertPEM != oldCert {
			t.Error("a refused upload changed the certificate")
		}
	})
}

// refusalMessage is the message of err's refusal of field.
func refusalMessage(t *testing.T, err error, field string) string {
	t.Helper()
	var joined interface{ Unwrap() []error }
	if errors.As(err, &joined) {
		for _, e := range joined.Unwrap() {
			if re, ok := rules.AsError(e); ok && re.Field == field {
				return re.Message
			}
		}
	}
	if re, ok := rules.AsError(err); ok && re.Field == field {
		return re.Message
	}
	t.Fatalf("SetDomainCertificate: %v, want a refusal of %s", err, field)
	return ""
}

func testDomainCertificateDeletePage(t *testing.T, rt *routeT) {
	op := rt.as(t, rt.operator)
	g, domain, cert := certDomain(t, rt, "to-go")
	exp := domainCert(t, rt, domain).CertExpires.UTC().Format(time.DateOnly)
	path := "/groups/" + g.ID + "/domains/" + domain + "/certificate/delete"
	rt.expectGetModes(t, op, path, http.StatusOK, func(mode webtest.Mode, p *webtest.Page) {
		p.ExpectDialog(mode, "Delete Certificate").ExpectButton("Delete").
			Shows(`Delete the certificate "to-go" of `+domain+" (API group "+g.Name+"), expiring "+exp+"?",
				"HTTPS calls to "+domain+" then fail: at the TLS handshake on the gateway's HTTPS listener, and with 502 through the proxy (R9); the gateway has no other certificate to serve for a custom domain.",
				"HTTP calls to it go on as before, and the domain stays bound.")
		if v, _ := p.Doc().Find(`input[name="certificate_id"]`).Attr("value"); v != rules.CertificateID(cert) {
			t.Errorf("%s: the form carries the certificate id %q, want the one shown", p, v)
		}
	})
	// A domain without a certificate: the refusal, no Delete.
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
		op.GetAs(t, mode, "/groups/"+rt.a.Group+"/domains/"+rt.a.Domain+"/certificate/delete").Expect(http.StatusConflict).
			ExpectDialog(mode, "Delete Certificate").ExpectNoButton("Delete").
			ExpectAlert("The domain name " + rt.a.Domain + " has no HTTPS certificate to delete; it serves HTTP only.")
	}
	op.Get(t, "/groups/"+rt.a.Group+"/domains/not-bound.example.com/certificate/delete").Expect(http.StatusNotFound)
	op.Get(t, "/groups/"+rt.b.Group+"/domains/"+rt.b.Domain+"/certificate/delete").Expect(http.StatusNotFound).ShowsNot(rt.b.Account.ID)
	expectForbidden(t, rt.as(t, rt.viewer).Get(t, path), viewerRefusal)
}

func testDomainCertificateDelete(t *testing.T, rt *routeT) {
	bothModes(t, func(t *testing.T, mode webtest.Mode) {
		g, domain, cert := certDomain(t, rt, "retired")
		after := rt.expectChange(t, rt.as(t, rt.operator), mode, "/groups/"+g.ID+"/domains/"+domain+"/certificate/delete",
			url.Values{"certificate_id": {rules.CertificateID(cert)}}, "/groups/"+g.ID,
			`Certificate "retired" deleted from `+domain+"; HTTPS calls to it now fail (at the handshake, or 502 through the proxy), HTTP calls go on.")
		if got := certRow(after, domain); !strings.HasPrefix(got, "No Upload Certificate") {
			t.Errorf("after Delete, the Certificate column says %q", got)
		}
		if d := domainCert(t, rt, domain); d.CertPEM != "" || d.CertName != "" {
			t.Errorf("the store kept the certificate %q", d.CertName)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		t.Parallel()
		op := rt.as(t, rt.operator)
		g, domain, cert := certDomain(t, rt, "current")
		path := "/groups/" + g.ID + "/domains/" + domain + "/certificate/delete"
		// The dialog showed a certificate replaced since: it stays.
		p := op.Post(t, path, url.Values{"certificate_id": {"0123456789abcdef0123456789abcdef"}}).Expect(http.StatusSeeOther)
		if after := op.Follow(t, p).Expect(http.StatusOK); !strings.Contains(after.Flash(), "The certificate of "+domain+" changed meanwhile") {
			t.Errorf("after deleting a certificate replaced meanwhile: %q", after.Flash())
		}
		if d := domainCert(t, rt, domain); d.CertPEM != cert {
			t.Error("deleting a certificate the domain no longer has deleted the one it has")
		}
		// None to delete: the refusal, in the operation log.
		for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
			op.PostAs(t, mode, "/groups/"+rt.a.Group+"/domains/"+rt.a.Domain+"/certificate/delete", nil).Expect(http.StatusConflict).
				ExpectDialog(mode, "Delete Certificate").ExpectNoButton("Delete").ExpectAlert("has no HTTPS certificate to delete")
		}
		if got := refusalsOf(t, rt, rt.a.Domain); len(got) == 0 || got[0].Action != rules.ActionDeleteDomainCertificate || got[0].Outcome != rules.CodeNoCertificate {
			t.Errorf("the refusal recorded: %+v", got)
		}
		op.Post(t, "/groups/"+rt.a.Group+"/domains/"+domain+"/certificate/delete", nil).Expect(http.StatusNotFound) // not this group's
		op.Post(t, "/groups/"+g.ID+"/domains/not-bound.example.com/certificate/delete", nil).Expect(http.StatusNotFound)
		op.Post(t, "/groups/"+rt.b.Group+"/domains/"+rt.b.Domain+"/certificate/delete", nil).Expect(http.StatusNotFound)
		expectForbidden(t, rt.as(t, rt.viewer).Post(t, path, nil), viewerRefusal)
		if d := domainCert(t, rt, domain); d.CertPEM != cert {
			t.Error("a refused delete removed the certificate")
		}
	})
}
