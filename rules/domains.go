package rules

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"time"
)

// Custom domains (R9): names, network types, certificates and binding.

const (
	// DomainNameMax is the longest domain name, in characters (RFC 1035).
	DomainNameMax = 253
	// DomainLabelMax is the longest label of a domain name.
	DomainLabelMax = 63
	// MaxDomainsPerType is how many custom domains of one network type a
	// group may have.
	MaxDomainsPerType = 5
	// MaxPEMBytes bounds an uploaded certificate or key.
	MaxPEMBytes = 64 << 10
	// CertNameMax is the longest certificate name.
	CertNameMax = 128
)

// NormalizeDomain gives a domain name its one spelling: surrounding spaces
// trimmed, lower case, and one trailing dot removed. Domain names are
// case-insensitive; the store keeps and looks up this form.
//
// Only ASCII letters are folded: Unicode case rules would turn the Kelvin
// sign into "k" and let a name that is not a valid host name pass as one,
// so non-ASCII text is left as it is and refused by the validator.
func NormalizeDomain(s string) string {
	s = strings.TrimSpace(s)
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + ('a' - 'A')
		}
	}
	// One trailing dot (the root) goes, unless what it leaves would change
	// again on a second pass (a space or another dot before it): the form
	// is the same however often it is normalised.
	s = string(b)
	if t, ok := strings.CutSuffix(s, "."); ok && t == strings.TrimSpace(t) && !strings.HasSuffix(t, ".") {
		s = t
	}
	return s
}

// ParseNetworkType reads a network type in any case: "intranet" is
// NetworkIntranet.
func ParseNetworkType(s string) (NetworkType, bool) {
	switch nt := NetworkType(strings.ToUpper(strings.TrimSpace(s))); nt {
	case NetworkInternet, NetworkIntranet:
		return nt, true
	}
	return "", false
}

// CheckDomainName validates a custom domain name; see checkDomainName.
func CheckDomainName(name string) error { return asError(checkDomainName(name)) }

// checkDomainName validates a custom domain name, after NormalizeDomain:
// RFC 1123 labels of 1–63 letters, digits and hyphens that neither start
// nor end with a hyphen, at least two labels, at most 253 characters, a
// last label that is not all digits (that would be an IP address), and not
// under alicloudapi.com.
func checkDomainName(raw string) *Error {
	const code = CodeInvalidDomainName
	name := NormalizeDomain(raw)
	switch {
	case name == "":
		return invalid(FieldDomain, code, "Enter a domain name, such as api.example.com.")
	case len(name) > DomainNameMax:
		return invalid(FieldDomain, code, "A domain name is at most %d characters long; this one has %d.", DomainNameMax, len(name))
	case name == DomainSuffix || strings.HasSuffix(name, "."+DomainSuffix):
		return invalid(FieldDomain, code, "Names under %s are API Gateway's own second-level domains. Bind a domain name of your own.", DomainSuffix)
	}
	labels := strings.Split(name, ".")
	if len(labels) < 2 {
		return invalid(FieldDomain, code, "A domain name has at least two labels, such as example.com; %q has one.", name)
	}
	for _, l := range labels {
		if err := checkLabel(l, name); err != nil {
			return err
		}
	}
	if onlyFrom(labels[len(labels)-1], digits) {
		return invalid(FieldDomain, code, "The name %q looks like an IP address. Bind a domain name, such as api.example.com.", name)
	}
	return nil
}

func checkLabel(l, name string) *Error {
	const code = CodeInvalidDomainName
	switch {
	case l == "":
		return invalid(FieldDomain, code, "The name %q has an empty label: two dots in a row, or a dot at the start.", name)
	case len(l) > DomainLabelMax:
		return invalid(FieldDomain, code, "Each label of a domain name is at most %d characters long; %q has %d.", DomainLabelMax, l, len(l))
	case !onlyFrom(l, lowerAlnum+"-"):
		return invalid(FieldDomain, code, "A domain name holds only letters, digits, hyphens (-) and dots; %q does not. Write internationalised names in their xn-- form.", name)
	case l[0] == '-' || l[len(l)-1] == '-':
		return invalid(FieldDomain, code, "A label of a domain name neither starts nor ends with a hyphen; %q does.", l)
	}
	return nil
}

// DomainInput is what binding a custom domain to a group asks for. A
// certificate is optional, but the certificate and its key come together.
type DomainInput struct {
	Name        string // normalised by the caller with NormalizeDomain before storing
	NetworkType NetworkType
	CertName    string
	CertPEM     string
	KeyPEM      string
	Force       bool // move the name from another group of the account (IsForce)
}

