package gateway

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"gatehouse/rules"
)

// The console's view of the gateway beyond the traffic (traffic.go): the
// Debug panel, the proxy URLs and the addresses the listeners are bound to.

// Listening tells the gateway where its listeners are bound (after a port
// 0 has been chosen), for ProxyURL and Addrs; tls is "" without a TLS
// listener.
func (g *Gateway) Listening(plain, tls string) {
	g.addrs.Store(&[2]string{plain, tls})
}

// Addrs returns the listeners' bound addresses (host:port); "" for one
// not listening (yet).
func (g *Gateway) Addrs() (plain, tls string) {
	if a := g.addrs.Load(); a != nil {
		return a[0], a[1]
	}
	return "", ""
}

// ProxyURL is the proxy URL of network n pointing at the gateway's bound
// address: the same URL as `gatehouse network url` prints (ProxyURL). The
// caller checks that n's VPC is the viewer's account's.
func (g *Gateway) ProxyURL(n Network) string {
	plain, _ := g.Addrs()
	return ProxyURL(plain, g.cfg.ProxyKey, n)
}

// CACertificatePEM is the CA's certificate (what `gatehouse ca` prints),
// nil without a CA.
func (g *Gateway) CACertificatePEM() []byte {
	if g.cfg.CA == nil {
		return nil
	}
	return g.cfg.CA.CertificatePEM()
}

// DebugRequest is a call the Debug panel makes.
type DebugRequest struct {
	Network Network // who calls; the caller checks the VPC is the viewer's account's
	HTTPS   bool
	Method  string
	Domain  string // the name called
	Path    string // path and query, from "/"
	Stage   string // X-Ca-Stage; "" for none (RELEASE)
	Header  http.Header
	Body    []byte
}

// DebugResult is what the call got.
type DebugResult struct {
	Sent      DebugSent
	RequestID string // X-Ca-Request-Id
	Status    int
	Header    http.Header
	Body      []byte
	Truncated bool // the body was longer than maxDebugAnswer; Body is its start
	Duration  time.Duration
	// Decision is the network's decision (rules.Reach) on the call; nil
	// when the call was answered before it (a malformed request).
	Decision *Decision
}

// DebugSent is the request as a client in the network sends it.
type DebugSent struct {
	Via    string // how it reaches the gateway, in words
	Method string
	URL    string // the URL the client asks for
	Header http.Header
}

// Decision is the network decision on a call, in words.
type Decision struct {
	Allowed bool
	Rule    string // R2 … R11
	Reason  string // full sentences, for the caller's account
	Address string // what the name resolves to for the caller; "" when it does not
}

// Bounds of the Debug panel's calls.
const (
	maxDebugBody   = 64 << 10  // the request body it sends
	maxDebugAnswer = 256 << 10 // the answer's body it keeps
	maxDebugTime   = 60 * time.Second
)

// Errors of a Debug request that cannot be sent.
var (
	errDebugMethod  = errors.New("choose a method: GET, POST, PUT, DELETE, PATCH, HEAD or OPTIONS")
	errDebugPath    = errors.New("the path starts with / (a query may follow ?)")
	errDebugDomain  = errors.New("choose one of the group's domains")
	errDebugBody    = errors.New("the body is at most 64 KiB")
	errDebugNetwork = errors.New("choose the Internet, a VPC or a hybrid network joined to a VPC")
)

