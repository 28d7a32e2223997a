package handlers

import (
	"testing"
	"time"
)

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

// A throttled user reads when to try again in whole seconds, rounded up,
// with the noun that goes with the number.
func TestTryAgainIn(t *testing.T) {
	for _, c := range []struct {
		wait time.Duration
		want string
	}{
		{300 * time.Millisecond, "Try again in 1 second."},
		{time.Second, "Try again in 1 second."},
		{time.Second + time.Millisecond, "Try again in 2 seconds."},
		{60 * time.Second, "Try again in 60 seconds."},
	} {
		if got := tryAgainIn(c.wait); got != c.want {
			t.Errorf("tryAgainIn(%v) = %q, want %q", c.wait, got, c.want)
		}
	}
}
