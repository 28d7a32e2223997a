package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// signer signs Alibaba Cloud RPC-style requests (signature version 1.0) as
// the SDK does: every parameter but Signature sorted by name, names and
// values percent-encoded per RFC 3986 and joined with & into the
// canonicalised query; StringToSign = METHOD&%2F&percentEncode(canonical);
// Signature = Base64(HMAC-SHA1(secret + "&", StringToSign)). sign_test.go
// checks it against the SDK's own signer.
type signer struct {
	keyID, secret string
}

type param struct{ name, value string }

// query returns the signed query string of a GET request with the common
// parameters the SDK adds (Format, Version, AccessKeyId, the signature
// parameters, Timestamp, SignatureNonce) and params (Action, RegionId…).
func (s signer) query(method, version, nonce string, now time.Time, params ...param) string {
	ps := append([]param{
		{"Format", "JSON"},
		{"Version", version},
		{"AccessKeyId", s.keyID},
		{"SignatureMethod", "HMAC-SHA1"},
		{"SignatureVersion", "1.0"},
		{"SignatureType", ""}, // the SDK sends it empty
		{"SignatureNonce", nonce},
		{"Timestamp", now.UTC().Format("2006-01-02T15:04:05Z")},
	}, params...)
	slices.SortFunc(ps, func(a, b param) int { return strings.Compare(a.name, b.name) })
	var canon strings.Builder
	for i, p := range ps {
		if i > 0 {
			canon.WriteByte('&')
		}
		canon.WriteString(percentEncode(p.name))
		canon.WriteByte('=')
		canon.WriteString(percentEncode(p.value))
	}
	mac := hmac.New(sha1.New, []byte(s.secret+"&"))
	mac.Write([]byte(method + "&%2F&" + percentEncode(canon.String())))
	sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	return canon.String() + "&Signature=" + percentEncode(sig)
}

// percentEncode encodes per RFC 3986: letters, digits and -_.~ stay, every
// other byte becomes %XY.
func percentEncode(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// v3Request is a request signed with V3 (ACS3-HMAC-SHA256) as the current
// SDKs sign it (darabonba-openapi's GetAuthorization): its query string, in
// canonical form, and its headers, Authorization last.
type v3Request struct {
	query   string
	headers []param
}

// emptySHA256 is the hex SHA-256 of an empty body.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// v3 signs a request without a body: the canonical request is METHOD, "/",
// the sorted and percent-encoded query, the signed headers (host, every
// x-acs-* header, lower-case, sorted, "name:value\n" each), their names
// joined by ';', and the body's hex SHA-256; the string to sign is
// "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical request)); the signature
// hex(HMAC-SHA256(secret, string to sign)). sign_test.go checks it against
// the SDK's signer.
func (s signer) v3(method, host, version, action, nonce string, now time.Time, params ...param) v3Request {
	ps := slices.Clone(params)
	slices.SortFunc(ps, func(a, b param) int { return strings.Compare(a.name, b.name) })
	var query strings.Builder
	for i, p := range ps {
		if i > 0 {
			query.WriteByte('&')
		}
		query.WriteString(percentEncode(p.name))
		query.WriteByte('=')
		query.WriteString(percentEncode(p.value))
	}
	signed := []param{ // sorted by name
		{"host", host},
		{"x-acs-action", action},
		{"x-acs-content-sha256", emptySHA256},
		{"x-acs-credentials-provider", "static_ak"}, // the Go SDK sends and signs it
		{"x-acs-date", now.UTC().Format("2006-01-02T15:04:05Z")},
		{"x-acs-signature-nonce", nonce},
		{"x-acs-version", version},
	}
	var canon strings.Builder
	canon.WriteString(method + "\n/\n" + query.String() + "\n")
	names := make([]string, len(signed))
	for i, h := range signed {
		canon.WriteString(h.name + ":" + h.value + "\n")
		names[i] = h.name
	}
	signedHeaders := strings.Join(names, ";")
	canon.WriteString("\n" + signedHeaders + "\n" + emptySHA256)
	sum := sha256.Sum256([]byte(canon.String()))
	mac := hmac.New(sha256.New, []byte(s.secret))
	mac.Write([]byte("ACS3-HMAC-SHA256\n" + hex.EncodeToString(sum[:])))
	auth := "ACS3-HMAC-SHA256 Credential=" + s.keyID + ",SignedHeaders=" + signedHeaders + ",Signature=" + hex.EncodeToString(mac.Sum(nil))
	return v3Request{query: query.String(), headers: append(signed[1:], param{"Authorization", auth})}
}
