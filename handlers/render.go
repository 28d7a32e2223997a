package handlers

import (
	"context"
	"io"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"gatehouse/views/components"
	"gatehouse/views/layout"
)

// isFragmentRequest tells an htmx request for a fragment from a page load:
// boosted links and forms want the whole page, like a browser without
// JavaScript.
func isFragmentRequest(c echo.Context) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Boosted") != "true"
}

// render writes body inside the page shell, or alone when htmx asked for a
// fragment. One handler serves both.
func render(c echo.Context, status int, chrome layout.Chrome, body templ.Component) error {
	if isFragmentRequest(c) {
		return writeComponent(c, status, body)
	}
	page := templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		return layout.Base(chrome).Render(templ.WithChildren(ctx, body), w)
	})
	return writeComponent(c, status, page)
}

// writeComponent renders to a buffer first, so a failing template becomes an
// error page instead of half a page, then sends it (compressed when the
// browser accepts it, see writeBody).
func writeComponent(c echo.Context, status int, comp templ.Component) error {
	buf := getBuffer()
	defer putBuffer(buf)
	token, _ := c.Get(CSRFContextKey).(string)
	ctx := components.WithFocus(components.WithCSRF(c.Request().Context(), token))
	if err := comp.Render(ctx, buf); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "HX-Request")
	return writeBody(c, status, echo.MIMETextHTMLCharsetUTF8, buf.Bytes())
}
