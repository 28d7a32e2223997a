package gateway

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"gatehouse/rules"
)

type calls struct {
	mu  sync.Mutex
	all []Call
}

func (c *calls) Record(call Call) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.all = append(c.all, call)
}

// A Recorder hears of every call: where from, on which name and group,
// which API and stage, the status and the code.
func TestRecorderHearsOfEveryCall(t *testing.T) {
	f := newFixture(t)
	rec := &calls{}
	f.gw.cfg.Recorder = rec
	apiID := f.deploy(t, f.shared.ID, mockAPI("hello", "GET", "/hello", "hi"))
	inB := f.proxy(rules.CallerVpc, f.vpcB)
	f.do(t, inB, "GET", f.shared.VpcDomain(), "/hello")
	f.do(t, f.proxy(rules.CallerVpc, f.vpcBSh), "GET", f.shared.VpcDomain(), "/hello")
	f.do(t, direct, "GET", "nowhere.example.org", "/")
	f.do(t, direct, "GET", f.shared.PublicDomain(), "/missing", "X-Ca-Stage", "TEST")

	want := []Call{
		{Network: Network{Kind: rules.CallerVpc, Vpc: &f.vpcB}, Protocol: rules.ProtocolHTTP, Host: f.shared.VpcDomain(), Domain: rules.DomainVpc, GroupID: f.shared.ID, Account: f.a.AccountID, APIID: apiID, APIName: "hello", Stage: "RELEASE", Status: 200},
		{Network: Network{Kind: rules.CallerVpc, Vpc: &f.vpcBSh}, Protocol: rules.ProtocolHTTP, Host: f.shared.VpcDomain(), Domain: rules.DomainVpc, GroupID: f.shared.ID, Account: f.a.AccountID, Status: http.StatusBadGateway, Code: "R3", Refused: true},
		{Network: Internet, Protocol: rules.ProtocolHTTP, Status: http.StatusNotFound, Code: "I404DO"},
		{Network: Internet, Protocol: rules.ProtocolHTTP, Host: f.shared.PublicDomain(), Domain: rules.DomainPublic, GroupID: f.shared.ID, Account: f.a.AccountID, Stage: "TEST", Status: http.StatusNotFound, Code: "I404NF"},
	}
	if len(rec.all) != len(want) {
		t.Fatalf("%d calls recorded, want %d", len(rec.all), len(want))
	}
	for i, got := range rec.all {
		w := want[i]
		if got.ID == "" || got.Start.IsZero() || got.Duration < 0 || got.Duration > time.Minute {
			t.Errorf("call %d: id %q, start %v, took %v", i, got.ID, got.Start, got.Duration)
		}
		if got.Network.Kind != w.Network.Kind || (w.Network.Vpc != nil && (got.Network.Vpc == nil || got.Network.Vpc.ID != w.Network.Vpc.ID)) {
			t.Errorf("call %d: network %+v, want %+v", i, got.Network, w.Network)
		}
		got.ID, got.Start, got.Duration, got.Network, w.Network = "", time.Time{}, 0, Network{}, Network{}
		if got != w {
			t.Errorf("call %d: %+v, want %+v", i, got, w)
		}
	}
}
