//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
)

// Helpers of the gateway's tests: a tenant that sets things up through
// the OpenAPI endpoint with the official SDK, proxy URLs from
// `gatehouse network url`, and HTTP clients that call through the proxy
// or straight at the gateway, as a test suite under test would.

// API versions of the OpenAPI endpoint.
const (
	versionCloudAPI = "2016-07-14"
	versionVPC      = "2016-04-28"
)

// tenant is an account with an admin and an access key, driving the
// OpenAPI endpoint of one server.
type tenant struct {
	t      *testing.T
	srv    *gatehouse
	name   string
	client *sdk.Client
}

// newTenant makes an account on srv (the shared server when nil).
func newTenant(t *testing.T, srv *gatehouse) *tenant {
	t.Helper()
	if srv == nil {
		srv = sharedServer()
	}
	a := newAccountOn(t, srv.db, "admin")
	out, err := exec.Command(env.bin, "accesskey", "create", "--db", srv.db, "--user", a.Login).Output()
	if err != nil {
		t.Fatalf("accesskey create: %v", err)
	}
	var key struct{ AccessKeyId, AccessKeySecret string }
	if err := json.Unmarshal(out, &key); err != nil {
		t.Fatalf("accesskey create printed %q: %v", out, err)
	}
	c, err := sdk.NewClientWithAccessKey("cn-hangzhou", key.AccessKeyId, key.AccessKeySecret)
	if err != nil {
		t.Fatal(err)
	}
	return &tenant{t: t, srv: srv, name: a.Name, client: c}
}

// try calls an action and decodes its JSON answer.
func (tn *tenant) try(version, action string, params map[string]string) (map[string]any, error) {
	r := requests.NewCommonRequest()
	r.Method = "POST"
	r.Domain, r.Scheme = tn.srv.api, "http"
	r.Version, r.ApiName = version, action
	r.QueryParams = params
	resp, err := tn.client.ProcessCommonRequest(r)
	if err != nil {
		return nil, err
	}
	var out map[string]any
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &out); err != nil {
		return nil, fmt.Errorf("%s answered %q: %w", action, resp.GetHttpContentString(), err)
	}
	return out, nil
}

