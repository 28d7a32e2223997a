package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"gatehouse/rules"
	"gatehouse/store"
)

// refusals are the account's refused changes, newest first.
func (f *fixture) refusals(t *testing.T, tn tenant) []rules.OpLogEntry {
	t.Helper()
	ops, _, err := f.st.ListOpLog(context.Background(), tn.account.ID, store.OpLogQuery{Outcome: rules.OutcomeFilterRefused, Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	return ops
}

// A change the console refuses is a line of the operation log with its
// code and message, whatever refused it: a rule, the input, the role, or
// an id that names nothing of the account. A dialog's refresh (the
// no-JavaScript "Show vSwitches") changes nothing and is not recorded.
func TestConsoleRefusalsAreInTheOperationLog(t *testing.T) {
	f := newFixture(t, nil)
	op := f.login(t, f.a.operator, f.a.password)
	viewer := f.login(t, f.a.viewer, f.a.password)
	tests := []struct {
		name           string
		c              *client
		path           string
		form           url.Values
		status         int
		action, target string
		code, message  string
	}{
		{"a rule (R7)", op, "/instances/" + f.a.inst + "/unbind", nil, http.StatusConflict,
			rules.ActionUnbindVpc, f.a.inst, rules.CodeInstanceVpcInUse, "cannot be unbound"},
		{"the input: nothing chosen", op, "/instances/" + f.a.unboundInst + "/bind", url.Values{"vpc": {""}, "vswitch": {""}}, http.StatusUnprocessableEntity,
			rules.ActionBindVpc, f.a.unboundInst, rules.CodeInvalidVpcID, "Choose a VPC. Choose a vSwitch."},
		{"the input: a name with a space and a hyphen", op, "/groups", url.Values{"name": {"my group-x"}, "region": {"cn-hangzhou"}, "instance": {"api-shared-vpc-001"}}, http.StatusUnprocessableEntity,
			rules.ActionCreateApiGroup, "my group-x", rules.CodeInvalidGroupName, `' ' and '-' are not allowed`},
		{"the role", viewer, "/groups/" + f.a.group + "/delete", nil, http.StatusForbidden,
			rules.ActionDeleteApiGroup, f.a.group, "Forbidden", "can look but not change"},
		{"another account's id", op, "/vpcs/" + f.b.vpc + "/delete", nil, http.StatusNotFound,
			rules.ActionDeleteVpc, f.b.vpc, rules.CodeVpcNotFound, "does not exist"},
		{"a handler's own check", op, "/groups/" + f.a.group + "/move", url.Values{"instance": {""}}, http.StatusUnprocessableEntity,
			rules.ActionMoveGroup, f.a.group, rules.CodeInvalidID, "Choose the destination instance."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := len(f.refusals(t, f.a))
			resp, body := tt.c.post(tt.path, tt.form)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d\n%.400s", resp.StatusCode, tt.status, body)
			}
			got := f.refusals(t, f.a)
			if len(got) != before+1 {
				t.Fatalf("%d refusals recorded, want one more than %d", len(got), before)
			}
			e := got[0]
			if e.Action != tt.action || e.Target != tt.target || e.Outcome != tt.code || !strings.Contains(e.Detail, tt.message) || e.Source != rules.SourceConsole {
				t.Errorf("recorded %+v, want %s on %s refused with %s (%q)", e, tt.action, tt.target, tt.code, tt.message)
			}
		})
	}

	// Asking the dialog again with a choice made is no attempt.
	before := len(f.refusals(t, f.a))
	if resp, body := op.post("/instances/"+f.a.unboundInst+"/bind", url.Values{"refresh": {"1"}, "vpc": {f.a.vpc}}); resp.StatusCode != http.StatusOK {
		t.Fatalf("refresh: status %d\n%.300s", resp.StatusCode, body)
	}
	if after := len(f.refusals(t, f.a)); after != before {
		t.Errorf("a refresh was recorded as a refusal (%d → %d)", before, after)
	}
	// Nothing of it reached the other account's log.
	if n := len(f.refusals(t, f.b)); n != 0 {
		t.Errorf("the other account's log holds %d refusals", n)
	}
}

