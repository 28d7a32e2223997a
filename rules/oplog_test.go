package rules_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

// Every action constant is offered by the Action filter, once.
func TestOpLogActionsListEveryAction(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "oplog.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var consts []string
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || !strings.HasPrefix(vs.Names[0].Name, "Action") || len(vs.Values) != 1 {
			return true
		}
		if lit, ok := vs.Values[0].(*ast.BasicLit); ok && lit.Kind == token.STRING {
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				t.Fatal(err)
			}
			consts = append(consts, v)
		}
		return true
	})
	if len(consts) < 30 {
		t.Fatalf("found %d action constants", len(consts))
	}
	seen := map[string]int{}
	for _, s := range rules.OpLogActions() {
		for _, a := range s.Actions {
			seen[a]++
		}
	}
	for _, c := range consts {
		if seen[c] != 1 {
			t.Errorf("action %s is offered %d times, want once", c, seen[c])
		}
		if !rules.KnownOpLogAction(c) {
			t.Errorf("action %s is not known", c)
		}
	}
	if len(seen) != len(consts) {
		t.Errorf("the list offers %d actions, the constants are %d", len(seen), len(consts))
	}
	if rules.KnownOpLogAction("DropTables") || rules.KnownOpLogAction("") {
		t.Error("an unknown action is known")
	}
}

func TestParseOpLogFilter(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name                                  string
		action, outcome, target, since, until string
		want                                  rules.OpLogFilter
		fields                                []string // fields refused, in order
	}{
		{"nothing", "", "", "", "", "", rules.OpLogFilter{}, nil},
		{"everything", "BindVpc", "refused", "apigateway-cn-hangzhou-0123456789ab", "2026-11-01T00:00", "2026-12-01T08:30",
			rules.OpLogFilter{Action: "BindVpc", Outcome: "refused", Target: "apigateway-cn-hangzhou-0123456789ab",
				Since: at("2026-11-01T00:00:00Z"), Until: at("2026-12-01T08:30:00Z")}, nil},
		{"succeeded", "", "ok", "", "", "", rules.OpLogFilter{Outcome: "ok"}, nil},
		{"seconds are accepted", "", "", "", "2026-11-01T00:00:30", "", rules.OpLogFilter{Since: at("2026-11-01T00:00:30Z")}, nil},
		{"an action not in the list", "DropTables", "", "", "", "", rules.OpLogFilter{}, []string{"action"}},
		{"an action in another case", "bindvpc", "", "", "", "", rules.OpLogFilter{}, []string{"action"}},
		{"an unknown outcome", "", "maybe", "", "", "", rules.OpLogFilter{}, []string{"outcome"}},
		{"a target too long", "", "", strings.Repeat("x", 254), "", "", rules.OpLogFilter{}, []string{"target"}},
		{"not a time", "", "", "", "yesterday", "", rules.OpLogFilter{}, []string{"since"}},
		{"a date without a time", "", "", "", "", "2026-11-01", rules.OpLogFilter{}, []string{"until"}},
		{"a year out of range", "", "", "", "1900-01-01T00:00", "", rules.OpLogFilter{}, []string{"since"}},
		{"the end before the start", "", "", "", "2026-11-02T00:00", "2026-11-01T00:00", rules.OpLogFilter{}, []string{"until"}},
		{"an empty range", "", "", "", "2026-11-01T00:00", "2026-11-01T00:00", rules.OpLogFilter{}, []string{"until"}},
		{"every part wrong", "x", "y", "", "z", "w", rules.OpLogFilter{}, []string{"action", "outcome", "since", "until"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, errs := rules.ParseOpLogFilter(tt.action, tt.outcome, tt.target, tt.since, tt.until)
			var fields []string
			for _, e := range errs {
				fields = append(fields, e.Field)
				if e.Kind != rules.KindInvalid || e.Message == "" {
					t.Errorf("refusal %+v", e)
				}
			}
			if strings.Join(fields, ",") != strings.Join(tt.fields, ",") {
				t.Errorf("refused fields %v, want %v", fields, tt.fields)
			}
			if got.Action != tt.want.Action || got.Outcome != tt.want.Outcome || got.Target != tt.want.Target ||
				!got.Since.Equal(tt.want.Since) || !got.Until.Equal(tt.want.Until) {
				t.Errorf("filter %+v, want %+v", got, tt.want)
			}
			if got.Empty() != (tt.want == rules.OpLogFilter{}) {
				t.Errorf("Empty() = %v", got.Empty())
			}
		})
	}
}
