package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"time"
)

// httpConn is one client's keep-alive HTTP/1.1 connection: requests are
// written as prepared bytes and responses parsed just enough to find their
// end (Content-Length or chunked), the status, the cookies set and, when
// asked, the body. It is the load generator's whole HTTP stack: small, so
// that the two cores it shares with the server go to the server.
type httpConn struct {
	addr string
	tls  *tls.Config // HTTPS when set: a TLS session on the connection, kept alive with it
	nc   net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
}

// response is what the load run needs of an answer.
type response struct {
	status   int
	encoding string // Content-Encoding
	location string
	cookies  []setCookie
	body     []byte // only when asked; as sent (compressed or not)
	wire     int    // body bytes on the wire
}

type setCookie struct {
	name, value string
	del         bool // Max-Age=0 or an empty value: the browser drops it
}

func newConn(addr string) *httpConn { return &httpConn{addr: addr} }

func (c *httpConn) close() {
	if c.nc != nil {
		c.nc.Close()
		c.nc = nil
	}
}

// do sends one request (complete bytes, headers and body) and reads the
// answer into r. keepBody keeps the body; otherwise it is discarded as it
// arrives. On any error the connection is closed; the next call dials again.
func (c *httpConn) do(req []byte, keepBody bool, r *response) error {
	*r = response{cookies: r.cookies[:0], body: r.body[:0]}
	if c.nc == nil {
		nc, err := net.DialTimeout("tcp", c.addr, 5*time.Second)
		if err != nil {
			return err
		}
		if c.tls != nil {
			tc := tls.Client(nc, c.tls)
			if err := tc.HandshakeContext(context.Background()); err != nil {
				nc.Close()
				return err
			}
			nc = tc
		}
		c.nc = nc
		if c.br == nil {
			c.br = bufio.NewReaderSize(nc, 32<<10)
			c.bw = bufio.NewWriterSize(nc, 8<<10)
		} else {
			c.br.Reset(nc)
			c.bw.Reset(nc)
		}
	}
	// A request that takes longer than this is broken, not slow.
	if err := c.nc.SetDeadline(time.Now().Add(30 * time.Second)); err != nil {
		c.close()
		return err
	}
	if _, err := c.bw.Write(req); err != nil {
		c.close()
		return err
	}
	if err := c.bw.Flush(); err != nil {
		c.close()
		return err
	}
	closeAfter, err := c.read(keepBody, r)
	if err != nil || closeAfter {
		c.close()
	}
	return err
}

var (
	hdrContentLength    = []byte("content-length")
	hdrTransferEncoding = []byte("transfer-encoding")
	hdrConnection       = []byte("connection")
	hdrSetCookie        = []byte("set-cookie")
	hdrContentEncoding  = []byte("content-encoding")
	hdrLocation         = []byte("location")
)

func (c *httpConn) read(keepBody bool, r *response) (closeAfter bool, err error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		return true, err
	}
	// HTTP/1.1 200 OK
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) {
		return true, fmt.Errorf("bad status line %q", line)
	}
	if r.status, err = strconv.Atoi(string(line[9:12])); err != nil {
		return true, fmt.Errorf("bad status line %q", line)
	}
	length, chunked := -1, false
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return true, err
		}
		line = bytes.TrimRight(line, "\r\n")
		if len(line) == 0 {
			break
		}
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 {
			return true, fmt.Errorf("bad header %q", line)
		}
		name, value := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case bytes.EqualFold(name, hdrContentLength):
			if length, err = strconv.Atoi(string(value)); err != nil {
				return true, fmt.Errorf("bad Content-Length %q", value)
			}
		case bytes.EqualFold(name, hdrTransferEncoding):
			chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, hdrConnection):
			closeAfter = bytes.EqualFold(value, []byte("close"))
		case bytes.EqualFold(name, hdrContentEncoding):
			r.encoding = string(value)
		case bytes.EqualFold(name, hdrLocation):
			r.location = string(value)
		case bytes.EqualFold(name, hdrSetCookie):
			r.cookies = append(r.cookies, parseSetCookie(value))
		}
	}
	switch {
	case chunked:
		return closeAfter, c.readChunked(keepBody, r)
	case length >= 0:
		r.wire = length
		return closeAfter, c.readN(length, keepBody, r)
	case r.status == 204 || r.status == 304:
		return closeAfter, nil
	default: // no length: the body runs to the end of the connection
		return true, errors.New("response without Content-Length or chunked encoding")
	}
}

func (c *httpConn) readN(n int, keepBody bool, r *response) error {
	if !keepBody {
		_, err := c.br.Discard(n)
		return err
	}
	start := len(r.body)
	r.body = append(r.body, make([]byte, n)...)
	_, err := io.ReadFull(c.br, r.body[start:])
	return err
}

func (c *httpConn) readChunked(keepBody bool, r *response) error {
	for {
		line, err := c.br.ReadSlice('\n')
		if err != nil {
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 32)
		if err != nil || n < 0 {
			return fmt.Errorf("bad chunk size %q", line)
		}
		if n == 0 { // trailer lines, then the empty line
			for {
				line, err := c.br.ReadSlice('\n')
				if err != nil {
					return err
				}
				if len(bytes.TrimRight(line, "\r\n")) == 0 {
					return nil
				}
			}
		}
		r.wire += int(n)
		if err := c.readN(int(n), keepBody, r); err != nil {
			return err
		}
		if _, err := c.br.Discard(2); err != nil { // CRLF after the chunk
			return err
		}
	}
}

// parseSetCookie reads the name and value of a Set-Cookie header, and
// whether it deletes the cookie.
func parseSetCookie(v []byte) setCookie {
	attrs := bytes.Split(v, []byte(";"))
	nv := attrs[0]
	eq := bytes.IndexByte(nv, '=')
	if eq < 0 {
		return setCookie{name: string(bytes.TrimSpace(nv)), del: true}
	}
	sc := setCookie{name: string(bytes.TrimSpace(nv[:eq])), value: string(bytes.TrimSpace(nv[eq+1:]))}
	sc.del = sc.value == ""
	for _, a := range attrs[1:] {
		a = bytes.TrimSpace(a)
		if len(a) > 8 && bytes.EqualFold(a[:8], []byte("max-age=")) {
			if n, err := strconv.Atoi(string(a[8:])); err == nil && n <= 0 {
				sc.del = true
			}
		}
	}
	return sc
}

// plainBody is the body decompressed (gzip) or as sent (identity).
func plainBody(r *response) ([]byte, error) {
	switch r.encoding {
	case "", "identity":
		return r.body, nil
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(r.body))
		if err != nil {
			return nil, err
		}
		return io.ReadAll(zr)
	default:
		return nil, fmt.Errorf("content encoding %q not expected (the load run offers gzip and br; the server answers gzip)", r.encoding)
	}
}
