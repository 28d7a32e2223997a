package rules_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

// The world the tests run in: two accounts, VPCs in Hangzhou and Shanghai,
// the Hangzhou shared instance and dedicated instances in every binding
// state.

const (
	acctA = "1000000000000001"
	acctB = "2000000000000002"
)

var (
	vpcA = rules.VPC{ID: "vpc-aaaaaaaaaaaaaaaaaaaaaa", AccountID: acctA, RegionID: "cn-hangzhou", Name: "prod", CIDR: "10.0.0.0/16"}
	vpcB = rules.VPC{ID: "vpc-bbbbbbbbbbbbbbbbbbbbbb", AccountID: acctA, RegionID: "cn-hangzhou", Name: "staging", CIDR: "172.16.0.0/16"}
	// vpcFar is in another region.
	vpcFar = rules.VPC{ID: "vpc-ffffffffffffffffffffff", AccountID: acctA, RegionID: "cn-shanghai", Name: "far", CIDR: "192.168.0.0/16"}
	// vpcOther belongs to another account, in the same region.
	vpcOther = rules.VPC{ID: "vpc-oooooooooooooooooooooo", AccountID: acctB, RegionID: "cn-hangzhou", Name: "theirs", CIDR: "10.0.0.0/8"}

	vswA   = rules.VSwitch{ID: "vsw-aaaaaaaaaaaaaaaaaaaaaa", AccountID: acctA, VpcID: vpcA.ID, ZoneID: "cn-hangzhou-g", Name: "a1", CIDR: "10.0.1.0/24"}
	vswB   = rules.VSwitch{ID: "vsw-bbbbbbbbbbbbbbbbbbbbbb", AccountID: acctA, VpcID: vpcB.ID, ZoneID: "cn-hangzhou-h", Name: "b1", CIDR: "172.16.1.0/24"}
	vswOth = rules.VSwitch{ID: "vsw-oooooooooooooooooooooo", AccountID: acctB, VpcID: vpcOther.ID, ZoneID: "cn-hangzhou-g", Name: "o1", CIDR: "10.9.0.0/24"}

	shared = rules.Instance{ID: "api-shared-vpc-001", Type: rules.InstanceShared, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Status: "RUNNING"}
	// sharedSH is the Shanghai shared instance.
	sharedSH = rules.Instance{ID: "api-shared-vpc-002", Type: rules.InstanceShared, RegionID: "cn-shanghai", ZoneID: "cn-shanghai-e", Status: "RUNNING"}

	dedUnbound = rules.Instance{ID: "apigateway-cn-hangzhou-000000000001", Type: rules.InstanceDedicated, AccountID: acctA, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Name: "unbound", Spec: "api.s1.small", Status: "RUNNING"}
	dedBoundA  = rules.Instance{ID: "apigateway-cn-hangzhou-00000000000a", Type: rules.InstanceDedicated, AccountID: acctA, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Name: "bound-a", Spec: "api.s1.small", Status: "RUNNING",
		VpcID: vpcA.ID, VSwitchID: vswA.ID, EndpointIP: "10.0.1.77"}
	dedBoundB = rules.Instance{ID: "apigateway-cn-hangzhou-00000000000b", Type: rules.InstanceDedicated, AccountID: acctA, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-h", Name: "bound-b", Spec: "api.s1.small", Status: "RUNNING",
		VpcID: vpcB.ID, VSwitchID: vswB.ID, EndpointIP: "172.16.1.9"}
	// dedOther is another account's dedicated instance.
	dedOther = rules.Instance{ID: "apigateway-cn-hangzhou-0000000000ff", Type: rules.InstanceDedicated, AccountID: acctB, RegionID: "cn-hangzhou", ZoneID: "cn-hangzhou-g", Name: "theirs", Spec: "api.s1.small", Status: "RUNNING"}
	// dedSH is a bound dedicated instance of account A in Shanghai.
	dedSH = rules.Instance{ID: "apigateway-cn-shanghai-0000000000aa", Type: rules.InstanceDedicated, AccountID: acctA, RegionID: "cn-shanghai", ZoneID: "cn-shanghai-e", Name: "sh", Spec: "api.s1.small", Status: "RUNNING",
		VpcID: vpcFar.ID, VSwitchID: "vsw-ffffffffffffffffffffff", EndpointIP: "192.168.0.10"}
)

// group returns a group of account A on inst.
func group(inst rules.Instance, vpcEnabled bool) rules.Group {
	return rules.Group{ID: "0123456789abcdef0123456789abcdef", AccountID: acctA, RegionID: inst.RegionID, InstanceID: inst.ID, Name: "orders", VpcDomainEnabled: vpcEnabled}
}

// wantCode fails the test unless err carries code, or is nil when code is "".
func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if code == "" {
		if err != nil {
			t.Fatalf("got error %v, want none", err)
		}
		return
	}
	re, ok := rules.AsError(err)
	if !ok {
		t.Fatalf("got %v, want a *rules.Error with code %s", err, code)
	}
	if re.Code != code {
		t.Fatalf("got code %s (%s), want %s", re.Code, re.Message, code)
	}
	wantSentence(t, re.Message)
}

// wantSentence fails unless msg reads as a sentence: a capital first, a
// full stop last.
func wantSentence(t *testing.T, msg string) {
	t.Helper()
	if msg == "" || strings.ToUpper(msg[:1]) != msg[:1] || !strings.HasSuffix(msg, ".") {
		t.Fatalf("message %q is not a full sentence", msg)
	}
}

// fieldCodes turns validator output into field → code, checking each
// error on the way.
func fieldCodes(t *testing.T, errs []*rules.Error) map[string]string {
	t.Helper()
	got := map[string]string{}
	for _, e := range errs {
		if e.Field == "" || e.Code == "" || e.Kind != rules.KindInvalid {
			t.Fatalf("field error without field, code or invalid kind: %+v", e)
		}
		// A field may break several parts of its rule: each is an error
		// of its own, all with the field's code.
		if code, dup := got[e.Field]; dup && code != e.Code {
			t.Fatalf("two codes for field %s: %v", e.Field, errs)
		}
		wantSentence(t, e.Message)
		got[e.Field] = e.Code
	}
	return got
}

func sameCodes(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// testCert makes a self-signed ECDSA certificate for names, valid from
// notBefore to notAfter, and returns it and its key in PEM form.
func testCert(t testing.TB, names []string, notBefore, notAfter time.Time) (certPEM, keyPEM string) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	cn := "test"
	if len(names) > 0 {
		cn = names[0]
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: cn},
		DNSNames:     names,
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certPEM = string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
	keyPEM = string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8}))
	return certPEM, keyPEM
}
