package rules

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// APIs inside a group (SPEC.md §6): their definition, its validation, the
// uniqueness of names and routes in a group, stages, deployments and the
// refusals that protect deployed APIs.
//
// Routes. An API's route is its method and request path. Two APIs of a
// group may not have the same method and the same path shape, where the
// shape is the path with every placeholder's name forgotten:
// /users/[id] and /users/[name] are the same route, because no caller could
// tell which one it calls. ANY and GET on the same shape are different
// routes and may both exist: a GET call takes the GET API, every other
// method the ANY one (see Router for the order of precedence).

// API error codes. Alibaba Cloud's own where it has one (NotFoundApi,
// NotFoundStage, the Repeated… and Invalid… families).
const (
	CodeAPINotFound            = "NotFoundApi"
	CodeStageNotFound          = "NotFoundStage"
	CodeInvalidAPIName         = "InvalidApiName"
	CodeDuplicateAPIName       = "RepeatedApiName"
	CodeDuplicateAPIRoute      = "RepeatedApiPath"
	CodeInvalidRequestPath     = "InvalidRequestPath"
	CodeInvalidHTTPMethod      = "InvalidHttpMethod"
	CodeInvalidRequestProtocol = "InvalidRequestProtocol"
	CodeInvalidRequestMode     = "InvalidRequestMode"
	CodeInvalidBackend         = "InvalidServiceProtocol"
	CodeInvalidMockResult      = "InvalidMockResult"
	CodeInvalidMockStatusCode  = "InvalidMockStatusCode"
	CodeInvalidMockHeader      = "InvalidMockHeader"
	CodeInvalidServiceAddress  = "InvalidServiceAddress"
	CodeInvalidServicePath     = "InvalidServicePath"
	CodeInvalidServiceTimeout  = "InvalidServiceTimeout"
	CodeInvalidAuthType        = "InvalidAuthType"
	CodeUnsupportedAuthType    = "UnsupportedAuthType" // APP: no app authentication yet
	CodeInvalidVisibility      = "InvalidVisibility"
	CodeInvalidResultType      = "InvalidResultType"
	CodeInvalidResultSample    = "InvalidResultSample"
	CodeAPIDeployed            = "DependencyViolation.Api"      // deleting an API deployed to a stage
	CodeGroupHasAPIs           = "DependencyViolation.ApiGroup" // deleting a group that holds APIs
)

// Form field names of an API's definition, as the console's forms and the
// field errors use them.
const (
	FieldGroup          = "group"
	FieldMethod         = "method"
	FieldPath           = "path"
	FieldProtocols      = "protocols"
	FieldRequestMode    = "request_mode"
	FieldBackend        = "backend"
	FieldMockBody       = "mock_body"
	FieldMockStatus     = "mock_status"
	FieldMockHeaders    = "mock_headers"
	FieldServiceAddress = "service_address"
	FieldServicePath    = "service_path"
	FieldServiceMethod  = "service_method"
	FieldServiceTimeout = "service_timeout"
	FieldAuthType       = "auth_type"
	FieldVisibility     = "visibility"
	FieldResultType     = "result_type"
	FieldResultSample   = "result_sample"
	FieldStage          = "stage"
)

// Limits of an API's definition.
const (
	APIDescriptionMax   = 180
	RequestPathMax      = 200       // characters
	PathParamsMax       = 16        // placeholders in one path
	PathParamNameMax    = 64        // characters of a placeholder's name
	MockBodyMax         = 50 * 1024 // bytes
	ResultSampleMax     = 50 * 1024 // bytes
	MockHeadersMax      = 16
	MockHeaderNameMax   = 64
	MockHeaderValueMax  = 1024
	ServiceTimeoutMin   = 1      // milliseconds
	ServiceTimeoutMax   = 30_000 // milliseconds
	ServiceAddressMax   = 255
	DefaultMockStatus   = 200
	DefaultResultType   = "JSON"
	DefaultVisibility   = "PRIVATE"
	DefaultAuthType     = AuthAnonymous
	RequestModeDefault  = "PASSTHROUGH" // the only request mode: parameters pass through as sent
	ServiceProtocolHTTP = "HTTP"
)

