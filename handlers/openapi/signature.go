package openapi

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"
)

// Signature version 1.0, as Alibaba Cloud documents it and the SDK computes
// it (sdk/auth/rpc_signature_composer.go):
//
//  1. every parameter but Signature, sorted by name (byte order);
//  2. names and values percent-encoded per RFC 3986 (letters, digits and
//     -_.~ stay, every other byte becomes %XY in upper-case hex);
//  3. joined as name=value with &: the canonicalised query string;
//  4. StringToSign = METHOD & percentEncode("/") & percentEncode(canonicalised);
//  5. Signature = Base64(HMAC-SHA1(AccessKeySecret + "&", StringToSign)).

// The only signature method and version served.
const (
	signatureMethod  = "HMAC-SHA1"
	signatureVersion = "1.0"
	timestampLayout  = "2006-01-02T15:04:05Z"
)

const upperHex = "0123456789ABCDEF"

// unreserved reports whether RFC 3986 leaves b as it is.
func unreserved(b byte) bool {
	return 'A' <= b && b <= 'Z' || 'a' <= b && b <= 'z' || '0' <= b && b <= '9' ||
		b == '-' || b == '_' || b == '.' || b == '~'
}

// appendPercentEncoded appends s percent-encoded per RFC 3986, byte by byte
// (multi-byte UTF-8 characters become one %XY per byte).
func appendPercentEncoded(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if unreserved(b) {
			dst = append(dst, b)
		} else {
			dst = append(dst, '%', upperHex[b>>4], upperHex[b&15])
		}
	}
	return dst
}

// percentEncode is appendPercentEncoded for a string.
func percentEncode(s string) string { return string(appendPercentEncoded(nil, s)) }

// appendCanonicalQuery appends the canonicalised query string of ps
// (sorted), without the Signature parameter.
func appendCanonicalQuery(dst []byte, ps params) []byte {
	first := true
	for _, p := range ps {
		if p.name == "Signature" {
			continue
		}
		if !first {
			dst = append(dst, '&')
		}
		first = false
		dst = appendPercentEncoded(dst, p.name)
		dst = append(dst, '=')
		dst = appendPercentEncoded(dst, p.value)
	}
	return dst
}

// appendStringToSign appends METHOD&%2F&percentEncode(canonicalised query).
// scratch is a buffer for the canonicalised query, returned for reuse.
func appendStringToSign(dst, scratch []byte, method string, ps params) (sts, scratchOut []byte) {
	scratch = appendCanonicalQuery(scratch[:0], ps)
	dst = append(dst, method...)
	dst = append(dst, "&%2F&"...)
	for _, b := range scratch { // percent-encode the canonical query in place
		if unreserved(b) {
			dst = append(dst, b)
		} else {
			dst = append(dst, '%', upperHex[b>>4], upperHex[b&15])
		}
	}
	return dst, scratch
}

// sign computes the Base64 signature of a string to sign.
func sign(secret string, stringToSign []byte) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write(stringToSign)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// signatureMatches compares a request's Signature with the one secret
// gives, in constant time.
func signatureMatches(secret string, stringToSign []byte, signature string) bool {
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(got) != sha1.Size {
		return false
	}
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write(stringToSign)
	return hmac.Equal(mac.Sum(nil), got)
}

// checkSignatureParams refuses a signature method, version or type other
// than HMAC-SHA1, 1.0 and none.
func checkSignatureParams(ps params) error {
	if m := ps.str("SignatureMethod"); m != signatureMethod {
		return &apiError{Status: http.StatusBadRequest, Code: CodeIncompleteSignature,
			Message: "The request signature does not conform to Aliyun standards: SignatureMethod " + quote(m) + " is not supported; use HMAC-SHA1."}
	}
	if v := ps.str("SignatureVersion"); v != signatureVersion {
		return &apiError{Status: http.StatusBadRequest, Code: CodeIncompleteSignature,
			Message: "The request signature does not conform to Aliyun standards: SignatureVersion " + quote(v) + " is not supported; use 1.0."}
	}
	if t := ps.str("SignatureType"); t != "" {
		return &apiError{Status: http.StatusBadRequest, Code: CodeIncompleteSignature,
			Message: "The request signature does not conform to Aliyun standards: SignatureType " + quote(t) + " is not supported; sign with an AccessKey."}
	}
	return nil
}

// checkTimestamp parses Timestamp (UTC ISO 8601, YYYY-MM-DDThh:mm:ssZ; any
// RFC 3339 time is accepted) and refuses one more than window away from
// now, in the past or the future.
func checkTimestamp(raw string, now time.Time, window time.Duration) (time.Time, error) {
	ts, err := time.Parse(timestampLayout, raw)
	if err != nil {
		if ts, err = time.Parse(time.RFC3339, raw); err != nil {
			return time.Time{}, &apiError{Status: http.StatusBadRequest, Code: CodeTimestampFormat,
				Message: "Specified time stamp or date value is not well formatted: " + quote(raw) + ". Write it in UTC as YYYY-MM-DDThh:mm:ssZ."}
		}
	}
	if d := now.Sub(ts); d > window || d < -window {
		return time.Time{}, &apiError{Status: http.StatusBadRequest, Code: CodeTimestampExpired,
			Message: "Specified time stamp or date value is expired: " + quote(raw) + " is more than " + window.String() +
				" away from the server's time " + now.UTC().Format(timestampLayout) + ".",
			Recommend: "Check the clock of the machine that signs the request."}
	}
	return ts, nil
}

// quote quotes a caller's value for a message, cut to 64 bytes.
func quote(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + "…"
	}
	return strconv.Quote(s)
}
