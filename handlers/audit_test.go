package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/web/webtest"
)

// refusalsOf are the first tenant's refused changes about target.
func refusalsOf(t *testing.T, rt *routeT, target string) []rules.OpLogEntry {
	t.Helper()
	ops, _, err := rt.Store.ListOpLog(context.Background(), rt.a.Account.ID, store.OpLogQuery{Outcome: rules.OutcomeFilterRefused, Target: target, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// A change the console refuses is a line of the operation log with its
// code and message, whatever refused it: a rule, the input, the role, or
// an id that names nothing of the account; with JavaScript on or off. A
// dialog's refresh (the no-JavaScript "Show vSwitches") changes nothing
// and is not recorded.
func TestConsoleRefusalsAreInTheOperationLog(t *testing.T) {
	fx := sharedFixture(t)
	rt := &routeT{fixture: fx, log: &webtest.AnswerLog{}}
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Fragment} {
		t.Run(mode.String(), func(t *testing.T) {
			t.Parallel()
			held := rt.newInstance(t, true)
			rt.newGroup(t, held.ID, true)
			unbound := rt.newInstance(t, false)
			g := rt.newGroup(t, rt.hangzhouShared, false)
			badName := rt.name("my group-x ")
			badAPIName, unreadAPIName := rt.name("my api-x"), rt.name("unread_status")
			tests := []struct {
				name          string
				as            *webtest.Client
				path          string
				form          url.Values
				status        int
				action        string
				target        string
				code, message string
			}{
				{"a rule (R7)", rt.operator, "/instances/" + held.ID + "/unbind", nil, http.StatusConflict,
					rules.ActionUnbindVpc, held.ID, rules.CodeInstanceVpcInUse, "cannot be unbound"},
				{"the input: nothing chosen", rt.operator, "/instances/" + unbound.ID + "/bind", url.Values{"vpc": {""}, "vswitch": {""}}, http.StatusUnprocessableEntity,
					rules.ActionBindVpc, unbound.ID, rules.CodeInvalidVpcID, "Choose a VPC. Choose a vSwitch."},
				{"the input: a name with a space and a hyphen", rt.operator, "/groups", url.Values{"name": {badName}, "region": {"cn-hangzhou"}, "instance": {rt.hangzhouShared}},
					http.StatusUnprocessableEntity, rules.ActionCreateApiGroup, badName, rules.CodeInvalidGroupName, `' ' and '-' are not allowed`},
				{"the role", rt.viewer, "/groups/" + g.ID + "/delete", nil, http.StatusForbidden,
					rules.ActionDeleteApiGroup, g.ID, "Forbidden", "can look but not change"},
				{"a handler's own check", rt.operator, "/groups/" + g.ID + "/move", url.Values{"instance": {""}}, http.StatusUnprocessableEntity,
					rules.ActionMoveGroup, g.ID, rules.CodeInvalidID, "Choose the destination instance."},
				{"a rule on an API", rt.operator, "/apis/" + rt.a.API + "/delete", nil, http.StatusConflict,
					rules.ActionDeleteApi, rt.a.API, rules.CodeAPIDeployed, "is deployed to RELEASE"},
				{"the input of Create API", rt.operator, "/apis", apiForm(rt.apisGroup(t), "name", badAPIName), http.StatusUnprocessableEntity,
					rules.ActionCreateApi, badAPIName, rules.CodeInvalidAPIName, `' ' and '-' are not allowed`},
				{"Create API's own check of its form", rt.operator, "/apis", apiForm(rt.apisGroup(t), "name", unreadAPIName, "mock_status", "lots"), http.StatusUnprocessableEntity,
					rules.ActionCreateApi, unreadAPIName, rules.CodeInvalidID, "Choose the status code of the Mock answer."},
			}
			for _, tt := range tests {
				p := rt.as(t, tt.as).PostAs(t, mode, tt.path, tt.form)
				if p.Status != tt.status {
					t.Errorf("%s: %s, want %d", tt.name, p, tt.status)
					continue
				}
				got := refusalsOf(t, rt, tt.target)
				if len(got) == 0 {
					t.Errorf("%s: no refusal recorded about %s", tt.name, tt.target)
					continue
				}
				e := got[0]
				if e.Action != tt.action || e.Outcome != tt.code || !strings.Contains(e.Detail, tt.message) || e.Source != rules.SourceConsole {
					t.Errorf("%s: recorded %+v, want %s refused with %s (%q)", tt.name, e, tt.action, tt.code, tt.message)
				}
			}
			// Asking the dialog again with a choice made is no attempt.
			before := len(refusalsOf(t, rt, unbound.ID))
			rt.as(t, rt.operator).PostAs(t, mode, "/instances/"+unbound.ID+"/bind", url.Values{"refresh": {"1"}, "vpc": {held.VpcID}}).Expect(http.StatusOK)
			if after := len(refusalsOf(t, rt, unbound.ID)); after != before {
				t.Errorf("a refresh was recorded as a refusal (%d → %d)", before, after)
			}
		})
	}
	// An attempt on another account's id is recorded in the account that
	// made it, as absent; the other account's log has nothing of it.
	t.Run("another account's id", func(t *testing.T) {
		t.Parallel()
		rt.as(t, rt.operator).Post(t, "/vpcs/"+rt.b.Vpc+"/delete", nil).Expect(http.StatusNotFound)
		got := refusalsOf(t, rt, rt.b.Vpc)
		if len(got) == 0 || got[0].Outcome != rules.CodeVpcNotFound || got[0].Action != rules.ActionDeleteVpc {
			t.Errorf("recorded %+v", got)
		}
		theirs, _, err := rt.Store.ListOpLog(context.Background(), rt.b.Account.ID, store.OpLogQuery{Outcome: rules.OutcomeFilterRefused})
		if err != nil || len(theirs) != 0 {
			t.Errorf("the other account's log holds %d refusals (%v)", len(theirs), err)
		}
	})
}

// The operation log is filtered by an action of the list, an outcome, a
// target and a time range through a plain GET form; a filter that cannot
// be used says so beside its field, with a 422.
func TestOperationLogFilters(t *testing.T) {
	fx := sharedFixture(t)
	rt := &routeT{fixture: fx, log: &webtest.AnswerLog{}}
	held := rt.newInstance(t, true)
	rt.newGroup(t, held.ID, true)
	op := rt.as(t, rt.operator)
	op.Post(t, "/instances/"+held.ID+"/unbind", nil).Expect(http.StatusConflict)
	op.Post(t, "/instances/"+held.ID+"/unbind", nil).Expect(http.StatusConflict)

	q := url.Values{"action": {rules.ActionUnbindVpc}, "outcome": {"refused"}, "target": {held.ID}}
	for _, mode := range []webtest.Mode{webtest.NoJS, webtest.Boosted} {
		p := op.GetAs(t, mode, "/oplog?"+q.Encode()).Expect(http.StatusOK)
		if n := p.Doc().Find("#oplog-table tbody tr").Length(); n != 2 {
			t.Errorf("%s: %d rows, want the 2 refusals", p, n)
		}
		p.Shows(rules.CodeInstanceVpcInUse, "Refused", "cannot be unbound")
		if p.Value("action") != rules.ActionUnbindVpc || p.Value("outcome") != "refused" {
			t.Errorf("%s: the filter is not kept", p)
		}
	}
	// The binding itself succeeded: it is among the succeeded, not the refused.
	p := op.Get(t, "/oplog?"+url.Values{"outcome": {"ok"}, "target": {held.ID}}.Encode()).Expect(http.StatusOK)
	if rows := p.Expect(http.StatusOK).Text("#oplog-table"); !strings.Contains(rows, rules.ActionBindVpc) || strings.Contains(rows, "Refused") {
		t.Errorf("%s: succeeded entries %q", p, rows)
	}
	// Time ranges: one after everything is empty; one holding now lists them.
	op.Get(t, "/oplog?"+url.Values{"target": {held.ID}, "since": {"2199-01-01T00:00"}}.Encode()).Expect(http.StatusOK).Shows("No entries match this filter.")
	p = op.Get(t, "/oplog?"+url.Values{"target": {held.ID}, "outcome": {"refused"}, "since": {"2000-01-01T00:00"}, "until": {"2199-01-01T00:00"}}.Encode())
	if n := p.Expect(http.StatusOK).Doc().Find("#oplog-table tbody tr").Length(); n != 2 {
		t.Errorf("%s: %d rows in a range holding everything, want 2", p, n)
	}
	for _, bad := range []struct{ query, field, message string }{
		{"outcome=maybe", "outcome", "The outcome is Succeeded, Refused or Any"},
		{"since=yesterday", "since", `From: "yesterday" is not a time`},
		{"until=2999-01-01T00:00", "until", "between 2000 and 2200"},
		{"since=2026-01-02T00:00&until=2026-01-01T00:00", "until", "is not after its start"},
	} {
		op.Get(t, "/oplog?"+bad.query).Expect(http.StatusUnprocessableEntity).ExpectFieldError(bad.field, bad.message)
	}
	op.Get(t, "/oplog?before=nonsense").Expect(http.StatusBadRequest)
}