// call calls an action that must succeed.
func (tn *tenant) call(version, action string, params map[string]string) map[string]any {
	tn.t.Helper()
	out, err := tn.try(version, action, params)
	if err != nil {
		tn.t.Fatalf("%s %v: %v", action, params, err)
	}
	return out
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// vpc makes a VPC with one vSwitch in region.
func (tn *tenant) vpc(region, cidr, vswitchCIDR string) (vpcID, vswitchID string) {
	tn.t.Helper()
	v := str(tn.call(versionVPC, "CreateVpc", map[string]string{"RegionId": region, "CidrBlock": cidr, "VpcName": "net"}), "VpcId")
	w := str(tn.call(versionVPC, "CreateVSwitch", map[string]string{"VpcId": v, "ZoneId": firstZone[region], "CidrBlock": vswitchCIDR, "VSwitchName": "sw"}), "VSwitchId")
	return v, w
}

// instance makes a dedicated instance in region (HTTPS policy
// HTTPS2_TLS1_2, or the one given).
func (tn *tenant) instance(region string, policy ...string) string {
	tn.t.Helper()
	httpsPolicy := "HTTPS2_TLS1_2"
	if len(policy) > 0 {
		httpsPolicy = policy[0]
	}
	return str(tn.call(versionCloudAPI, "CreateInstance", map[string]string{"InstanceName": "gw", "InstanceSpec": "api.s1.small",
		"ZoneId": firstZone[region], "HttpsPolicy": httpsPolicy, "ChargeType": "PostPaid", "RegionId": region}), "InstanceId")
}

// bind binds a dedicated instance to a VPC (or binds it anew: R6).
func (tn *tenant) bind(instanceID, vpcID, vswitchID string) {
	tn.t.Helper()
	tn.call(versionCloudAPI, "ModifyInstanceVpcAttributeForConsole", map[string]string{"InstanceId": instanceID, "VpcId": vpcID, "VswitchId": vswitchID, "Token": "t"})
}

// group makes an API group on an instance ("" for the region's shared one).
func (tn *tenant) group(name, region, instanceID string) string {
	tn.t.Helper()
	p := map[string]string{"GroupName": name, "RegionId": region}
	if instanceID != "" {
		p["InstanceId"] = instanceID
	}
	return str(tn.call(versionCloudAPI, "CreateApiGroup", p), "GroupId")
}

func (tn *tenant) enableVpcDomain(groupID string) string {
	tn.t.Helper()
	return str(tn.call(versionCloudAPI, "CreateIntranetDomain", map[string]string{"GroupId": groupID}), "DomainName")
}

func (tn *tenant) move(groupID, instanceID string) error {
	_, err := tn.try(versionCloudAPI, "ModifyApiGroupInstance", map[string]string{"GroupId": groupID, "TargetInstanceId": instanceID})
	return err
}

func (tn *tenant) customDomain(groupID, name, networkType string) {
	tn.t.Helper()
	tn.call(versionCloudAPI, "SetDomain", map[string]string{"GroupId": groupID, "DomainName": name, "CustomDomainType": networkType})
}

// apiSpec is an API to create and deploy.
type apiSpec struct {
	name, method, path string
	protocols          string // "HTTP" when empty
	disableInternet    bool
	mockBody           string // a Mock backend answering it, unless service is set
	mockStatus         int
	service            string // an HTTP backend's address
	servicePath        string
	timeoutMS          int
}

// deploy creates the API in the group and deploys it to RELEASE (and any
// other stages given); it returns the API's id.
func (tn *tenant) deploy(groupID string, a apiSpec, stages ...string) string {
	tn.t.Helper()
	if a.protocols == "" {
		a.protocols = "HTTP"
	}
	req, _ := json.Marshal(map[string]any{"RequestProtocol": a.protocols, "RequestHttpMethod": a.method, "RequestPath": a.path, "RequestMode": "PASSTHROUGH"})
	svc := map[string]any{}
	if a.service != "" {
		svc = map[string]any{"ServiceProtocol": "HTTP", "ServiceAddress": a.service, "ServicePath": a.servicePath,
			"ServiceHttpMethod": a.method, "ServiceTimeout": a.timeoutMS, "Mock": "FALSE"}
	} else {
		status := a.mockStatus
		if status == 0 {
			status = 200
		}
		svc = map[string]any{"Mock": "TRUE", "MockResult": a.mockBody, "MockStatusCode": status}
	}
	svcJSON, _ := json.Marshal(svc)
	id := str(tn.call(versionCloudAPI, "CreateApi", map[string]string{"GroupId": groupID, "ApiName": a.name, "Visibility": "PRIVATE",
		"AuthType": "ANONYMOUS", "ResultType": "JSON", "RequestConfig": string(req), "ServiceConfig": string(svcJSON),
		"DisableInternet": fmt.Sprint(a.disableInternet)}), "ApiId")
	if len(stages) == 0 {
		stages = []string{"RELEASE"}
	}
	for _, st := range stages {
		tn.call(versionCloudAPI, "DeployApi", map[string]string{"GroupId": groupID, "ApiId": id, "StageName": st, "Description": "e2e"})
	}
	return id
}

// networkURL runs `gatehouse network url` for srv's database and gateway.
func networkURL(t *testing.T, srv *gatehouse, args ...string) string {
	t.Helper()
	if srv == nil {
		srv = sharedServer()
	}
	out, err := exec.Command(env.bin, append([]string{"network", "url", "--db", srv.db, "--gateway-addr", srv.gateway}, args...)...).Output()
	if err != nil {
		t.Fatalf("gatehouse network url %v: %v", args, err)
	}
	return strings.TrimSpace(string(out))
}

// viaProxy is an HTTP client whose calls go through proxyURL, as
// HTTP_PROXY would send them.
func viaProxy(t *testing.T, proxyURL string) *http.Client {
	t.Helper()
	u, err := url.Parse(proxyURL)
	if err != nil {
		t.Fatalf("proxy URL %q: %v", proxyURL, err)
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: http.ProxyURL(u), MaxIdleConnsPerHost: 64}}
}

// straight is an HTTP client that calls the gateway directly, whatever the
// URL's host (what a caller on the Internet gets when the name resolves to
// API Gateway; curl --connect-to does the same).
func straight(srv *gatehouse) *http.Client {
	if srv == nil {
		srv = sharedServer()
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		Proxy:               nil,
		MaxIdleConnsPerHost: 64,
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, srv.gateway)
		},
	}}
}

// answer is what a call got.
type answer struct {
	status int
	header http.Header
	body   string
}

func (a answer) String() string {
	return fmt.Sprintf("%d (X-Ca-Error-Code %q, X-Gatehouse-Refused %q) %q", a.status, a.header.Get("X-Ca-Error-Code"), a.header.Get("X-Gatehouse-Refused"), a.body)
}

// send makes a call and reads its answer.
func send(t *testing.T, c *http.Client, method, rawURL string, header ...string) answer {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, rawURL, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read: %v", method, rawURL, err)
	}
	if resp.Header.Get("X-Ca-Request-Id") == "" {
		t.Errorf("%s %s: no X-Ca-Request-Id in %v", method, rawURL, resp.Header)
	}
	return answer{resp.StatusCode, resp.Header, string(body)}
}

// expectServed checks a call reached its API's backend.
func expectServed(t *testing.T, what string, a answer, body string) {
	t.Helper()
	if a.status != http.StatusOK || a.body != body || a.header.Get("X-Ca-Error-Code") != "" {
		t.Errorf("%s: %s, want 200 %q", what, a, body)
	}
}