// Validate checks the domain name (in its normalised form), the network
// type, and that a certificate and a key come together. It does not read
// the certificate: when CertPEM is set, call ParseCertificate too.
func (in DomainInput) Validate() []*Error {
	var errs []*Error
	errs = appendIf(errs, checkDomainName(in.Name))
	switch in.NetworkType {
	case NetworkInternet, NetworkIntranet:
	case "":
		errs = append(errs, invalid(FieldNetworkType, CodeInvalidNetworkType, "Choose a network type: INTERNET or INTRANET."))
	default:
		errs = append(errs, invalid(FieldNetworkType, CodeInvalidNetworkType,
			"The network type %q does not exist. Choose INTERNET or INTRANET.", in.NetworkType))
	}
	hasCert, hasKey := strings.TrimSpace(in.CertPEM) != "", strings.TrimSpace(in.KeyPEM) != ""
	switch {
	case hasCert && !hasKey:
		errs = append(errs, invalid(FieldKey, CodeInvalidPrivateKey, "A certificate comes with its private key. Paste the key in PEM form too."))
	case hasKey && !hasCert:
		errs = append(errs, invalid(FieldCertificate, CodeInvalidCertificate, "A private key comes with its certificate. Paste the certificate in PEM form too."))
	}
	if len(in.CertPEM) > MaxPEMBytes {
		errs = append(errs, invalid(FieldCertificate, CodeInvalidCertificate, "The certificate is larger than %d KiB; upload the certificate chain only.", MaxPEMBytes>>10))
	}
	if len(in.KeyPEM) > MaxPEMBytes {
		errs = append(errs, invalid(FieldKey, CodeInvalidPrivateKey, "The private key is larger than %d KiB.", MaxPEMBytes>>10))
	}
	if n := len([]rune(in.CertName)); n > CertNameMax {
		errs = append(errs, invalid(FieldCertName, CodeInvalidCertificate, "A certificate name is at most %d characters long; this one has %d.", CertNameMax, n))
	}
	return errs
}

// CertInfo is what the console shows of an uploaded certificate.
type CertInfo struct {
	Subject  string
	NotAfter time.Time
	DNSNames []string
}

// ParseCertificate reads a PEM certificate (its first CERTIFICATE block is
// the leaf) and its PEM private key, and accepts them when they are a pair,
// the certificate covers domain and it is valid at now.
func ParseCertificate(certPEM, keyPEM, domain string, now time.Time) (CertInfo, error) {
	if len(certPEM) > MaxPEMBytes {
		return CertInfo{}, invalid(FieldCertificate, CodeInvalidCertificate, "The certificate is larger than %d KiB; upload the certificate chain only.", MaxPEMBytes>>10)
	}
	if len(keyPEM) > MaxPEMBytes {
		return CertInfo{}, invalid(FieldKey, CodeInvalidPrivateKey, "The private key is larger than %d KiB.", MaxPEMBytes>>10)
	}
	block := findPEM([]byte(certPEM), func(t string) bool { return t == "CERTIFICATE" })
	if block == nil {
		return CertInfo{}, invalid(FieldCertificate, CodeInvalidCertificate,
			"The certificate is not in PEM form: paste the text from -----BEGIN CERTIFICATE----- to -----END CERTIFICATE-----.")
	}
	leaf, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return CertInfo{}, invalid(FieldCertificate, CodeInvalidCertificate, "The certificate cannot be read as an X.509 certificate.")
	}
	keyBlock := findPEM([]byte(keyPEM), func(t string) bool { return strings.HasSuffix(t, "PRIVATE KEY") })
	if keyBlock == nil {
		return CertInfo{}, invalid(FieldKey, CodeInvalidPrivateKey,
			"The private key is not in PEM form: paste the text from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY-----.")
	}
	if _, legacy := keyBlock.Headers["DEK-Info"]; legacy || keyBlock.Type == "ENCRYPTED PRIVATE KEY" {
		return CertInfo{}, invalid(FieldKey, CodeInvalidPrivateKey, "The private key is protected by a passphrase. Upload it without one.")
	}
	if _, err := parsePrivateKey(keyBlock.Bytes); err != nil {
		return CertInfo{}, invalid(FieldKey, CodeInvalidPrivateKey, "The private key cannot be read as an RSA, ECDSA or Ed25519 key.")
	}
	if _, err := tls.X509KeyPair([]byte(certPEM), []byte(keyPEM)); err != nil {
		return CertInfo{}, invalid(FieldKey, CodeCertificateKeyMismatch, "The private key does not belong to the certificate. Upload the key the certificate was issued for.")
	}
	name := NormalizeDomain(domain)
	if err := leaf.VerifyHostname(name); err != nil {
		covered := "no domain name"
		if len(leaf.DNSNames) > 0 {
			covered = quoteList(leaf.DNSNames, 5)
		}
		return CertInfo{}, invalid(FieldCertificate, CodeCertificateNameMismatch,
			"The certificate does not cover %q: it is issued for %s.", name, covered)
	}
	if now.Before(leaf.NotBefore) {
		return CertInfo{}, invalid(FieldCertificate, CodeCertificateNotYetValid,
			"The certificate is not valid before %s. Upload a certificate that is valid now.", leaf.NotBefore.UTC().Format(time.RFC3339))
	}
	if now.After(leaf.NotAfter) {
		return CertInfo{}, invalid(FieldCertificate, CodeCertificateExpired,
			"The certificate expired on %s. Upload a renewed certificate.", leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	subject := leaf.Subject.CommonName
	if subject == "" {
		subject = leaf.Subject.String()
	}
	return CertInfo{Subject: subject, NotAfter: leaf.NotAfter, DNSNames: append([]string(nil), leaf.DNSNames...)}, nil
}

// findPEM returns the first PEM block whose type matches, or nil.
func findPEM(data []byte, match func(string) bool) *pem.Block {
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			return nil
		}
		if match(b.Type) {
			return b
		}
	}
}