// HTTP methods of an API's request and of its HTTP backend. ANY matches
// every other method of the list.
const (
	MethodGet     = "GET"
	MethodPost    = "POST"
	MethodPut     = "PUT"
	MethodDelete  = "DELETE"
	MethodPatch   = "PATCH"
	MethodHead    = "HEAD"
	MethodOptions = "OPTIONS"
	MethodAny     = "ANY"
)

// apiMethods are the methods an API may have, in the order forms list them;
// ANY last. Router indexes its method slots in this order.
var apiMethods = [...]string{MethodGet, MethodPost, MethodPut, MethodDelete, MethodPatch, MethodHead, MethodOptions, MethodAny}

// APIMethods lists the methods an API may have, ANY last.
func APIMethods() []string { return slices.Clone(apiMethods[:]) }

// methodIndex is a method's slot in apiMethods, -1 for any other method.
func methodIndex(m string) int {
	switch m {
	case MethodGet:
		return 0
	case MethodPost:
		return 1
	case MethodPut:
		return 2
	case MethodDelete:
		return 3
	case MethodPatch:
		return 4
	case MethodHead:
		return 5
	case MethodOptions:
		return 6
	case MethodAny:
		return 7
	}
	return -1
}

const anyIndex = 7

// Protocols is the set of protocols an API answers on: HTTP, HTTPS or both.
type Protocols uint8

const (
	ProtocolsHTTP Protocols = 1 << iota
	ProtocolsHTTPS
)

// ParseProtocols reads Alibaba Cloud's RequestProtocol: "HTTP", "HTTPS" or
// both separated by a comma ("HTTP,HTTPS", either order). ok is false for
// anything else, including an empty string and a protocol named twice.
func ParseProtocols(s string) (p Protocols, ok bool) {
	if s == "" {
		return 0, false
	}
	for part := range strings.SplitSeq(s, ",") {
		var one Protocols
		switch strings.ToUpper(part) {
		case "HTTP":
			one = ProtocolsHTTP
		case "HTTPS":
			one = ProtocolsHTTPS
		default:
			return 0, false
		}
		if p&one != 0 {
			return 0, false
		}
		p |= one
	}
	return p, true
}

// String writes the set as RequestProtocol does: "HTTP", "HTTPS",
// "HTTP,HTTPS", or "" for none.
func (p Protocols) String() string {
	switch p {
	case ProtocolsHTTP:
		return "HTTP"
	case ProtocolsHTTPS:
		return "HTTPS"
	case ProtocolsHTTP | ProtocolsHTTPS:
		return "HTTP,HTTPS"
	}
	return ""
}

// Allows reports whether a call over HTTPS (https true) or plain HTTP is
// accepted; a call on a protocol the API lacks is refused (I403PT).
func (p Protocols) Allows(https bool) bool {
	if https {
		return p&ProtocolsHTTPS != 0
	}
	return p&ProtocolsHTTP != 0
}

// Stage is an environment an API is deployed to, independently of the
// others.
type Stage string

const (
	StageRelease Stage = "RELEASE" // production: what a call without X-Ca-Stage reaches
	StageTest    Stage = "TEST"
	StagePre     Stage = "PRE"
)

// Stages lists the stages, production first.
func Stages() []Stage { return []Stage{StageRelease, StagePre, StageTest} }

// ParseStage reads a stage name, in any case ("release" is RELEASE).
func ParseStage(s string) (Stage, error) {
	switch st := Stage(strings.ToUpper(s)); st {
	case StageRelease, StageTest, StagePre:
		return st, nil
	}
	if s == "" {
		return "", &Error{Kind: KindInvalid, Code: CodeStageNotFound, Field: FieldStage, Message: "Choose a stage: RELEASE, PRE or TEST."}
	}
	return "", &Error{Kind: KindInvalid, Code: CodeStageNotFound, Field: FieldStage,
		Message: fmt.Sprintf("The stage %q does not exist. The stages are RELEASE (production), PRE (pre-release) and TEST.", s)}
}

// CheckVisibility refuses a visibility other than PRIVATE and PUBLIC, for
// an API's definition and for DescribeApis' filter alike.
func CheckVisibility(v string) *Error {
	if !slices.Contains(visibilities, v) {
		return invalid(FieldVisibility, CodeInvalidVisibility, "The visibility %q is neither PRIVATE nor PUBLIC.", v)
	}
	return nil
}

