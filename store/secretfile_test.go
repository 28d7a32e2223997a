package store

import (
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"testing"
)

// A secret file is made once, mode 0600, and every later or concurrent
// caller gets the first content.
func TestSecretFile(t *testing.T) {
	s := newStore(t)
	var made atomic.Int64
	create := func() ([]byte, error) {
		return []byte(fmt.Sprintf("content %d", made.Add(1))), nil
	}
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			data, err := s.SecretFile(".test", create)
			if err != nil {
				t.Error(err)
			}
			got[i] = string(data)
		}()
	}
	wg.Wait()
	for _, g := range got {
		if g != got[0] || g == "" {
			t.Fatalf("callers disagree: %q", got)
		}
	}
	info, err := os.Stat(s.Path() + ".test")
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	again, err := s.SecretFile(".test", func() ([]byte, error) { t.Fatal("made again"); return nil, nil })
	if err != nil || string(again) != got[0] {
		t.Errorf("read again: %q %v", again, err)
	}
	if _, err := s.SecretFile(".fails", func() ([]byte, error) { return nil, fmt.Errorf("no entropy") }); err == nil {
		t.Error("a failing create was not reported")
	}
	if _, err := os.Stat(s.Path() + ".fails"); !os.IsNotExist(err) {
		t.Errorf("a failed create left a file: %v", err)
	}
}
