package components

import (
	"context"
	"html"
	"io"
	"unicode/utf8"

	"github.com/a-h/templ"
)

// ID shows a resource's id in a monospace form short enough never to wrap
// (ShortID), the full id in its title, and a button that copies it (the
// markup of CopyButton). Tables show one on each row, so it is written
// in one piece rather than by a template: it is the table's costliest
// cell otherwise.
func ID(id, what string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		e := html.EscapeString(id)
		_, err := io.WriteString(w, `<span class="idchip"><code title="`+e+`" data-id="`+e+`">`+html.EscapeString(ShortID(id))+
			`</code><button type="button" class="btn small" data-copy="`+e+`" aria-label="Copy `+html.EscapeString(what)+` ID `+e+
			`" hidden>Copy</button></span>`)
		return err
	})
}

// ShortID is how a table shows a long id: its first 8 and last 6
// characters around an ellipsis ("dbcddad8…7b778d"), enough to tell ids
// apart at a glance; ids of at most 20 characters stay whole. The full id
// is on the resource's page and in the title.
func ShortID(id string) string {
	const head, tail, keep = 8, 6, 20
	if len(id) <= keep || utf8.RuneCountInString(id) <= keep {
		return id
	}
	if isASCII(id) {
		return id[:head] + "…" + id[len(id)-tail:]
	}
	r := []rune(id)
	return string(r[:head]) + "…" + string(r[len(r)-tail:])
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
