package gateway

import (
	"errors"
	"net/http"
	"net/netip"
	"strings"

	"gatehouse/rules"
)

// Parsing a call: is it made straight to the gateway (origin form, routed
// by Host) or through the proxy (absolute form, routed by the URL's host)?

// target is what a request asks for, parsed.
type target struct {
	proxied bool           // absolute form or CONNECT: through the proxy
	connect bool           // CONNECT: a tunnel for HTTPS through the proxy
	host    string         // the name, as sent (the port taken off); normalise before use
	port    string         // the URL's port through the proxy ("" when none); see portServed
	proto   rules.Protocol // HTTP, or HTTPS when the connection is TLS or a tunnel is asked for
}

// Why a request cannot be parsed. With the last three (the host is no
// name), parseRequest still tells whether the request came through the
// proxy.
var (
	errProxyScheme  = errors.New("the proxy serves http:// URLs only; for https:// URLs a client asks for a tunnel (CONNECT), as HTTPS_PROXY does")
	errProxyPort    = errors.New("API Gateway serves HTTP on port 80 only")
	errConnectPort  = errors.New("API Gateway serves HTTPS on port 443 only")
	errProxyUser    = errors.New("the URL carries a user name: put the network's credentials in the proxy URL, not the request's")
	errNoHost       = errors.New("the request names no host")
	errHostTooLong  = errors.New("the host name is longer than 253 characters")
	errHostNotAName = errors.New("the host is not a domain name")
)

// parseRequest tells a proxied request from a direct one and reads the
// name it asks for.
//
//	request line                          form       host from       port
//	CONNECT name:443                      authority  the target      443 only (portServed): the name's HTTPS port
//	GET http://name[:port]/path           absolute   the URL         80 only (portServed): the name's HTTP port
//	GET /path (Host: name[:any])          origin     Host            any: the gateway's own
//
// A host that is an IP address, or no name at all, is refused: the
// gateway serves names.
func parseRequest(r *http.Request) (target, error) {
	t := target{proto: rules.ProtocolHTTP}
	if r.TLS != nil {
		t.proto = rules.ProtocolHTTPS
	}
	var hostport string
	if r.Method == http.MethodConnect {
		t.proxied, t.connect, t.proto = true, true, rules.ProtocolHTTPS
		hostport = r.Host
		if r.URL != nil && r.URL.Host != "" {
			hostport = r.URL.Host
		}
	} else if r.URL.IsAbs() || (r.RequestURI != "" && r.RequestURI[0] != '/' && r.RequestURI != "*") {
		t.proxied = true
		if !strings.EqualFold(r.URL.Scheme, "http") {
			return target{}, errProxyScheme
		}
		if r.URL.User != nil {
			return target{}, errProxyUser
		}
		hostport = r.URL.Host
	} else {
		hostport = r.Host
	}
	host, port := splitHostPort(hostport)
	t.host = host
	if t.proxied {
		t.port = port
	}
	switch {
	case host == "":
		return t, errNoHost
	case len(host) > rules.DomainNameMax+1:
		return t, errHostTooLong
	case strings.ContainsAny(host, "[]") || isIP(host):
		// An IPv6 literal, or a bracket no name holds ("Host: ]").
		return t, errHostNotAName
	}
	return t, nil
}

// isIP reports whether host is an IP address rather than a name.
func isIP(host string) bool {
	_, err := netip.ParseAddr(host)
	return err == nil
}

// portServed reports whether a proxied call asks for the port API Gateway
// serves its protocol on: 80 for HTTP, 443 for a tunnel (none means
// either).
func (t target) portServed() bool {
	if t.connect {
		return t.port == "" || t.port == "443"
	}
	return t.port == "" || t.port == "80"
}

// splitHostPort splits "name:port" or "[v6]:port"; a host without a port
// comes back whole with port "".
func splitHostPort(hp string) (host, port string) {
	if strings.HasPrefix(hp, "[") {
		if i := strings.LastIndex(hp, "]:"); i >= 0 {
			return hp[:i+1], hp[i+2:]
		}
		return hp, ""
	}
	if i := strings.LastIndexByte(hp, ':'); i >= 0 && strings.IndexByte(hp[:i], ':') < 0 {
		return hp[:i], hp[i+1:]
	}
	return hp, ""
}
