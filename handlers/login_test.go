package handlers

import "testing"

// Only paths of this console survive as a destination after login or a
// dialog; everything a browser could read as another site is dropped.
func TestSafeNext(t *testing.T) {
	keep := []string{"/", "/groups", "/groups/abc?after=x&q=a%2Fb", "/access?domain=a.example.com"}
	for _, p := range keep {
		if got := safeNextOr(p, "/def"); got != p {
			t.Errorf("safeNextOr(%q) = %q, want it kept", p, got)
		}
	}
	drop := []string{"", "groups", "//evil.example", "/\\evil.example", "/\t/evil.example", "/\n/evil.example",
		"/\r/evil.example", "/x\\y", "http://evil.example/", "javascript:alert(1)", "/%zz", "/\x7f/evil"}
	for _, p := range drop {
		if got := safeNextOr(p, "/def"); got != "/def" {
			t.Errorf("safeNextOr(%q) = %q, want the default", p, got)
		}
	}
}
