package rules

import (
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"strings"
)

// HTTPS on the gateway (SPEC §7): what an instance's HTTPS policy allows
// of a connection, and the id of an uploaded certificate.

// TLSPolicy is what an HTTPS policy allows of a connection: the oldest TLS
// version a client may use, and whether HTTP/2 is offered (ALPN "h2")
// beside HTTP/1.1.
type TLSPolicy struct {
	MinVersion uint16 // tls.VersionTLS10 or tls.VersionTLS12
	HTTP2      bool
}

// ParseTLSPolicy maps an instance's HTTPS policy to what a connection may
// use:
//
//	policy            TLS versions   HTTP versions offered
//	HTTPS1_1_TLS1_0   1.0 – 1.3      HTTP/1.1
//	HTTPS2_TLS1_0     1.0 – 1.3      h2, HTTP/1.1
//	HTTPS2_TLS1_2     1.2 – 1.3      h2, HTTP/1.1
//
// An empty or unknown policy (a name that is no group's, say) gets the
// default policy's, DefaultHTTPSPolicy; ok reports whether the policy was
// known.
func ParseTLSPolicy(policy string) (p TLSPolicy, ok bool) {
	switch policy {
	case "HTTPS1_1_TLS1_0":
		return TLSPolicy{MinVersion: tls.VersionTLS10}, true
	case "HTTPS2_TLS1_0":
		return TLSPolicy{MinVersion: tls.VersionTLS10, HTTP2: true}, true
	case "HTTPS2_TLS1_2":
		return TLSPolicy{MinVersion: tls.VersionTLS12, HTTP2: true}, true
	}
	p, _ = ParseTLSPolicy(DefaultHTTPSPolicy)
	return p, false
}

// Describe says in a few words what a connection may use under the
// policy, short enough for a select's option on a phone: "HTTP/2, TLS
// 1.2+" (HTTP/2 policies also accept HTTP/1.1).
func (p TLSPolicy) Describe() string {
	protocol := "HTTP/1.1"
	if p.HTTP2 {
		protocol = "HTTP/2"
	}
	version := "TLS 1.0+"
	if p.MinVersion == tls.VersionTLS12 {
		version = "TLS 1.2+"
	}
	return protocol + ", " + version
}

// DescribeHTTPSPolicy says what an instance's HTTPS policy allows, as
// TLSPolicy.Describe; "" for an unknown policy.
func DescribeHTTPSPolicy(policy string) string {
	p, ok := ParseTLSPolicy(policy)
	if !ok {
		return ""
	}
	return p.Describe()
}

// CertificateID is the id of an uploaded certificate (Alibaba's
// CertificateId): 32 lowercase hex digits of the SHA-256 of its leaf, the
// first CERTIFICATE block of certPEM. It is derived, never stored, so the
// same certificate has the same id wherever it is shown; "" when certPEM
// holds no certificate.
func CertificateID(certPEM string) string {
	block := findPEM([]byte(certPEM), func(t string) bool { return t == "CERTIFICATE" })
	if block == nil {
		return ""
	}
	sum := sha256.Sum256(block.Bytes)
	return hex.EncodeToString(sum[:16])
}

// CheckCertificateGiven refuses a certificate upload that carries no
// certificate or no key (SetDomainCertificate): binding a domain may leave
// both out, uploading a certificate may not. The rest of R9's checks are
// DomainInput.Validate's and ParseCertificate's.
func CheckCertificateGiven(in DomainInput) []*Error {
	var errs []*Error
	if strings.TrimSpace(in.CertPEM) == "" {
		errs = append(errs, invalid(FieldCertificate, CodeInvalidCertificate,
			"Paste the certificate in PEM form, from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----."))
	}
	if strings.TrimSpace(in.KeyPEM) == "" {
		errs = append(errs, invalid(FieldKey, CodeInvalidPrivateKey,
			"Paste the certificate's private key in PEM form, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----."))
	}
	return errs
}

// CheckDeleteCertificate refuses, in the console's Delete Certificate
// dialog, to delete the certificate of a custom domain that has none
// (DeleteDomainCertificate, as on Alibaba, answers such a call without an
// error and changes nothing).
func CheckDeleteCertificate(d CustomDomain) error {
	if d.CertPEM == "" {
		return conflict("", CodeNoCertificate, "The domain name %s has no HTTPS certificate to delete; it serves HTTP only.", d.Name)
	}
	return nil
}