// Title is the stage as the console names it.
func (s Stage) Title() string {
	switch s {
	case StageRelease:
		return "Production"
	case StagePre:
		return "Pre-release"
	case StageTest:
		return "Test"
	}
	return string(s)
}

// BackendType is what answers an API's calls.
type BackendType string

const (
	BackendMock BackendType = "MOCK" // a fixed answer
	BackendHTTP BackendType = "HTTP" // an HTTP service the gateway forwards to
)

// Authentication types.
const (
	AuthAnonymous = "ANONYMOUS"
	AuthApp       = "APP"
)

// Header is one header of a Mock answer.
type Header struct {
	Name  string
	Value string
}

// APIDefinition is everything an API is, but its identity: what CreateApi
// and ModifyApi set and what a deployment snapshots.
type APIDefinition struct {
	Name        string
	Description string

	// The request side (Alibaba Cloud's RequestConfig). The request mode is
	// always PASSTHROUGH: parameters reach the backend as sent.
	Method    string    // GET … OPTIONS, or ANY
	Path      string    // starts with /; [name] placeholders take a whole segment
	Protocols Protocols // HTTP, HTTPS or both

	// The backend (ServiceConfig): a Mock answer or an HTTP service.
	Backend     BackendType
	MockBody    string   // at most 50 KB
	MockStatus  int      // one of MockStatusCodes
	MockHeaders []Header // at most 16

	ServiceAddress string // http:// or https:// and a host, with an optional port
	ServicePath    string // starts with /; may use the request path's placeholders
	ServiceMethod  string // the method sent to the backend; ANY sends the caller's
	ServiceTimeout int    // milliseconds, 1–30,000

	AuthType        string // ANONYMOUS (APP is refused until app authentication exists)
	DisableInternet bool   // callable only through the VPC domain and INTRANET custom domains
	Visibility      string // PRIVATE or PUBLIC
	ResultType      string // JSON, TEXT, XML, HTML, BINARY or PASSTHROUGH
	ResultSample    string
}

// API is an API of a group, with its current definition. Revision starts
// at 1 and grows with every change; a deployment records the revision it
// snapshotted.
type API struct {
	ID        string // 32 lowercase hex
	AccountID string
	GroupID   string
	APIDefinition
	Revision   int64
	CreatedAt  time.Time
	ModifiedAt time.Time
}

// Deployment is an API as deployed to one stage: a snapshot of its
// definition when it was deployed, which later changes to the API do not
// touch, with who deployed it, when, how, and their description.
type Deployment struct {
	APIID       string
	AccountID   string
	GroupID     string
	Stage       Stage
	Definition  APIDefinition
	Revision    int64 // the API's revision that was deployed
	Description string
	DeployedBy  string // a login or an access key id
	DeployedVia Source
	DeployedAt  time.Time
}

// NewAPIID returns an API id: 32 lowercase hex digits.
func NewAPIID() string { return randomString(lowerHex, 32) }

// IsAPIID reports whether s is 32 lowercase hex digits.
func IsAPIID(s string) bool { return len(s) == 32 && onlyFrom(s, lowerHex) }

// APINotFound is the refusal for an absent API, or one of another account.
func APINotFound(id string) *Error { return withField(NotFound(CodeAPINotFound, "API", id), "api") }

// mockStatusCodes are the status codes Alibaba Cloud allows a Mock answer.
var mockStatusCodes = []int{
	200, 201, 202, 203, 204, 205, 206,
	300, 301, 302, 303, 304, 305, 306, 307,
	400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 450, 451,
	500, 501, 502, 503, 504, 505,
}

// MockStatusCodes lists the status codes a Mock answer may have.
func MockStatusCodes() []int { return slices.Clone(mockStatusCodes) }

var (
	visibilities = []string{"PRIVATE", "PUBLIC"}
	resultTypes  = []string{"JSON", "TEXT", "XML", "HTML", "BINARY", "PASSTHROUGH"}
)

