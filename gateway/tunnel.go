package gateway

import (
	"context"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
)

// HTTPS through the proxy: CONNECT.
//
// A client with HTTPS_PROXY asks the proxy for a tunnel ("CONNECT
// name:443") and speaks TLS to the name through it. The proxy answers
// CONNECT after the same steps as a plain call up to the network decision
// (rules.Reach over HTTPS): a host that is none of Gatehouse's names is
// refused (403, never an open proxy), an unreachable name too (502 with
// X-Gatehouse-Refused, as for HTTP). An allowed tunnel never leaves the
// process: the client's connection is handed to the gateway's own TLS
// server through Tunnels, a listener in memory, with the caller's network
// attached. The TLS side reads it back (ConnContext) so every request in
// the tunnel is decided for that network, not for the Internet.

// tunnelConn is a client's connection after CONNECT, with its network.
type tunnelConn struct {
	net.Conn
	r       io.Reader // what the client sent after CONNECT, then the connection
	network Network
}

func (c *tunnelConn) Read(b []byte) (int, error) { return c.r.Read(b) }

// tunnels is the listener of the tunnels' connections.
type tunnels struct {
	conns chan *tunnelConn
	done  chan struct{}
	once  sync.Once
}

func newTunnels() *tunnels {
	return &tunnels{conns: make(chan *tunnelConn), done: make(chan struct{})}
}

// Tunnels is the listener the TLS server serves beside the TLS listener:
// it yields the connections CONNECT tunnels, already past the proxy's
// decision. Without a TLS server serving it, CONNECT is answered 501.
func (g *Gateway) Tunnels() net.Listener {
	g.tunnelsServed.Store(true)
	return g.tunnels
}

func (t *tunnels) Accept() (net.Conn, error) {
	select {
	case c := <-t.conns:
		return c, nil
	case <-t.done:
		return nil, net.ErrClosed
	}
}

func (t *tunnels) Close() error {
	t.once.Do(func() { close(t.done) })
	return nil
}

func (t *tunnels) Addr() net.Addr { return tunnelAddr{} }

type tunnelAddr struct{}

func (tunnelAddr) Network() string { return "tunnel" }
func (tunnelAddr) String() string  { return "gatehouse-connect-tunnel" }

// handOver gives a tunnel's connection to the TLS server; false when the
// listener is closed or nobody takes it in time.
func (t *tunnels) handOver(c *tunnelConn) bool {
	timer := time.NewTimer(10 * time.Second)
	defer timer.Stop()
	select {
	case t.conns <- c:
		return true
	case <-t.done:
	case <-timer.C:
	}
	return false
}

// tunnelKey carries a tunnelled connection's network in its requests'
// context.
type tunnelKey struct{}

// ConnContext is the TLS server's http.Server.ConnContext: it tells the
// gateway which network a tunnelled connection's requests come from.
func (g *Gateway) ConnContext(ctx context.Context, c net.Conn) context.Context {
	if tc, ok := c.(interface{ NetConn() net.Conn }); ok {
		c = tc.NetConn()
	}
	if t, ok := c.(*tunnelConn); ok {
		return context.WithValue(ctx, tunnelKey{}, t.network)
	}
	return ctx
}

// tunnelNetwork is the network of a request that came through a tunnel.
func tunnelNetwork(ctx context.Context) (Network, bool) {
	nw, ok := ctx.Value(tunnelKey{}).(Network)
	return nw, ok
}

// openTunnel answers an allowed CONNECT: 200, then the connection belongs
// to the TLS server.
func (g *Gateway) openTunnel(w http.ResponseWriter, nw Network) {
	if !g.tunnelsServed.Load() {
		writeRefusal(w, http.StatusNotImplemented, "connect", "HTTPS is not served by this gateway (no TLS listener).")
		return
	}
	conn, brw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		g.internalError(w, "take over a CONNECT connection", err)
		return
	}
	// The server's deadlines were for the CONNECT request; the TLS
	// server sets its own.
	if err := conn.SetDeadline(time.Time{}); err != nil {
		conn.Close()
		return
	}
	if _, err := io.WriteString(conn, "HTTP/1.1 200 Connection established\r\n\r\n"); err != nil {
		conn.Close()
		return
	}
	tc := &tunnelConn{Conn: conn, r: conn, network: nw}
	if brw.Reader.Buffered() > 0 {
		// The client did not wait for the answer: its first bytes are
		// in the server's buffer.
		tc.r = io.MultiReader(io.LimitReader(brw.Reader, int64(brw.Reader.Buffered())), conn)
	}
	if !g.tunnels.handOver(tc) {
		conn.Close()
	}
}