// The operation log is filtered by an action of the list, an outcome and
// a time range through a plain GET form (no JavaScript needed); a filter
// that cannot be used says so beside its field, with a 4xx.
func TestOperationLogFilters(t *testing.T) {
	f := newFixture(t, nil)
	op := f.login(t, f.a.operator, f.a.password)
	op.post("/instances/"+f.a.inst+"/unbind", nil)
	op.post("/vpcs/"+f.a.vpc+"/delete", nil)

	resp, body := op.get("/oplog?" + url.Values{"action": {rules.ActionUnbindVpc}, "outcome": {"refused"}}.Encode())
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	rows := tableRows(body, "oplog-table")
	if len(rows) != 1 || !strings.Contains(rows[0], rules.CodeInstanceVpcInUse) || !strings.Contains(rows[0], "Refused") {
		t.Fatalf("UnbindVpc refused: %d rows %q", len(rows), rows)
	}
	if !strings.Contains(body, `<option value="UnbindVpc" selected>`) {
		t.Error("the Action list does not keep the chosen action")
	}
	// Succeeded changes only: the fixture's, none refused.
	_, body = op.get("/oplog?outcome=ok")
	for _, r := range tableRows(body, "oplog-table") {
		if strings.Contains(r, "Refused") {
			t.Errorf("a refused entry among the succeeded: %.200s", r)
		}
	}
	// A time range after everything: nothing.
	_, body = op.get("/oplog?since=2100-01-01T00:00")
	if len(tableRows(body, "oplog-table")) != 0 || !strings.Contains(body, "No entries match this filter.") {
		t.Error("a range in the future lists entries")
	}
	// A range that holds everything lists the refusals too.
	_, body = op.get("/oplog?outcome=refused&since=2000-01-01T00:00&until=2100-01-01T00:00")
	if n := len(tableRows(body, "oplog-table")); n != 2 {
		t.Errorf("%d refusals in a range holding everything, want 2", n)
	}
	for _, bad := range []struct{ query, field, message string }{
		{"action=DropTables", "action", "records no action"},
		{"outcome=maybe", "outcome", "Succeeded, Refused or Any"},
		{"since=yesterday", "since", "is not a time"},
		{"until=2999-01-01T00:00", "until", "between 2000 and 2200"},
		{"since=2026-01-02T00:00&until=2026-01-01T00:00", "until", "is not after its start"},
	} {
		resp, body := op.get("/oplog?" + bad.query)
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(html.UnescapeString(body), bad.message) ||
			!strings.Contains(body, `id="oplog-`+bad.field+`"`) {
			t.Errorf("/oplog?%s: status %d, want 422 with %q beside %s", bad.query, resp.StatusCode, bad.message, bad.field)
		}
	}
	if resp, _ := op.get("/oplog?before=nonsense"); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("a broken page link: status %d, want 400", resp.StatusCode)
	}
}

// mainOf is the page's main content, without the shell (whose Log out
// form is a submit button on every page).
func mainOf(body string) string {
	i, j := strings.Index(body, `<main`), strings.Index(body, `</main>`)
	if i < 0 || j < i {
		return body
	}
	return body[i:j]
}

// tableRows are the body rows of the table with the id.
func tableRows(body, id string) []string {
	i := strings.Index(body, `id="`+id+`"`)
	if i < 0 {
		return nil
	}
	rest := body[i:]
	rest = rest[strings.Index(rest, "<tbody>"):]
	rest = rest[:strings.Index(rest, "</tbody>")]
	var out []string
	for _, r := range strings.Split(rest, "<tr")[1:] {
		out = append(out, r)
	}
	return out
}

var csvLinkRE = regexp.MustCompile(`href="(data:text/csv[^"]+)" download="AccessKey_([A-Za-z0-9]+)\.csv"`)