// WithDefaults fills what a definition may leave out: AuthType ANONYMOUS,
// Visibility PRIVATE, ResultType JSON, a Mock status of 200, and for an HTTP
// backend the service path / and the request's method. Validate checks the
// result; nothing else is rewritten.
func (d APIDefinition) WithDefaults() APIDefinition {
	if d.AuthType == "" {
		d.AuthType = DefaultAuthType
	}
	if d.Visibility == "" {
		d.Visibility = DefaultVisibility
	}
	if d.ResultType == "" {
		d.ResultType = DefaultResultType
	}
	switch d.Backend {
	case BackendMock:
		if d.MockStatus == 0 {
			d.MockStatus = DefaultMockStatus
		}
	case BackendHTTP:
		if d.ServicePath == "" {
			d.ServicePath = "/"
		}
		if d.ServiceMethod == "" {
			d.ServiceMethod = d.Method
		}
	}
	return d
}

// Validate checks every field of a definition (after WithDefaults) and
// returns one error per bad field; none means it is well formed. Only the
// fields of its backend type are checked: a Mock API keeps no HTTP settings
// and the other way round (see Normalized).
func (d APIDefinition) Validate() []*Error {
	var errs []*Error
	errs = append(errs, checkR1Name(FieldName, CodeInvalidAPIName, "an API", d.Name)...)
	errs = appendIf(errs, checkDescription(d.Description, APIDescriptionMax))
	errs = appendIf(errs, checkMethod(FieldMethod, "request", d.Method))
	errs = appendIf(errs, checkRequestPath(d.Path))
	if d.Protocols.String() == "" {
		errs = append(errs, invalid(FieldProtocols, CodeInvalidRequestProtocol, "Choose the protocols the API answers on: HTTP, HTTPS or both."))
	}
	switch d.Backend {
	case BackendMock:
		errs = appendIf(errs, checkMockBody(d.MockBody))
		errs = appendIf(errs, checkMockStatus(d.MockStatus))
		errs = appendIf(errs, checkMockHeaders(d.MockHeaders))
	case BackendHTTP:
		errs = appendIf(errs, checkServiceAddress(d.ServiceAddress))
		errs = appendIf(errs, checkServicePath(d.ServicePath, d.Path))
		errs = appendIf(errs, checkMethod(FieldServiceMethod, "backend", d.ServiceMethod))
		if d.ServiceTimeout < ServiceTimeoutMin || d.ServiceTimeout > ServiceTimeoutMax {
			errs = append(errs, invalid(FieldServiceTimeout, CodeInvalidServiceTimeout,
				"The backend timeout is %d to %s milliseconds; %d is not.", ServiceTimeoutMin, FormatThousands(ServiceTimeoutMax), d.ServiceTimeout))
		}
	case "":
		errs = append(errs, invalid(FieldBackend, CodeInvalidBackend, "Choose the backend: Mock (a fixed answer) or HTTP (a service the gateway calls)."))
	default:
		errs = append(errs, invalid(FieldBackend, CodeInvalidBackend,
			"The backend type %q is not supported. Choose Mock (a fixed answer) or HTTP (a service the gateway calls).", d.Backend))
	}
	switch d.AuthType {
	case AuthAnonymous:
	case AuthApp:
		errs = append(errs, invalid(FieldAuthType, CodeUnsupportedAuthType,
			"App authentication (APP) is not available in Gatehouse yet: no app could sign a call. Use ANONYMOUS; callers then need no signature."))
	default:
		errs = append(errs, invalid(FieldAuthType, CodeInvalidAuthType,
			"The authentication type %q is not supported. Use ANONYMOUS.", d.AuthType))
	}
	if err := CheckVisibility(d.Visibility); err != nil {
		errs = append(errs, err)
	}
	if !slices.Contains(resultTypes, d.ResultType) {
		errs = append(errs, invalid(FieldResultType, CodeInvalidResultType,
			"The result type %q is not one of %s.", d.ResultType, strings.Join(resultTypes, ", ")))
	}
	switch {
	case !utf8.ValidString(d.ResultSample):
		errs = append(errs, invalid(FieldResultSample, CodeInvalidResultSample, "The result sample is not valid UTF-8 text."))
	case len(d.ResultSample) > ResultSampleMax:
		errs = append(errs, invalid(FieldResultSample, CodeInvalidResultSample,
			"A result sample is at most 50 KB (%s bytes); this one has %s.", FormatThousands(ResultSampleMax), FormatThousands(len(d.ResultSample))))
	}
	return errs
}

