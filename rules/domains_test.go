package rules_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

func TestNormalizeDomain(t *testing.T) {
	tests := map[string]string{
		"API.Example.COM":     "api.example.com",
		"  api.example.com. ": "api.example.com",
		"api.example.com..":   "api.example.com..", // stays invalid rather than changing on each pass
		"0.A .":               "0.a .",
		"":                    "",
	}
	for in, want := range tests {
		got := rules.NormalizeDomain(in)
		if got != want {
			t.Errorf("NormalizeDomain(%q) = %q, want %q", in, got, want)
		}
		if again := rules.NormalizeDomain(got); again != got {
			t.Errorf("NormalizeDomain is not stable on %q: %q then %q", in, got, again)
		}
	}
}

// R9: RFC 1123 names, at most 253 characters, not under alicloudapi.com.
func TestCheckDomainName(t *testing.T) {
	label63 := strings.Repeat("a", 63)
	long253 := strings.Join([]string{label63, label63, label63, strings.Repeat("b", 58), "cn"}, ".") // 63*3 + 58 + 2 + 4 dots
	yes := []string{
		"api.example.com", "API.Example.com.", "a.b", "x-1.example.com", "1.example.com", "xn--fsqu00a.xn--fiqs8s",
		label63 + ".com", long253, "alicloudapi.com.cn", "myalicloudapi.com",
	}
	no := []string{
		"", "localhost", "api..example.com", ".example.com", "-api.example.com", "api-.example.com",
		strings.Repeat("a", 64) + ".com", long253 + "x", "api_1.example.com", "api.example.com/x", "api example.com",
		"例子.中国", "*.example.com", "10.0.0.1", "abc.alicloudapi.com", "alicloudapi.com", "ALICLOUDAPI.COM.",
		"0123456789abcdef0123456789abcdef-cn-hangzhou.alicloudapi.com",
	}
	if len(long253) != 253 {
		t.Fatalf("long253 is %d characters", len(long253))
	}
	for _, name := range yes {
		if err := rules.CheckDomainName(name); err != nil {
			t.Errorf("%q refused: %v", name, err)
		}
	}
	for _, name := range no {
		err := rules.CheckDomainName(name)
		wantCode(t, err, rules.CodeInvalidDomainName)
		if re, _ := rules.AsError(err); re.Field != "domain" {
			t.Errorf("%q: field %q", name, re.Field)
		}
	}
}

func TestParseNetworkType(t *testing.T) {
	for in, want := range map[string]rules.NetworkType{"INTERNET": rules.NetworkInternet, "intranet": rules.NetworkIntranet, " Internet ": rules.NetworkInternet} {
		if got, ok := rules.ParseNetworkType(in); !ok || got != want {
			t.Errorf("ParseNetworkType(%q) = %q, %v", in, got, ok)
		}
	}
	if _, ok := rules.ParseNetworkType("VPC"); ok {
		t.Error("ParseNetworkType(VPC) accepted")
	}
}

