package static

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// The embedded htmx is the one package-lock.json pins: its source record
// (written by `make htmx`) names the lockfile's version and integrity, and
// the SHA-256 of the file copied from that tarball, which must be the
// embedded file's. A hand-edited or stale copy fails here, without npm.
func TestEmbeddedHTMXIsTheLockfiles(t *testing.T) {
	src := readSource(t, "lib/htmx.min.js.source")
	var lock struct {
		Packages map[string]struct {
			Version   string `json:"version"`
			Integrity string `json:"integrity"`
		} `json:"packages"`
	}
	b, err := os.ReadFile("../package-lock.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &lock); err != nil {
		t.Fatal(err)
	}
	pinned, ok := lock.Packages["node_modules/htmx.org"]
	if !ok {
		t.Fatal("package-lock.json pins no htmx.org")
	}
	if src["version"] != pinned.Version || src["integrity"] != pinned.Integrity {
		t.Errorf("static/lib holds htmx %s (%s), the lockfile pins %s (%s): run make generate",
			src["version"], src["integrity"], pinned.Version, pinned.Integrity)
	}
	js, err := Files.ReadFile(HTMX)
	if err != nil {
		t.Fatalf("htmx is not embedded: %v", err)
	}
	sum := sha256.Sum256(js)
	if got := hex.EncodeToString(sum[:]); got != src["sha256"] {
		t.Errorf("the embedded htmx has SHA-256 %s, the source record %s: it was edited by hand; run make generate", got, src["sha256"])
	}
	if !Has(HTMX) || !strings.Contains(URL(HTMX), "?v=") {
		t.Errorf("htmx is not served with a content hash: %s", URL(HTMX))
	}
}

func readSource(t *testing.T, name string) map[string]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, _ := strings.Cut(line, " ")
		out[k] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
