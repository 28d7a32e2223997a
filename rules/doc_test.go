package rules_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The rule index of the package documentation names functions and tests
// that exist, and every rule R1…R11 has a row.
func TestRuleIndexNamesRealThings(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var src strings.Builder
	for _, f := range files {
		if f == "doc.go" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src.Write(b)
	}
	all := src.String()
	for r := 1; r <= 11; r++ {
		if !regexp.MustCompile(fmt.Sprintf(`(?m)^//\s+R%d\s`, r)).Match(doc) {
			t.Errorf("the index has no row for R%d", r)
		}
	}
	names := regexp.MustCompile(`\b(?:Test|Fuzz|Benchmark|Check|Parse)[A-Z]\w*|\b(?:Reach|Decide|DuplicateGroupName|SharedVpcAddress|DedicatedEndpointAddress|CNAMETarget)\b`).FindAllString(string(doc), -1)
	if len(names) < 30 {
		t.Fatalf("the index names only %d things", len(names))
	}
	for _, n := range names {
		if !regexp.MustCompile(`func (\([^)]*\) )?` + n + `\(`).MatchString(all) {
			t.Errorf("the index names %s, which does not exist", n)
		}
	}
}
