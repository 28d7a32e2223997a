package openapi

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// Signature V3 (ACS3-HMAC-SHA256), as Alibaba Cloud's "V3 request syntax
// and signature" document describes it and the current SDKs compute it
// (darabonba-openapi's GetAuthorization in Go, @alicloud/openapi-core's
// getAuthorization in Node):
//
//	CanonicalRequest = METHOD "\n" CanonicalURI "\n" CanonicalQueryString "\n"
//	                   CanonicalHeaders "\n" SignedHeaders "\n" HashedRequestPayload
//
//   - CanonicalURI is the path, "/" for the RPC style;
//   - CanonicalQueryString: the query string's parameters (not the body's),
//     sorted by name, names and values percent-encoded per RFC 3986 as for
//     signature 1.0, joined as name=value with & ("name=" for an empty value);
//   - CanonicalHeaders: for each signed header, its lower-case name, ':', its
//     value trimmed (several values sorted and joined with ','), and "\n";
//   - SignedHeaders: the signed headers' lower-case names joined with ';',
//     as the Authorization header lists them (the SDKs sort them);
//   - HashedRequestPayload: the lower-case hex SHA-256 of the body, sent as
//     x-acs-content-sha256 too;
//
//	StringToSign = "ACS3-HMAC-SHA256\n" + hex(SHA-256(CanonicalRequest))
//	Signature    = hex(HMAC-SHA256(AccessKeySecret, StringToSign))
//	Authorization: ACS3-HMAC-SHA256 Credential=<AccessKeyId>,SignedHeaders=<...>,Signature=<...>
//
// host and every x-acs-* header the request carries must be signed (the
// document: every common header but Authorization, when present), and so
// must Content-Type when the body carries parameters, since it says how
// the body is read.

// v3Algorithm is the only V3 algorithm served.
const v3Algorithm = "ACS3-HMAC-SHA256"

// The headers of a V3 request, lower-case as it signs them.
const (
	headerAction        = "x-acs-action"
	headerVersion       = "x-acs-version"
	headerDate          = "x-acs-date"
	headerNonce         = "x-acs-signature-nonce"
	headerContentSHA256 = "x-acs-content-sha256"
	headerSignatureType = "x-acs-signature-type"
	acsHeaderPrefix     = "x-acs-"
)

// maxSignedHeaders bounds the SignedHeaders list: the SDKs sign fewer than
// ten, and each name is looked for in the rest of the list.
const maxSignedHeaders = 64

// emptySHA256 is the hex SHA-256 of an empty body: what a request without
// one signs.
const emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// v3Authorization is what an Authorization header of signature V3 says.
type v3Authorization struct {
	keyID         string // Credential
	signedHeaders string // as sent: names joined by ';'
	signature     string // hex, as sent
}

// incompleteSignature is the refusal of a V3 request whose signature is
// not built as the document says.
func incompleteSignature(why string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: CodeIncompleteSignature,
		Message:   "The request signature does not conform to Aliyun standards: " + why,
		Recommend: "Sign as Alibaba Cloud's \"V3 request syntax and signature\" describes, or let a current Alibaba Cloud SDK sign (see the README)."}
}

// parseV3Authorization reads "ACS3-HMAC-SHA256 Credential=…,SignedHeaders=…,
// Signature=…": each of the three once, nothing else, none empty (spaces
// around the commas are allowed).
func parseV3Authorization(h string) (v3Authorization, *apiError) {
	var a v3Authorization
	alg, rest, _ := strings.Cut(strings.TrimSpace(h), " ")
	if alg != v3Algorithm {
		return a, incompleteSignature("the Authorization header's algorithm " + quote(alg) + " is not supported; sign with " + v3Algorithm + ".")
	}
	var seen [3]bool
	for rest != "" {
		var field string
		field, rest, _ = strings.Cut(rest, ",")
		name, value, ok := strings.Cut(strings.TrimSpace(field), "=")
		var i int
		var dst *string
		switch name {
		case "Credential":
			i, dst = 0, &a.keyID
		case "SignedHeaders":
			i, dst = 1, &a.signedHeaders
		case "Signature":
			i, dst = 2, &a.signature
		default:
			return a, incompleteSignature("the Authorization header has a field " + quote(name) + "; it takes Credential, SignedHeaders and Signature.")
		}
		if !ok || value == "" {
			return a, incompleteSignature("the Authorization header's " + name + " is empty.")
		}
		if seen[i] {
			return a, incompleteSignature("the Authorization header gives " + name + " more than once.")
		}
		seen[i], *dst = true, value
	}
	for i, name := range [...]string{"Credential", "SignedHeaders", "Signature"} {
		if !seen[i] {
			return a, incompleteSignature("the Authorization header lacks " + name + " (Credential=AccessKeyId,SignedHeaders=…,Signature=…).")
		}
	}
	return a, nil
}