// Normalized clears the settings of the backend type the definition does
// not use, so that what is stored and deployed is only what serves calls.
func (d APIDefinition) Normalized() APIDefinition {
	switch d.Backend {
	case BackendMock:
		d.ServiceAddress, d.ServicePath, d.ServiceMethod, d.ServiceTimeout = "", "", "", 0
	case BackendHTTP:
		d.MockBody, d.MockStatus, d.MockHeaders = "", 0, nil
	}
	if len(d.MockHeaders) == 0 {
		d.MockHeaders = nil
	}
	return d
}

func checkMethod(field, side, m string) *Error {
	if m == "" {
		return invalid(field, CodeInvalidHTTPMethod, "Choose the %s method.", side)
	}
	if methodIndex(m) < 0 {
		return invalid(field, CodeInvalidHTTPMethod, "The %s method %q is not one of %s.", side, m, strings.Join(apiMethods[:], ", "))
	}
	return nil
}

// isPathChar reports whether c may appear in a literal path segment: RFC
// 3986's unreserved characters and the sub-delimiters, ':' and '@' (a pchar
// without percent-encoding).
func isPathChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@", c) >= 0
}

func isParamNameChar(c byte, first bool) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		return true
	case first:
		return false
	}
	return '0' <= c && c <= '9' || c == '_' || c == '-'
}

// pathSegment is one segment of a valid path: a literal, or a placeholder
// whose Name is set.
type pathSegment struct {
	literal string
	param   string // placeholder name, without brackets
}

// parsePath splits a path of an API definition into segments, checking
// Alibaba Cloud's syntax: it starts with /, segments are separated by one
// /, no segment is empty (the path / alone has none), . or .., a literal
// segment holds only RFC 3986 path characters (no percent-encoding, no ..),
// and a placeholder [name] takes a whole segment, its name a letter then
// letters, digits, _ or -, each name once. what ("request", "backend")
// words the messages; the field and code are the caller's.
func parsePath(p, what string, maxLen int) ([]pathSegment, string) {
	n := utf8.RuneCountInString(p)
	switch {
	case p == "":
		return nil, fmt.Sprintf("Enter the %s path, starting with /.", what)
	case !utf8.ValidString(p):
		return nil, fmt.Sprintf("The %s path is not valid UTF-8 text.", what)
	case p[0] != '/':
		return nil, fmt.Sprintf("A %s path starts with /; %q does not.", what, p)
	case n > maxLen:
		return nil, fmt.Sprintf("A %s path is at most %d characters long; this one has %d.", what, maxLen, n)
	case strings.Contains(p, ".."):
		return nil, fmt.Sprintf("A %s path may not contain \"..\".", what)
	case strings.ContainsAny(p, "?#"):
		return nil, fmt.Sprintf("A %s path holds no query string or fragment (? or #).", what)
	}
	if p == "/" {
		return nil, ""
	}
	var segs []pathSegment
	var names []string
	for seg := range strings.SplitSeq(p[1:], "/") {
		switch {
		case seg == "":
			return nil, fmt.Sprintf("The %s path %q has an empty segment (// or a trailing /).", what, p)
		case seg == ".":
			return nil, fmt.Sprintf("The %s path %q has a \".\" segment.", what, p)
		case seg[0] == '[':
			name, ok := strings.CutPrefix(seg, "[")
			if name, ok = strings.CutSuffix(name, "]"); !ok || name == "" || strings.ContainsAny(name, "[]") {
				return nil, fmt.Sprintf("The placeholder %q in the %s path is not of the form [name], taking a whole segment.", seg, what)
			}
			if len(name) > PathParamNameMax {
				return nil, fmt.Sprintf("A placeholder's name is at most %d characters long; %q is longer.", PathParamNameMax, name)
			}
			for i := 0; i < len(name); i++ {
				if !isParamNameChar(name[i], i == 0) {
					return nil, fmt.Sprintf("The placeholder [%s] in the %s path is not a name: a letter, then letters, digits, _ or -.", name, what)
				}
			}
			if slices.Contains(names, name) {
				return nil, fmt.Sprintf("The placeholder [%s] appears twice in the %s path; give each its own name.", name, what)
			}
			names = append(names, name)
			if len(names) > PathParamsMax {
				return nil, fmt.Sprintf("A %s path has at most %d placeholders.", what, PathParamsMax)
			}
			segs = append(segs, pathSegment{param: name})
		default:
			for i := 0; i < len(seg); i++ {
				if !isPathChar(seg[i]) {
					r, _ := utf8.DecodeRuneInString(seg[i:])
					return nil, fmt.Sprintf("The %s path %q holds %q, which a path may not: use letters, digits and - . _ ~ ! $ & ' ( ) * + , ; = : @, and [name] for a placeholder.", what, p, r)
				}
			}
			segs = append(segs, pathSegment{literal: seg})
		}
	}
	return segs, ""
}

