package store

import (
	"context"
	"testing"
	"time"

	"gatehouse/rules"
)

// SetDomainCertificate uploads a certificate onto a bound domain with R9's
// checks; DeleteDomainCertificate removes it by id, and a certificate the
// domain does not have is no error. Each moves the gateway generation,
// writes one log row, and another account's group is not found.
func TestDomainCertificates(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	s := w.s
	g := mustGroup(t, s, w.a, "cert_group", "cn-hangzhou", w.shared)
	if _, err := s.BindDomain(ctx, w.a, g.ID, rules.DomainInput{Name: "tls.example.com", NetworkType: rules.NetworkInternet}); err != nil {
		t.Fatal(err)
	}
	bGroup := mustGroup(t, s, w.b, "b_group", "cn-hangzhou", w.shared)
	now := time.Now()
	cert, key := selfSigned(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "tls.example.com")
	_, otherKey := selfSigned(t, now.Add(-time.Hour), now.Add(90*24*time.Hour), "tls.example.com")
	expired, expiredKey := selfSigned(t, now.Add(-90*24*time.Hour), now.Add(-time.Hour), "tls.example.com")
	upload := func(name, cert, key string) rules.DomainInput {
		return rules.DomainInput{Name: name, CertName: "tls-2026", CertPEM: cert, KeyPEM: key}
	}

	for _, tc := range []struct {
		what, code string
		fn         func() error
	}{
		{"a mismatched pair", rules.CodeCertificateKeyMismatch, func() error {
			_, err := s.SetDomainCertificate(ctx, w.a, g.ID, upload("tls.example.com", cert, otherKey))
			return err
		}},
		{"an expired pair", rules.CodeCertificateExpired, func() error {
			_, err := s.SetDomainCertificate(ctx, w.a, g.ID, upload("tls.example.com", expired, expiredKey))
			return err
		}},
		{"no certificate", rules.CodeInvalidCertificate, func() error {
			_, err := s.SetDomainCertificate(ctx, w.a, g.ID, upload("tls.example.com", "", key))
			return err
		}},
		{"a name the group does not have", rules.CodeDomainNotFound, func() error {
			_, err := s.SetDomainCertificate(ctx, w.a, g.ID, upload("other.example.com", cert, key))
			return err
		}},
		{"another account's group", rules.CodeGroupNotFound, func() error {
			_, err := s.SetDomainCertificate(ctx, w.b, g.ID, upload("tls.example.com", cert, key))
			return err
		}},
		{"another account's domain through its own group", rules.CodeDomainNotFound, func() error {
			_, err := s.SetDomainCertificate(ctx, w.b, bGroup.ID, upload("tls.example.com", cert, key))
			return err
		}},
		{"removing through another account's group", rules.CodeGroupNotFound, func() error {
			_, err := s.DeleteDomainCertificate(ctx, w.b, g.ID, "tls.example.com", rules.CertificateID(cert))
			return err
		}},
	} {
		t.Run(tc.what, func(t *testing.T) { unchanged(t, s, tc.code, tc.fn) })
	}

	gen := s.GatewayGeneration()
	d, err := s.SetDomainCertificate(ctx, w.a, g.ID, upload("TLS.example.com.", cert, key))
	if err != nil || d.CertPEM != cert || d.NetworkType != rules.NetworkInternet || d.CertName != "tls-2026" {
		t.Fatalf("upload: %+v %v", d, err)
	}
	if s.GatewayGeneration() <= gen {
		t.Error("the upload did not move the gateway generation")
	}
	if op := lastOp(t, s, w.a.AccountID); op.Action != "SetDomainCertificate" || op.Target != "tls.example.com" {
		t.Errorf("op log: %+v", op)
	}
	gotCert, gotKey, ok, err := s.DomainCertificate(ctx, "tls.example.com")
	if err != nil || !ok || string(gotCert) != cert || string(gotKey) != key {
		t.Fatalf("DomainCertificate: ok %v, %v", ok, err)
	}

	// Another id removes nothing and is no error.
	removed, err := s.DeleteDomainCertificate(ctx, w.a, g.ID, "tls.example.com", "0123456789abcdef0123456789abcdef")
	if err != nil || removed {
		t.Fatalf("removing another id: %v %v", removed, err)
	}
	if _, _, ok, _ := s.DomainCertificate(ctx, "tls.example.com"); !ok {
		t.Fatal("another id removed the certificate")
	}
	gen = s.GatewayGeneration()
	removed, err = s.DeleteDomainCertificate(ctx, w.a, g.ID, "tls.example.com", rules.CertificateID(cert))
	if err != nil || !removed {
		t.Fatalf("remove: %v %v", removed, err)
	}
	if s.GatewayGeneration() <= gen {
		t.Error("the removal did not move the gateway generation")
	}
	if op := lastOp(t, s, w.a.AccountID); op.Action != "DeleteDomainCertificate" {
		t.Errorf("op log: %+v", op)
	}
	left, err := s.GetDomain(ctx, w.a.AccountID, "tls.example.com")
	if err != nil || left.CertPEM != "" || left.CertName != "" || !left.CertExpires.IsZero() || left.NetworkType != rules.NetworkInternet {
		t.Fatalf("after removal: %+v %v", left, err)
	}
	if _, _, ok, err := s.DomainCertificate(ctx, "tls.example.com"); ok || err != nil {
		t.Fatalf("DomainCertificate after removal: %v %v", ok, err)
	}
	removed, err = s.DeleteDomainCertificate(ctx, w.a, g.ID, "absent.example.com", rules.CertificateID(cert))
	if err != nil || removed {
		t.Fatalf("removing from a name the group does not have: %v %v", removed, err)
	}
}