// checkSignedHeaders refuses a SignedHeaders list of more than
// maxSignedHeaders names, with an empty, upper-case or repeated name, a
// name of a header the request does not carry, or one that leaves out
// host, an x-acs-* header of the request or, when the body carries
// parameters, Content-Type.
func checkSignedHeaders(r *http.Request, signed string, bodyParams bool) *apiError {
	if strings.Count(signed, ";") >= maxSignedHeaders {
		return incompleteSignature("SignedHeaders names more than " + strconv.Itoa(maxSignedHeaders) + " headers.")
	}
	hostSigned, typeSigned := false, false
	for names := signed; ; {
		name, rest, more := strings.Cut(names, ";")
		switch {
		case name == "":
			return incompleteSignature("SignedHeaders " + quote(signed) + " has an empty name.")
		case hasUpper(name):
			return incompleteSignature("SignedHeaders names " + quote(name) + "; header names are signed in lower case.")
		case listed(rest, name):
			return incompleteSignature("SignedHeaders names " + quote(name) + " more than once.")
		case name == "host":
			hostSigned = true
		case len(headerValues(r, name)) == 0:
			return incompleteSignature("SignedHeaders names " + quote(name) + ", which the request does not carry.")
		case name == "content-type":
			typeSigned = true
		}
		if !more {
			break
		}
		names = rest
	}
	if !hostSigned {
		return incompleteSignature("the host header is not signed; SignedHeaders must name host.")
	}
	for k := range r.Header {
		if len(k) > len(acsHeaderPrefix) && strings.EqualFold(k[:len(acsHeaderPrefix)], acsHeaderPrefix) && !listedFold(signed, k) {
			return incompleteSignature("the header " + strings.ToLower(k) + " is sent but not signed; every x-acs-* header must be named in SignedHeaders.")
		}
	}
	if bodyParams && !typeSigned {
		return incompleteSignature("the body carries parameters but content-type is not signed; SignedHeaders must name content-type.")
	}
	return nil
}

// listed reports whether the ';'-separated list holds name.
func listed(list, name string) bool {
	for list != "" {
		var n string
		n, list, _ = strings.Cut(list, ";")
		if n == name {
			return true
		}
	}
	return false
}

// listedFold is listed ignoring case.
func listedFold(list, name string) bool {
	for list != "" {
		var n string
		n, list, _ = strings.Cut(list, ";")
		if strings.EqualFold(n, name) {
			return true
		}
	}
	return false
}

func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// headerValues returns the values of the header named (lower case) name.
// Go's server keeps header names in canonical form (X-Acs-Date), and Host
// out of Header (callers read r.Host for it); the canonical name is built
// on the stack, so the lookup allocates nothing (http.CanonicalHeaderKey
// would, for the lower-case names V3 signs).
func headerValues(r *http.Request, name string) []string {
	var buf [64]byte
	if len(name) > len(buf) {
		return r.Header.Values(name)
	}
	b := buf[:len(name)]
	upper := true
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case upper && 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		case !upper && 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b[i], upper = c, c == '-'
	}
	return r.Header[string(b)]
}

// singleHeader returns the one value of a header ("" when absent) and
// refuses one given more than once: what it says would be ambiguous.
func singleHeader(r *http.Request, name string) (string, *apiError) {
	vs := headerValues(r, name)
	switch len(vs) {
	case 0:
		return "", nil
	case 1:
		return strings.TrimSpace(vs[0]), nil
	}
	return "", &apiError{Status: http.StatusBadRequest, Code: CodeInvalidParameter,
		Message: "The header " + name + " is given more than once."}
}

// appendCanonicalRequestV3 appends the canonical request of r: query holds
// the query string's parameters, sorted.
func appendCanonicalRequestV3(dst []byte, r *http.Request, query params, signedHeaders, payloadHash string) []byte {
	dst = append(dst, r.Method...)
	dst = append(dst, "\n/\n"...)
	dst = appendCanonicalQueryV3(dst, query)
	dst = append(dst, '\n')
	dst = appendCanonicalHeaders(dst, r, signedHeaders)
	dst = append(dst, '\n')
	dst = append(dst, signedHeaders...)
	dst = append(dst, '\n')
	return append(dst, payloadHash...)
}