func checkRequestPath(p string) *Error {
	if _, msg := parsePath(p, "request", RequestPathMax); msg != "" {
		return invalid(FieldPath, CodeInvalidRequestPath, "%s", msg)
	}
	return nil
}

// checkServicePath checks a backend path: the same syntax, and every
// placeholder one of the request path's, whose value it takes.
func checkServicePath(p, requestPath string) *Error {
	segs, msg := parsePath(p, "backend", RequestPathMax)
	if msg != "" {
		return invalid(FieldServicePath, CodeInvalidServicePath, "%s", msg)
	}
	have := PathParamNames(requestPath)
	for _, s := range segs {
		if s.param != "" && !slices.Contains(have, s.param) {
			return invalid(FieldServicePath, CodeInvalidServicePath,
				"The backend path uses the placeholder [%s], which the request path does not have.", s.param)
		}
	}
	return nil
}

// PathParamNames lists the placeholder names of a valid path, in order;
// nil for a path without any (or an invalid one).
func PathParamNames(p string) []string {
	segs, msg := parsePath(p, "", RequestPathMax)
	if msg != "" {
		return nil
	}
	var names []string
	for _, s := range segs {
		if s.param != "" {
			names = append(names, s.param)
		}
	}
	return names
}

// RouteShape is a valid path with its placeholders' names forgotten
// (/users/[id] → /users/[]): two APIs of a group with the same method and
// shape are the same route, which a group holds once.
func RouteShape(p string) string {
	if !strings.Contains(p, "[") {
		return p
	}
	var b strings.Builder
	b.Grow(len(p))
	for i := 0; i < len(p); i++ {
		c := p[i]
		b.WriteByte(c)
		if c == '[' {
			if j := strings.IndexByte(p[i:], ']'); j > 0 {
				i += j - 1
			}
		}
	}
	return b.String()
}

func checkMockBody(body string) *Error {
	switch {
	case !utf8.ValidString(body):
		return invalid(FieldMockBody, CodeInvalidMockResult, "The Mock answer is not valid UTF-8 text.")
	case len(body) > MockBodyMax:
		return invalid(FieldMockBody, CodeInvalidMockResult,
			"A Mock answer is at most 50 KB (%s bytes); this one has %s.", FormatThousands(MockBodyMax), FormatThousands(len(body)))
	}
	return nil
}

func checkMockStatus(code int) *Error {
	if slices.Contains(mockStatusCodes, code) {
		return nil
	}
	return invalid(FieldMockStatus, CodeInvalidMockStatusCode,
		"The status code %d is not one a Mock answer may have: 200–206, 300–307, 400–417, 450, 451 or 500–505.", code)
}

