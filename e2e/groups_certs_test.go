//go:build e2e

package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// A custom domain's HTTPS certificate from Group Details, as an operator
// does it, JavaScript on and off: Upload Certificate refuses a mismatched
// pair with R9's words, then takes a valid one, which the table shows and
// the gateway serves at the next handshake; Delete Certificate says what
// becomes of HTTPS, and the gateway then serves none for the name.
func TestDomainCertificateInConsole(t *testing.T) {
	eachMode(t, func(t *testing.T, o pageOpts) {
		page, _ := loggedIn(t, o, "operator")
		g := createGroup(t, page, "certs_api", "cn-hangzhou", "api-shared-vpc-001")
		name := uniqueDomain("tls")
		postOK(t, page, "/groups/"+g+"/domains/new", map[string]string{"domain": name, "network_type": "INTERNET"})
		cert, key := selfSignedFor(t, name)
		_, otherKey := selfSignedFor(t, name)
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM([]byte(cert))

		open(t, page, "/groups/"+g)
		row := page.Locator("#custom-domains tbody tr").Filter(playwright.LocatorFilterOptions{HasText: name})
		must(t, expect.Locator(row.Locator(`td[data-label="Certificate"]`)).ToContainText("No"))
		must(t, expect.Locator(link(page, "Delete Certificate of "+name)).ToHaveCount(0))
		d := openDialog(t, page, "Upload Certificate for "+name, "Upload Certificate")
		must(t, expect.Locator(d).ToContainText("The HTTPS certificate of "+name))

		// A key that is not the certificate's: refused beside the key, as
		// SetDomainCertificate refuses it; the name and certificate stay.
		must(t, label(d, "Certificate name").Fill("e2e-cert"))
		must(t, label(d, "Certificate (PEM)").Fill(cert))
		must(t, label(d, "Private key (PEM)").Fill(otherKey))
		must(t, dialogButton(d, "Upload").Click())
		d = dialog(page, "Upload Certificate")
		must(t, expect.Locator(d).ToContainText("The private key does not belong to the certificate. Upload the key the certificate was issued for."))
		must(t, expect.Locator(label(d, "Private key (PEM)")).ToHaveAttribute("aria-invalid", "true"))
		must(t, expect.Locator(label(d, "Private key (PEM)")).ToBeFocused()) // the field to fix, not the first one
		must(t, expect.Locator(label(d, "Certificate name")).ToHaveValue("e2e-cert"))
		must(t, expect.Locator(label(d, "Private key (PEM)")).ToHaveValue(""))
		if served(t, name, pool) != "" {
			t.Fatal("a refused upload is served")
		}

		// The right key: uploaded, in the table, served by the gateway.
		must(t, label(d, "Private key (PEM)").Fill(key))
		must(t, dialogButton(d, "Upload").Click())
		onGroupPage(t, page, "certs_api")
		must(t, expect.Locator(flash(page)).ToContainText(`Certificate "e2e-cert" uploaded for `+name))
		must(t, expect.Locator(row).ToContainText("e2e-cert · expires"))
		if served(t, name, pool) != cert {
			t.Error("the gateway does not serve the certificate uploaded in the console")
		}

		// Delete it: the dialog says what happens to HTTPS.
		d = openDialog(t, page, "Delete Certificate of "+name, "Delete Certificate")
		must(t, expect.Locator(d).ToContainText(`Delete the certificate "e2e-cert" of `+name))
		must(t, expect.Locator(d).ToContainText("HTTPS calls to "+name+" then fail: at the TLS handshake on the gateway's HTTPS listener, and with 502 through the proxy"))
		must(t, dialogButton(d, "Delete").Click())
		onGroupPage(t, page, "certs_api")
		must(t, expect.Locator(flash(page)).ToContainText(`Certificate "e2e-cert" deleted from `+name))
		must(t, expect.Locator(row.Locator(`td[data-label="Certificate"]`)).ToContainText("No"))
		must(t, expect.Locator(link(page, "Upload Certificate for "+name)).ToBeVisible())
		if served(t, name, pool) != "" {
			t.Error("the deleted certificate is still served")
		}
	})
}

// served is the certificate the shared server's TLS listener serves for
// name, trusting pool; "" when the handshake fails.
func served(t *testing.T, name string, pool *x509.CertPool) string {
	t.Helper()
	st, err := handshakeWith(sharedServer(), name, &tls.Config{RootCAs: pool})
	if err != nil {
		return ""
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: st.PeerCertificates[0].Raw}))
}

// Screenshots of the certificate's dialogs and of the table with one,
// light, dark and at phone width, each scanned by axe.
func TestDomainCertificateScreenshots(t *testing.T) {
	src := axeSource(t)
	for _, o := range groupShotOpts {
		suffix := "light"
		if o.Dark {
			suffix = "dark"
		}
		if o.Width != 0 {
			suffix += fmt.Sprintf("-%d", o.Width)
		}
		t.Run(suffix, func(t *testing.T) {
			o.BypassCSP = true
			page, _ := loggedIn(t, o, "operator")
			g := createGroup(t, page, "certs_api", "cn-hangzhou", "api-shared-vpc-001")
			with, without := uniqueDomain("www"), uniqueDomain("shop-api")
			for _, n := range []string{with, without} {
				postOK(t, page, "/groups/"+g+"/domains/new", map[string]string{"domain": n, "network_type": "INTERNET"})
			}
			cert, key := selfSignedFor(t, with)
			postOK(t, page, "/groups/"+g+"/domains/"+with+"/certificate/upload", map[string]string{"cert_name": "www-2026", "certificate": cert, "key": key})

			open(t, page, "/groups/"+g)
			must(t, page.Locator("#custom-domains").ScrollIntoViewIfNeeded())
			axeCheck(t, page, "group with certificates "+suffix, src)
			shot(t, page, "group-certs-"+suffix)

			d := openDialog(t, page, "Upload Certificate for "+without, "Upload Certificate")
			axeCheck(t, page, "upload certificate "+suffix, src)
			shot(t, page, "group-cert-upload-"+suffix)
			must(t, label(d, "Certificate (PEM)").Fill(cert)) // another name's
			must(t, label(d, "Private key (PEM)").Fill(key))
			must(t, dialogButton(d, "Upload").Click())
			must(t, expect.Locator(dialog(page, "Upload Certificate")).ToContainText("The certificate does not cover"))
			axeCheck(t, page, "upload certificate refused "+suffix, src)
			shot(t, page, "group-cert-upload-refused-"+suffix)

			open(t, page, "/groups/"+g)
			openDialog(t, page, "Replace Certificate of "+with, "Replace Certificate")
			shot(t, page, "group-cert-replace-"+suffix)
			open(t, page, "/groups/"+g)
			openDialog(t, page, "Delete Certificate of "+with, "Delete Certificate")
			axeCheck(t, page, "delete certificate "+suffix, src)
			shot(t, page, "group-cert-delete-"+suffix)
		})
	}
}
