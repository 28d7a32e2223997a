package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
)

// The console's name search folds case for every letter: ?q=über lists
// Über_api and not the ASCII look-alike.
func TestConsoleSearchFoldsEveryLetter(t *testing.T) {
	f := newFixture(t, nil)
	a := store.Actor{AccountID: f.a.account.ID, Name: "fixture", Source: rules.SourceConsole}
	shared, _ := rules.DefaultSharedInstanceID("cn-hangzhou")
	for _, name := range []string{"Über_api", "uber_plain", "订单服务_API"} {
		if _, err := f.st.CreateGroup(context.Background(), a, rules.GroupInput{Name: name, RegionID: "cn-hangzhou", InstanceID: shared}); err != nil {
			t.Fatal(err)
		}
	}
	c := f.login(t, f.a.operator, f.a.password)
	for _, tt := range []struct{ q, want, not string }{
		{"über", "Über_api", "uber_plain"},
		{"ÜBER_API", "Über_api", "uber_plain"},
		{"订单", "订单服务_API", "Über_api"},
	} {
		resp, body := c.get("/groups?q=" + url.QueryEscape(tt.q))
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, tt.want) || strings.Contains(body, tt.not) {
			t.Errorf("search %q: status %d; want %s listed and %s not", tt.q, resp.StatusCode, tt.want, tt.not)
		}
	}
}