// reservedMockHeaders are headers the gateway writes itself.
var reservedMockHeaders = []string{"connection", "content-length", "keep-alive", "proxy-authenticate", "proxy-authorization",
	"proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}

func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func checkMockHeaders(hs []Header) *Error {
	const code = CodeInvalidMockHeader
	if len(hs) > MockHeadersMax {
		return invalid(FieldMockHeaders, code, "A Mock answer has at most %d headers; this one has %d.", MockHeadersMax, len(hs))
	}
	seen := make([]string, 0, len(hs))
	for _, h := range hs {
		switch {
		case h.Name == "":
			return invalid(FieldMockHeaders, code, "A Mock header has no name.")
		case len(h.Name) > MockHeaderNameMax:
			return invalid(FieldMockHeaders, code, "A header name is at most %d characters long; %.20q… is longer.", MockHeaderNameMax, h.Name)
		case len(h.Value) > MockHeaderValueMax:
			return invalid(FieldMockHeaders, code, "The value of the header %s is longer than %d characters.", h.Name, MockHeaderValueMax)
		}
		for i := 0; i < len(h.Name); i++ {
			if !isTokenChar(h.Name[i]) {
				return invalid(FieldMockHeaders, code, "The header name %q holds a character a header name may not (letters, digits and !#$%%&'*+-.^_`|~ only).", h.Name)
			}
		}
		for i := 0; i < len(h.Value); i++ {
			if c := h.Value[i]; c < ' ' && c != '\t' || c == 0x7f {
				return invalid(FieldMockHeaders, code, "The value of the header %s holds a control character (a line break, say).", h.Name)
			}
		}
		if !utf8.ValidString(h.Value) {
			return invalid(FieldMockHeaders, code, "The value of the header %s is not valid UTF-8 text.", h.Name)
		}
		lower := strings.ToLower(h.Name)
		if slices.Contains(reservedMockHeaders, lower) || strings.HasPrefix(lower, "x-ca-") {
			return invalid(FieldMockHeaders, code, "The header %s is set by the gateway itself; a Mock answer cannot set it.", h.Name)
		}
		if slices.Contains(seen, lower) {
			return invalid(FieldMockHeaders, code, "The header %s is given twice.", h.Name)
		}
		seen = append(seen, lower)
	}
	return nil
}

// checkServiceAddress checks an HTTP backend's address: an http:// or
// https:// URL of a host (a name or an IP address) and an optional port,
// with no user information, path, query or fragment.
func checkServiceAddress(addr string) *Error {
	const code = CodeInvalidServiceAddress
	bad := func(format string, args ...any) *Error { return invalid(FieldServiceAddress, code, format, args...) }
	if addr == "" {
		return bad("Enter the backend's address, such as http://127.0.0.1:9000.")
	}
	if len(addr) > ServiceAddressMax {
		return bad("A backend address is at most %d characters long.", ServiceAddressMax)
	}
	u, err := url.Parse(addr)
	if err != nil || u.Opaque != "" {
		return bad("The backend address %q cannot be read as a URL. Write it like http://127.0.0.1:9000.", addr)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return bad("A backend address starts with http:// or https://; %q does not.", addr)
	case u.User != nil:
		return bad("A backend address may not hold a user name or password (%q).", addr)
	case u.Host == "":
		return bad("The backend address %q names no host.", addr)
	case u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		return bad("A backend address is only the scheme, host and port; put the path %q in the backend path instead.", u.RequestURI())
	}
	host, port := u.Hostname(), u.Port()
	if strings.HasSuffix(u.Host, ":") {
		return bad("The backend address %q has an empty port.", addr)
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return bad("The port %s of the backend address is not 1 to 65535.", port)
		}
	}
	if net.ParseIP(host) != nil {
		return nil
	}
	if strings.HasPrefix(u.Host, "[") {
		return bad("The backend address %q holds an IPv6 address that cannot be read.", addr)
	}
	if len(host) > 253 {
		return bad("The host name of the backend address is longer than 253 characters.")
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(host, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return bad("The host %q of the backend address is not a valid host name.", host)
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return bad("The host %q of the backend address is not a valid host name.", host)
			}
		}
	}
	return nil
}

// DuplicateAPIName is the refusal of a name another API of the group has:
// the store finds it, this words it.
func DuplicateAPIName(name, groupName string) *Error {
	return conflict(FieldName, CodeDuplicateAPIName,
		"The group %q already has an API named %q. API names are unique in a group; choose another name.", groupName, name)
}

// DuplicateAPIRoute is the refusal of a method and path another API of the
// group (named other) already answers; paths that differ only in their
// placeholders' names are the same route.
func DuplicateAPIRoute(method, path, other, otherPath string) *Error {
	same := ""
	if otherPath != path {
		same = fmt.Sprintf(" (%s differs only in its placeholders' names, so a caller could not tell them apart)", otherPath)
	}
	return conflict(FieldPath, CodeDuplicateAPIRoute,
		"The API %q already answers %s %s%s. A group answers each method and path once: change the path or the method, or edit %q instead.",
		other, method, path, same, other)
}

// DeployRouteConflict is the refusal of deploying an API to a stage where
// another API of the group (other), deployed earlier, answers the same
// method and path shape: the stage keeps what it serves.
func DeployRouteConflict(api API, stage Stage, other Deployment) *Error {
	return conflict(FieldStage, CodeDuplicateAPIRoute,
		"The %s stage already serves %s %s with the API %q (as deployed %s). Abolish %q from %s first, or change this API's method or path.",
		stage, other.Definition.Method, other.Definition.Path, other.Definition.Name, other.DeployedAt.UTC().Format("2006-01-02 15:04 UTC"),
		other.Definition.Name, stage)
}