// A new key's secret is shown once, in a dialog with a CSV file of the id
// and the secret to download, and never again.
func TestAccessKeySecretShownOnceWithCSV(t *testing.T) {
	f := newFixture(t, nil)
	admin := f.login(t, f.a.admin, f.a.password)
	if resp, body := admin.get("/accesskeys/new"); resp.StatusCode != http.StatusOK || !strings.Contains(body, `<option value="" selected>Select a user</option>`) {
		t.Fatalf("Create AccessKey dialog: status %d, or a user is chosen for the admin", resp.StatusCode)
	}
	if resp, body := admin.post("/accesskeys", url.Values{"user": {""}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Choose the user") {
		t.Fatalf("no user: status %d", resp.StatusCode)
	}
	resp, body := admin.post("/accesskeys", url.Values{"user": {f.a.operator}})
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("create: status %d\n%.300s", resp.StatusCode, body)
	}
	m := csvLinkRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no Download CSV link:\n%s", body)
	}
	csv, err := url.PathUnescape(strings.TrimPrefix(html.UnescapeString(m[1]), "data:text/csv;charset=utf-8,"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv), "\r\n")
	if len(lines) != 2 || lines[0] != "AccessKeyId,AccessKeySecret" {
		t.Fatalf("CSV %q", csv)
	}
	id, secret, _ := strings.Cut(lines[1], ",")
	if id != m[2] || !rules.IsAccessKeyID(id) || len(secret) != 30 || !strings.Contains(body, ">"+secret+"<") || !strings.Contains(body, "I have saved it") {
		t.Fatalf("CSV row %q does not hold the key shown", lines[1])
	}
	// The secret is the key's: it signs for it.
	if _, _, got, err := f.st.AccessKeyForSignature(context.Background(), id); err != nil || got != secret {
		t.Fatalf("the CSV's secret is not the key's: %v", err)
	}
	// Once: the list names the key, never its secret.
	_, list := admin.get("/accesskeys")
	if !strings.Contains(list, id) || strings.Contains(list, secret) {
		t.Error("the list does not name the new key, or shows its secret")
	}
	if !strings.Contains(list, "Never") {
		t.Error("a key never used does not say so")
	}
}

// Bind to VPC opens with nothing chosen, and Change VPC on the binding as
// it is, naming the groups whose access a change moves.
func TestBindDialogChoosesNothingForTheOperator(t *testing.T) {
	f := newFixture(t, nil)
	op := f.login(t, f.a.operator, f.a.password)
	resp, body := op.get("/instances/" + f.a.unboundInst + "/bind")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if strings.Contains(body, "selected") && regexp.MustCompile(`<option value="vpc-[^"]+" selected`).MatchString(body) {
		t.Error("Bind opens with a VPC chosen")
	}
	if !strings.Contains(body, `<option value="" selected>Select a VPC</option>`) || !strings.Contains(body, "Select a VPC first") {
		t.Error("Bind does not open on Select a VPC")
	}
	_, body = op.get("/instances/" + f.a.inst + "/bind")
	if !strings.Contains(body, `<option value="`+f.a.vpc+`" selected`) || !strings.Contains(body, `<option value="`+f.a.vsw+`" selected`) {
		t.Error("Change VPC does not open on the current binding")
	}
	if !strings.Contains(body, "Change VPC:") || !strings.Contains(body, ">orders</a>") {
		t.Error("Change VPC does not say from → to with the groups on the instance")
	}
}

