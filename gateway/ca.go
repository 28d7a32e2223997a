package gateway

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"gatehouse/rules"
)

// Gatehouse's certificate authority (SPEC §7). It is made at first start,
// kept in one file beside the database (CAFileSuffix: its private key and
// its certificate in PEM, mode 0600, made by store.SecretFile), and reused
// on every start. `gatehouse ca --db FILE` prints its certificate, for
// `curl --cacert`, SSL_CERT_FILE or a test's root pool.
//
// It signs certificates for the second-level domains only: its
// certificate carries a critical name constraint permitting names under
// alicloudapi.com and no IP address, so a client that trusts it trusts it
// for nothing else (a custom domain is served with its own, uploaded
// certificate). Leaf certificates are issued when a handshake first names
// a second-level domain, for 30 days, all with one key made at start, and
// kept in a bounded cache (leafCache).

// CAFileSuffix names the CA's file beside the database: <db>.ca-key.pem.
const CAFileSuffix = ".ca-key.pem"

// Validity of the CA and of the certificates it issues.
const (
	caValidity      = 10 * 365 * 24 * time.Hour
	leafValidity    = 30 * 24 * time.Hour
	leafRenewBefore = 7 * 24 * time.Hour // a cached leaf closer than this to its end is issued again
	clockSkew       = time.Hour          // certificates start this much before they are made
)

// CA is Gatehouse's certificate authority.
type CA struct {
	cert    *x509.Certificate
	certPEM []byte
	key     crypto.Signer
	leafKey *ecdsa.PrivateKey // the key of every leaf issued by this process
	leaves  leafCache
}

// NewCAFile makes a new CA valid from now: its private key and its
// certificate in PEM, what the CA's file holds.
func NewCAFile(now time.Time) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject: pkix.Name{
			Organization: []string{"Gatehouse"},
			CommonName:   "Gatehouse local CA " + now.UTC().Format("2006-01-02 15:04:05"),
		},
		NotBefore:             now.Add(-clockSkew),
		NotAfter:              now.Add(caValidity),
		IsCA:                  true,
		BasicConstraintsValid: true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		// Only the second-level domains, never an IP address.
		PermittedDNSDomainsCritical: true,
		PermittedDNSDomains:         []string{rules.DomainSuffix},
		ExcludedIPRanges:            []*net.IPNet{{IP: net.IPv4zero, Mask: net.CIDRMask(0, 32)}, {IP: net.IPv6zero, Mask: net.CIDRMask(0, 128)}},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})
	return append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...), nil
}

// ParseCA reads a CA's file (NewCAFile's form) and readies it to issue
// certificates valid at now.
func ParseCA(file []byte, now time.Time) (*CA, error) {
	ca := &CA{}
	for rest := file; ; {
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		switch b.Type {
		case "CERTIFICATE":
			cert, err := x509.ParseCertificate(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("the CA's certificate: %w", err)
			}
			ca.cert, ca.certPEM = cert, pem.EncodeToMemory(b)
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(b.Bytes)
			if err != nil {
				return nil, fmt.Errorf("the CA's private key: %w", err)
			}
			signer, ok := k.(crypto.Signer)
			if !ok {
				return nil, errors.New("the CA's private key cannot sign")
			}
			ca.key = signer
		}
	}
	switch {
	case ca.cert == nil || ca.key == nil:
		return nil, errors.New("the CA's file holds no certificate or no private key")
	case !ca.cert.IsCA:
		return nil, errors.New("the CA's certificate is not a CA's")
	case !publicKeysEqual(ca.cert.PublicKey, ca.key.Public()):
		return nil, errors.New("the CA's private key does not belong to its certificate")
	case now.After(ca.cert.NotAfter):
		return nil, fmt.Errorf("the CA expired on %s: move its file away and start again to make a new one (clients must then trust the new one)",
			ca.cert.NotAfter.UTC().Format(time.DateOnly))
	}
	var err error
	if ca.leafKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		return nil, err
	}
	ca.leaves.init()
	return ca, nil
}

