package gateway

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Backends: where an API's calls go. A Mock answers by itself; an HTTP
// backend receives the call, forwarded within the API's timeout, and only
// when its address is inside --backend-allow.

// backend serves a call routed to an API.
type backend interface {
	serve(w http.ResponseWriter, r *http.Request, c *call)
}

// mockBackend answers its fixed status, headers and body.
type mockBackend struct {
	status int
	header []headerValues // Content-Type and Content-Length included
	body   []byte
}

type headerValues struct {
	name   string // canonical
	values []string
}

func newMockBackend(status int, header http.Header, body []byte) *mockBackend {
	h := header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", "application/json; charset=utf-8")
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	if status == 0 {
		status = http.StatusOK
	}
	m := &mockBackend{status: status, body: body}
	for k, v := range h {
		m.header = append(m.header, headerValues{k, v})
	}
	return m
}

func (m *mockBackend) serve(w http.ResponseWriter, r *http.Request, _ *call) {
	h := w.Header()
	for _, hv := range m.header {
		h[hv.name] = hv.values
	}
	w.WriteHeader(m.status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(m.body) // the caller hung up: nothing to do
	}
}

// httpBackend forwards calls to a service over HTTP.
type httpBackend struct {
	base    *url.URL      // scheme and host of the service's address
	path    pathTemplate  // the service path, with [name] parameters from the request path
	method  string        // "" keeps the caller's method
	timeout time.Duration // the whole call, connecting included
	fwd     *forwarder
}

// forwardKey carries a forwarded call's destination to the reverse proxy.
type forwardKey struct{}

type forward struct {
	url    url.URL
	method string
	reqID  string
}

func (b *httpBackend) serve(w http.ResponseWriter, r *http.Request, c *call) {
	f := &forward{method: b.method, reqID: c.id}
	f.url = *b.base
	f.url.Path = b.path.fill(c.params)
	f.url.RawQuery = r.URL.RawQuery
	ctx, cancel := context.WithTimeout(r.Context(), b.timeout)
	defer cancel()
	b.fwd.proxy.ServeHTTP(w, r.WithContext(context.WithValue(ctx, forwardKey{}, f)))
}

// forwarder is the one reverse proxy every HTTP backend shares: its
// transport keeps connections to the services alive and dials only
// addresses inside the allowed prefixes.
type forwarder struct {
	proxy *httputil.ReverseProxy
	allow []netip.Prefix
}

// maxRequestBody is the largest request body the gateway forwards
// (Alibaba's limit for a call's body).
const maxRequestBody = 8 << 20

func newForwarder(allow []netip.Prefix, log *slog.Logger) *forwarder {
	f := &forwarder{allow: allow}
	dialer := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second, Control: f.control}
	transport := &http.Transport{
		Proxy:               nil, // never through the environment's proxy: the service is called directly
		DialContext:         dialer.DialContext,
		MaxIdleConns:        1024,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true, // bodies pass as the service encodes them
		ForceAttemptHTTP2:   false,
	}
	f.proxy = &httputil.ReverseProxy{
		Rewrite:      rewrite,
		Transport:    transport,
		ErrorHandler: backendError,
		BufferPool:   bufferPool{},
		ErrorLog:     slog.NewLogLogger(log.Handler(), slog.LevelDebug), // a caller or service hanging up mid-body
	}
	return f
}

// rewrite points the outgoing request at the service: its address, the
// service path, the caller's query, the service's method; X-Forwarded-For
// (and -Host, -Proto) say who called. Hop-by-hop headers (Connection,
// Proxy-Authorization, …) are already gone.
func rewrite(pr *httputil.ProxyRequest) {
	f := pr.In.Context().Value(forwardKey{}).(*forward)
	pr.Out.URL = &f.url
	pr.Out.Host = ""
	if f.method != "" {
		pr.Out.Method = f.method
	}
	pr.Out.Header[headerRequestID] = []string{f.reqID}
	pr.SetXForwarded()
}

// errNotAllowed refuses to dial an address outside --backend-allow.
type errNotAllowed struct{ addr string }

func (e errNotAllowed) Error() string {
	return e.addr + " is not inside --backend-allow"
}

// control runs before each connection to a service is made, with the
// address actually dialled (after name resolution), and refuses any
// outside the allowed prefixes.
func (f *forwarder) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return errNotAllowed{address}
	}
	ip := ap.Addr().Unmap()
	for _, p := range f.allow {
		if p.Contains(ip) {
			return nil
		}
	}
	return errNotAllowed{ip.String()}
}

// backendError answers a call the service did not answer, with the
// table's code for why.
func backendError(w http.ResponseWriter, r *http.Request, err error) {
	var na errNotAllowed
	var maxBytes *http.MaxBytesError
	var opErr *net.OpError
	switch {
	case errors.As(err, &maxBytes):
		writeAPIError(w, errBodyTooLarge, "")
	case errors.As(err, &na):
		writeAPIError(w, errBackendConnect, na.Error())
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded):
		writeAPIError(w, errBackendTimeout, "")
	case r.Context().Err() != nil && !errors.Is(r.Context().Err(), context.DeadlineExceeded):
		// The caller hung up: nobody reads the answer.
		writeAPIError(w, errBackendResponse, "the caller closed the connection")
	case errors.As(err, &opErr) && opErr.Op == "dial":
		writeAPIError(w, errBackendConnect, dialReason(opErr))
	default:
		writeAPIError(w, errBackendResponse, err.Error())
	}
}

// dialReason words a failed connection: "connection refused to
// 127.0.0.1:9", without the dialler's prefix.
func dialReason(e *net.OpError) string {
	addr := ""
	if e.Addr != nil {
		addr = " to " + e.Addr.String()
	}
	var sys *os.SyscallError
	if errors.As(e.Err, &sys) {
		return sys.Err.Error() + addr
	}
	return fmt.Sprint(e.Err) + addr
}

// bufferPool lends the reverse proxy its copy buffers.
type bufferPool struct{}

var copyBuffers = sync.Pool{New: func() any { b := make([]byte, 32<<10); return &b }}

func (bufferPool) Get() []byte  { return *copyBuffers.Get().(*[]byte) }
func (bufferPool) Put(b []byte) { copyBuffers.Put(&b) }

// limitBody caps a request body at maxRequestBody: a body announced
// larger is refused before anything is forwarded (I413RL), and one that
// grows past it while streaming stops the call with the same code.
func limitBody(w http.ResponseWriter, r *http.Request) bool {
	if r.ContentLength > maxRequestBody {
		return false
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	}
	return true
}
