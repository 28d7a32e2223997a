package openapi

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// Store is what the endpoint asks of the store: the same methods the
// console uses, so a change made here shows there and the other way round.
type Store interface {
	AccessKeyForSignature(ctx context.Context, id string) (rules.AccessKey, rules.User, string, error)
	LogEvent(ctx context.Context, a store.Actor, action, target, outcome, detail string) error

	CreateGroup(ctx context.Context, a store.Actor, in rules.GroupInput) (rules.Group, error)
	ListGroups(ctx context.Context, accountID string, q store.GroupQuery) (store.GroupPage, error)
	GetGroup(ctx context.Context, accountID, id string) (rules.Group, error)
	GetGroupDetail(ctx context.Context, accountID, id string) (store.GroupDetail, error)
	ModifyGroup(ctx context.Context, a store.Actor, id string, ch store.GroupChange) (rules.Group, error)
	DeleteGroup(ctx context.Context, a store.Actor, id string) error
	EnableVpcDomain(ctx context.Context, a store.Actor, groupID string) (rules.Group, error)
	DisableVpcDomain(ctx context.Context, a store.Actor, groupID string) (rules.Group, error)
	MoveGroup(ctx context.Context, a store.Actor, groupID, targetInstanceID string) (rules.Group, error)

	ListInstances(ctx context.Context, accountID, regionID string) ([]store.InstanceRow, error)
	ListSharedInstances(ctx context.Context, accountID, regionID string) ([]store.InstanceRow, error)
	GetInstance(ctx context.Context, accountID, id string) (store.InstanceRow, error)
	CreateInstance(ctx context.Context, a store.Actor, in rules.InstanceInput) (rules.Instance, error)
	DeleteInstance(ctx context.Context, a store.Actor, id string) error
	BindVpc(ctx context.Context, a store.Actor, instanceID, vpcID, vswitchID string) (rules.Instance, error)
	UnbindVpc(ctx context.Context, a store.Actor, instanceID string) (rules.Instance, error)

	BindDomain(ctx context.Context, a store.Actor, groupID string, in rules.DomainInput) (rules.CustomDomain, error)
	UnbindDomain(ctx context.Context, a store.Actor, groupID, name string) (bool, error)
	GetDomain(ctx context.Context, accountID, name string) (rules.CustomDomain, error)
	ResolveTarget(ctx context.Context, name string) (rules.Target, error)

	CreateVpc(ctx context.Context, a store.Actor, in rules.VpcInput) (rules.VPC, error)
	ListVpcs(ctx context.Context, accountID, regionID string) ([]store.VpcWithVSwitches, error)
	GetVpc(ctx context.Context, accountID, id string) (store.VpcWithVSwitches, error)
	DeleteVpc(ctx context.Context, a store.Actor, id string) error
	CreateVSwitch(ctx context.Context, a store.Actor, in rules.VSwitchInput) (rules.VSwitch, error)
	ListVSwitches(ctx context.Context, accountID string, q store.VSwitchQuery) ([]rules.VSwitch, error)
	GetVSwitch(ctx context.Context, accountID, id string) (rules.VSwitch, error)
	DeleteVSwitch(ctx context.Context, a store.Actor, id string) error

	apiStore // the APIs of a group: apis.go
}

// The API versions served, told apart by the Version parameter.
const (
	VersionCloudAPI = "2016-07-14" // API Gateway (the SDK's services/cloudapi)
	VersionVPC      = "2016-04-28" // VPC (the SDK's services/vpc)
)

