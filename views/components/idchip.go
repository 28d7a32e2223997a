package components

import (
	"html"
	"unicode/utf8"

	"github.com/a-h/templ"
)

// ID shows a resource's id in a monospace form short enough never to wrap
// (ShortID), the full id in its title, and a button that copies it (the
// markup of CopyButton). Tables show one on each row, so it is written
// in one piece rather than by a template: it is the table's costliest
// cell otherwise.
func ID(id, what string) templ.Component {
	return Markup(256, func(b []byte) []byte { return AppendID(b, id, what) })
}

// AppendID appends ID's markup to b: for writers of whole rows.
func AppendID(b []byte, id, what string) []byte {
	e := html.EscapeString(id)
	b = append(b, `<span class="idchip"><code title="`...)
	b = append(b, e...)
	b = append(b, `" data-id="`...)
	b = append(b, e...)
	b = append(b, `">`...)
	b = append(b, html.EscapeString(ShortID(id))...)
	b = append(b, `</code>`...)
	b = appendCopyButtonOpen(b, e)
	b = appendEscaped(b, what)
	b = append(b, ` ID `...)
	b = append(b, e...)
	b = appendCopyButtonClose(b)
	return append(b, `</span>`...)
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
