// Package gateway is Gatehouse's data plane (SPEC §7): it answers calls on
// the groups' domains, from the network a caller chooses, with the rules
// enforced on real traffic.
//
// Two listeners serve the one handler. The plain one (--gateway-addr) is
// at once the gateway over HTTP and the proxy; the TLS one
// (--gateway-tls-addr, tls.go) serves HTTPS, configured per handshake by
// the name (SNI). A call made straight to either comes from the Internet;
// a call through the proxy (absolute form, HTTP_PROXY, curl -x; or CONNECT
// for HTTPS, HTTPS_PROXY, tunnel.go) comes from the network its
// Proxy-Authorization names and proves. A call then passes one line of
// steps, each a function of its own (serve reads top to bottom):
//
//	parse           parseRequest      direct, proxied or a tunnel; the name asked for
//	who calls       callerNetwork     the Internet, the proxy's network, or the tunnel's
//	what the name   snapshot.lookup,  the access decision of package rules,
//	means           decide            the one the access check asks
//	                openTunnel        CONNECT: the connection goes to the TLS side
//	API and stage   parseStage,       X-Ca-Stage, method and path to the
//	                routeTable.match  API deployed there; its protocols (I403PT)
//	limits          limiter.admit     R2's daily limit of public domains
//	backend         backend.serve     Mock, or HTTP forwarding
//
// and every answer carries X-Ca-Request-Id (answers.go). The state the
// steps read is a snapshot in memory (snapshot.go). Every answered call is
// counted per domain per hour and kept among the recent calls of its
// group's account (traffic.go); a Recorder, when configured, hears of it
// too (record.go).
//
// # What the console reads
//
// The console reaches the gateway through these methods of *Gateway (the
// handler declares the ones it calls as an interface of its own):
//
//	GroupTraffic(ctx, group, v, hours)      the Traffic card of Group Details: today's calls through
//	                                        the public domain (Beijing day) against R2's limit, and
//	                                        the chart: calls (and failed ones) per domain per hour,
//	                                        oldest first, the current hour last
//	RecentCalls(accountID, RecentFilter)    Recent calls: the account's last calls, newest first,
//	                                        by group and outcome; callers of other accounts anonymous
//	Debug(ctx, DebugRequest)                the Debug panel: one call through this very gateway,
//	                                        as the chosen network, and what it got and why
//	ProxyURL(Network)                       a network's proxy URL (the same as gatehouse network url),
//	                                        pointing at the gateway's bound address
//	Addrs()                                 the listeners' bound host:port, plain and TLS
//	CACertificatePEM()                      the CA's certificate, for a download link
//
// Each is safe for concurrent use and cheap: the counters and the recent
// calls are in memory, the chart reads one indexed query.
package gateway

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"sync/atomic"
	"time"

	"gatehouse/rules"
)

// Config is the gateway's configuration.
type Config struct {
	Limits       rules.Limits     // R2's daily limits of public second-level domains
	BackendAllow []netip.Prefix   // addresses HTTP backends may have (--backend-allow)
	ProxyKey     []byte           // the key of the proxy's credentials (ProxyKeyName)
	CA           *CA              // signs the second-level domains' certificates; nil: no HTTPS
	Now          func() time.Time // the clock of the daily limit and the counts; time.Now when nil
	Log          *slog.Logger
	Recorder     Recorder // told of every call once answered; nil for none
}

// Store is what the gateway needs of the store: its state, the
// reservations of the daily limit, the custom domains' certificates and
// the calls per hour.
type Store interface {
	Source
	Reserver
	CallCounter
	DomainCertificate(ctx context.Context, name string) (certPEM, keyPEM []byte, ok bool, err error)
}

// Gateway serves calls. It is an http.Handler for both of the gateway's
// listeners.
type Gateway struct {
	cfg     Config
	store   Store
	snaps   *snapshots
	limits  *limiter
	ids     *requestIDs
	traffic *traffic

	leafConfigs   leafConfigs
	customConfigs customConfigs
	tunnels       *tunnels
	tunnelsServed atomic.Bool
	addrs         atomic.Pointer[[2]string] // the bound addresses: plain, TLS
}

// New makes a gateway serving from st.
func New(cfg Config, st Store) *Gateway {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	return &Gateway{
		cfg:     cfg,
		store:   st,
		snaps:   &snapshots{src: st, fwd: newForwarder(cfg.BackendAllow, cfg.Log)},
		limits:  newLimiter(st, cfg.Now),
		ids:     newRequestIDs(),
		traffic: newTraffic(st),
		tunnels: newTunnels(),
	}
}

// call is one call on its way through the steps: what each step found.
type call struct {
	id       string
	network  Network
	name     name
	api      *deployedAPI
	stage    int
	params   []rules.PathParam
	paramBuf [4]rules.PathParam
	sw       statusWriter

	proto     rules.Protocol
	verdict   rules.Verdict // the network decision, once made (decided)
	decided   bool
	tunnelled bool // CONNECT answered with a tunnel: its calls are the TLS side's
	debug     bool // made by the console's Debug panel
}

