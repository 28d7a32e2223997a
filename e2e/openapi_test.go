//go:build e2e

package e2e

import (
	"encoding/json"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"
	"github.com/playwright-community/playwright-go"
)

// accessKey is what `gatehouse accesskey create` prints.
type accessKey struct{ AccessKeyId, AccessKeySecret string }

// accessKeyFor makes an access key for the account's user, as an operator
// of Gatehouse would on the command line.
func accessKeyFor(t *testing.T, a account) accessKey {
	t.Helper()
	out, err := exec.Command(env.bin, "accesskey", "create", "--db", env.db, "--user", a.Login).Output()
	if err != nil {
		t.Fatalf("accesskey create: %v", err)
	}
	var key accessKey
	if err := json.Unmarshal(out, &key); err != nil {
		t.Fatalf("accesskey create printed %q: %v", out, err)
	}
	return key
}

// A group made through the official SDK shows in the console, and the
// operation log says it came through the OpenAPI endpoint with which key.
func TestSDKChangeShowsInConsole(t *testing.T) {
	a := newAccount(t, "operator")
	key := accessKeyFor(t, a)
	client, err := cloudapi.NewClientWithAccessKey("cn-hangzhou", key.AccessKeyId, key.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	req := cloudapi.CreateCreateApiGroupRequest()
	req.Domain = strings.TrimPrefix(env.apiURL, "http://")
	req.Scheme = "http"
	req.GroupName = "from_the_sdk"
	req.Description = "made by automation"
	resp, err := client.CreateApiGroup(req)
	if err != nil {
		t.Fatalf("CreateApiGroup: %v", err)
	}

	page := browserPage(t, pageOpts{})
	login(t, page, a)
	open(t, page, "/groups")
	row := page.Locator("main table tbody tr").Filter(playwright.LocatorFilterOptions{HasText: "from_the_sdk"})
	must(t, expect.Locator(row).ToContainText(resp.GroupId))
	shot(t, page, "openapi-group-in-console")

	open(t, page, "/oplog")
	entry := page.Locator("main table tbody tr").Filter(playwright.LocatorFilterOptions{HasText: resp.GroupId})
	must(t, expect.Locator(entry.First()).ToContainText("OpenAPI"))
	must(t, expect.Locator(entry.First()).ToContainText(key.AccessKeyId))
	must(t, expect.Locator(entry.First()).ToContainText(regexp.MustCompile(`CreateApiGroup|CreateGroup`)))
}
