package components

import (
	"context"
	"strings"
	"testing"
)

func TestShortID(t *testing.T) {
	for _, c := range []struct{ id, want string }{
		{"", ""},
		{"vpc-abc", "vpc-abc"},
		{"12345678901234567890", "12345678901234567890"},      // 20: whole
		{"dbcddad8c0ffee00112233447b778d", "dbcddad8…7b778d"}, // long ASCII
		{"ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ", "ÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄÄ"},      // 20 letters, 40 bytes: whole
		{"ÄbcdefghijklmnopqrstuvwxyZ", "Äbcdefgh…uvwxyZ"},     // cut by letters, not bytes
	} {
		if got := ShortID(c.id); got != c.want {
			t.Errorf("ShortID(%q) = %q, want %q", c.id, got, c.want)
		}
	}
}

// ID's chip carries the whole id (escaped) in its title, its data and its
// copy button, which is CopyButton's markup.
func TestIDChip(t *testing.T) {
	var b, copy strings.Builder
	id := `dbcddad8c0ffee"<x>&7b778d`
	if err := ID(id, "API").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if err := CopyButton(id, "API ID "+id).Render(context.Background(), &copy); err != nil {
		t.Fatal(err)
	}
	esc := `dbcddad8c0ffee&#34;&lt;x&gt;&amp;7b778d`
	want := `<span class="idchip"><code title="` + esc + `" data-id="` + esc + `">dbcddad8…7b778d</code>` + copy.String() + `</span>`
	if b.String() != want {
		t.Errorf("ID renders\n%s\nwant\n%s", b.String(), want)
	}
}