// appendCanonicalQueryV3 appends the canonical query string of sorted
// parameters: name=value pairs percent-encoded per RFC 3986, joined with &.
func appendCanonicalQueryV3(dst []byte, query params) []byte {
	for i, p := range query {
		if i > 0 {
			dst = append(dst, '&')
		}
		dst = appendPercentEncoded(dst, p.name)
		dst = append(dst, '=')
		dst = appendPercentEncoded(dst, p.value)
	}
	return dst
}

// appendCanonicalHeaders appends "name:value\n" for each signed header, in
// the order SignedHeaders lists them, values trimmed; several values of one
// header sorted and joined with ','.
func appendCanonicalHeaders(dst []byte, r *http.Request, signedHeaders string) []byte {
	for rest := signedHeaders; rest != ""; {
		var name string
		name, rest, _ = strings.Cut(rest, ";")
		dst = append(dst, name...)
		dst = append(dst, ':')
		if name == "host" {
			dst = append(dst, strings.TrimSpace(r.Host)...)
			dst = append(dst, '\n')
			continue
		}
		vs := headerValues(r, name)
		if len(vs) > 1 {
			trimmed := make([]string, len(vs))
			for i, v := range vs {
				trimmed[i] = strings.TrimSpace(v)
			}
			slices.Sort(trimmed)
			vs = trimmed
		}
		for i, v := range vs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, strings.TrimSpace(v)...)
		}
		dst = append(dst, '\n')
	}
	return dst
}

// appendStringToSignV3 appends "ACS3-HMAC-SHA256\n" + hex(SHA-256(canonical)).
func appendStringToSignV3(dst, canonical []byte) []byte {
	sum := sha256.Sum256(canonical)
	dst = append(dst, v3Algorithm+"\n"...)
	return hex.AppendEncode(dst, sum[:])
}

// signV3 computes the hex V3 signature of a string to sign.
func signV3(secret string, stringToSign []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(stringToSign)
	return hex.EncodeToString(mac.Sum(nil))
}

// signatureMatchesV3 compares a hex V3 signature (either case) with the one
// secret gives, in constant time.
func signatureMatchesV3(secret string, stringToSign []byte, signature string) bool {
	got, ok := decodeHex256(signature)
	if !ok {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(stringToSign)
	var want [sha256.Size]byte
	return hmac.Equal(mac.Sum(want[:0]), got[:])
}

// payloadMatches reports whether the hex SHA-256 a request claims (either
// case) is the SHA-256 of its body.
func payloadMatches(claimed string, sum *[sha256.Size]byte) bool {
	got, ok := decodeHex256(claimed)
	return ok && got == *sum
}

// decodeHex256 decodes 64 hex digits (either case) without allocating.
func decodeHex256(s string) (out [sha256.Size]byte, ok bool) {
	if len(s) != 2*sha256.Size {
		return out, false
	}
	for i := range out {
		hi, ok1 := hexDigit(s[2*i])
		lo, ok2 := hexDigit(s[2*i+1])
		if !ok1 || !ok2 {
			return out, false
		}
		out[i] = hi<<4 | lo
	}
	return out, true
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// appendJSONParams reads a JSON object body (what a V3 client sends with
// the SDK's ReqBodyType "json") as parameters: strings as they are, numbers
// as written, booleans as true or false; null is no parameter. Nested
// objects and arrays are refused: RPC parameters are flat (Tag.1.Key).
func appendJSONParams(dst params, body []byte) (params, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var obj map[string]any
	if err := dec.Decode(&obj); err != nil || obj == nil {
		return dst, invalidParameter("", "the JSON body is not an object of parameters.")
	}
	if _, err := dec.Token(); err != io.EOF {
		return dst, invalidParameter("", "the JSON body has more than one value.")
	}
	for name, v := range obj {
		if name == "" {
			return dst, invalidParameter("", "a parameter has no name.")
		}
		switch v := v.(type) {
		case nil:
		case string:
			dst = append(dst, param{name, v})
		case json.Number:
			dst = append(dst, param{name, v.String()})
		case bool:
			dst = append(dst, param{name, strconv.FormatBool(v)})
		default:
			return dst, invalidParameter(name, "it is a JSON object or array; send RPC parameters flat (Tag.1.Key=…), in a form body or the query.")
		}
	}
	return dst, nil
}
