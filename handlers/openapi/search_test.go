package openapi_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/handlers/openapi"
	"gatehouse/store"
)

// DescribeApiGroups' GroupName folds case for every letter, as the
// console's search does (the same store query): Über_api is found by
// "über", a Chinese name by its characters; with a GroupId the one group
// is judged by the same rule. Names travel through the SDK's signing as
// UTF-8.
func TestDescribeApiGroupsSearchFoldsEveryLetter(t *testing.T) {
	w := newWorld(t)
	addr := w.serve(t, openapi.Options{})
	c := newClients(t, addr, w.admin)
	ids := map[string]string{}
	for _, name := range []string{"Über_api", "über_orders", "订单服务_API", "ΣΊΣΥΦΟΣ_svc", "plain_api"} {
		req := cloudapi.CreateCreateApiGroupRequest()
		c.at(req)
		req.GroupName = name
		res, err := c.api.CreateApiGroup(req)
		must(t, "CreateApiGroup "+name, err)
		if res.GroupName != name {
			t.Fatalf("CreateApiGroup %q answered the name %q", name, res.GroupName)
		}
		ids[name] = res.GroupId
	}
	describe := func(keyword, groupID string) []string {
		t.Helper()
		req := cloudapi.CreateDescribeApiGroupsRequest()
		c.at(req)
		req.GroupName, req.GroupId, req.Sort = keyword, groupID, "asc"
		res, err := c.api.DescribeApiGroups(req)
		must(t, "DescribeApiGroups "+keyword, err)
		var names []string
		for _, g := range res.ApiGroupAttributes.ApiGroupAttribute {
			names = append(names, g.GroupName)
		}
		if res.TotalCount != len(names) {
			t.Errorf("%q: TotalCount %d for %d groups", keyword, res.TotalCount, len(names))
		}
		return names
	}
	console := func(keyword string) []string { // what the console's search lists
		t.Helper()
		p, err := w.st.ListGroups(context.Background(), w.acme, store.GroupQuery{Keyword: keyword, OrderBy: "modified", Sort: "asc"})
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range p.Items {
			names = append(names, r.Name)
		}
		return names
	}
	tests := []struct {
		keyword string
		want    []string
	}{
		{"über", []string{"Über_api", "über_orders"}},
		{"ÜBER_API", []string{"Über_api"}},
		{"订单", []string{"订单服务_API"}},
		{"σίσυφος", []string{"ΣΊΣΥΦΟΣ_svc"}},
		{"_api", []string{"Über_api", "订单服务_API", "plain_api"}},
		{"uber", nil},
	}
	for _, tt := range tests {
		got := describe(tt.keyword, "")
		if !slices.Equal(got, tt.want) {
			t.Errorf("DescribeApiGroups GroupName=%q: %v, want %v", tt.keyword, got, tt.want)
		}
		if byConsole := console(tt.keyword); !slices.Equal(byConsole, got) {
			t.Errorf("%q: the console finds %v, DescribeApiGroups %v", tt.keyword, byConsole, got)
		}
		// With a GroupId: each group is in the answer exactly when the
		// search finds it.
		for name, id := range ids {
			one := describe(tt.keyword, id)
			if found := slices.Contains(tt.want, name); found != (len(one) == 1) {
				t.Errorf("GroupId of %s, GroupName=%q: %v (found by the search: %t)", name, tt.keyword, one, found)
			}
		}
	}
}
