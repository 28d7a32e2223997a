package main

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// browser is one simulated operator's browser on one server: its
// connection, its cookies and the CSRF token of the last page, and the
// headers Chromium sends with a navigation (gzip and br offered: whatever
// the server negotiates is part of its cost).
type browser struct {
	host    string // host:port, the Host and Origin of requests
	conn    *httpConn
	cookies []setCookie // name → value, in the order set
	cookie  string      // the Cookie header, "" when there is none
	csrf    string
	res     response
}

const (
	userAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
	acceptDoc = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"
)

func newBrowser(addr string) *browser {
	return &browser{host: addr, conn: newConn(addr)}
}

// appendGet appends a GET navigation of path.
func (b *browser) appendGet(dst []byte, path string) []byte {
	dst = append(dst, "GET "...)
	dst = append(dst, path...)
	dst = append(dst, " HTTP/1.1\r\nHost: "...)
	dst = append(dst, b.host...)
	dst = append(dst, "\r\nConnection: keep-alive\r\nUser-Agent: "+userAgent+"\r\nAccept: "+acceptDoc+
		"\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-User: ?1\r\nSec-Fetch-Dest: document"+
		"\r\nAccept-Encoding: gzip, br\r\nAccept-Language: en-US,en;q=0.9\r\n"...)
	dst = b.appendCookie(dst)
	return append(dst, "\r\n"...)
}

// appendPost appends a form submission to path with body (already
// URL-encoded).
func (b *browser) appendPost(dst []byte, path, body string) []byte {
	dst = append(dst, "POST "...)
	dst = append(dst, path...)
	dst = append(dst, " HTTP/1.1\r\nHost: "...)
	dst = append(dst, b.host...)
	dst = append(dst, "\r\nConnection: keep-alive\r\nContent-Length: "...)
	dst = strconv.AppendInt(dst, int64(len(body)), 10)
	dst = append(dst, "\r\nCache-Control: max-age=0\r\nOrigin: http://"...)
	dst = append(dst, b.host...)
	dst = append(dst, "\r\nContent-Type: application/x-www-form-urlencoded\r\nUser-Agent: "+userAgent+"\r\nAccept: "+acceptDoc+
		"\r\nSec-Fetch-Site: same-origin\r\nSec-Fetch-Mode: navigate\r\nSec-Fetch-User: ?1\r\nSec-Fetch-Dest: document"+
		"\r\nAccept-Encoding: gzip, br\r\nAccept-Language: en-US,en;q=0.9\r\n"...)
	dst = b.appendCookie(dst)
	dst = append(dst, "\r\n"...)
	return append(dst, body...)
}

func (b *browser) appendCookie(dst []byte) []byte {
	if b.cookie == "" {
		return dst
	}
	dst = append(dst, "Cookie: "...)
	dst = append(dst, b.cookie...)
	return append(dst, "\r\n"...)
}

// keep stores the cookies an answer sets, as a browser does.
func (b *browser) keep(set []setCookie) {
	if len(set) == 0 {
		return
	}
	for _, sc := range set {
		i := slices.IndexFunc(b.cookies, func(c setCookie) bool { return c.name == sc.name })
		switch {
		case sc.del && i >= 0:
			b.cookies = slices.Delete(b.cookies, i, i+1)
		case sc.del:
		case i >= 0:
			b.cookies[i].value = sc.value
		default:
			b.cookies = append(b.cookies, sc)
		}
	}
	parts := make([]string, len(b.cookies))
	for i, c := range b.cookies {
		parts[i] = c.name + "=" + c.value
	}
	b.cookie = strings.Join(parts, "; ")
}

// send sends a prepared request and keeps the cookies of the answer.
func (b *browser) send(req []byte, keepBody bool) (*response, error) {
	if err := b.conn.do(req, keepBody, &b.res); err != nil {
		return nil, err
	}
	b.keep(b.res.cookies)
	return &b.res, nil
}

var csrfMeta = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)"`)

// page GETs path and returns its decompressed HTML, keeping the page's
// CSRF token.
func (b *browser) page(path string, want int) (string, error) {
	r, err := b.send(b.appendGet(nil, path), true)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", path, err)
	}
	body, err := plainBody(r)
	if err != nil {
		return "", fmt.Errorf("GET %s: %w", path, err)
	}
	if r.status != want {
		return "", fmt.Errorf("GET %s: status %d, want %d:\n%.400s", path, r.status, want, body)
	}
	if m := csrfMeta.FindSubmatch(body); m != nil {
		b.csrf = string(m[1])
	}
	return string(body), nil
}

// login logs in as a person does: the login page (CSRF cookie and token),
// the form, then the API Groups page for a fresh token. The server's login
// throttle lets a burst of attempts through from one address, then one
// every few seconds; a throttled attempt waits as the page says and tries
// again.
func (b *browser) login(login, password string) error {
	for attempt := 0; ; attempt++ {
		if _, err := b.page("/login", 200); err != nil {
			return err
		}
		form := url.Values{"login": {login}, "password": {password}, "_csrf": {b.csrf}, "next": {"/groups"}}.Encode()
		r, err := b.send(b.appendPost(nil, "/login", form), true)
		if err != nil {
			return fmt.Errorf("POST /login: %w", err)
		}
		if r.status == 429 && attempt < 10 {
			time.Sleep(2100 * time.Millisecond)
			continue
		}
		if r.status != 303 {
			body, _ := plainBody(r)
			return fmt.Errorf("POST /login: status %d, want 303:\n%.400s", r.status, body)
		}
		break
	}
	_, err := b.page("/groups", 200)
	return err
}

func (b *browser) close() { b.conn.close() }
