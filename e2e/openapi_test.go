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

// A group made through the official SDK shows in the console, and the
// operation log says it came through the OpenAPI endpoint with which key.
func TestSDKChangeShowsInConsole(t *testing.T) {
	a := newAccount(t, "operator")
	client, keyID := sdkClient(t, a)
	req := cloudapi.CreateCreateApiGroupRequest()
	atGatehouse(req)
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
	must(t, expect.Locator(row.Locator(`code[data-id="`+resp.GroupId+`"]`)).ToBeVisible())
	shot(t, page, "openapi-group-in-console")

	open(t, page, "/oplog?target="+resp.GroupId)
	entry := page.Locator("main table tbody tr")
	must(t, expect.Locator(entry.First()).ToContainText("OpenAPI"))
	must(t, expect.Locator(entry.First()).ToContainText(keyID))
	must(t, expect.Locator(entry.First()).ToContainText(regexp.MustCompile(`CreateApiGroup|CreateGroup`)))
}

// sdkClient is the official SDK's client signing with a new AccessKey of
// the account's user (made by `gatehouse accesskey create`), and the key's
// id.
func sdkClient(t *testing.T, a account) (*cloudapi.Client, string) {
	t.Helper()
	key := accessKeyFor(t, a)
	client, err := cloudapi.NewClientWithAccessKey("cn-hangzhou", key.AccessKeyId, key.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	return client, key.AccessKeyId
}

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

// atGatehouse points an SDK request at the test server's OpenAPI endpoint.
func atGatehouse(req interface {
	SetDomain(string)
	SetScheme(string)
}) {
	req.SetDomain(strings.TrimPrefix(env.apiURL, "http://"))
	req.SetScheme("http")
}
