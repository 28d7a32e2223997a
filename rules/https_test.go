package rules_test

import (
	"crypto/tls"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

// Each HTTPS policy sets the oldest TLS version and whether h2 is offered
// (SPEC §7); an unknown one gets the default policy's.
func TestParseTLSPolicy(t *testing.T) {
	tests := []struct {
		policy string
		want   rules.TLSPolicy
		known  bool
	}{
		{"HTTPS1_1_TLS1_0", rules.TLSPolicy{MinVersion: tls.VersionTLS10, HTTP2: false}, true},
		{"HTTPS2_TLS1_0", rules.TLSPolicy{MinVersion: tls.VersionTLS10, HTTP2: true}, true},
		{"HTTPS2_TLS1_2", rules.TLSPolicy{MinVersion: tls.VersionTLS12, HTTP2: true}, true},
		{"", rules.TLSPolicy{MinVersion: tls.VersionTLS10, HTTP2: true}, false},
		{"https2_tls1_2", rules.TLSPolicy{MinVersion: tls.VersionTLS10, HTTP2: true}, false},
		{"HTTPS3_TLS1_3", rules.TLSPolicy{MinVersion: tls.VersionTLS10, HTTP2: true}, false},
	}
	for _, tt := range tests {
		got, known := rules.ParseTLSPolicy(tt.policy)
		if got != tt.want || known != tt.known {
			t.Errorf("%q: %+v, known %v; want %+v, known %v", tt.policy, got, known, tt.want, tt.known)
		}
	}
	for _, p := range rules.HTTPSPolicies() {
		if _, known := rules.ParseTLSPolicy(p); !known {
			t.Errorf("the catalogue's policy %s has no TLS policy", p)
		}
	}
}

// Each policy is described by what it allows, from ParseTLSPolicy: the
// words an operator chooses between.
func TestDescribeHTTPSPolicy(t *testing.T) {
	for policy, want := range map[string]string{
		"HTTPS1_1_TLS1_0": "HTTP/1.1, TLS 1.0+",
		"HTTPS2_TLS1_0":   "HTTP/2, TLS 1.0+",
		"HTTPS2_TLS1_2":   "HTTP/2, TLS 1.2+",
		"HTTPS3_TLS1_3":   "",
		"":                "",
	} {
		if got := rules.DescribeHTTPSPolicy(policy); got != want {
			t.Errorf("%q: %q, want %q", policy, got, want)
		}
	}
}

// A certificate's id is its leaf's: the same for the same certificate
// whatever surrounds it, different for another, empty for no certificate.
func TestCertificateID(t *testing.T) {
	now := time.Now()
	cert, key := testCert(t, []string{"api.example.com"}, now.Add(-time.Hour), now.Add(time.Hour))
	other, _ := testCert(t, []string{"api.example.com"}, now.Add(-time.Hour), now.Add(time.Hour))
	id := rules.CertificateID(cert)
	if len(id) != 32 || strings.Trim(id, "0123456789abcdef") != "" {
		t.Fatalf("id %q is not 32 lowercase hex digits", id)
	}
	for _, same := range []string{"subject: x\n" + cert, cert + other} {
		if got := rules.CertificateID(same); got != id {
			t.Errorf("the same leaf has id %q, want %q", got, id)
		}
	}
	if rules.CertificateID(other) == id {
		t.Error("two certificates share an id")
	}
	for _, none := range []string{"", key, "not PEM"} {
		if got := rules.CertificateID(none); got != "" {
			t.Errorf("%.20q has id %q, want none", none, got)
		}
	}
}

// Uploading a certificate needs both the certificate and its key.
func TestCheckCertificateGiven(t *testing.T) {
	tests := []struct {
		cert, key string
		want      []string
	}{
		{"c", "k", nil},
		{"", "k", []string{rules.CodeInvalidCertificate}},
		{"c", " \n", []string{rules.CodeInvalidPrivateKey}},
		{"", "", []string{rules.CodeInvalidCertificate, rules.CodeInvalidPrivateKey}},
	}
	for _, tt := range tests {
		errs := rules.CheckCertificateGiven(rules.DomainInput{CertPEM: tt.cert, KeyPEM: tt.key})
		var got []string
		for _, e := range errs {
			got = append(got, e.Code)
			if e.Message == "" || e.Field == "" {
				t.Errorf("%+v: no message or field", e)
			}
		}
		if strings.Join(got, ",") != strings.Join(tt.want, ",") {
			t.Errorf("cert %q key %q: %v, want %v", tt.cert, tt.key, got, tt.want)
		}
	}
}

// Deleting a certificate needs one to delete.
func TestCheckDeleteCertificate(t *testing.T) {
	if err := rules.CheckDeleteCertificate(rules.CustomDomain{Name: "api.example.com", CertPEM: "-----BEGIN CERTIFICATE-----"}); err != nil {
		t.Errorf("a domain with a certificate: %v", err)
	}
	err := rules.CheckDeleteCertificate(rules.CustomDomain{Name: "api.example.com"})
	re, ok := rules.AsError(err)
	if !ok || re.Code != rules.CodeNoCertificate || re.Kind != rules.KindConflict ||
		re.Message != "The domain name api.example.com has no HTTPS certificate to delete; it serves HTTP only." {
		t.Errorf("a domain without one: %#v", err)
	}
}
