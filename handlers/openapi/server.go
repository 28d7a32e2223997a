package openapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// Store is what the endpoint asks of the store: the same methods the
// console uses, so a change made here shows there and the other way round.
type Store interface {
	AccessKeyForSignature(ctx context.Context, id string) (rules.AccessKey, rules.User, string, error)
	NoteAccessKeyUse(id string, at time.Time)
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
	ModifyInstance(ctx context.Context, a store.Actor, id string, ch rules.InstanceChange) (store.InstanceModification, error)
	BindVpc(ctx context.Context, a store.Actor, instanceID, vpcID, vswitchID string) (store.BindingChange, error)
	UnbindVpc(ctx context.Context, a store.Actor, instanceID string) (store.BindingChange, error)

	BindDomain(ctx context.Context, a store.Actor, groupID string, in rules.DomainInput) (store.BoundDomain, error)
	UnbindDomain(ctx context.Context, a store.Actor, groupID, name string) (bool, error)
	GetDomain(ctx context.Context, accountID, name string) (rules.CustomDomain, error)
	ResolveTarget(ctx context.Context, name string) (rules.Target, error)

	CreateVpc(ctx context.Context, a store.Actor, in rules.VpcInput) (rules.VPC, error)
	ListVpcs(ctx context.Context, accountID, regionID string) ([]store.VpcWithVSwitches, error)
	GetVpc(ctx context.Context, accountID, id string) (store.VpcWithVSwitches, error)
	DeleteVpc(ctx context.Context, a store.Actor, id string) error
	CreateVSwitch(ctx context.Context, a store.Actor, in rules.VSwitchInput) (rules.VSwitch, error)
	ListVSwitches(ctx context.Context, accountID string, q store.VSwitchQuery) ([]store.ListedVSwitch, error)
	GetVSwitch(ctx context.Context, accountID, id string) (rules.VSwitch, error)
	DeleteVSwitch(ctx context.Context, a store.Actor, id string) error

	apiStore         // the APIs of a group: apis.go
	certificateStore // custom domains' certificates: certificates.go
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
	name   string // the action asked for, once read (Action or x-acs-action)
	action *action
	key    rules.AccessKey
	actor  store.Actor
}

// account is the calling access key's account.
func (c *call) account() string { return c.key.AccountID }

// ServeHTTP serves one RPC-style request, signed with signature version
// 1.0 or V3: parameters from the query string and the body, checked in
// Alibaba Cloud's order (parameters, action, the signature's form,
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
	return c.name
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
	authorization := r.Header["Authorization"]
	v3 := len(authorization) > 0
	in, err := s.readRequest(w, r, v3)
	if err != nil {
		return f, nil, err
	}
	c.ps = in.ps
	switch v := c.ps.str("Format"); {
	case v == "" || strings.EqualFold(v, "JSON"):
	case strings.EqualFold(v, "XML"):
		f = formatXML
	default:
		return f, nil, invalidParameter("Format", "%s is not a format; use JSON or XML.", quote(v))
	}

	var cred credential
	if v3 {
		if cred, err = v3Credential(authorization, c.ps); err != nil {
			return f, nil, err
		}
	}
	version, name, err := requestedAction(r, c.ps, v3)
	if name != "" {
		c.name = name
	}
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

	key, user, err := s.authenticate(c.ctx, r, &in, cred)
	if err != nil {
		return f, nil, err
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

// request is what readRequest takes from an HTTP request.
type request struct {
	ps         params            // the query string's and the body's, sorted, each name once
	query      params            // the query string's alone, sorted: what signature V3 signs
	bodySum    [sha256.Size]byte // the body's SHA-256 (signature V3 only)
	bodyParams bool              // the body carried parameters
}

// emptyBodySum is the SHA-256 of no body.
var emptyBodySum = sha256.Sum256(nil)

// readRequest reads the query string and the body's parameters: a form
// body of a POST; with signature V3 (v3), whatever the method, a form or a
// JSON object, and the body's SHA-256 whatever it holds.
func (s *Server) readRequest(w http.ResponseWriter, r *http.Request, v3 bool) (request, error) {
	in := request{bodySum: emptyBodySum}
	ps, perr := appendParams(make(params, 0, 24), r.URL.RawQuery)
	if perr != nil {
		return in, perr
	}
	if perr := sortParams(ps); perr != nil {
		return in, perr
	}
	in.ps, in.query = ps, ps
	if r.Body == nil || r.Body == http.NoBody {
		return in, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	form := mt == "application/x-www-form-urlencoded"
	if !v3 && (r.Method != http.MethodPost || !form) {
		return in, nil
	}
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= 1<<20 {
			bufPool.Put(buf)
		}
	}()
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return in, &apiError{Status: http.StatusRequestEntityTooLarge, Code: CodeInvalidParameter,
			Message: "The request body is larger than the endpoint accepts."}
	}
	if err != nil {
		return in, &apiError{Status: http.StatusBadRequest, Code: CodeInvalidParameter,
			Message: "The request body could not be read."}
	}
	if v3 {
		in.bodySum = sha256.Sum256(buf.Bytes())
	}
	var body params
	switch {
	case form:
		body, perr = appendParams(nil, buf.String())
	case mt == "application/json" && buf.Len() > 0: // V3 only
		body, perr = appendJSONParams(nil, buf.Bytes())
	}
	if perr != nil {
		return in, perr
	}
	if len(body) == 0 {
		return in, nil
	}
	in.bodyParams = true
	in.ps = append(append(make(params, 0, len(ps)+len(body)), ps...), body...)
	if perr := sortParams(in.ps); perr != nil {
		return in, perr
	}
	return in, nil
}
