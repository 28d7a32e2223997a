package handlers

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func TestFreeListKeepsUpToItsCapacity(t *testing.T) {
	made := 0
	l := newFreeList(2, func() *int { made++; return new(int) })
	a, b, c := l.get(), l.get(), l.get()
	if made != 3 {
		t.Fatalf("three gets from an empty list made %d values, want 3", made)
	}
	l.put(a)
	l.put(b)
	l.put(c) // the list is full: dropped
	got := map[*int]bool{l.get(): true, l.get(): true}
	if !got[a] || !got[b] || made != 3 {
		t.Fatalf("after putting a and b back, get gave %v and made %d; want a and b again, none made", got, made)
	}
	if l.get() == c || made != 4 {
		t.Fatalf("the value put into a full list came back (made %d)", made)
	}
}

// A writer and a buffer taken from the lists again after another page
// write that page alone: nothing of the one before leaks into it.
func TestReusedWritersAndBuffersWriteEachPageWhole(t *testing.T) {
	e := echo.New()
	pages := []string{strings.Repeat("<p>first page</p>", 400), strings.Repeat("<li>second</li>", 90), strings.Repeat("x", 1500)}
	for round := range 3 {
		for _, page := range pages {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			rec := httptest.NewRecorder()
			if err := writeBody(e.NewContext(req, rec), http.StatusOK, echo.MIMETextHTMLCharsetUTF8, []byte(page)); err != nil {
				t.Fatal(err)
			}
			if rec.Header().Get("Content-Encoding") != "gzip" {
				t.Fatalf("round %d: not compressed", round)
			}
			zr, err := gzip.NewReader(bytes.NewReader(rec.Body.Bytes()))
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil || string(plain) != page {
				t.Fatalf("round %d: inflated %d bytes (%v), want the page's %d", round, len(plain), err, len(page))
			}
		}
	}
}