// Options tune the endpoint; the zero value gives Alibaba Cloud's numbers.
type Options struct {
	// Limits are the public second-level domain's daily limits the access
	// check reports (R2); zero means rules.DefaultLimits().
	Limits rules.Limits
	// Window is how far Timestamp may be from the server's clock, and how
	// long a SignatureNonce is refused again: 15 minutes by default.
	Window time.Duration
	// MaxNonces bounds the nonces remembered (see nonceWindow); 4,194,304
	// by default, about 100 MB at most.
	MaxNonces int
	// MaxBodyBytes bounds a form body; 1 MiB by default.
	MaxBodyBytes int64
	// Now is the clock; time.Now by default. Tests move it.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.Limits == (rules.Limits{}) {
		o.Limits = rules.DefaultLimits()
	}
	if o.Window <= 0 {
		o.Window = 15 * time.Minute
	}
	if o.MaxNonces <= 0 {
		o.MaxNonces = 1 << 22
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = 1 << 20
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Server is the OpenAPI endpoint, an http.Handler serving Alibaba Cloud's
// RPC style on the path "/".
type Server struct {
	st       Store
	log      *slog.Logger
	opts     Options
	nonces   *nonceWindow
	ids      *requestIDs
	versions map[string]map[string]*action
}

// New returns the endpoint over a store.
func New(st Store, log *slog.Logger, opts Options) *Server {
	opts = opts.withDefaults()
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{
		st:     st,
		log:    log,
		opts:   opts,
		nonces: newNonceWindow(opts.Window, opts.MaxNonces, opts.Now()),
		ids:    newRequestIDs(),
		versions: map[string]map[string]*action{
			VersionCloudAPI: index(cloudAPIActions),
			VersionVPC:      index(vpcActions),
		},
	}
}

// action is one served action.
type action struct {
	name    string
	mutates bool   // refused to viewers' keys with Forbidden
	opName  string // the operation log's name for it, for refusals
	target  string // the parameter naming what it changes, for refusals
	serve   func(c *call) (response, error)
}

// signBufs are the buffers of one signature check, pooled.
type signBufs struct{ sts, canon []byte }

var signPool = sync.Pool{New: func() any { return new(signBufs) }}

func index(actions []*action) map[string]*action {
	m := make(map[string]*action, len(actions))
	for _, a := range actions {
		m[a.name] = a
	}
	return m
}

// call is one request being served.
type call struct {
	s      *Server
	ctx    context.Context
	host   string
	ps     params
	action *action
	key    rules.AccessKey
	actor  store.Actor
}

// account is the calling access key's account.
func (c *call) account() string { return c.key.AccountID }

// ServeHTTP serves one RPC-style request: parameters from the query string
// and the form body, checked in Alibaba Cloud's order (parameters, action,
// timestamp, access key, signature, nonce, role), then the action.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	id := s.ids.next()
	c := &call{s: s, ctx: r.Context(), host: r.Host}
	f, res, err := s.serve(c, w, r)

	root, status, code := "", http.StatusOK, ""
	var body any = res
	if err != nil {
		e, internal := asAPIError(err)
		status, code = e.Status, e.Code
		if internal {
			s.log.LogAttrs(c.ctx, slog.LevelError, "openapi failure", slog.String("request_id", id),
				slog.String("action", actionName(c)), slog.String("err", err.Error()))
		}
		c.recordRefusal(e, internal)
		if e.Status == http.StatusMethodNotAllowed {
			w.Header().Set("Allow", "GET, POST")
		}
		root, body = "Error", &errorBody{RequestId: id, HostId: r.Host, Code: e.Code, Message: e.Message, Recommend: e.Recommend}
	} else {
		root = c.action.name + "Response"
		res.setRequestID(id)
	}
	w.Header().Set("x-acs-request-id", id)
	if werr := write(w, f, status, root, body); werr != nil {
		s.log.LogAttrs(c.ctx, slog.LevelWarn, "openapi write", slog.String("request_id", id), slog.String("err", werr.Error()))
	}

	level := slog.LevelInfo
	if status >= 500 {
		level = slog.LevelError
	}
	s.log.LogAttrs(c.ctx, level, "request",
		slog.String("server", "openapi"),
		slog.String("method", r.Method),
		slog.String("action", actionName(c)),
		slog.Int("status", status),
		slog.String("code", code),
		slog.String("access_key", c.key.ID),
		slog.Duration("latency", time.Since(start)),
		slog.String("request_id", id),
	)
}

func actionName(c *call) string {
	if c.action != nil {
		return c.action.name
	}
	return c.ps.str("Action")
}

// recordRefusal writes a refused change by an authenticated caller to the
// operation log, outcome = the code, so the console shows attempts too.
// Failures before authentication (signature, timestamp, nonce, unknown
// key) are only logged as requests: they have no trustworthy account.
func (c *call) recordRefusal(e *apiError, internal bool) {
	if c.action == nil || !c.action.mutates || c.key.ID == "" || internal || e.Code == CodeDryRun {
		return
	}
	target := c.ps.str(c.action.target)
	// A fresh context: the caller hanging up must not lose the record.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(c.ctx), 5*time.Second)
	defer cancel()
	if err := c.s.st.LogEvent(ctx, c.actor, c.action.opName, target, e.Code, e.Message); err != nil {
		c.s.log.LogAttrs(ctx, slog.LevelError, "openapi: record refusal", slog.String("action", c.action.name), slog.String("err", err.Error()))
	}
}

