package openapi_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

// deletesAfterBind is the store with another client's DeleteApiGroup
// committed right after each BindDomain commits.
type deletesAfterBind struct {
	*store.Store
	t *testing.T
}

func (s deletesAfterBind) BindDomain(ctx context.Context, a store.Actor, groupID string, in rules.DomainInput) (store.BoundDomain, error) {
	d, err := s.Store.BindDomain(ctx, a, groupID, in)
	if err == nil {
		if err := s.Store.DeleteGroup(ctx, a, groupID); err != nil {
			s.t.Fatal(err)
		}
	}
	return d, err
}

// SetDomain answers from what its transaction wrote: a delete of the group
// committed between the binding and the answer does not turn the committed
// binding into a NotFoundApiGroup.
func TestSetDomainAnswersWhatWasCommitted(t *testing.T) {
	w := newWorld(t)
	srv := httptest.NewServer(openapi.New(deletesAfterBind{w.st, t}, nil, openapi.Options{}))
	t.Cleanup(srv.Close)
	c := newClients(t, strings.TrimPrefix(srv.URL, "http://"), w.admin)

	create := cloudapi.CreateCreateApiGroupRequest()
	c.at(create)
	create.GroupName = "doomed_api"
	g, err := c.api.CreateApiGroup(create)
	must(t, "CreateApiGroup", err)

	set := cloudapi.CreateSetDomainRequest()
	c.at(set)
	set.GroupId, set.DomainName = g.GroupId, "api.doomed.example.com"
	res, err := c.api.SetDomain(set)
	must(t, "SetDomain with the group deleted right after the commit", err)
	if res.GroupId != g.GroupId || res.DomainName != "api.doomed.example.com" || res.SubDomain != rules.PublicDomain(g.GroupId, "cn-hangzhou") {
		t.Fatalf("SetDomain answered %+v", res)
	}
}
