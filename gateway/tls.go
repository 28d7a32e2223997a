package gateway

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"gatehouse/rules"
)

// The TLS listener (--gateway-tls-addr). Each handshake is configured from
// its server name (SNI), by what the name means in the current snapshot
// (GetConfigForClient):
//
//	name                              certificate                        TLS versions, HTTP/2
//	a second-level domain             the CA's leaf for the name         the group's instance's HTTPS policy
//	                                                                     (rules.ParseTLSPolicy); the default
//	                                                                     policy when no group has the name
//	a custom domain with a            the uploaded certificate (R9)      the group's instance's policy
//	certificate
//	a custom domain without one,      none: the handshake fails
//	another name, or no SNI
//
// A certificate uploaded or removed, or a policy changed, moves the gateway
// generation, so the next handshake is configured by the new snapshot. The
// handler is the same as the plain listener's: a request's protocol comes
// from r.TLS (HTTPS), and its Host must be the name of the handshake
// (421 Misdirected Request otherwise, as a name with a stricter policy
// must not be reached through a laxer one).

// Why a handshake is refused.
var (
	errNoSNI      = errors.New("the client sent no server name (SNI): call the domain by name")
	errNotServed  = errors.New("not a name Gatehouse serves")
	errNoCert     = errors.New("no certificate is uploaded for this custom domain (R9): it serves HTTP only")
	errNoCAConfig = errors.New("the gateway has no certificate authority")
)

// TLSConfig is the configuration of the gateway's TLS listener (and of
// the tunnels CONNECT opens to it): every handshake is configured by
// configForClient.
func (g *Gateway) TLSConfig() *tls.Config {
	return &tls.Config{MinVersion: tls.VersionTLS10, GetConfigForClient: g.configForClient}
}

// configForClient configures a handshake by its server name.
func (g *Gateway) configForClient(hello *tls.ClientHelloInfo) (*tls.Config, error) {
	if g.cfg.CA == nil {
		return nil, errNoCAConfig
	}
	name := rules.NormalizeDomain(hello.ServerName)
	if name == "" {
		return nil, errNoSNI
	}
	ctx := hello.Context()
	snap, err := g.snaps.current(ctx)
	if err != nil {
		g.cfg.Log.Error("gateway: read the gateway's state for a handshake", "err", err)
		return nil, err
	}
	n, ours, err := snap.lookup(ctx, name)
	if err != nil {
		g.cfg.Log.Error("gateway: read a group for a handshake", "err", err)
		return nil, err
	}
	if !ours {
		return nil, fmt.Errorf("%s: %w", name, errNotServed)
	}
	policy := rules.DefaultHTTPSPolicy
	if n.target.Instance != nil {
		policy = n.target.Instance.HTTPSPolicy
	}
	p, _ := rules.ParseTLSPolicy(policy)
	if n.target.Kind != rules.DomainCustom {
		return g.leafConfigs.get(p, g), nil
	}
	if n.target.Custom == nil || n.target.Custom.CertPEM == "" {
		return nil, fmt.Errorf("%s: %w", name, errNoCert)
	}
	return g.customConfigs.get(ctx, g, name, n.target.Custom.CertPEM, p)
}

// nextProtos is what ALPN offers under a policy.
func nextProtos(p rules.TLSPolicy) []string {
	if p.HTTP2 {
		return []string{"h2", "http/1.1"}
	}
	return []string{"http/1.1"}
}

// leafConfigs are the configurations of the second-level domains, one per
// policy: their certificate is the CA's leaf of the handshake's name.
type leafConfigs struct {
	m sync.Map // rules.TLSPolicy → *tls.Config
}

func (lc *leafConfigs) get(p rules.TLSPolicy, g *Gateway) *tls.Config {
	if c, ok := lc.m.Load(p); ok {
		return c.(*tls.Config)
	}
	c := &tls.Config{
		MinVersion: p.MinVersion,
		NextProtos: nextProtos(p),
		GetCertificate: func(hello *tls.ClientHelloInfo) (*tls.Certificate, error) {
			return g.cfg.CA.certificate(rules.NormalizeDomain(hello.ServerName), g.cfg.Now())
		},
	}
	got, _ := lc.m.LoadOrStore(p, c)
	return got.(*tls.Config)
}

// customConfigs are the configurations of the custom domains with an
// uploaded certificate, by name, kept while the certificate and the policy
// stay the same: the private key is read from the store (and unsealed)
// once per certificate, not per handshake.
type customConfigs struct {
	m sync.Map // name → *customConfig
	n atomic.Int64
}

type customConfig struct {
	certID string
	policy rules.TLSPolicy
	cfg    *tls.Config
}

// maxCustomConfigs bounds the configurations kept; past it they are all
// dropped and read again as handshakes need them.
const maxCustomConfigs = 4096

func (cc *customConfigs) get(ctx context.Context, g *Gateway, name, certPEM string, p rules.TLSPolicy) (*tls.Config, error) {
	id := rules.CertificateID(certPEM)
	if v, ok := cc.m.Load(name); ok {
		if c := v.(*customConfig); c.certID == id && c.policy == p {
			return c.cfg, nil
		}
	}
	certBytes, keyBytes, ok, err := g.store.DomainCertificate(ctx, name)
	if err != nil {
		g.cfg.Log.Error("gateway: read a custom domain's certificate", "domain", name, "err", err)
		return nil, err
	}
	if !ok {
		return nil, fmt.Errorf("%s: %w", name, errNoCert)
	}
	if rules.CertificateID(string(certBytes)) != id {
		// Changed since the snapshot was read: the next handshake reads
		// the new snapshot.
		return nil, fmt.Errorf("%s: the certificate is being changed", name)
	}
	pair, err := tls.X509KeyPair(certBytes, keyBytes)
	if err != nil {
		g.cfg.Log.Error("gateway: a custom domain's stored certificate", "domain", name, "err", err)
		return nil, err
	}
	c := &customConfig{certID: id, policy: p, cfg: &tls.Config{
		MinVersion:   p.MinVersion,
		NextProtos:   nextProtos(p),
		Certificates: []tls.Certificate{pair},
	}}
	if cc.n.Add(1) > maxCustomConfigs {
		cc.m.Clear()
		cc.n.Store(1)
	}
	cc.m.Store(name, c)
	return c.cfg, nil
}
