package handlers

import (
	"context"
	"errors"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"gatehouse/rules"
	"gatehouse/views/components"
)

// The operation log records refused changes as well as committed ones
// (Alibaba's ActionTrail records failed calls too): a change the console
// refuses, whether a rule, the input or the user's role refused it, is a
// line of the log with the refusal's code as its outcome and its message
// as the detail, as the OpenAPI endpoint records its refusals.

const ctxRefusal = "refusal"

// refusal is what Audit writes about a refused change.
type refusal struct {
	code, message string
}

// noteRefusal keeps a refusal of the request for Audit: a rules error (its
// code and message; an InputError gives every message of its fields).
// Other errors are left to the error handler.
func noteRefusal(c echo.Context, err error) {
	var in interface{ Unwrap() []error }
	if errors.As(err, &in) {
		var msgs []string
		code := ""
		for _, e := range in.Unwrap() {
			if re, ok := rules.AsError(e); ok {
				if code == "" {
					code = re.Code
				}
				msgs = append(msgs, re.Message)
			}
		}
		if code != "" {
			c.Set(ctxRefusal, refusal{code: code, message: strings.Join(msgs, " ")})
			return
		}
	}
	if re, ok := rules.AsError(err); ok {
		c.Set(ctxRefusal, refusal{code: re.Code, message: re.Message})
	}
}

// noteInvalid keeps for Audit a refusal that the handler made itself (a
// choice left empty, too many attempts): its code and every message.
func noteInvalid(c echo.Context, code string, errs components.Errors) {
	var msgs []string
	for _, m := range errs {
		msgs = append(msgs, m...)
	}
	sort.Strings(msgs)
	c.Set(ctxRefusal, refusal{code: code, message: strings.Join(msgs, " ")})
}

// Audit is the middleware of a route that changes something: when the
// change is refused (a 4xx answer), it writes the refusal to the
// operation log under action, about the target read from the request
// (":param" for a path parameter, "@user" for the user's own login, else
// a form field). A form that only asks for its dialog again (a
// no-JavaScript refresh) changes nothing and is not recorded.
func (h *Handler) Audit(action, target string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			err := next(c)
			if c.FormValue(components.RefreshField) != "" {
				return err
			}
			r, ok := refusalOf4xx(c, err)
			if !ok {
				return err
			}
			p := currentPrincipal(c)
			if p.User.Login == "" {
				return err
			}
			// A fresh context: the browser going away must not lose the record.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(c.Request().Context()), 5*time.Second)
			defer cancel()
			if lerr := h.store.LogEvent(ctx, p.actor(), action, auditTarget(c, p, target), r.code, r.message); lerr != nil {
				h.log.Error("record refusal", "action", action, "err", lerr)
			}
			return err
		}
	}
}

// refusalOf4xx is the refusal a request ended with, if it ended with one:
// an error with a 4xx status (its rules error, or its status and message),
// or a 4xx page with the refusal the handler noted.
func refusalOf4xx(c echo.Context, err error) (refusal, bool) {
	if err != nil {
		var he *echo.HTTPError
		if !errors.As(err, &he) || he.Code < 400 || he.Code >= 500 {
			return refusal{}, false
		}
		if re, ok := rules.AsError(err); ok {
			return refusal{code: re.Code, message: re.Message}, true
		}
		msg, _ := he.Message.(string)
		return refusal{code: codeOfStatus(he.Code), message: msg}, true
	}
	status := c.Response().Status
	if status < 400 || status >= 500 {
		return refusal{}, false
	}
	if r, ok := c.Get(ctxRefusal).(refusal); ok {
		return r, true
	}
	return refusal{code: codeOfStatus(status), message: http.StatusText(status)}, true
}

// codeOfStatus names a refusal that carries no rules code by its status.
func codeOfStatus(status int) string {
	switch status {
	case http.StatusForbidden:
		return "Forbidden"
	case http.StatusNotFound:
		return "NotFound"
	case http.StatusConflict:
		return "Conflict"
	case http.StatusTooManyRequests:
		return "Throttling"
	default:
		return rules.CodeInvalidID
	}
}

// auditTarget reads what a change was about, as the route names it.
func auditTarget(c echo.Context, p principal, target string) string {
	var v string
	switch {
	case strings.HasPrefix(target, ":"):
		v = c.Param(target[1:])
	case target == "@user":
		v = p.User.Login
	case target != "":
		v = rules.TrimField(c.FormValue(target))
	}
	if len(v) > 253 {
		v = v[:253]
	}
	return v
}