func publicKeysEqual(a, b crypto.PublicKey) bool {
	k, ok := a.(interface{ Equal(crypto.PublicKey) bool })
	return ok && k.Equal(b)
}

// CertificatePEM is the CA's certificate in PEM: what `gatehouse ca`
// prints and clients trust.
func (ca *CA) CertificatePEM() []byte { return ca.certPEM }

// certificate is the leaf certificate for name (normalised), from the
// cache, issued when it has none or the one it has ends within
// leafRenewBefore of now.
func (ca *CA) certificate(name string, now time.Time) (*tls.Certificate, error) {
	e := ca.leaves.entry(name)
	e.once.Do(func() { e.cert, e.err = ca.issue(name, now) })
	if e.err == nil && e.cert.Leaf.NotAfter.Sub(now) < leafRenewBefore {
		fresh := &leafEntry{}
		fresh.once.Do(func() { fresh.cert, fresh.err = ca.issue(name, now) })
		ca.leaves.replace(name, e, fresh)
		e = fresh
	}
	return e.cert, e.err
}

// issue signs a leaf certificate for name.
func (ca *CA) issue(name string, now time.Time) (*tls.Certificate, error) {
	serial, err := randomSerial()
	if err != nil {
		return nil, err
	}
	notAfter := now.Add(leafValidity)
	if notAfter.After(ca.cert.NotAfter) {
		notAfter = ca.cert.NotAfter
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: name},
		DNSNames:     []string{name},
		NotBefore:    now.Add(-clockSkew),
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &ca.leafKey.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("issue a certificate for %s: %w", name, err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	return &tls.Certificate{Certificate: [][]byte{der}, PrivateKey: ca.leafKey, Leaf: leaf}, nil
}

func randomSerial() (*big.Int, error) {
	return rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 128))
}

// leafCache keeps the leaves issued, by name: at most 2×maxLeaves, in two
// generations. A name is looked up in the current generation, then in the
// previous one (and moved to the current); when the current one holds
// maxLeaves names it becomes the previous one and the older is dropped. So
// names in use stay, and a flood of new names (random SNI) costs a
// bounded amount of memory. Lookups take no lock; only a new generation
// does.
type leafCache struct {
	mu  sync.Mutex // one new generation at a time
	cur atomic.Pointer[leafGen]
}

const maxLeaves = 4096

type leafGen struct {
	m    sync.Map // name → *leafEntry
	n    atomic.Int64
	prev atomic.Pointer[leafGen]
}

// leafEntry is a leaf issued once however many handshakes ask at once.
type leafEntry struct {
	once sync.Once
	cert *tls.Certificate
	err  error
}

func (c *leafCache) init() { c.cur.Store(&leafGen{}) }

// entry finds or makes the entry of name.
func (c *leafCache) entry(name string) *leafEntry {
	g := c.cur.Load()
	if e, ok := g.m.Load(name); ok {
		return e.(*leafEntry)
	}
	fresh := &leafEntry{}
	if p := g.prev.Load(); p != nil {
		if e, ok := p.m.Load(name); ok {
			fresh = e.(*leafEntry)
		}
	}
	e, loaded := g.m.LoadOrStore(name, fresh)
	if !loaded && g.n.Add(1) >= maxLeaves {
		c.rotate(g)
	}
	return e.(*leafEntry)
}

// replace puts fresh in old's place for name.
func (c *leafCache) replace(name string, old, fresh *leafEntry) {
	c.cur.Load().m.CompareAndSwap(name, old, fresh)
}

// rotate starts a new generation after g, dropping g's previous one.
func (c *leafCache) rotate(g *leafGen) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur.Load() != g {
		return
	}
	next := &leafGen{}
	next.prev.Store(g)
	g.prev.Store(nil)
	c.cur.Store(next)
}