func TestDomainInputValidate(t *testing.T) {
	ok := func(change func(*rules.DomainInput)) rules.DomainInput {
		in := rules.DomainInput{Name: "api.example.com", NetworkType: rules.NetworkInternet}
		change(&in)
		return in
	}
	tests := []struct {
		name string
		in   rules.DomainInput
		want map[string]string
	}{
		{"no certificate", ok(func(*rules.DomainInput) {}), nil},
		{"certificate and key", ok(func(in *rules.DomainInput) { in.CertPEM, in.KeyPEM, in.CertName = "c", "k", "prod cert" }), nil},
		{"INTRANET", ok(func(in *rules.DomainInput) { in.NetworkType = rules.NetworkIntranet }), nil},
		{"mixed case name", ok(func(in *rules.DomainInput) { in.Name = "API.Example.com." }), nil},
		{"certificate without key", ok(func(in *rules.DomainInput) { in.CertPEM = "c" }), map[string]string{"key": rules.CodeInvalidPrivateKey}},
		{"key without certificate", ok(func(in *rules.DomainInput) { in.KeyPEM = "k" }), map[string]string{"certificate": rules.CodeInvalidCertificate}},
		{"blank key", ok(func(in *rules.DomainInput) { in.CertPEM, in.KeyPEM = "c", "  \n" }), map[string]string{"key": rules.CodeInvalidPrivateKey}},
		{"huge certificate", ok(func(in *rules.DomainInput) { in.CertPEM, in.KeyPEM = strings.Repeat("c", rules.MaxPEMBytes+1), "k" }),
			map[string]string{"certificate": rules.CodeInvalidCertificate}},
		{"long certificate name", ok(func(in *rules.DomainInput) {
			in.CertPEM, in.KeyPEM, in.CertName = "c", "k", strings.Repeat("n", rules.CertNameMax+1)
		}), map[string]string{"cert_name": rules.CodeInvalidCertificate}},
		{"no network type", ok(func(in *rules.DomainInput) { in.NetworkType = "" }), map[string]string{"network_type": rules.CodeInvalidNetworkType}},
		{"lower-case network type", ok(func(in *rules.DomainInput) { in.NetworkType = "internet" }), map[string]string{"network_type": rules.CodeInvalidNetworkType}},
		{"bad name", ok(func(in *rules.DomainInput) { in.Name = "x.alicloudapi.com" }), map[string]string{"domain": rules.CodeInvalidDomainName}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fieldCodes(t, tt.in.Validate()); !sameCodes(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

// R9: HTTPS needs a certificate and key that match, cover the name and are
// valid now.
func TestParseCertificate(t *testing.T) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	cert, key := testCert(t, []string{"api.example.com", "*.svc.example.com"}, now.Add(-day), now.Add(90*day))
	otherCert, otherKey := testCert(t, []string{"api.example.com"}, now.Add(-day), now.Add(90*day))
	expired, expiredKey := testCert(t, []string{"api.example.com"}, now.Add(-90*day), now.Add(-day))
	future, futureKey := testCert(t, []string{"api.example.com"}, now.Add(day), now.Add(90*day))
	noNames, noNamesKey := testCert(t, nil, now.Add(-day), now.Add(90*day))
	sec1 := sec1Key(t, key)

	tests := []struct {
		name      string
		cert, key string
		domain    string
		want      string
	}{
		{"matching pair", cert, key, "api.example.com", ""},
		{"name in another case", cert, key, "API.example.com.", ""},
		{"wildcard", cert, key, "orders.svc.example.com", ""},
		{"SEC 1 key", cert, sec1, "api.example.com", ""},
		{"chain after the leaf", cert + otherCert, key, "api.example.com", ""},
		{"text around the PEM", "subject: x\n" + cert, "# key\n" + key, "api.example.com", ""},
		{"another name", cert, key, "www.example.com", rules.CodeCertificateNameMismatch},
		{"wildcard covers one label only", cert, key, "a.b.svc.example.com", rules.CodeCertificateNameMismatch},
		{"no names", noNames, noNamesKey, "api.example.com", rules.CodeCertificateNameMismatch},
		{"key of another certificate", cert, otherKey, "api.example.com", rules.CodeCertificateKeyMismatch},
		{"expired", expired, expiredKey, "api.example.com", rules.CodeCertificateExpired},
		{"not yet valid", future, futureKey, "api.example.com", rules.CodeCertificateNotYetValid},
		{"empty certificate", "", key, "api.example.com", rules.CodeInvalidCertificate},
		{"key in the certificate field", key, key, "api.example.com", rules.CodeInvalidCertificate},
		{"garbage certificate", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", key, "api.example.com", rules.CodeInvalidCertificate},
		{"empty key", cert, "", "api.example.com", rules.CodeInvalidPrivateKey},
		{"certificate in the key field", cert, cert, "api.example.com", rules.CodeInvalidPrivateKey},
		{"garbage key", cert, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "api.example.com", rules.CodeInvalidPrivateKey},
		{"encrypted key", cert, "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n", "api.example.com", rules.CodeInvalidPrivateKey},
		{"huge certificate", strings.Repeat("x", rules.MaxPEMBytes+1), key, "api.example.com", rules.CodeInvalidCertificate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			info, err := rules.ParseCertificate(tt.cert, tt.key, tt.domain, now)
			wantCode(t, err, tt.want)
			if err != nil {
				return
			}
			if info.Subject != "api.example.com" || !info.NotAfter.Equal(now.Add(90*day).Truncate(time.Second)) || len(info.DNSNames) == 0 {
				t.Fatalf("got %+v", info)
			}
		})
	}
}

// sec1Key rewrites a PKCS #8 ECDSA key in SEC 1 form ("EC PRIVATE KEY").
func sec1Key(t *testing.T, pkcs8PEM string) string {
	t.Helper()
	b, _ := pem.Decode([]byte(pkcs8PEM))
	k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalECPrivateKey(k.(*ecdsa.PrivateKey))
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: der}))
}

