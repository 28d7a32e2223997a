// Package components holds the console's building blocks: form fields,
// dialogs, tables' pagers, badges. They display what they are given and
// decide nothing.
package components

import "context"

// Errors maps a form field's name to the message shown beside it. The
// empty key holds a message about the form as a whole.
type Errors map[string]string

// Get returns the message for a field.
func (e Errors) Get(field string) string { return e[field] }

// Has reports whether a field has an error.
func (e Errors) Has(field string) bool { return e[field] != "" }

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
