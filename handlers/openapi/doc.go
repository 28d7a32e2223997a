// Package openapi serves Gatehouse's OpenAPI endpoint: Alibaba Cloud's RPC
// style (signature version 1.0), so the official SDK works against it
// unchanged (github.com/aliyun/alibaba-cloud-sdk-go, packages
// services/cloudapi and services/vpc, and its CommonRequest).
//
// One http.Handler (New) serves every action on the path "/", by GET or
// POST, parameters in the query string and/or an
// application/x-www-form-urlencoded body:
//
//   - Version 2016-07-14: API Gateway's actions (actions.go lists them),
//     plus DescribeVpcAccessDecision, Gatehouse's access check (R11);
//   - Version 2016-04-28: the VPC API's actions for VPCs, vSwitches and
//     zones.
//
// A request is checked in this order, the first failure answering:
// parameters readable and not repeated (InvalidParameter), Format, Version
// and Action present (MissingParameter) and served (InvalidVersion,
// InvalidAction.NotFound), the signature's parameters present
// (MissingParameter) and of HMAC-SHA1 version 1.0 (IncompleteSignature),
// Timestamp within 15 minutes (InvalidTimeStamp.Format,
// InvalidTimeStamp.Expired), the access key known and enabled
// (InvalidAccessKeyId.NotFound, InvalidAccessKeyId.Inactive), the
// signature (SignatureDoesNotMatch, whose message carries the server's
// string to sign as Alibaba Cloud's does), the nonce not seen in the
// window (SignatureNonceUsed; kept in memory, see nonceWindow), and the
// key's user allowed to change things when the action does (Forbidden for
// a viewer). Then the action runs over the same store and rules as the
// console, as the key's user: changes carry the store.Actor {account, the
// access key id, source "OpenAPI"}, so they are in the operation log, and
// another account's ids answer the rules' not-found codes.
//
// Errors answer {"RequestId","HostId","Code","Message","Recommend"} (under
// <Error> with Format=XML) with Alibaba Cloud's status: 400 for bad input
// and for refusals by a rule given the current state (R5, R7, R8, ...), 403
// Forbidden, 404 for absent ids and unknown actions, 5xx (InternalError,
// logged with the RequestId) only for failures of ours. A refused change by
// an authenticated key is written to the operation log with the code as
// its outcome.
package openapi
