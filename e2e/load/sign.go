package main

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
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