// CheckDeleteAPI refuses to delete an API that is deployed to any stage:
// it would stop serving calls there. Abolish it from every stage first.
func CheckDeleteAPI(api API, deployedTo []Stage) error {
	if len(deployedTo) == 0 {
		return nil
	}
	names := make([]string, len(deployedTo))
	for i, s := range deployedTo {
		names[i] = string(s)
	}
	return conflict("", CodeAPIDeployed,
		"The API %q is deployed to %s, where it serves calls. Abolish it from %s first, then delete it.",
		api.Name, JoinWords(names), map[bool]string{true: "that stage", false: "every stage"}[len(names) == 1])
}

// CheckDeleteGroup refuses to delete a group that holds APIs (total of
// them, some of them named): deleting it would take them with it. Delete
// them first (abolishing any that are deployed).
func CheckDeleteGroup(g Group, total int, someNames []string) error {
	if total == 0 {
		return nil
	}
	list := ""
	if shown := someNames[:min(len(someNames), total, 3)]; len(shown) > 0 {
		// quoteList counts what it leaves out: pad to the total.
		padded := append(slices.Clone(shown), make([]string, total-len(shown))...)
		list = " (" + quoteList(padded, len(shown)) + ")"
	}
	return conflict("", CodeGroupHasAPIs,
		"The group %q still holds %s%s. Delete its APIs first: abolish any that are deployed, then delete them. Then delete the group.",
		g.Name, Plural(total, "API", "APIs"), list)
}

// CheckRequestMode checks Alibaba Cloud's RequestMode: Gatehouse passes a
// call's parameters through as sent (PASSTHROUGH, also when none is
// given); MAPPING and MAPPING_PASSTHROUGH, which map parameters one by one,
// are refused.
func CheckRequestMode(mode string) error {
	switch mode {
	case "", RequestModeDefault:
		return nil
	case "MAPPING", "MAPPING_PASSTHROUGH":
		return invalid(FieldRequestMode, CodeInvalidRequestMode,
			"The request mode %s maps parameters one by one, which Gatehouse does not do. Use PASSTHROUGH: the backend receives the call's parameters as sent.", mode)
	}
	return invalid(FieldRequestMode, CodeInvalidRequestMode, "The request mode %q is not one of PASSTHROUGH, MAPPING and MAPPING_PASSTHROUGH.", mode)
}

// DeployDescriptionMax is the length, in characters, of a deployment's
// description.
const DeployDescriptionMax = 180

// CheckDeployDescription checks the description given when deploying: any
// text of at most 180 characters, line breaks included.
func CheckDeployDescription(desc string) error {
	return asError(checkDescription(desc, DeployDescriptionMax))
}

// NotDeployed is the refusal of asking for an API's deployment in a stage
// it is not deployed to.
func NotDeployed(api API, stage Stage) *Error {
	return &Error{Kind: KindNotFound, Code: CodeAPINotFound, Field: FieldStage,
		Message: fmt.Sprintf("The API %q is not deployed to %s.", api.Name, stage)}
}

// CheckAPIInGroup refuses an API asked about under a group it is not in
// (OpenAPI actions take GroupId beside ApiId).
func CheckAPIInGroup(api API, groupID string) error {
	if groupID == "" || groupID == api.GroupID {
		return nil
	}
	return &Error{Kind: KindNotFound, Code: CodeAPINotFound, Field: "api",
		Message: fmt.Sprintf("The group %q has no API %q.", groupID, api.ID)}
}

// APIReachable decides DisableInternet: an API that disables the Internet
// answers only calls that come through the group's VPC second-level domain
// or an INTRANET custom domain (viaIntranet); the public second-level
// domain and INTERNET custom domains are refused.
func APIReachable(d APIDefinition, viaIntranet bool) bool { return viaIntranet || !d.DisableInternet }

// JoinWords writes "a", "a and b", "a, b and c".
func JoinWords(ws []string) string {
	switch len(ws) {
	case 0:
		return ""
	case 1:
		return ws[0]
	}
	return strings.Join(ws[:len(ws)-1], ", ") + " and " + ws[len(ws)-1]
}
