package rules_test

import (
	"testing"

	"gatehouse/rules"
)

func TestFoldName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"orders_api", "orders_api"},
		{"Orders_API", "orders_api"},
		{"Über_api", "über_api"},
		{"ÜBER", "über"},
		{"订单_API", "订单_api"},      // Chinese has no case: kept
		{"ΣΊΣΥΦΟΣ", "σίσυφοσ"},    // Greek capitals
		{"σίσυφος", "σίσυφοσ"},    // the final sigma folds like the others
		{"\u212Aelvin", "kelvin"}, // the Kelvin sign is a K
		{"Straẞe", "straße"},      // capital sharp s
		{"Ǆungla", "ǆungla"},      // a title-case digraph
		{"", ""},
	}
	for _, tt := range tests {
		if got := rules.FoldName(tt.in); got != tt.want {
			t.Errorf("FoldName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// NameContains is the search's decision on one name: what the store's
// folded index finds, the OpenAPI's single-group answer finds too.
func TestNameContains(t *testing.T) {
	tests := []struct {
		name, keyword string
		want          bool
	}{
		{"Über_api", "über", true},
		{"Über_api", "ÜBER", true},
		{"Über_api", "  über ", true},
		{"über_api", "Über", true},
		{"Über_api", "uber", false}, // an accent is not a case
		{"订单服务_api", "订单", true},
		{"订单服务_api", "服务_API", true},
		{"订单服务_api", "支付", false},
		{"Orders", "ORD", true},
		{"Orders", "", true},
		{"Orders", "x", false},
		{"ΣΊΣΥΦΟΣ_api", "σίσυφος", true},
	}
	for _, tt := range tests {
		if got := rules.NameContains(tt.name, tt.keyword); got != tt.want {
			t.Errorf("NameContains(%q, %q) = %t, want %t", tt.name, tt.keyword, got, tt.want)
		}
	}
}
