package gateway

import (
	"crypto/x509"
	"encoding/pem"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// newTestCA makes a CA valid now.
func newTestCA(t testing.TB) *CA {
	t.Helper()
	file, err := NewCAFile(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	ca, err := ParseCA(file, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return ca
}

// rootsOf is a pool trusting the CA alone.
func rootsOf(t testing.TB, ca *CA) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(ca.CertificatePEM()) {
		t.Fatal("the CA's certificate is not PEM")
	}
	return pool
}

// The CA's file holds its key and certificate; read back, it is the same
// CA; broken or expired files are refused with a reason.
func TestCAFile(t *testing.T) {
	now := time.Now()
	file, err := NewCAFile(now)
	if err != nil {
		t.Fatal(err)
	}
	ca, err := ParseCA(file, now)
	if err != nil {
		t.Fatal(err)
	}
	again, err := ParseCA(file, now.Add(time.Hour))
	if err != nil || string(again.CertificatePEM()) != string(ca.CertificatePEM()) {
		t.Fatalf("read again: %v", err)
	}
	if b, _ := pem.Decode(ca.CertificatePEM()); b == nil || b.Type != "CERTIFICATE" || strings.Contains(string(ca.CertificatePEM()), "PRIVATE") {
		t.Fatalf("the printed certificate is not a certificate alone:\n%s", ca.CertificatePEM())
	}
	if !ca.cert.IsCA || !ca.cert.PermittedDNSDomainsCritical || len(ca.cert.PermittedDNSDomains) != 1 || ca.cert.PermittedDNSDomains[0] != "alicloudapi.com" {
		t.Errorf("the CA is not constrained to alicloudapi.com: %+v", ca.cert.PermittedDNSDomains)
	}
	other, _ := NewCAFile(now)
	keyOf := func(f []byte) string { return string(f[:strings.Index(string(f), "-----BEGIN CERTIFICATE")]) }
	certOf := func(f []byte) string { return string(f[strings.Index(string(f), "-----BEGIN CERTIFICATE"):]) }
	for _, c := range []struct {
		what string
		file []byte
		at   time.Time
		want string
	}{
		{"empty", nil, now, "no certificate"},
		{"the key alone", []byte(keyOf(file)), now, "no certificate"},
		{"another CA's key", []byte(keyOf(other) + certOf(file)), now, "does not belong"},
		{"expired", file, now.Add(11 * 365 * 24 * time.Hour), "expired"},
	} {
		if _, err := ParseCA(c.file, c.at); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error saying %q", c.what, err, c.want)
		}
	}
}

// A leaf verifies against the CA for its name, is reused, and is issued
// again when close to its end; the CA's name constraint makes a leaf for
// any name outside alicloudapi.com worthless.
func TestCAIssuesLeaves(t *testing.T) {
	ca := newTestCA(t)
	roots := rootsOf(t, ca)
	now := time.Now()
	const name = "0123456789abcdef0123456789abcdef-cn-hangzhou.alicloudapi.com"
	leaf, err := ca.certificate(name, now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := leaf.Leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
		t.Fatalf("the leaf does not verify: %v", err)
	}
	if _, err := leaf.Leaf.Verify(x509.VerifyOptions{DNSName: "other-cn-hangzhou.alicloudapi.com", Roots: roots}); err == nil {
		t.Error("the leaf verifies for another name")
	}
	if again, _ := ca.certificate(name, now.Add(time.Hour)); again != leaf {
		t.Error("the leaf was issued again within its life")
	}
	later := now.Add(leafValidity - leafRenewBefore + time.Hour)
	renewed, err := ca.certificate(name, later)
	if err != nil || renewed == leaf || !renewed.Leaf.NotAfter.After(leaf.Leaf.NotAfter) {
		t.Fatalf("near its end, the leaf was not renewed: %v", err)
	}
	if again, _ := ca.certificate(name, later); again != renewed {
		t.Error("the renewed leaf is not the one kept")
	}

	outside, err := ca.issue("www.example.com", now)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := outside.Leaf.Verify(x509.VerifyOptions{DNSName: "www.example.com", Roots: roots}); err == nil {
		t.Error("a leaf for a name outside alicloudapi.com verifies: the CA is not constrained")
	}
}

// The cache issues one leaf per name however many ask at once, keeps the
// names in use when it turns over, and stays bounded.
func TestLeafCache(t *testing.T) {
	ca := newTestCA(t)
	now := time.Now()
	var wg sync.WaitGroup
	got := make([]any, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := ca.certificate("same-cn-hangzhou.alicloudapi.com", now)
			if err != nil {
				t.Error(err)
			}
			got[i] = c
		}()
	}
	wg.Wait()
	for _, c := range got {
		if c != got[0] {
			t.Fatal("concurrent handshakes got different leaves for one name")
		}
	}

	var c leafCache
	c.init()
	hot := c.entry("hot")
	for i := range 3 * maxLeaves {
		c.entry("name-" + strconv.Itoa(i))
		if c.entry("hot") != hot {
			t.Fatalf("after %d names, the name in use was dropped", i)
		}
	}
	size := 0
	for g := c.cur.Load(); g != nil; g = g.prev.Load() {
		g.m.Range(func(_, _ any) bool { size++; return true })
	}
	if size > 2*maxLeaves {
		t.Errorf("the cache holds %d leaves, more than %d", size, 2*maxLeaves)
	}
}