// ServeHTTP answers one call.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	g.handle(w, r, &call{})
}

// handle answers a call (serve), counts it and keeps it among the recent
// calls, and tells the Recorder, if any.
func (g *Gateway) handle(w http.ResponseWriter, r *http.Request, c *call) {
	c.id, c.stage = g.ids.next(), -1
	w.Header()[headerRequestID] = []string{c.id}
	start := g.cfg.Now()
	c.sw = statusWriter{ResponseWriter: w}
	g.serve(&c.sw, r, c)
	if c.tunnelled {
		return
	}
	rec := c.record(start, g.cfg.Now().Sub(start), &c.sw)
	g.traffic.record(&rec)
	if g.cfg.Recorder != nil {
		g.cfg.Recorder.Record(rec)
	}
}

// serve answers one call, step by step.
func (g *Gateway) serve(w http.ResponseWriter, r *http.Request, c *call) {
	ctx := r.Context()

	// Parse: direct, through the proxy or a tunnel, and the name asked for.
	t, err := parseRequest(r)
	tunnelNet, tunnelled := tunnelNetwork(ctx)
	if tunnelled {
		t.proxied = true // the proxy's answers: a tunnel is the proxy's
	}
	c.proto = t.proto
	if err != nil {
		answerParseError(w, t, err)
		return
	}
	if e, detail, bad := checkRequest(r); bad {
		writeAPIError(w, e, detail)
		return
	}
	if r.TLS != nil && r.TLS.ServerName != "" && rules.NormalizeDomain(r.TLS.ServerName) != rules.NormalizeDomain(t.host) {
		writeRefusal(w, http.StatusMisdirectedRequest, "sni", "the connection was made for "+headerSafe(r.TLS.ServerName)+
			", not for "+headerSafe(t.host)+": call each name on a connection of its own.")
		return
	}
	snap, err := g.snaps.current(ctx)
	if err != nil {
		g.internalError(w, "read the gateway's state", err)
		return
	}

	// Who calls.
	nw := tunnelNet
	if !tunnelled {
		nw, err = callerNetwork(g.cfg.ProxyKey, snap, t, r.Header)
	}
	c.network = nw
	if err != nil {
		w.Header()["Proxy-Authenticate"] = []string{`Basic realm="Gatehouse gateway"`}
		writeRefusal(w, http.StatusProxyAuthRequired, "proxy-auth", err.Error()+".")
		return
	}

	// What the name means for that network: the access decision.
	n, ours, err := snap.lookup(ctx, t.host)
	if err != nil {
		g.internalError(w, "read a group", err)
		return
	}
	if !ours {
		refuseUnknownName(w, t)
		return
	}
	c.name = n
	if !t.portServed() {
		why := errProxyPort
		if t.connect {
			why = errConnectPort
		}
		writeRefusal(w, http.StatusBadGateway, "proxy", why.Error()+": nothing answers on port "+headerSafe(t.port)+".")
		return
	}
	d := decide(nw, n, t.proto, g.cfg.Limits)
	c.verdict, c.decided = d.Verdict, true
	if !d.Allowed {
		if !t.proxied && n.group == nil {
			writeAPIError(w, errUnknownDomain, t.host) // straight to the gateway: a name it does not serve
			return
		}
		writeRefusal(w, http.StatusBadGateway, d.Rule, d.Reason())
		return
	}
	if t.connect {
		c.tunnelled = true
		g.openTunnel(w, nw)
		return
	}

	// Which API, in which stage.
	stage, ok := parseStage(r.Header)
	if !ok {
		writeAPIError(w, errBadStage, r.Header.Get(headerStage))
		return
	}
	c.stage = stage
	path := r.URL.EscapedPath()
	if path == "" || path[0] != '/' {
		writeAPIError(w, errBadPath, path) // OPTIONS *, say
		return
	}
	api, params, outcome := n.group.stages[stage].match(r.Method, path, c.paramBuf[:0])
	switch outcome {
	case matchBadMethod:
		writeAPIError(w, errBadMethod, r.Method)
		return
	case matchNoPath, matchNoMethod:
		writeAPIError(w, errNoAPI, notFoundReason(r, stage, outcome))
		return
	}
	c.api, c.params = api, params
	if !api.answers(t.proto) {
		writeAPIError(w, errProtocol, string(t.proto))
		return
	}
	if !api.reachable(n.target) {
		writeAPIError(w, errInternetOff, "through "+string(n.target.Kind)+" domain `"+n.target.Name+"`: call it through the VPC second-level domain or an INTRANET custom domain")
		return
	}

	// Limits: the public second-level domain's calls of the day.
	if d.dailyLimit > 0 {
		admitted, err := g.limits.admit(ctx, n.group.group.ID, int64(d.dailyLimit))
		if err != nil {
			g.internalError(w, "reserve public-domain calls", err)
			return
		}
		if !admitted {
			writeAPIError(w, errDailyLimit, "the public second-level domain `"+n.target.Name+"` has made its "+
				rules.FormatDailyLimit(d.dailyLimit)+" (a day counted in Beijing time, UTC+8): call through the VPC second-level domain or a custom domain, which are unlimited")
			return
		}
	}

	// Backend.
	if !limitBody(w, r) {
		writeAPIError(w, errBodyTooLarge, "")
		return
	}
	api.backend.serve(w, r, c)
}