// Debug makes one call through this gateway, in process, as a client in
// the chosen network would: straight to a listener from the Internet;
// through the proxy with the network's credentials over HTTP; through a
// tunnel (CONNECT) over HTTPS, whose decision is the same as the CONNECT's.
// It goes through every step of a real call (the access decision, the
// stage, the API, the daily limit, the backend) and is counted and kept
// among the recent calls like one, marked Debug. An error means the
// request could not be sent (its words say why); a refusal is a result.
func (g *Gateway) Debug(ctx context.Context, in DebugRequest) (DebugResult, error) {
	method := strings.ToUpper(strings.TrimSpace(in.Method))
	domain := rules.NormalizeDomain(in.Domain)
	switch {
	case !apiMethod(method):
		return DebugResult{}, errDebugMethod
	case !strings.HasPrefix(in.Path, "/") || strings.ContainsAny(in.Path, " \r\n#"):
		return DebugResult{}, errDebugPath
	case domain == "" || strings.ContainsAny(domain, ":/ "):
		return DebugResult{}, errDebugDomain
	case len(in.Body) > maxDebugBody:
		return DebugResult{}, errDebugBody
	case (in.Network.Kind == rules.CallerVpc || in.Network.Kind == rules.CallerHybrid) != (in.Network.Vpc != nil):
		return DebugResult{}, errDebugNetwork
	}
	ctx, cancel := context.WithTimeout(ctx, maxDebugTime)
	defer cancel()

	scheme, sent := "http", DebugSent{Method: method, Header: in.Header.Clone()}
	if sent.Header == nil {
		sent.Header = http.Header{}
	}
	if in.Stage != "" {
		sent.Header.Set(headerStage, in.Stage)
	}
	if in.HTTPS {
		scheme = "https"
	}
	sent.URL = scheme + "://" + domain + in.Path
	target := in.Path
	proxied := in.Network.Vpc != nil
	switch {
	case proxied && in.HTTPS:
		ctx = context.WithValue(ctx, tunnelKey{}, in.Network)
		sent.Via = "through a tunnel of the proxy (CONNECT), as " + in.Network.UserName()
	case proxied:
		target = sent.URL
		sent.Via = "through the proxy, as " + in.Network.UserName()
	case in.HTTPS:
		sent.Via = "straight to the TLS listener, from the Internet"
	default:
		sent.Via = "straight to the gateway, from the Internet"
	}
	r, err := http.NewRequestWithContext(ctx, method, target, bytes.NewReader(in.Body))
	if err != nil {
		return DebugResult{}, errDebugPath
	}
	r.RequestURI, r.Host, r.RemoteAddr = target, domain, "127.0.0.1:0"
	r.Header = sent.Header.Clone()
	if proxied && !in.HTTPS {
		cred := in.Network.UserName() + ":" + Credential(g.cfg.ProxyKey, in.Network)
		r.Header.Set("Proxy-Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(cred)))
		sent.Header.Set("Proxy-Authorization", "Basic (the credentials of "+in.Network.UserName()+")")
	}
	if in.HTTPS {
		r.TLS = &tls.ConnectionState{Version: tls.VersionTLS13, HandshakeComplete: true, ServerName: domain}
	}
	if len(in.Body) > 0 {
		sent.Header.Set("Content-Length", strconv.Itoa(len(in.Body)))
	}

	w := &captureWriter{header: http.Header{}}
	c := &call{debug: true}
	start := time.Now()
	g.handle(w, r, c)
	res := DebugResult{Sent: sent, RequestID: c.id, Status: w.status, Header: w.header, Body: w.body.Bytes(),
		Truncated: w.truncated, Duration: time.Since(start)}
	if res.Status == 0 {
		res.Status = http.StatusOK
	}
	if c.decided {
		v := c.verdict
		res.Decision = &Decision{Allowed: v.Allowed, Rule: v.Rule, Reason: v.Reason(), Address: v.ResolvedAddress()}
	}
	return res, nil
}

// captureWriter keeps an answer for the Debug panel: its status, headers
// and up to maxDebugAnswer bytes of its body.
type captureWriter struct {
	header    http.Header
	status    int
	body      bytes.Buffer
	truncated bool
}

func (w *captureWriter) Header() http.Header { return w.header }

func (w *captureWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *captureWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	room := maxDebugAnswer - w.body.Len()
	if len(b) > room {
		w.body.Write(b[:max(room, 0)])
		w.truncated = true
		return len(b), nil
	}
	return w.body.Write(b)
}

// Flush lets the reverse proxy flush a streamed answer.
func (w *captureWriter) Flush() {}
