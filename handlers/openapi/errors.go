package openapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"gatehouse/rules"
	"gatehouse/store"
)

// Error codes of the endpoint itself, as Alibaba Cloud's RPC gateway names
// them. The rules' own codes (rules.Code...) pass through unchanged.
const (
	CodeMissingParameter      = "MissingParameter"
	CodeInvalidParameter      = "InvalidParameter"
	CodeIncompleteSignature   = "IncompleteSignature"
	CodeSignatureDoesNotMatch = "SignatureDoesNotMatch"
	CodeTimestampExpired      = "InvalidTimeStamp.Expired"
	CodeTimestampFormat       = "InvalidTimeStamp.Format"
	CodeNonceUsed             = "SignatureNonceUsed"
	CodeForbidden             = "Forbidden"
	CodeActionNotFound        = "InvalidAction.NotFound"
	CodeInvalidVersion        = "InvalidVersion"
	CodeUnsupportedMethod     = "UnsupportedHTTPMethod"
	CodeThrottling            = "Throttling"
	CodeDryRun                = "DryRunOperation"
	CodeInternalError         = "InternalError"
	CodeServiceUnavailable    = "ServiceUnavailable"
)

// apiError is a refusal as the endpoint answers it: an HTTP status and the
// body {"RequestId","HostId","Code","Message","Recommend"}.
type apiError struct {
	Status    int
	Code      string
	Message   string
	Recommend string
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

func missingParameter(name string) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: CodeMissingParameter,
		Message: fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name)}
}

func invalidParameter(name, format string, args ...any) *apiError {
	return &apiError{Status: http.StatusBadRequest, Code: CodeInvalidParameter,
		Message: fmt.Sprintf("The parameter %q is not valid: ", name) + fmt.Sprintf(format, args...)}
}

// statusOfCode holds the codes whose HTTP status on Alibaba Cloud differs
// from what their rules.Kind gives.
var statusOfCode = map[string]int{
	store.CodeAccessKeyInactive: http.StatusBadRequest, // Kind Forbidden, but Alibaba answers 400
}

// statusOfKind maps a rules refusal to an HTTP status. Conflicts (a rule
// refusing a change given the current state: R5, R7, R8, ...) answer 400, as
// Alibaba Cloud does for its state refusals.
func statusOfKind(k rules.Kind) int {
	switch k {
	case rules.KindNotFound:
		return http.StatusNotFound
	case rules.KindForbidden:
		return http.StatusForbidden
	default: // KindInvalid, KindConflict
		return http.StatusBadRequest
	}
}

// asAPIError turns any error of a handler into what the endpoint answers;
// internal is true when the cause is ours (5xx) and must be logged, its
// details kept from the caller.
func asAPIError(err error) (e *apiError, internal bool) {
	if errors.As(err, &e) {
		return e, e.Status >= 500
	}
	var ie *store.InputError
	if errors.As(err, &ie) && len(ie.Errs) > 0 {
		first := ie.Errs[0]
		msgs := make([]string, len(ie.Errs))
		for i, fe := range ie.Errs {
			msgs[i] = fe.Message
		}
		return fromRulesError(first, strings.Join(msgs, " ")), false
	}
	if re, ok := rules.AsError(err); ok {
		return fromRulesError(re, re.Message), false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &apiError{Status: http.StatusServiceUnavailable, Code: CodeServiceUnavailable,
			Message: "The request was cancelled or took too long. Nothing is known to have changed; describe the resource and try again."}, true
	}
	return &apiError{Status: http.StatusInternalServerError, Code: CodeInternalError,
		Message: "The request processing has failed due to some unknown error. It has been logged with its RequestId."}, true
}

func fromRulesError(re *rules.Error, message string) *apiError {
	status, ok := statusOfCode[re.Code]
	if !ok {
		status = statusOfKind(re.Kind)
	}
	return &apiError{Status: status, Code: re.Code, Message: message}
}
