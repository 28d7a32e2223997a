package gateway

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/url"
	"strings"

	"gatehouse/rules"
)

// Networks and the proxy's credentials (SPEC §7).
//
// Every call comes from a network. A call made straight to the gateway
// comes from the Internet. Through the proxy, the Proxy-Authorization
// header names the network and proves it:
//
//	user name             network
//	internet              the Internet (no password needed; no header at all means the same)
//	vpc-…                 that VPC
//	hybrid.vpc-…          an on-premises network joined to that VPC (CEN or IPsec VPN)
//
// The password of a VPC or hybrid network is its credential: an HMAC-SHA256
// of the network's kind, its VPC's id and the VPC's account, under a key
// derived from the database's key file (store.SecretKey), written in 32
// characters of URL-safe base64. Only whoever holds the key file (the
// operator, through `gatehouse network url`, and the account, through the
// console) can make one; it proves that network of that account and no
// other, so no tenant can pose as another tenant's VPC, or as the hybrid
// network of one of its own VPCs with the VPC's credential. Deleting the
// VPC ends it; changing the key's name (ProxyKeyName) ends them all.

// ProxyKeyName names the key the credentials are derived from
// (store.SecretKey). A new name revokes every credential.
const ProxyKeyName = "gateway-proxy-credentials-1"

// ProxyKeySize is the size of that key.
const ProxyKeySize = 32

// Network is where a call comes from: the Internet, a VPC, or an
// on-premises network joined to a VPC.
type Network struct {
	Kind rules.CallerKind // CallerInternet, CallerVpc or CallerHybrid
	Vpc  *rules.VPC       // the VPC, or the VPC the hybrid network is joined to; nil for the Internet
}

// Internet is the network of direct calls.
var Internet = Network{Kind: rules.CallerInternet}

// hybridPrefix marks a hybrid network's user name.
const hybridPrefix = "hybrid."

// internetUser is the Internet's user name.
const internetUser = "internet"

// UserName is the proxy user name that names the network.
func (n Network) UserName() string {
	switch n.Kind {
	case rules.CallerVpc:
		return n.Vpc.ID
	case rules.CallerHybrid:
		return hybridPrefix + n.Vpc.ID
	default:
		return internetUser
	}
}

// Caller is the network as the access decision sees it.
func (n Network) Caller() rules.Caller {
	return rules.Caller{Kind: n.Kind, Vpc: n.Vpc}
}

// Credential is the network's proxy password under key; "" for the
// Internet, which needs none.
func Credential(key []byte, n Network) string {
	if n.Kind == rules.CallerInternet || n.Vpc == nil {
		return ""
	}
	sum := credentialMAC(key, n.Kind, n.Vpc.ID, n.Vpc.AccountID)
	return base64.RawURLEncoding.EncodeToString(sum[:credentialBytes])
}

// credentialBytes is how much of the MAC a credential carries (192 bits,
// 32 characters).
const credentialBytes = 24

func credentialMAC(key []byte, kind rules.CallerKind, vpcID, accountID string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("gatehouse proxy credential\x00"))
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(vpcID))
	m.Write([]byte{0})
	m.Write([]byte(accountID))
	return m.Sum(nil)
}

// ProxyURL is the URL a client of network n sets as its HTTP proxy
// (HTTP_PROXY, curl -x): the gateway's address with the network's user
// name and credential.
func ProxyURL(gatewayAddr string, key []byte, n Network) string {
	u := url.URL{Scheme: "http", Host: gatewayAddr}
	if pw := Credential(key, n); pw != "" {
		u.User = url.UserPassword(n.UserName(), pw)
	} else {
		u.User = url.User(n.UserName())
	}
	return u.String()
}

// proxyUser is what a Proxy-Authorization header says, before it is
// checked against the snapshot's VPCs.
type proxyUser struct {
	kind     rules.CallerKind
	vpcID    string // for vpc and hybrid
	password string
}

// Why a Proxy-Authorization header is not accepted; the words are the
// proxy's answer.
var (
	errAuthScheme = errors.New("the Proxy-Authorization header is not Basic credentials: send the user name and password of a network, as `gatehouse network url` prints them")
	errAuthFormat = errors.New("the Proxy-Authorization header is not base64 of user:password")
	errAuthUser   = errors.New("the proxy user name names no network: use internet, a VPC id (vpc-…) or hybrid.<VPC id>")
	errAuthDenied = errors.New("the proxy credentials do not prove that network: use the URL `gatehouse network url` prints for it")
)

// maxAuthHeader bounds the Proxy-Authorization header the proxy reads.
const maxAuthHeader = 512

// parseProxyAuthorization reads a Proxy-Authorization header: Basic
// credentials whose user name names a network. It checks the form only;
// whether the password proves the network is checkCredential's job.
func parseProxyAuthorization(h string) (proxyUser, error) {
	if len(h) > maxAuthHeader {
		return proxyUser{}, errAuthFormat
	}
	scheme, encoded, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return proxyUser{}, errAuthScheme
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return proxyUser{}, errAuthFormat
	}
	user, password, ok := strings.Cut(string(raw), ":")
	if !ok {
		return proxyUser{}, errAuthFormat
	}
	switch {
	case strings.EqualFold(user, internetUser):
		return proxyUser{kind: rules.CallerInternet}, nil
	case strings.HasPrefix(user, hybridPrefix) && rules.IsVpcID(user[len(hybridPrefix):]):
		return proxyUser{kind: rules.CallerHybrid, vpcID: user[len(hybridPrefix):], password: password}, nil
	case rules.IsVpcID(user):
		return proxyUser{kind: rules.CallerVpc, vpcID: user, password: password}, nil
	}
	return proxyUser{}, errAuthUser
}

// checkCredential finds the network a proxy user names among vpcs and
// checks its password: the VPC must exist and the password must be its
// credential. An unknown VPC and a wrong password answer alike, so the
// proxy tells nobody which VPCs exist.
func checkCredential(key []byte, u proxyUser, vpcs map[string]*rules.VPC) (Network, error) {
	if u.kind == rules.CallerInternet {
		return Internet, nil
	}
	got, err := base64.RawURLEncoding.DecodeString(u.password)
	if err != nil || len(got) != credentialBytes {
		return Network{}, errAuthDenied
	}
	v := vpcs[u.vpcID]
	accountID := ""
	if v != nil {
		accountID = v.AccountID
	}
	want := credentialMAC(key, u.kind, u.vpcID, accountID)
	if !hmac.Equal(got, want[:credentialBytes]) || v == nil {
		return Network{}, errAuthDenied
	}
	return Network{Kind: u.kind, Vpc: v}, nil
}
