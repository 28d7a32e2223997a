package handlers

import (
	"bytes"
	"net/http"
	"runtime"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"
)

// Pages are rendered whole into a buffer (writeComponent), so they are
// compressed whole too: one gzip pass from buffer to buffer, then one write
// with a Content-Length, instead of a compressing writer streaming chunks.
// Level 1 costs half of level 6 for pages this size and compresses them
// nearly as well; a body under gzipMinLength is not worth the header.
// klauspost/compress's gzip writes the same format as compress/gzip in
// half the time at level 1 (docs/performance.md).
const (
	gzipLevel     = gzip.BestSpeed
	gzipMinLength = 1024
)

// bodyBuffers hold rendered pages and their compressed form; gzipWriters
// the compressors. They are free lists, not sync.Pools: a pool is emptied
// by every garbage collection, a few dozen times a second under load, and
// a level-1 gzip writer is a few hundred kilobytes to allocate and clear
// again (a sixth of Group Details' allocation, in its profile).
var (
	bodyBuffers = newFreeList(64, func() *bytes.Buffer { return new(bytes.Buffer) })
	gzipWriters = newFreeList(4*runtime.GOMAXPROCS(0), func() *gzip.Writer {
		w, err := gzip.NewWriterLevel(nil, gzipLevel)
		if err != nil {
			panic(err) // the level is a valid constant
		}
		return w
	})
)

// maxPooledBuffer keeps an unusually large page's buffer out of the pool.
const maxPooledBuffer = 1 << 20

func getBuffer() *bytes.Buffer {
	b := bodyBuffers.get()
	b.Reset()
	return b
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() <= maxPooledBuffer {
		bodyBuffers.put(b)
	}
}

// freeList keeps up to its capacity of values between uses: get takes one
// or makes a new one, put keeps one or drops it when the list is full.
type freeList[T any] struct {
	free  chan T
	fresh func() T
}

func newFreeList[T any](capacity int, fresh func() T) *freeList[T] {
	return &freeList[T]{free: make(chan T, capacity), fresh: fresh}
}

func (l *freeList[T]) get() T {
	select {
	case v := <-l.free:
		return v
	default:
		return l.fresh()
	}
}

func (l *freeList[T]) put(v T) {
	select {
	case l.free <- v:
	default:
	}
}

// acceptsGzip reports whether the request's Accept-Encoding offers gzip
// (with a q-value other than 0).
func acceptsGzip(r *http.Request) bool {
	for _, v := range r.Header.Values(echo.HeaderAcceptEncoding) {
		for part := range strings.SplitSeq(v, ",") {
			name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if !strings.EqualFold(strings.TrimSpace(name), "gzip") {
				continue
			}
			q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}

// writeBody sends a complete body with its Content-Length, gzip-compressed
// when the client accepts it and the body is long enough.
func writeBody(c echo.Context, status int, contentType string, body []byte) error {
	res := c.Response()
	h := res.Header()
	h.Set(echo.HeaderContentType, contentType)
	h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
	if len(body) >= gzipMinLength && acceptsGzip(c.Request()) {
		out := getBuffer()
		defer putBuffer(out)
		zw := gzipWriters.get()
		zw.Reset(out)
		_, werr := zw.Write(body)
		cerr := zw.Close()
		gzipWriters.put(zw)
		if werr == nil && cerr == nil { // writing to a buffer does not fail; if it did, send it plain
			h.Set(echo.HeaderContentEncoding, "gzip")
			body = out.Bytes()
		}
	}
	h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
	res.WriteHeader(status)
	_, err := res.Write(body)
	return err
}
