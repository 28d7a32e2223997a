package openapi_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// The acceptance flow of issue 12 in Node: e2e/sdk-node/flow.js drives
// Alibaba Cloud's current Node SDKs (@alicloud/cloudapi20160714 and
// @alicloud/vpc20160428 from the npm registry, pinned in package-lock.json)
// against a real `gatehouse serve`, through the seed's whole flow, the
// paging and filters of DescribeApiGroups and the refusals; this test starts
// the server, runs the script with node and checks what it did landed in the
// operation log as the key's. It needs node and `npm ci` (make deps-node):
// under `make test` both are there, and a missing one is a failure.
func TestV3NodeSDKAgainstGatehouseServe(t *testing.T) {
	root := moduleRoot(t)
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatalf("node is needed for the Node SDK's test: %v", err)
	}
	for _, pkg := range []string{"@alicloud/cloudapi20160714", "@alicloud/vpc20160428"} {
		if _, err := os.Stat(filepath.Join(root, "node_modules", pkg, "package.json")); err != nil {
			t.Fatalf("%s is not installed: run `make deps-node` (npm ci) first: %v", pkg, err)
		}
	}
	srv, keys := startServe(t)
	acme := ownerOf(t, srv.db, "acme")
	keyJSON, err := json.Marshal(map[string]map[string]string{
		"alice":  {"id": keys["alice"].id, "secret": keys["alice"].secret},
		"victor": {"id": keys["victor"].id, "secret": keys["victor"].secret},
		"rita":   {"id": keys["rita"].id, "secret": keys["rita"].secret},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join("e2e", "sdk-node", "flow.js"))
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "GATEHOUSE_API="+srv.api, "GATEHOUSE_KEYS="+string(keyJSON), "GATEHOUSE_OWNER_ID="+acme,
		"HTTP_PROXY=", "http_proxy=", "HTTPS_PROXY=", "https_proxy=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("node e2e/sdk-node/flow.js: %v\n%s", err, out)
	}
	t.Logf("node e2e/sdk-node/flow.js:\n%s", out)
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var made struct{ VpcId, VswId, Orders, InstanceId, Custom string }
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &made); err != nil || made.Orders == "" {
		t.Fatalf("the script's last line is not the ids it made: %q (%v)", lines[len(lines)-1], err)
	}

	st, err := store.Open(context.Background(), srv.db)
	must(t, "open the database beside the server", err)
	defer st.Close()
	entries, _, err := st.ListOpLog(context.Background(), acme, store.OpLogQuery{Limit: 200})
	must(t, "ListOpLog", err)
	for _, want := range []struct{ action, target, outcome string }{
		{"CreateVpc", made.VpcId, "ok"},
		{"CreateVSwitch", made.VswId, "ok"},
		{"CreateApiGroup", made.Orders, "ok"},
		{"EnableVpcDomain", made.Orders, "ok"},
		{"CreateInstance", made.InstanceId, "ok"},
		{"MoveGroup", made.Orders, "InstanceNotBoundToVpc"},
		{"BindVpc", made.InstanceId, "ok"},
		{"MoveGroup", made.Orders, "ok"},
		{"ModifyInstanceVpcAttributeForConsole", made.InstanceId, "InstanceVpcInUse"},
		{"BindDomain", made.Custom, "ok"},
		{"DeleteVpc", made.VpcId, "ok"},
	} {
		i := slices.IndexFunc(entries, func(e rules.OpLogEntry) bool {
			return e.Action == want.action && e.Target == want.target && e.Outcome == want.outcome
		})
		if i < 0 {
			t.Errorf("no %s of %s with outcome %s in the operation log", want.action, want.target, want.outcome)
			continue
		}
		if e := entries[i]; e.Source != rules.SourceOpenAPI || e.Actor != keys["alice"].id {
			t.Errorf("%s of %s: source %q actor %q, want OpenAPI and %s", want.action, want.target, e.Source, e.Actor, keys["alice"].id)
		}
	}
	// The refusals of the signature changed nothing and wrote nothing.
	for _, e := range entries {
		if e.Action == "DeleteApiGroup" && e.Outcome != "ok" {
			t.Errorf("a refused signature reached the action: %+v", e)
		}
	}
}
