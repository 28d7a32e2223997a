// Package gateway is Gatehouse's data plane (SPEC §7): it answers calls on
// the groups' domains, from the network a caller chooses, with the rules
// enforced on real traffic.
//
// One handler serves both ways in: a call made straight to the gateway
// (origin form, routed by Host) comes from the Internet; a call through
// the proxy (absolute form, HTTP_PROXY, curl -x) comes from the network
// its Proxy-Authorization names and proves. A call then passes one line of
// steps, each a function of its own (ServeHTTP reads top to bottom):
//
//	parse           parseRequest      direct or proxied; the name asked for
//	who calls       callerNetwork     the Internet, or the proxy's network
//	what the name   snapshot.lookup,  the access decision of package rules,
//	means           decide            the one the access check asks
//	API and stage   parseStage,       X-Ca-Stage, method and path to the
//	                routeTable.match  API deployed there; its protocols
//	limits          limiter.admit     R2's daily limit of public domains
//	backend         backend.serve     Mock, or HTTP forwarding
//
// and every answer carries X-Ca-Request-Id (answers.go). The state the
// steps read is a snapshot in memory (snapshot.go); a Recorder, when
// configured, hears of every call once answered (record.go).
package gateway

import (
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"gatehouse/rules"
)

// Config is the gateway's configuration.
type Config struct {
	Limits       rules.Limits     // R2's daily limits of public second-level domains
	BackendAllow []netip.Prefix   // addresses HTTP backends may have (--backend-allow)
	ProxyKey     []byte           // the key of the proxy's credentials (ProxyKeyName)
	Now          func() time.Time // the clock of the daily limit; time.Now when nil
	Log          *slog.Logger
	Recorder     Recorder // told of every call once answered; nil for none
}

// Store is what the gateway needs of the store: its state, and the
// reservations of the daily limit.
type Store interface {
	Source
	Reserver
}

// Gateway serves calls. It is an http.Handler for the gateway's listener.
type Gateway struct {
	cfg    Config
	snaps  *snapshots
	limits *limiter
	ids    *requestIDs
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
		cfg:    cfg,
		snaps:  &snapshots{src: st, fwd: newForwarder(cfg.BackendAllow, cfg.Log)},
		limits: newLimiter(st, cfg.Now),
		ids:    newRequestIDs(),
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
}

// ServeHTTP answers one call (serve), and tells the Recorder, if any.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{id: g.ids.next(), stage: -1}
	w.Header()[headerRequestID] = []string{c.id}
	if g.cfg.Recorder == nil {
		g.serve(w, r, c)
		return
	}
	start := g.cfg.Now()
	sw := &statusWriter{ResponseWriter: w}
	g.serve(sw, r, c)
	g.cfg.Recorder.Record(c.record(start, g.cfg.Now().Sub(start), sw))
}

// serve answers one call, step by step.
func (g *Gateway) serve(w http.ResponseWriter, r *http.Request, c *call) {
	ctx := r.Context()

	// Parse: direct or through the proxy, and the name asked for.
	t, err := parseRequest(r)
	if err != nil {
		answerParseError(w, t, err)
		return
	}
	if e, detail, bad := checkRequest(r); bad {
		writeAPIError(w, e, detail)
		return
	}
	snap, err := g.snaps.current(ctx)
	if err != nil {
		g.internalError(w, "read the gateway's state", err)
		return
	}

	// Who calls.
	nw, err := callerNetwork(g.cfg.ProxyKey, snap, t, r.Header)
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
		writeRefusal(w, http.StatusBadGateway, "proxy", errProxyPort.Error()+": nothing answers on port "+headerSafe(t.port)+".")
		return
	}
	d := decide(nw, n, t.proto, g.cfg.Limits)
	if !d.Allowed {
		if !t.proxied && n.group == nil {
			writeAPIError(w, errUnknownDomain, t.host) // straight to the gateway: a name it does not serve
			return
		}
		writeRefusal(w, http.StatusBadGateway, d.Rule, d.Reason())
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
	case errors.Is(err, errConnect):
		writeRefusal(w, http.StatusNotImplemented, "connect", err.Error()+".")
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