// R9: network types, the five-per-type limit, and names bound elsewhere.
func TestCheckBindDomain(t *testing.T) {
	domains := func(nt rules.NetworkType, names ...string) []rules.CustomDomain {
		var ds []rules.CustomDomain
		for _, n := range names {
			ds = append(ds, rules.CustomDomain{Name: n, AccountID: acctA, GroupID: group(shared, true).ID, NetworkType: nt})
		}
		return ds
	}
	five := domains(rules.NetworkInternet, "a.example.com", "b.example.com", "c.example.com", "d.example.com", "e.example.com")
	fiveIntranet := domains(rules.NetworkIntranet, "a.example.com", "b.example.com", "c.example.com", "d.example.com", "e.example.com")
	internet := rules.DomainInput{Name: "api.example.com", NetworkType: rules.NetworkInternet}
	intranet := rules.DomainInput{Name: "api.example.com", NetworkType: rules.NetworkIntranet}
	forced := internet
	forced.Force = true
	elsewhere := &rules.CustomDomain{Name: "api.example.com", AccountID: acctA, GroupID: "ffffffffffffffffffffffffffffffff", NetworkType: rules.NetworkInternet}
	theirs := &rules.CustomDomain{Name: "api.example.com", AccountID: acctB, GroupID: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", NetworkType: rules.NetworkInternet}
	here := &rules.CustomDomain{Name: "api.example.com", AccountID: acctA, GroupID: group(shared, true).ID, NetworkType: rules.NetworkInternet}
	rebind := rules.DomainInput{Name: "c.example.com", NetworkType: rules.NetworkInternet}

	tests := []struct {
		name     string
		in       rules.DomainInput
		inst     rules.Instance
		enabled  bool
		domains  []rules.CustomDomain
		existing *rules.CustomDomain
		want     string
	}{
		{"INTERNET on shared", internet, shared, false, nil, nil, ""},
		{"INTERNET on unbound dedicated", internet, dedUnbound, false, nil, nil, ""},
		{"INTRANET on bound dedicated with VPC domain", intranet, dedBoundA, true, nil, nil, ""},
		{"fifth INTERNET domain", internet, shared, false, five[:4], nil, ""},
		{"INTERNET beside five INTRANET", internet, dedBoundA, true, fiveIntranet, nil, ""},
		{"rebinding one of five", rebind, shared, false, five, &five[2], ""},
		{"update of the group's own domain", internet, shared, false, nil, here, ""},
		{"forced move within the account", forced, shared, false, nil, elsewhere, ""},

		{"INTRANET on shared", intranet, shared, true, nil, nil, rules.CodeIntranetNotSupported},
		{"INTRANET without VPC domain", intranet, dedBoundA, false, nil, nil, rules.CodeIntranetNotSupported},
		{"INTRANET on unbound dedicated", intranet, dedUnbound, true, nil, nil, rules.CodeInstanceNotBoundToVpc},
		{"sixth INTERNET domain", internet, shared, false, five, nil, rules.CodeDomainLimitExceeded},
		{"sixth INTRANET domain", intranet, dedBoundA, true, fiveIntranet, nil, rules.CodeDomainLimitExceeded},
		{"bound to another group", internet, shared, false, nil, elsewhere, rules.CodeDomainAlreadyBound},
		{"another account's, not forced", internet, shared, false, nil, theirs, rules.CodeDomainAlreadyBound},
		{"another account's, forced", forced, shared, false, nil, theirs, rules.CodeDomainAlreadyBound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := group(tt.inst, tt.enabled)
			err := rules.CheckBindDomain(tt.in, g, tt.inst, tt.domains, tt.existing)
			wantCode(t, err, tt.want)
			if tt.existing == theirs && strings.Contains(err.Error(), theirs.GroupID) {
				t.Errorf("the refusal shows another account's group: %v", err)
			}
		})
	}
}