// internalError answers a failure of the gateway itself, and logs it.
func (g *Gateway) internalError(w http.ResponseWriter, what string, err error) {
	g.cfg.Log.Error("gateway: "+what, "err", err)
	writeAPIError(w, errInternal, "")
}

// answerParseError answers a request that could not be parsed.
func answerParseError(w http.ResponseWriter, t target, err error) {
	switch {
	case errors.Is(err, errProxyScheme), errors.Is(err, errProxyUser):
		writeRefusal(w, http.StatusBadGateway, "proxy", err.Error()+".")
	default: // the host is no name
		refuseUnknownName(w, t)
	}
}

// refuseUnknownName answers a name that is none of Gatehouse's: through
// the proxy it is a host outside Gatehouse, which the proxy never
// connects to; straight to the gateway, a domain it does not serve.
func refuseUnknownName(w http.ResponseWriter, t target) {
	if t.proxied {
		writeRefusal(w, http.StatusForbidden, "not-gatehouse",
			"the proxy only reaches Gatehouse's domains (second-level domains under "+rules.DomainSuffix+
				" and bound custom domains); "+headerSafe(t.host)+" is not one of them.")
		return
	}
	writeAPIError(w, errUnknownDomain, t.host)
}

// callerNetwork is who calls: the Internet for a direct call, else the
// network the proxy's credentials name and prove (the Internet when there
// are none).
func callerNetwork(key []byte, snap *snapshot, t target, h http.Header) (Network, error) {
	if !t.proxied {
		return Internet, nil
	}
	auth := h["Proxy-Authorization"]
	if len(auth) == 0 {
		return Internet, nil
	}
	if len(auth) > 1 {
		return Network{}, errAuthFormat
	}
	if nw, ok := snap.networks.get(auth[0]); ok {
		return *nw, nil
	}
	u, err := parseProxyAuthorization(auth[0])
	if err != nil {
		return Network{}, err
	}
	nw, err := checkCredential(key, u, snap.vpcs)
	if err == nil {
		snap.networks.put(auth[0], nw)
	}
	return nw, err
}

// decision is what the gateway acts on of the access decision.
type decision struct {
	rules.Verdict
	dailyLimit int // > 0: the call counts against R2's daily limit
}

// decide asks package rules whether the network reaches the name: the
// one decision of the access check (R11), rules.Reach. The gateway adds
// nothing to it but which calls it counts: those through a public
// second-level domain (SPEC §7: custom domains are never counted).
func decide(nw Network, n name, proto rules.Protocol, limits rules.Limits) decision {
	d := decision{Verdict: rules.Reach(nw.Caller(), n.target, proto, limits)}
	if d.Allowed && n.target.Kind == rules.DomainPublic {
		d.dailyLimit = d.DailyLimit
	}
	return d
}

// notFoundReason words I404NF: no API has the path in the stage, or none
// has the method.
func notFoundReason(r *http.Request, stage int, o matchOutcome) string {
	what := "with path `" + r.URL.EscapedPath() + "`"
	if o == matchNoMethod {
		what = "with method `" + r.Method + "` on path `" + r.URL.EscapedPath() + "`"
	}
	return what + " in stage " + string(stageNames[stage])
}

// Limits of a request the gateway reads.
const (
	maxURLBytes    = 32 << 10 // the request line's target
	maxHeaderBytes = 64 << 10 // every header's name and value; the listener refuses more than 1 MiB itself
)

// checkRequest refuses a request whose URL or headers are too large.
func checkRequest(r *http.Request) (apiError, string, bool) {
	if len(r.RequestURI) > maxURLBytes {
		return errURLTooLarge, "", true
	}
	size := 0
	for k, vs := range r.Header {
		for _, v := range vs {
			size += len(k) + len(v)
		}
	}
	if size > maxHeaderBytes {
		return errBadHeader, "headers of " + formatKiB(size) + ", more than " + formatKiB(maxHeaderBytes), true
	}
	return apiError{}, "", false
}

func formatKiB(n int) string {
	return rules.FormatThousands(n/1024) + " KiB"
}
