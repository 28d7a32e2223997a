package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"

	"gatehouse/views/layout"
	"gatehouse/views/pages"
)

// ErrorHandler is Echo's one error handler: it logs server errors as errors
// and client errors as warnings, and answers with a page or a fragment that
// says what went wrong without revealing internals.
func (h *Handler) ErrorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := http.StatusInternalServerError
	message := "Something went wrong on our side. The error has been logged; please try again."
	var he *echo.HTTPError
	if errors.As(err, &he) {
		status = he.Code
		if m, ok := he.Message.(string); ok && status < 500 {
			message = m
		} else if status < 500 {
			message = http.StatusText(status)
		}
	}
	reqID := c.Response().Header().Get(echo.HeaderXRequestID)
	attrs := []any{"status", status, "path", c.Request().URL.Path, "request_id", reqID, "err", err}
	if status >= 500 {
		h.log.Error("request failed", attrs...)
	} else {
		h.log.Warn("request refused", attrs...)
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	title := http.StatusText(status)
	// A logged-in visitor keeps the navigation; anyone else gets a bare page.
	chrome := layout.Chrome{Title: title, Bare: true}
	if currentPrincipal(c).User.Login != "" {
		chrome = h.chrome(c, title, "")
	}
	if rerr := render(c, status, chrome, pages.ErrorPage(status, title, message, reqID)); rerr != nil {
		h.log.Error("render error page", "err", rerr)
		_ = c.String(status, title)
	}
}
