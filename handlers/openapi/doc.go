// Package openapi serves Gatehouse's OpenAPI endpoint: Alibaba Cloud's RPC
// style, signed with signature V3 (ACS3-HMAC-SHA256, what every current
// Alibaba Cloud SDK sends by default: darabonba-openapi in Go,
// @alicloud/openapi-core in Node) or with signature version 1.0 (HMAC-SHA1,
// the classic SDK github.com/aliyun/alibaba-cloud-sdk-go), so the SDKs work
// against it unchanged but for endpoint, protocol and keys.
//
// One http.Handler (New) serves every action on the path "/", by GET or
// POST, parameters in the query string and/or the body (a form; with V3 a
// JSON object too):
//
//   - Version 2016-07-14: API Gateway's actions (actions.go lists them),
//     plus DescribeVpcAccessDecision, Gatehouse's access check (R11);
//   - Version 2016-04-28: the VPC API's actions for VPCs, vSwitches and
//     zones.
//
// A request is checked in this order, the first failure answering:
// parameters readable and not repeated (InvalidParameter), Format; with V3
// the Authorization header (IncompleteSignature: another algorithm, a field
// missing, the request signed both ways); Version and Action present (the
// parameters with 1.0, the x-acs-version and x-acs-action headers with V3:
// MissingParameter) and served (InvalidVersion, InvalidAction.NotFound);
// the signature's form: with 1.0 its parameters present (MissingParameter,
// which also answers a request signed neither way) and of HMAC-SHA1 version
// 1.0 (IncompleteSignature), with V3 the x-acs-date, x-acs-signature-nonce
// and x-acs-content-sha256 headers present (MissingParameter), host, every
// x-acs-* header and, for body parameters, content-type signed, and the
// content hash the body's (IncompleteSignature); Timestamp or x-acs-date
// within 15 minutes (InvalidTimeStamp.Format, InvalidTimeStamp.Expired),
// the access key known and enabled (InvalidAccessKeyId.NotFound,
// InvalidAccessKeyId.Inactive), the signature (SignatureDoesNotMatch, whose
// message carries the server's string to sign, and for V3 its canonical
// request), the nonce not seen in the window (SignatureNonceUsed; one
// memory for both signatures, kept in memory, see nonceWindow), and the
// key's user allowed to change things when the action does (Forbidden for
// a viewer). authenticate.go holds these steps; signature.go and
// signature_v3.go the two signatures. Then the action runs over the same
// store and rules as the console, as the key's user: changes carry the
// store.Actor {account, the access key id, source "OpenAPI"}, so they are
// in the operation log, and another account's ids answer the rules'
// not-found codes.
//
// Errors answer {"RequestId","HostId","Code","Message","Recommend"} (under
// <Error> with Format=XML) with Alibaba Cloud's status: 400 for bad input
// and for refusals by a rule given the current state (R5, R7, R8, ...), 403
// Forbidden, 404 for absent ids and unknown actions, 5xx (InternalError,
// logged with the RequestId) only for failures of ours. A refused change by
// an authenticated key is written to the operation log with the code as
// its outcome.
package openapi
