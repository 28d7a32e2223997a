package gateway

import (
	"context"
	"crypto/tls"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
)

// An instance's HTTPS policy changed after creation (ModifyInstance)
// configures the next handshake on every domain of its groups, the
// second-level ones (the CA's leaf) and a custom domain with its uploaded
// certificate, though earlier handshakes warmed the gateway's snapshot and
// its configurations: a TLS 1.1 client accepted under HTTPS1_1_TLS1_0 is
// refused under HTTPS2_TLS1_2, and h2 is offered where it was not. A new
// name alone changes no handshake.
func TestTLSFollowsAModifiedPolicy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	l := f.listen(t)
	roots := rootsOf(t, f.ca)
	inst := ok[rules.Instance](t)(f.st.CreateInstance(ctx, f.a, rules.InstanceInput{Name: "legacy", RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Spec: "api.s1.small", HTTPSPolicy: "HTTPS1_1_TLS1_0"}))
	g := ok[rules.Group](t)(f.st.CreateGroup(ctx, f.a, rules.GroupInput{Name: "on_legacy", RegionID: "cn-hangzhou", InstanceID: inst.ID}))
	const custom = "legacy.example.com"
	ok[store.BoundDomain](t)(f.st.BindDomain(ctx, f.a, g.ID, rules.DomainInput{Name: custom, NetworkType: rules.NetworkInternet}))
	customRoots, _ := f.uploadedCert(t, g.ID, custom)

	tls11 := &tls.Config{MinVersion: tls.VersionTLS11, MaxVersion: tls.VersionTLS11, NextProtos: []string{"h2", "http/1.1"}}
	modern := &tls.Config{NextProtos: []string{"h2", "http/1.1"}}
	expect := func(when string, tls11Accepted bool, proto string) {
		t.Helper()
		for _, name := range []string{g.PublicDomain(), custom} {
			pool := roots
			if name == custom {
				pool = customRoots
			}
			st, err := handshake(t, l.tls, name, tls11, pool)
			switch {
			case tls11Accepted && (err != nil || st.Version != tls.VersionTLS11):
				t.Errorf("%s, %s: a TLS 1.1 client: %v (version %x), want accepted", when, name, err, st.Version)
			case !tls11Accepted && err == nil:
				t.Errorf("%s, %s: a TLS 1.1 client was accepted", when, name)
			}
			st, err = handshake(t, l.tls, name, modern, pool)
			if err != nil || st.NegotiatedProtocol != proto {
				t.Errorf("%s, %s: a current client: %v, ALPN %q, want %q", when, name, err, st.NegotiatedProtocol, proto)
			}
		}
	}
	expect("HTTPS1_1_TLS1_0", true, "http/1.1")

	strict := "HTTPS2_TLS1_2"
	ok[store.InstanceModification](t)(f.st.ModifyInstance(ctx, f.a, inst.ID, rules.InstanceChange{HTTPSPolicy: &strict}))
	expect("changed to HTTPS2_TLS1_2", false, "h2")

	name := "strict"
	ok[store.InstanceModification](t)(f.st.ModifyInstance(ctx, f.a, inst.ID, rules.InstanceChange{Name: &name}))
	expect("renamed", false, "h2")

	legacy := "HTTPS1_1_TLS1_0"
	ok[store.InstanceModification](t)(f.st.ModifyInstance(ctx, f.a, inst.ID, rules.InstanceChange{HTTPSPolicy: &legacy}))
	expect("changed back to HTTPS1_1_TLS1_0", true, "http/1.1")
}