// expectNetworkRefused checks the network refused a call by rule.
func expectNetworkRefused(t *testing.T, what string, a answer, rule string) {
	t.Helper()
	if a.status != http.StatusBadGateway || a.header.Get("X-Gatehouse-Refused") != rule || !strings.Contains(a.body, "("+rule+")") {
		t.Errorf("%s: %s, want 502 refused by %s", what, a, rule)
	}
}

// expectCode checks the gateway answered with a code of Alibaba's table.
func expectCode(t *testing.T, what string, a answer, status int, code string) {
	t.Helper()
	if a.status != status || a.header.Get("X-Ca-Error-Code") != code || a.header.Get("X-Ca-Error-Message") == "" {
		t.Errorf("%s: %s, want %d %s", what, a, status, code)
	}
}

// gatehouse is a running `gatehouse serve`: the shared one, or one a test
// starts with flags of its own.
type gatehouse struct {
	db, console, api, gateway string
	gatewayTLS                string
	cmd                       *exec.Cmd
	mu                        sync.Mutex
	log                       strings.Builder
	done                      chan struct{}
}

var shared struct {
	once sync.Once
	srv  *gatehouse
}

// sharedServer is the e2e run's server (TestMain's).
func sharedServer() *gatehouse {
	shared.once.Do(func() {
		shared.srv = &gatehouse{db: env.db, console: strings.TrimPrefix(env.baseURL, "http://"), api: strings.TrimPrefix(env.apiURL, "http://"),
			gateway: env.gateway, gatewayTLS: env.gatewayTLS}
	})
	return shared.srv
}

var listeningRE = regexp.MustCompile(`msg=listening server=([\w-]+) addr=(\S+)`)

// startGatehouse runs `gatehouse serve` on db (made if new) with extra
// flags, on free ports, and waits for its four addresses.
func startGatehouse(t *testing.T, db string, flags ...string) *gatehouse {
	t.Helper()
	if db == "" {
		db = filepath.Join(t.TempDir(), "own.db")
	}
	g := &gatehouse{db: db, done: make(chan struct{})}
	args := append([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--api-addr", "127.0.0.1:0", "--gateway-addr", "127.0.0.1:0", "--gateway-tls-addr", "127.0.0.1:0"}, flags...)
	g.cmd = exec.Command(env.bin, args...)
	stderr, err := g.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := g.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrs := make(chan [2]string, 4)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			g.mu.Lock()
			g.log.WriteString(sc.Text() + "\n")
			g.mu.Unlock()
			if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
				addrs <- [2]string{m[1], m[2]}
			}
		}
		g.cmd.Wait()
		close(g.done)
	}()
	t.Cleanup(func() {
		g.kill(syscall.SIGTERM)
		if t.Failed() {
			t.Logf("gatehouse serve's log:\n%s", g.logs())
		}
	})
	deadline := time.After(20 * time.Second)
	for g.console == "" || g.api == "" || g.gateway == "" || g.gatewayTLS == "" {
		select {
		case a := <-addrs:
			switch a[0] {
			case "console":
				g.console = a[1]
			case "openapi":
				g.api = a[1]
			case "gateway":
				g.gateway = a[1]
			case "gateway-tls":
				g.gatewayTLS = a[1]
			}
		case <-g.done:
			t.Fatalf("gatehouse serve exited:\n%s", g.logs())
		case <-deadline:
			t.Fatalf("gatehouse serve did not say where it listens:\n%s", g.logs())
		}
	}
	return g
}

func (g *gatehouse) logs() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.log.String()
}

// kill sends sig (SIGKILL: kill -9) and waits for the process to end.
func (g *gatehouse) kill(sig syscall.Signal) {
	select {
	case <-g.done:
		return
	default:
	}
	g.cmd.Process.Signal(sig)
	select {
	case <-g.done:
	case <-time.After(10 * time.Second):
		g.cmd.Process.Kill()
		<-g.done
	}
}

// newAccountOn is newAccount against another server's database.
func newAccountOn(t *testing.T, db, role string) account {
	t.Helper()
	if db == env.db {
		return newAccount(t, role)
	}
	accountSeq.Lock()
	accountSeq.n++
	n := accountSeq.n
	accountSeq.Unlock()
	a := account{Name: fmt.Sprintf("own%d", n), Login: fmt.Sprintf("own%d-%s", n, role), Password: fmt.Sprintf("pw-%d-correct-horse-battery", n)}
	cmd := exec.Command(env.bin, "user", "add", "--db", db, "--account", a.Name, "--name", a.Login, "--role", role)
	cmd.Stdin = strings.NewReader(a.Password + "\n")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gatehouse user add: %v\n%s", err, out)
	}
	return a
}
