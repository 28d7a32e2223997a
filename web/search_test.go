package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
)

// The console's name search folds case for every letter: ?q=über lists
// Über_api and not the ASCII look-alike.
func TestConsoleSearchFoldsEveryLetter(t *testing.T) {
	f := newFixture(t, nil)
	a := f.a.Actor()
	shared, _ := rules.DefaultSharedInstanceID("cn-hangzhou")
	for _, name := range []string{"Über_api", "uber_plain", "订单服务_API"} {
		if _, err := f.Store.CreateGroup(context.Background(), a, rules.GroupInput{Name: name, RegionID: "cn-hangzhou", InstanceID: shared}); err != nil {
			t.Fatal(err)
		}
	}
	c := f.Login(t, f.a.Operator, f.a.Password)
	for _, tt := range []struct{ q, want, not string }{
		{"über", "Über_api", "uber_plain"},
		{"ÜBER_API", "Über_api", "uber_plain"},
		{"订单", "订单服务_API", "Über_api"},
	} {
		resp := c.Get(t, "/groups?q="+url.QueryEscape(tt.q))
		if resp.Status != http.StatusOK || !strings.Contains(resp.Body, tt.want) || strings.Contains(resp.Body, tt.not) {
			t.Errorf("search %q: status %d; want %s listed and %s not", tt.q, resp.Status, tt.want, tt.not)
		}
	}
}
