package store

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

// TestMain removes the benchmark database, built once per test binary.
func TestMain(m *testing.M) {
	code := m.Run()
	if benchStore != nil {
		benchStore.Close()
	}
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// newStore opens a migrated store on a temporary file.
func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := OpenAndMigrate(context.Background(), filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// newAccount creates an account and returns an actor of it.
func newAccount(t testing.TB, s *Store, name string) Actor {
	t.Helper()
	acct, _, err := s.EnsureAccount(context.Background(), name)
	if err != nil {
		t.Fatalf("ensure account %s: %v", name, err)
	}
	return Actor{AccountID: acct.ID, Name: name + "-admin", Source: rules.SourceConsole}
}

func mustVpc(t testing.TB, s *Store, a Actor, region, cidr string) rules.VPC {
	t.Helper()
	v, err := s.CreateVpc(context.Background(), a, rules.VpcInput{Name: "vpc-" + region, RegionID: region, CIDR: cidr})
	if err != nil {
		t.Fatalf("create vpc: %v", err)
	}
	return v
}

func mustVSwitch(t testing.TB, s *Store, a Actor, v rules.VPC, zone, cidr string) rules.VSwitch {
	t.Helper()
	w, err := s.CreateVSwitch(context.Background(), a, rules.VSwitchInput{VpcID: v.ID, ZoneID: zone, Name: "vsw-" + zone, CIDR: cidr})
	if err != nil {
		t.Fatalf("create vswitch: %v", err)
	}
	return w
}

func mustInstance(t testing.TB, s *Store, a Actor, region, zone string) rules.Instance {
	t.Helper()
	in, err := s.CreateInstance(context.Background(), a, rules.InstanceInput{Name: "gw-" + zone, RegionID: region,
		ZoneID: zone, Spec: "api.s1.small", HTTPSPolicy: "HTTPS2_TLS1_2"})
	if err != nil {
		t.Fatalf("create instance: %v", err)
	}
	return in
}

func mustGroup(t testing.TB, s *Store, a Actor, name, region, instanceID string) rules.Group {
	t.Helper()
	g, err := s.CreateGroup(context.Background(), a, rules.GroupInput{Name: name, RegionID: region, InstanceID: instanceID})
	if err != nil {
		t.Fatalf("create group %s: %v", name, err)
	}
	return g
}

func sharedIn(t testing.TB, region string) string {
	t.Helper()
	id, ok := rules.DefaultSharedInstanceID(region)
	if !ok {
		t.Fatalf("no shared instance in %s", region)
	}
	return id
}

// world is a typical setup: account A with a VPC (two vSwitches) and a
// second VPC in cn-hangzhou, a bound and an unbound dedicated instance, and
// account B.
type world struct {
	s         *Store
	a, b      Actor
	vpc, vpc2 rules.VPC
	vsw, vsw2 rules.VSwitch
	vsw3      rules.VSwitch // in vpc2
	bound     rules.Instance
	unbound   rules.Instance
	shared    string // cn-hangzhou's shared instance
}

func newWorld(t testing.TB) *world {
	t.Helper()
	s := newStore(t)
	w := &world{s: s, a: newAccount(t, s, "alpha"), b: newAccount(t, s, "bravo")}
	w.vpc = mustVpc(t, s, w.a, "cn-hangzhou", "172.16.0.0/12")
	w.vsw = mustVSwitch(t, s, w.a, w.vpc, "cn-hangzhou-g", "172.16.0.0/24")
	w.vsw2 = mustVSwitch(t, s, w.a, w.vpc, "cn-hangzhou-h", "172.16.1.0/24")
	w.vpc2 = mustVpc(t, s, w.a, "cn-hangzhou", "192.168.0.0/16")
	w.vsw3 = mustVSwitch(t, s, w.a, w.vpc2, "cn-hangzhou-i", "192.168.5.0/24")
	w.bound = mustInstance(t, s, w.a, "cn-hangzhou", "cn-hangzhou-g")
	bound, err := s.BindVpc(context.Background(), w.a, w.bound.ID, w.vpc.ID, w.vsw.ID)
	if err != nil {
		t.Fatalf("bind: %v", err)
	}
	w.bound = bound.Instance
	w.unbound = mustInstance(t, s, w.a, "cn-hangzhou", "cn-hangzhou-h")
	w.shared = sharedIn(t, "cn-hangzhou")
	return w
}

// dump renders every table's rows, to prove a refusal changed nothing.
func dump(t testing.TB, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"accounts", "users", "access_keys", "vpcs", "vswitches", "instances",
		"api_groups", "group_counts", "custom_domains", "apis", "api_deployments", "api_counts", "api_list_versions",
		"gateway_changes", "op_log", "sessions", "auth_version"} {
		rows, err := s.w.Query(`SELECT * FROM ` + table + ` ORDER BY 1, 2`)
		if err != nil {
			t.Fatalf("dump %s: %v", table, err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "== %s\n", table)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatalf("dump %s: %v", table, err)
			}
			fmt.Fprintln(&b, vals...)
		}
		rows.Close()
	}
	return b.String()
}

// unchanged runs fn, which must fail with code, and checks that the
// database is exactly as before.
func unchanged(t testing.TB, s *Store, code string, fn func() error) {
	t.Helper()
	before := dump(t, s)
	err := fn()
	if err == nil {
		t.Fatalf("want refusal %s, got success", code)
	}
	if !rules.HasCode(err, code) {
		t.Fatalf("want refusal %s, got %v", code, err)
	}
	if after := dump(t, s); after != before {
		t.Fatalf("refusal %s changed the database:\nbefore:\n%s\nafter:\n%s", code, before, after)
	}
}

// refusedAtOnce checks that fn is refused with every field refusal of
// codes at once, in that order (the first decides the status and code),
// and changes nothing.
func refusedAtOnce(t testing.TB, s *Store, codes []string, fn func() error) {
	t.Helper()
	unchanged(t, s, codes[0], func() error {
		err := fn()
		var ie *InputError
		if !errors.As(err, &ie) || len(ie.Errs) != len(codes) {
			t.Fatalf("want the field refusals %v at once, got %v", codes, err)
		}
		for i, code := range codes {
			if ie.Errs[i].Code != code {
				t.Errorf("refusal %d: %s, want %s", i+1, ie.Errs[i].Code, code)
			}
		}
		return err
	})
}

// count runs a COUNT query on the writer connection.
func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.w.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// lastOp returns the newest operation-log row of the account.
func lastOp(t testing.TB, s *Store, accountID string) rules.OpLogEntry {
	t.Helper()
	// The log is listed by time; tests that set the clock back make the
	// last entry written an older one, so the highest sequence is looked for.
	ops, _, err := s.ListOpLog(context.Background(), accountID, OpLogQuery{Limit: 200})
	if err != nil || len(ops) == 0 {
		t.Fatalf("op log: %v, %d rows", err, len(ops))
	}
	last := ops[0]
	for _, op := range ops {
		if op.Seq > last.Seq {
			last = op
		}
	}
	return last
}

// selfSigned makes a certificate and key for the names, valid from
// notBefore to notAfter.
func selfSigned(t testing.TB, notBefore, notAfter time.Time, names ...string) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: names[0]}, DNSNames: names,
		NotBefore: notBefore, NotAfter: notAfter, KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: kder}))
}

// notFound fails unless err is a not-found refusal.
func notFound(t testing.TB, what string, err error) {
	t.Helper()
	re, ok := rules.AsError(err)
	if !ok || re.Kind != rules.KindNotFound {
		t.Fatalf("%s: want not found, got %v", what, err)
	}
}
