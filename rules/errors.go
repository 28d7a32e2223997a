package rules

import (
	"errors"
	"fmt"
)

// Kind groups error codes by how a client should treat them; the OpenAPI
// endpoint maps it to an HTTP status, the console to a page status.
type Kind int

const (
	KindInvalid   Kind = iota // bad input: 400
	KindNotFound              // absent, or another tenant's: 404
	KindConflict              // refused by a rule given the current state: 400 (Alibaba answers 400)
	KindForbidden             // the caller may not do this: 403
)

// Error is a refusal by a rule or a validator. Code is stable and shared by
// the console and the OpenAPI endpoint; Message is a full sentence an
// operator understands; Field names the input that caused it, if one did.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Field   string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is lets errors.Is match on the code alone: errors.Is(err, &Error{Code: X}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// AsError extracts a *Error from err's chain.
func AsError(err error) (*Error, bool) {
	var re *Error
	ok := errors.As(err, &re)
	return re, ok
}

// HasCode reports whether err is a rules error with the given code.
func HasCode(err error, code string) bool {
	re, ok := AsError(err)
	return ok && re.Code == code
}

func invalid(field, code, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

func conflict(field, code, format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFound is the error for an absent resource (or one of another account,
// which must look the same).
func NotFound(code, what, id string) *Error {
	return &Error{Kind: KindNotFound, Code: code, Message: fmt.Sprintf("The %s %q does not exist.", what, Shorten(id))}
}

// Forbidden is the error for a caller whose role does not allow an action.
func Forbidden(action string) *Error {
	return &Error{Kind: KindForbidden, Code: "Forbidden", Message: fmt.Sprintf("Your role does not allow %s.", action)}
}

// Stable codes. Alibaba's own where it has one.
const (
	CodeInvalidGroupName       = "InvalidGroupName"
	CodeDuplicateGroupName     = "RepeatedGroupName" // Alibaba: the name is used in this region
	CodeInvalidDescription     = "InvalidDescription"
	CodeInvalidRegion          = "InvalidRegionId"
	CodeInvalidZone            = "InvalidZoneId"
	CodeInvalidCidrBlock       = "InvalidCidrBlock"
	CodeInvalidVpcName         = "InvalidVpcName"
	CodeInvalidVSwitchName     = "InvalidVSwitchName"
	CodeInvalidInstanceName    = "InvalidInstanceName"
	CodeInvalidInstanceSpec    = "InvalidInstanceSpec"
	CodeInvalidHTTPSPolicy     = "InvalidHttpsPolicy"
	CodeInvalidDomainName      = "InvalidDomainName"
	CodeInvalidNetworkType     = "InvalidNetworkType"
	CodeInvalidCertificate     = "InvalidCertificate"
	CodeInstanceNotBoundToVpc  = "InstanceNotBoundToVpc"
	CodeInstanceVpcInUse       = "InstanceVpcInUse"
	CodeRegionMismatch         = "InvalidInstance.RegionMismatch"
	CodeInstanceNotFound       = "InvalidInstance.NotFound"
	CodeGroupNotFound          = "NotFoundApiGroup"
	CodeVpcNotFound            = "InvalidVpcId.NotFound"
	CodeVSwitchNotFound        = "InvalidVSwitchId.NotFound"
	CodeVSwitchNotInVpc        = "InvalidVSwitchId.NotInVpc"
	CodeDomainNotFound         = "NotFoundDomain"
	CodeDomainAlreadyBound     = "DomainAlreadyBound"
	CodeDomainLimitExceeded    = "DomainLimitExceeded"
	CodeIntranetNotSupported   = "IntranetDomainNotSupported" // shared instance, or VPC domain not enabled
	CodeVpcDomainNotEnabled    = "VpcDomainNotEnabled"
	CodeVpcInUse               = "DependencyViolation.Vpc"     // a VPC with vSwitches or a binding
	CodeVSwitchInUse           = "DependencyViolation.VSwitch" // a vSwitch an instance is bound through
	CodeInstanceInUse          = "DependencyViolation.Instance"
	CodeCidrOverlap            = "InvalidCidrBlock.Overlapped"
	CodeVSwitchCidrOutsideVpc  = "InvalidCidrBlock.NotInVpc"
	CodeSharedInstanceReadOnly = "InvalidInstance.Shared"
	CodeInvalidAccountName     = "InvalidAccountName"
	CodeInvalidLogin           = "InvalidUserName"
	CodeInvalidRole            = "InvalidRole"
	CodeInvalidPassword        = "InvalidPassword"
	CodeDuplicateLogin         = "UserAlreadyExists"
	CodeLastAdmin              = "LastAdmin"
	CodeWrongPassword          = "WrongPassword"
	CodeInvalidID              = "InvalidParameter"

	// Added with the rules package.
	CodeInvalidInstanceID       = "InvalidInstanceId"               // malformed instance id
	CodeInvalidVpcID            = "InvalidVpcId"                    // malformed VPC id
	CodeInvalidVSwitchID        = "InvalidVSwitchId"                // malformed vSwitch id
	CodeSameInstance            = "InvalidInstance.Same"            // moving a group onto the instance it is on
	CodeInstanceNotBound        = "InstanceNotBound"                // unbinding an instance that has no VPC
	CodeInvalidPrivateKey       = "InvalidPrivateKey"               // the key is not a PEM private key
	CodeCertificateKeyMismatch  = "InvalidCertificate.KeyMismatch"  // certificate and key are not a pair
	CodeCertificateNameMismatch = "InvalidCertificate.NameMismatch" // certificate does not cover the domain
	CodeCertificateExpired      = "InvalidCertificate.Expired"      // NotAfter is past
	CodeCertificateNotYetValid  = "InvalidCertificate.NotYetValid"  // NotBefore is in the future
	CodeVSwitchNoFreeAddress    = "InvalidVSwitchId.IpNotEnough"    // no endpoint address left in the vSwitch
	CodeVpcDomainInUse          = "VpcDomainInUse"                  // INTRANET custom domains still point at the VPC domain
	CodeNoCertificate           = "DomainHasNoCertificate"          // deleting the certificate of a domain that has none (console)
	CodeNothingToModify         = "MissingParameter"                // a change that names nothing to change (Alibaba's code for it)
)

// GroupNotFound is the refusal for an absent API group, or one of another
// account. The store uses it for absent rows so both look the same.
func GroupNotFound(id string) *Error {
	return withField(NotFound(CodeGroupNotFound, "API group", id), "group")
}

// InstanceNotFound is the refusal for an absent instance, or a dedicated
// instance of another account.
func InstanceNotFound(id string) *Error {
	return withField(NotFound(CodeInstanceNotFound, "instance", id), "instance")
}

// VpcNotFound is the refusal for an absent VPC, or one of another account.
func VpcNotFound(id string) *Error { return withField(NotFound(CodeVpcNotFound, "VPC", id), "vpc") }

// VSwitchNotFound is the refusal for an absent vSwitch, or one of another
// account.
func VSwitchNotFound(id string) *Error {
	return withField(NotFound(CodeVSwitchNotFound, "vSwitch", id), "vswitch")
}

// DomainNotFound is the refusal for a custom domain that is not bound to
// the group asked about.
func DomainNotFound(name string) *Error {
	return withField(NotFound(CodeDomainNotFound, "domain name", name), "domain")
}

func withField(e *Error, field string) *Error {
	e.Field = field
	return e
}