// parsePrivateKey reads the key forms crypto/tls accepts: PKCS #1, PKCS #8
// and SEC 1.
func parsePrivateKey(der []byte) (crypto.Signer, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		switch k := k.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		case ed25519.PrivateKey:
			return k, nil
		}
	}
	return x509.ParseECPrivateKey(der)
}

// CheckBindDomain decides R9 for binding in (validated, name normalised) to
// group g on instance inst. groupDomains are the group's custom domains;
// existing is the domain of that name wherever it is bound, or nil.
//
//   - INTRANET needs a dedicated instance bound to a VPC, and the group's VPC
//     second-level domain enabled;
//   - at most MaxDomainsPerType of each network type per group (rebinding a
//     name the group already has does not count twice);
//   - a name bound to another group of the account moves only when forced;
//     a name of another account is refused, forced or not;
//   - a name the group already has is an update.
func CheckBindDomain(in DomainInput, g Group, inst Instance, groupDomains []CustomDomain, existing *CustomDomain) error {
	name := NormalizeDomain(in.Name)
	if in.NetworkType == NetworkIntranet {
		if err := checkIntranetDomain(g, inst); err != nil {
			return err
		}
	}
	if existing != nil && existing.GroupID != g.ID {
		if existing.AccountID != g.AccountID {
			return conflict(FieldDomain, CodeDomainAlreadyBound,
				"The domain name %q is already bound to an API group of another account. A domain name is bound to one group only.", name)
		}
		if !in.Force {
			return conflict(FieldDomain, CodeDomainAlreadyBound,
				"The domain name %q is already bound to the API group %s. Bind it again with force (IsForce) to move it to the group %q.",
				name, existing.GroupID, g.Name)
		}
	}
	count := 0
	for _, d := range groupDomains {
		if d.NetworkType == in.NetworkType && NormalizeDomain(d.Name) != name {
			count++
		}
	}
	if count >= MaxDomainsPerType {
		return conflict(FieldDomain, CodeDomainLimitExceeded,
			"The group %q already has %d custom domains of network type %s, the most a group may have. Unbind one first.",
			g.Name, count, in.NetworkType)
	}
	return nil
}

// checkIntranetDomain refuses INTRANET custom domains where the VPC
// second-level domain they point at cannot serve them.
func checkIntranetDomain(g Group, inst Instance) *Error {
	if !inst.Dedicated() {
		return conflict(FieldNetworkType, CodeIntranetNotSupported,
			"The group %q is on the shared instance %s, and shared instances do not support custom domains on the VPC second-level domain. "+
				"Bind the domain with network type INTERNET, or move the group to a dedicated instance bound to a VPC.",
			g.Name, inst.ID)
	}
	if !inst.Bound() {
		return conflict(FieldNetworkType, CodeInstanceNotBoundToVpc,
			"The dedicated instance %s of the group %q is not bound to a VPC. Bind it on the Dedicated Instances page, enable the VPC second-level domain, then bind the domain.",
			inst.ID, g.Name)
	}
	if !g.VpcDomainEnabled {
		return conflict(FieldNetworkType, CodeIntranetNotSupported,
			"A custom domain of network type INTRANET points at the group's VPC second-level domain, which is not enabled for the group %q. Enable it on the Group Details page first.",
			g.Name)
	}
	return nil
}

// CNAMETarget is the name a custom domain of network type nt must be a
// CNAME of: the group's public second-level domain for INTERNET, its VPC
// second-level domain for INTRANET, "" for anything else.
func CNAMETarget(g Group, nt NetworkType) string {
	switch nt {
	case NetworkInternet:
		return g.PublicDomain()
	case NetworkIntranet:
		return g.VpcDomain()
	}
	return ""
}