// A button the rules refuse is disabled on the page with the reason beside
// it and the way out as links; its dialog says the same once, with no
// commit button.
func TestRefusedButtonsShowTheirReason(t *testing.T) {
	f := newFixture(t, nil)
	op := f.login(t, f.a.operator, f.a.password)
	cases := []struct {
		page, button, reason, wayOut, dialog string
	}{
		{"/instances", `id="instance-` + f.a.inst + `-unbind"`, "the VPC domain is enabled for 1 group on it.", `href="/groups/` + f.a.group + `"`, "/instances/" + f.a.inst + "/unbind"},
		{"/instances/" + f.a.inst, `id="instance-` + f.a.inst + `-delete"`, "still hosts 1 API group", `href="/groups/` + f.a.group + `"`, "/instances/" + f.a.inst + "/delete"},
		{"/vpcs/" + f.a.vpc, `id="vpc-delete"`, "is bound to 1 dedicated instance", `href="/instances/` + f.a.inst + `"`, "/vpcs/" + f.a.vpc + "/delete"},
		{"/vpcs/" + f.a.vpc, `id="vswitch-` + f.a.vsw + `-delete"`, "holds the VPC endpoint", `href="/instances/` + f.a.inst + `"`, "/vpcs/" + f.a.vpc + "/vswitches/" + f.a.vsw + "/delete"},
	}
	for _, c := range cases {
		_, body := op.get(c.page)
		if !regexp.MustCompile(`<button type="button" class="[^"]*" disabled aria-describedby="[^"]+-why" ` + regexp.QuoteMeta(c.button)).MatchString(body) {
			t.Errorf("%s: %s is not a disabled button", c.page, c.button)
		}
		why := body[strings.Index(body, strings.TrimSuffix(c.button, `"`)+`-why"`):]
		why = why[:strings.Index(why, "</div>")]
		if !strings.Contains(html.UnescapeString(why), c.reason) || !strings.Contains(why, c.wayOut) {
			t.Errorf("%s: the reason beside %s is %q, want %q and a link %s", c.page, c.button, why, c.reason, c.wayOut)
		}
		resp, dialog := op.get(c.dialog)
		dialog = mainOf(dialog)
		if resp.StatusCode != http.StatusConflict || strings.Contains(dialog, `type="submit"`) || strings.Count(html.UnescapeString(dialog), c.reason) > 1 {
			t.Errorf("%s: status %d; the refused dialog must offer no commit button and say its refusal once", c.dialog, resp.StatusCode)
		}
		if !strings.Contains(dialog, c.wayOut) {
			t.Errorf("%s: the blocker is not a link (%s)", c.dialog, c.wayOut)
		}
	}
}

// The Overview points at what needs attention, each a link; the top bar
// says who is logged in with labels; Shared Instances has its own page.
func TestOverviewTopBarAndSharedInstances(t *testing.T) {
	f := newFixture(t, nil)
	op := f.login(t, f.a.operator, f.a.password)
	_, body := op.get("/")
	text := html.UnescapeString(body)
	if !strings.Contains(text, "1 dedicated instance is not bound to a VPC.") || !strings.Contains(body, `href="/instances/`+f.a.unboundInst+`">spare</a>`) {
		t.Error("the Overview does not point at the unbound instance")
	}
	if !regexp.MustCompile(`<span class="who-user">` + f.a.operator + `</span> · <span class="who-label">account</span> alpha · <span class="who-label">role</span> operator`).MatchString(body) {
		t.Error("the top bar does not say user · account · role with labels")
	}
	if !strings.Contains(body, `href="/" aria-current="page">Overview</a>`) {
		t.Error("no Overview entry in the navigation")
	}
	resp, body := op.get("/shared-instances")
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "api-shared-vpc-001") || !strings.Contains(body, `aria-current="page">Shared Instances</span>`) {
		t.Fatalf("Shared Instances: status %d", resp.StatusCode)
	}
	if main := mainOf(body); strings.Contains(main, "Create Instance") || strings.Contains(main, `type="submit"`) {
		t.Error("Shared Instances offers a change")
	}
	_, body = op.get("/instances")
	if strings.Contains(body, "api-shared-vpc-001") {
		t.Error("shared instances are still listed under Dedicated Instances")
	}
}

// The shell loads htmx from the binary itself: a plain go build embeds it.
func TestShellEmbedsHTMX(t *testing.T) {
	f := newFixture(t, nil)
	op := f.login(t, f.a.operator, f.a.password)
	_, body := op.get("/")
	m := regexp.MustCompile(`<script src="(/static/lib/htmx\.min\.js\?v=[0-9a-f]+)" defer>`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page loads no htmx")
	}
	resp, js := op.get(m[1])
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "javascript") || !strings.Contains(js, "htmx") {
		t.Fatalf("htmx: status %d, %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}
