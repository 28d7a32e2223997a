// Package static embeds the console's assets and names them with a content
// hash, so that they can be cached for a year and still change on upgrade.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"strings"
	"sync"
)

// Files holds the stylesheet, our script and, under lib/, htmx: committed,
// generated from the npm lockfile by `make htmx` and named explicitly, so
// a build without it fails instead of serving half a console
// (static_test.go checks it is the lockfile's).
//
//go:embed css js img lib/htmx.min.js
var Files embed.FS

// HTMX is the path of htmx among Files.
const HTMX = "lib/htmx.min.js"

// Prefix is where the web server mounts Files.
const Prefix = "/static/"

var (
	hashOnce sync.Once
	hashes   map[string]string
)

// URL returns the path of an asset with a version query derived from its
// content, e.g. URL("css/app.css") = "/static/css/app.css?v=1a2b3c4d".
func URL(name string) string {
	hashOnce.Do(computeHashes)
	if v, ok := hashes[name]; ok {
		return Prefix + name + "?v=" + v
	}
	return Prefix + name
}

// Has reports whether an asset is embedded.
func Has(name string) bool {
	_, err := fs.Stat(Files, name)
	return err == nil
}

func computeHashes() {
	hashes = map[string]string{}
	err := fs.WalkDir(Files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return err
		}
		b, err := Files.ReadFile(path)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		hashes[path] = hex.EncodeToString(sum[:4])
		return nil
	})
	if err != nil {
		// The files are compiled into the binary: failing to read them is a
		// build defect, not a run-time condition.
		panic("static: hash embedded assets: " + err.Error())
	}
}
