package components

import (
	"context"
	"html"
	"io"

	"github.com/a-h/templ"
)

// Markup is a component that writes, in one piece, the markup write
// appends to a buffer of about size bytes: the components written in Go
// rather than by templates are made of it.
func Markup(size int, write func(b []byte) []byte) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		_, err := w.Write(write(make([]byte, 0, size)))
		return err
	})
}

// appendEscaped appends s escaped as templ escapes text and attribute
// values (html.EscapeString).
func appendEscaped(b []byte, s string) []byte {
	return append(b, html.EscapeString(s)...)
}

// CopyButton copies a text to the clipboard; hidden until the script finds
// a clipboard to use.
func CopyButton(text, label string) templ.Component {
	return Markup(192, func(b []byte) []byte {
		b = appendCopyButtonOpen(b, html.EscapeString(text))
		b = appendEscaped(b, label)
		return appendCopyButtonClose(b)
	})
}

// appendCopyButtonOpen writes CopyButton's markup up to its label, after
// "Copy "; text is already escaped. appendCopyButtonClose ends it.
func appendCopyButtonOpen(b []byte, escapedText string) []byte {
	b = append(b, `<button type="button" class="btn small" data-copy="`...)
	b = append(b, escapedText...)
	return append(b, `" aria-label="Copy `...)
}

func appendCopyButtonClose(b []byte) []byte {
	return append(b, `" hidden>Copy</button>`...)
}

// Badge is a small status label.
func Badge(kind, text string) templ.Component {
	return Markup(64, func(b []byte) []byte { return AppendBadge(b, kind, text) })
}

// AppendBadge appends Badge's markup to b. Its classes are "badge" and
// kind, as templ joins a class list: a kind repeating "badge" is dropped,
// an empty one still leaves the space.
func AppendBadge(b []byte, kind, text string) []byte {
	b = append(b, `<span class="badge`...)
	if kind != "badge" {
		b = append(b, ' ')
		b = appendEscaped(b, kind)
	}
	b = append(b, `">`...)
	b = appendEscaped(b, text)
	return append(b, `</span>`...)
}