func TestCNAMETarget(t *testing.T) {
	g := group(shared, true)
	if got := rules.CNAMETarget(g, rules.NetworkInternet); got != "0123456789abcdef0123456789abcdef-cn-hangzhou.alicloudapi.com" {
		t.Errorf("INTERNET: %s", got)
	}
	if got := rules.CNAMETarget(g, rules.NetworkIntranet); got != "0123456789abcdef0123456789abcdef-cn-hangzhou-vpc.alicloudapi.com" {
		t.Errorf("INTRANET: %s", got)
	}
	if got := rules.CNAMETarget(g, "OTHER"); got != "" {
		t.Errorf("OTHER: %s", got)
	}
}

func FuzzDomainName(f *testing.F) {
	for _, s := range []string{"api.example.com", "API.EXAMPLE.COM.", "a..b", "-a.b", "a-.b", "x.alicloudapi.com", "1.2.3.4", "a.b", strings.Repeat("a.", 130) + "com", "例子.中国", "a.b\x00", "0\xc6 ."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		n := rules.NormalizeDomain(raw)
		if err := rules.CheckDomainName(raw); err != nil {
			if re, ok := rules.AsError(err); !ok || re.Code != rules.CodeInvalidDomainName {
				t.Fatalf("%q: %v", raw, err)
			}
			return
		}
		if rules.NormalizeDomain(n) != n || rules.CheckDomainName(n) != nil {
			t.Fatalf("the normal form %q of accepted %q is not stable", n, raw)
		}
		if len(n) > 253 || strings.HasSuffix(n, ".alicloudapi.com") || n == "alicloudapi.com" {
			t.Fatalf("accepted %q", raw)
		}
		labels := strings.Split(n, ".")
		if len(labels) < 2 {
			t.Fatalf("accepted one label %q", raw)
		}
		for _, l := range labels {
			if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' || strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-") != "" {
				t.Fatalf("accepted %q with label %q", raw, l)
			}
		}
	})
}

func FuzzParseCertificate(f *testing.F) {
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cert, key := testCert(f, []string{"api.example.com"}, now.Add(-time.Hour), now.Add(time.Hour))
	f.Add(cert, key, "api.example.com")
	f.Add(cert, key, "www.example.com")
	f.Add(key, cert, "api.example.com")
	f.Add(cert[:len(cert)/2], key, "api.example.com")
	f.Add("-----BEGIN CERTIFICATE-----\n\n-----END CERTIFICATE-----\n", "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\nAA==\n-----END RSA PRIVATE KEY-----\n", "")
	f.Fuzz(func(t *testing.T, certPEM, keyPEM, domain string) {
		info, err := rules.ParseCertificate(certPEM, keyPEM, domain, now)
		if err != nil {
			if _, ok := rules.AsError(err); !ok {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if info.NotAfter.Before(now) {
			t.Fatalf("accepted an expired certificate: %+v", info)
		}
	})
}

// A key that reads well but is of another curve than the certificate's is
// a mismatch, not an unreadable key.
func TestParseCertificateKeyOfAnotherCurve(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := testCert(t, []string{"api.example.com"}, time.Now().Add(-time.Hour), time.Now().Add(time.Hour))
	keyPEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	_, err = rules.ParseCertificate(cert, keyPEM, "api.example.com", time.Now())
	wantCode(t, err, rules.CodeCertificateKeyMismatch)
}

// Unicode case folding does not smuggle a non-ASCII name past the validator:
// the Kelvin sign (U+212A) lower-cases to "k" under Unicode rules.
func TestDomainNameFoldsASCIIOnly(t *testing.T) {
	if got := rules.NormalizeDomain("API.Example.COM."); got != "api.example.com" {
		t.Errorf("NormalizeDomain = %q", got)
	}
	if err := rules.CheckDomainName("\u212Aexample.com"); err == nil {
		t.Errorf("a name with the Kelvin sign was accepted")
	}
	if got := rules.NormalizeDomain("\u212Aexample.com"); got == "kexample.com" {
		t.Errorf("the Kelvin sign was folded to k")
	}
}
