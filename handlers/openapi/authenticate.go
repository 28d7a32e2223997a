package openapi

import (
	"context"
	"encoding/hex"
	"net/http"
	"sync"

	"gatehouse/rules"
)

// credential is what a request's signature claims, whichever version made
// it: signature 1.0 (parameters) or V3 (the Authorization header and
// x-acs-* headers).
type credential struct {
	v3          bool
	keyID       string
	nonce       string // SignatureNonce or x-acs-signature-nonce
	timestamp   string // Timestamp or x-acs-date
	auth        v3Authorization
	payloadHash string // x-acs-content-sha256, as sent
}

// v3Credential reads the Authorization header of a V3 request, refusing a
// request signed both ways or with more than one Authorization.
func v3Credential(authorization []string, ps params) (credential, error) {
	if _, both := ps.get("Signature"); both {
		return credential{}, &apiError{Status: http.StatusBadRequest, Code: CodeIncompleteSignature,
			Message: "The request signature does not conform to Aliyun standards: the request is signed twice, with a Signature parameter " +
				"(signature version 1.0) and an Authorization header (signature V3). Sign it one way."}
	}
	if len(authorization) > 1 {
		return credential{}, incompleteSignature("the request has more than one Authorization header.")
	}
	auth, err := parseV3Authorization(authorization[0])
	if err != nil {
		return credential{}, err
	}
	return credential{v3: true, keyID: auth.keyID, auth: auth}, nil
}

// requestedAction reads the version and the action asked for: the Version
// and Action parameters with signature 1.0, the x-acs-version and
// x-acs-action headers with V3 (where parameters of the same names, if
// given, must agree with them). The action's name comes back also with a
// refusal, when it was read, for the log.
func requestedAction(r *http.Request, ps params, v3 bool) (version, name string, err error) {
	if !v3 {
		name = ps.str("Action") // for the log, even when refused
		if version, err = ps.required("Version"); err != nil {
			return "", name, err
		}
		_, err = ps.required("Action")
		return version, name, err
	}
	for _, h := range [...]struct {
		header, param string
		dst           *string
	}{{headerAction, "Action", &name}, {headerVersion, "Version", &version}} {
		v, err := singleHeader(r, h.header)
		if err != nil {
			return "", "", err
		}
		if v == "" {
			return "", name, missingParameter(h.header)
		}
		if p, given := ps.get(h.param); given && p != v {
			return "", name, invalidParameter(h.param, "%s differs from the %s header %s; give one or the same.", quote(p), h.header, quote(v))
		}
		*h.dst = v
	}
	return version, name, nil
}

// signBufs are the buffers of one signature check, pooled.
type signBufs struct{ sts, canon []byte }

var signPool = sync.Pool{New: func() any { return new(signBufs) }}

// authenticate checks the request's signature, of either version, in
// Alibaba Cloud's order: its form (parameters or headers present and
// well-formed), the timestamp, the access key, the signature itself, and
// the nonce (one memory for both versions). It answers the key and its
// user.
func (s *Server) authenticate(ctx context.Context, r *http.Request, in *request, cred credential) (rules.AccessKey, rules.User, error) {
	var err error
	if cred.v3 {
		err = checkV3Request(r, in, &cred)
	} else {
		cred, err = v1Credential(in.ps)
	}
	if err != nil {
		return rules.AccessKey{}, rules.User{}, err
	}
	now := s.opts.Now()
	if _, err := checkTimestamp(cred.timestamp, now, s.opts.Window); err != nil {
		return rules.AccessKey{}, rules.User{}, err
	}
	key, user, secret, err := s.st.AccessKeyForSignature(ctx, cred.keyID)
	if err != nil {
		return rules.AccessKey{}, rules.User{}, err
	}
	if err := verifySignature(r, in, cred, key.ID, secret); err != nil {
		return rules.AccessKey{}, rules.User{}, err
	}
	switch s.nonces.add(key.ID, cred.nonce, now) {
	case nonceUsed:
		what := "SignatureNonce"
		if cred.v3 {
			what = headerNonce
		}
		return rules.AccessKey{}, rules.User{}, &apiError{Status: http.StatusBadRequest, Code: CodeNonceUsed,
			Message: "Specified signature nonce was used already: every request needs a new " + what + "."}
	case nonceFull:
		return rules.AccessKey{}, rules.User{}, &apiError{Status: http.StatusTooManyRequests, Code: CodeThrottling,
			Message: "Too many requests in the last minutes: the replay protection is full. Try again later."}
	}
	// The console shows when each key was last used; noting it costs no
	// database write here (store.NoteAccessKeyUse).
	s.st.NoteAccessKeyUse(key.ID, now)
	return key, user, nil
}

