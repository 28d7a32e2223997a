package web_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"gatehouse/static"
	"gatehouse/web/webtest"
)

// Pages are sent gzip-compressed to a browser that offers gzip, whole,
// with their Content-Length, and plain to one that does not; the static
// files too. The compressed page is the plain page.
func TestResponsesCompressedWhenAccepted(t *testing.T) {
	f := newFixture(t, nil)
	c := f.Login(t, f.a.Admin, f.a.Password)
	fetch := func(path, acceptEncoding string) (*webtest.Page, []byte) {
		t.Helper()
		req, err := http.NewRequest(http.MethodGet, f.Server.URL+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Accept-Encoding", acceptEncoding) // set: the client does not decompress
		p := c.Send(t, req)
		return p, []byte(p.Body)
	}
	gunzip := func(b []byte) []byte {
		t.Helper()
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		out, err := io.ReadAll(zr)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	stripToken := func(b []byte) string { // the CSRF token differs from page to page
		return csrfMeta.ReplaceAllString(strings.ReplaceAll(string(b), c.CSRF, ""), "")
	}

	plainResp, plain := fetch("/groups", "identity")
	if plainResp.Status != http.StatusOK || plainResp.Header.Get("Content-Encoding") != "" {
		t.Fatalf("identity: status %d, Content-Encoding %q", plainResp.Status, plainResp.Header.Get("Content-Encoding"))
	}
	for _, ae := range []string{"gzip, br", "gzip", "br;q=1.0, gzip;q=0.8", "deflate, gzip;q=0.5"} {
		resp, body := fetch("/groups", ae)
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("%q: Content-Encoding %q, want gzip", ae, resp.Header.Get("Content-Encoding"))
		}
		if n, _ := strconv.Atoi(resp.Header.Get("Content-Length")); n != len(body) {
			t.Errorf("%q: Content-Length %q for %d bytes", ae, resp.Header.Get("Content-Length"), len(body))
		}
		if !strings.Contains(strings.Join(resp.Header.Values("Vary"), ","), "Accept-Encoding") {
			t.Errorf("%q: Vary %q lacks Accept-Encoding", ae, resp.Header.Values("Vary"))
		}
		if got := gunzip(body); stripToken(got) != stripToken(plain) {
			t.Errorf("%q: the decompressed page differs from the plain one", ae)
		}
	}
	if resp, _ := fetch("/groups", "gzip;q=0, br"); resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0: Content-Encoding %q, want none", resp.Header.Get("Content-Encoding"))
	}
	resp, body := fetch(static.URL("css/app.css"), "gzip")
	if resp.Status != http.StatusOK || resp.Header.Get("Content-Encoding") != "gzip" || len(gunzip(body)) == 0 {
		t.Errorf("stylesheet: status %d, Content-Encoding %q", resp.Status, resp.Header.Get("Content-Encoding"))
	}
}