// serve authenticates the request and runs its action.
func (s *Server) serve(c *call, w http.ResponseWriter, r *http.Request) (format, response, error) {
	f := formatJSON
	if r.URL.Path != "/" {
		return f, nil, &apiError{Status: http.StatusNotFound, Code: CodeActionNotFound,
			Message: "Specified api is not found, please check your url and method: RPC-style requests go to the path /."}
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		return f, nil, &apiError{Status: http.StatusMethodNotAllowed, Code: CodeUnsupportedMethod,
			Message: "This http method is not supported: use GET or POST."}
	}
	ps, err := s.readParams(w, r)
	if err != nil {
		return f, nil, err
	}
	c.ps = ps
	switch v := ps.str("Format"); {
	case v == "" || strings.EqualFold(v, "JSON"):
	case strings.EqualFold(v, "XML"):
		f = formatXML
	default:
		return f, nil, invalidParameter("Format", "%s is not a format; use JSON or XML.", quote(v))
	}

	version, err := ps.required("Version")
	if err != nil {
		return f, nil, err
	}
	name, err := ps.required("Action")
	if err != nil {
		return f, nil, err
	}
	actions, ok := s.versions[version]
	if !ok {
		return f, nil, &apiError{Status: http.StatusBadRequest, Code: CodeInvalidVersion,
			Message: "Specified parameter Version is not valid: " + quote(version) + " is not served. Use 2016-07-14 (API Gateway) or 2016-04-28 (VPC)."}
	}
	act, ok := actions[name]
	if !ok {
		return f, nil, &apiError{Status: http.StatusNotFound, Code: CodeActionNotFound,
			Message: "Specified api is not found, please check your url and method: " + quote(name) + " is not an action of version " + version + "."}
	}
	c.action = act

	for _, p := range [...]string{"AccessKeyId", "Signature", "SignatureMethod", "SignatureVersion", "SignatureNonce", "Timestamp"} {
		if _, err := ps.required(p); err != nil {
			return f, nil, err
		}
	}
	if err := checkSignatureParams(ps); err != nil {
		return f, nil, err
	}
	now := s.opts.Now()
	if _, err := checkTimestamp(ps.str("Timestamp"), now, s.opts.Window); err != nil {
		return f, nil, err
	}
	key, user, secret, err := s.st.AccessKeyForSignature(c.ctx, ps.str("AccessKeyId"))
	if err != nil {
		return f, nil, err
	}

	sb := signPool.Get().(*signBufs)
	sb.sts, sb.canon = appendStringToSign(sb.sts[:0], sb.canon, r.Method, ps)
	var mismatch error
	if !signatureMatches(secret, sb.sts, ps.str("Signature")) {
		mismatch = &apiError{Status: http.StatusBadRequest, Code: CodeSignatureDoesNotMatch,
			Message:   "Specified signature is not matched with our calculation. server string to sign is:" + string(sb.sts),
			Recommend: "Sign with the AccessKeySecret of " + key.ID + ", over every parameter but Signature (see the README)."}
	}
	if cap(sb.sts) <= 64<<10 { // keep only buffers of ordinary requests
		signPool.Put(sb)
	}
	if mismatch != nil {
		return f, nil, mismatch
	}

	switch s.nonces.add(key.ID, ps.str("SignatureNonce"), now) {
	case nonceUsed:
		return f, nil, &apiError{Status: http.StatusBadRequest, Code: CodeNonceUsed,
			Message: "Specified signature nonce was used already: every request needs a new SignatureNonce."}
	case nonceFull:
		return f, nil, &apiError{Status: http.StatusTooManyRequests, Code: CodeThrottling,
			Message: "Too many requests in the last minutes: the replay protection is full. Try again later."}
	}
	c.key = key
	c.actor = store.Actor{AccountID: key.AccountID, Name: key.ID, Source: rules.SourceOpenAPI}

	if act.mutates && !user.Role.CanChange() {
		return f, nil, &apiError{Status: http.StatusForbidden, Code: CodeForbidden,
			Message: "User not authorized to operate on the specified resource: the AccessKey " + key.ID + " acts as " + user.Login +
				", a " + string(user.Role) + ", who may describe but not change anything (" + act.name + ")."}
	}
	res, err := act.serve(c)
	return f, res, err
}

// readParams reads the query string and, for a form POST, the body.
func (s *Server) readParams(w http.ResponseWriter, r *http.Request) (params, error) {
	ps, perr := appendParams(make(params, 0, 24), r.URL.RawQuery)
	if perr != nil {
		return nil, perr
	}
	if r.Method == http.MethodPost && r.Body != nil {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if mt == "application/x-www-form-urlencoded" {
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				return nil, &apiError{Status: http.StatusRequestEntityTooLarge, Code: CodeInvalidParameter,
					Message: "The request body is larger than the endpoint accepts."}
			}
			if err != nil {
				return nil, &apiError{Status: http.StatusBadRequest, Code: CodeInvalidParameter,
					Message: "The request body could not be read."}
			}
			if ps, perr = appendParams(ps, string(body)); perr != nil {
				return nil, perr
			}
		}
	}
	if perr := sortParams(ps); perr != nil {
		return nil, perr
	}
	return ps, nil
}
