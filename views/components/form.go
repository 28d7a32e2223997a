// Package components holds the console's building blocks: form fields,
// dialogs, tables' pagers, badges. They display what they are given and
// decide nothing.
package components

import (
	"context"
	"strings"
)

// Errors maps a form field's name to the messages shown beside it, every
// error of the field (a name may be too long and hold a character it may
// not). The empty key holds messages about the form as a whole.
type Errors map[string][]string

// Add appends a message to a field's; an empty message adds nothing.
func (e Errors) Add(field, message string) {
	if message != "" {
		e[field] = append(e[field], message)
	}
}

// Get returns a field's messages as one text.
func (e Errors) Get(field string) string { return strings.Join(e[field], " ") }

// Messages returns a field's messages, one a line.
func (e Errors) Messages(field string) []string { return e[field] }

// Has reports whether a field has an error.
func (e Errors) Has(field string) bool { return len(e[field]) > 0 }

// FirstField is the field whose input should take the focus: the first
// of fields (in the form's order) that has an error, "" when none has.
func (e Errors) FirstField(fields ...string) string {
	for _, f := range fields {
		if e.Has(f) {
			return f
		}
	}
	return ""
}

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Disabled bool
}

// fieldID is the id of a field's input, so that labels and error messages
// can point at it.
func fieldID(form, name string) string { return form + "-" + name }

func errID(form, name string) string { return form + "-" + name + "-error" }

func hintID(form, name string) string { return form + "-" + name + "-hint" }

// describedBy links an input to its hint and its error.
func describedBy(form, name, hint string, errs Errors) string {
	ids := ""
	if hint != "" {
		ids = hintID(form, name)
	}
	if errs.Has(name) {
		if ids != "" {
			ids += " "
		}
		ids += errID(form, name)
	}
	return ids
}

type focusKey struct{}

// WithFocus gives a render one autofocus to hand out: the first field in
// error that is rendered takes it (ClaimFocus), so that, with or without
// JavaScript, the operator lands on the first thing to fix.
func WithFocus(ctx context.Context) context.Context {
	return context.WithValue(ctx, focusKey{}, new(bool))
}

// ClaimFocus reports whether the caller is the first to ask in this render.
func ClaimFocus(ctx context.Context) bool {
	given, ok := ctx.Value(focusKey{}).(*bool)
	if !ok || *given {
		return false
	}
	*given = true
	return true
}

// focusHere reports whether a field takes the render's autofocus: asked
// for (Autofocus), or the first field in error.
func focusHere(ctx context.Context, f Field, errs Errors) bool {
	if errs.Has(f.Name) || (f.Autofocus && !errs.anyField()) {
		return ClaimFocus(ctx)
	}
	return false
}

// anyField reports whether a field (not the form as a whole) has an error.
func (e Errors) anyField() bool {
	for k, m := range e {
		if k != "" && len(m) > 0 {
			return true
		}
	}
	return false
}

type csrfKey struct{}

// WithCSRF puts the request's CSRF token where every form's CSRF field
// finds it.
func WithCSRF(ctx context.Context, token string) context.Context {
	return context.WithValue(ctx, csrfKey{}, token)
}

func csrfFrom(ctx context.Context) string {
	s, _ := ctx.Value(csrfKey{}).(string)
	return s
}

// RefreshField is the name RefreshButton submits: a form that carries it
// asks for its dialog again with the choices made, not for the action.
const RefreshField = "refresh"