// v1Credential reads the parameters of signature version 1.0, all
// required, and refuses a method, version or type other than HMAC-SHA1,
// 1.0 and none.
func v1Credential(ps params) (credential, error) {
	if _, signed := ps.get("Signature"); !signed {
		return credential{}, &apiError{Status: http.StatusBadRequest, Code: CodeMissingParameter,
			Message: "The input parameter \"Signature\" that is mandatory for processing this request is not supplied: the request is not signed. " +
				"Sign it with signature version 1.0 (the Signature parameter and its companions) or V3 (an Authorization: " + v3Algorithm + " header)."}
	}
	for _, p := range [...]string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"} {
		if _, err := ps.required(p); err != nil {
			return credential{}, err
		}
	}
	if err := checkSignatureParams(ps); err != nil {
		return credential{}, err
	}
	return credential{keyID: ps.str("AccessKeyId"), nonce: ps.str("SignatureNonce"), timestamp: ps.str("Timestamp")}, nil
}

// checkV3Request checks the headers of a V3 request against its
// Authorization: the date, nonce and content hash present, no bearer token
// (only access keys sign here), host, every x-acs-* header and, for a body
// of parameters, Content-Type signed, and the content hash the body's.
func checkV3Request(r *http.Request, in *request, cred *credential) error {
	if t, err := singleHeader(r, headerSignatureType); err != nil {
		return err
	} else if t != "" {
		return incompleteSignature(headerSignatureType + " " + quote(t) + " is not supported; sign with an AccessKey.")
	}
	for _, h := range [...]struct {
		name string
		dst  *string
	}{{headerDate, &cred.timestamp}, {headerNonce, &cred.nonce}, {headerContentSHA256, &cred.payloadHash}} {
		v, err := singleHeader(r, h.name)
		if err != nil {
			return err
		}
		if v == "" {
			return missingParameter(h.name)
		}
		*h.dst = v
	}
	if err := checkSignedHeaders(r, cred.auth.signedHeaders, in.bodyParams); err != nil {
		return err
	}
	if !payloadMatches(cred.payloadHash, &in.bodySum) {
		return incompleteSignature(headerContentSHA256 + " " + quote(cred.payloadHash) + " is not the SHA-256 of the body, " +
			hex.EncodeToString(in.bodySum[:]) + " (lower-case hex, " + emptySHA256 + " for an empty body).")
	}
	return nil
}

// verifySignature computes what the request's signature should be, with
// the key's secret, and compares. A mismatch says what the server signed:
// the string to sign (1.0), the canonical request and the string to sign
// (V3), as Alibaba Cloud does.
func verifySignature(r *http.Request, in *request, cred credential, keyID, secret string) error {
	sb := signPool.Get().(*signBufs)
	defer func() {
		if cap(sb.sts) <= 64<<10 && cap(sb.canon) <= 64<<10 { // keep only buffers of ordinary requests
			signPool.Put(sb)
		}
	}()
	if cred.v3 {
		sb.canon = appendCanonicalRequestV3(sb.canon[:0], r, in.query, cred.auth.signedHeaders, cred.payloadHash)
		sb.sts = appendStringToSignV3(sb.sts[:0], sb.canon)
		if signatureMatchesV3(secret, sb.sts, cred.auth.signature) {
			return nil
		}
		return &apiError{Status: http.StatusBadRequest, Code: CodeSignatureDoesNotMatch,
			Message: "Specified signature is not matched with our calculation. server canonical request is:\n" + string(sb.canon) +
				"\nserver string to sign is:\n" + string(sb.sts),
			Recommend: "Sign with the AccessKeySecret of " + keyID + ": hex(HMAC-SHA256(secret, string to sign)), where the string to sign is " +
				v3Algorithm + "\\n + hex(SHA-256(canonical request)) (see the README)."}
	}
	sb.sts, sb.canon = appendStringToSign(sb.sts[:0], sb.canon, r.Method, in.ps)
	if signatureMatches(secret, sb.sts, in.ps.str("Signature")) {
		return nil
	}
	return &apiError{Status: http.StatusBadRequest, Code: CodeSignatureDoesNotMatch,
		Message:   "Specified signature is not matched with our calculation. server string to sign is:" + string(sb.sts),
		Recommend: "Sign with the AccessKeySecret of " + keyID + ", over every parameter but Signature (see the README)."}
}
