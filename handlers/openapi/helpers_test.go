package openapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/responses"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/cloudapi"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"gatehouse/handlers/openapi"
	"gatehouse/rules"
	"gatehouse/store"
)

const testPassword = "correct-horse-battery-staple"

// key is an access key and its secret.
type key struct{ id, secret string }

// world is a store with two accounts: acme (an admin and a viewer) and
// rival (an admin), each user with an access key.
type world struct {
	st            *store.Store
	acme, rival   string // account ids
	admin, viewer key    // acme's
	rivalAdmin    key
}

func newWorld(t testing.TB) *world {
	t.Helper()
	ctx := context.Background()
	st, err := store.OpenAndMigrate(ctx, filepath.Join(t.TempDir(), "gatehouse.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &world{st: st}
	for _, u := range []struct {
		account, login string
		role           rules.Role
		k              *key
	}{
		{"acme", "alice", rules.RoleAdmin, &w.admin},
		{"acme", "victor", rules.RoleViewer, &w.viewer},
		{"rival", "rita", rules.RoleAdmin, &w.rivalAdmin},
	} {
		if _, err := st.AddUser(ctx, u.account, u.login, u.role, testPassword); err != nil {
			t.Fatal(err)
		}
		ak, secret, err := st.CreateAccessKeyForLogin(ctx, rules.SourceCLI, u.login)
		if err != nil {
			t.Fatal(err)
		}
		*u.k = key{ak.ID, secret}
	}
	for name, id := range map[string]*string{"acme": &w.acme, "rival": &w.rival} {
		a, err := st.AccountByName(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		*id = a.ID
	}
	return w
}

// clock is a settable clock for the endpoint.
type clock struct{ skew atomic.Int64 }

func (c *clock) now() time.Time       { return time.Now().Add(time.Duration(c.skew.Load())) }
func (c *clock) move(d time.Duration) { c.skew.Store(int64(d)) }
func (w *world) serve(t *testing.T, opts openapi.Options) string {
	t.Helper()
	srv := httptest.NewServer(openapi.New(w.st, nil, opts))
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

// clients are the SDK's clients of one access key, pointed at an endpoint.
type clients struct {
	t    *testing.T
	addr string
	api  *cloudapi.Client
	vpc  *vpc.Client
	sdk  *sdk.Client
}

func newClients(t *testing.T, addr string, k key) *clients {
	t.Helper()
	c := &clients{t: t, addr: addr}
	var err error
	if c.api, err = cloudapi.NewClientWithAccessKey("cn-hangzhou", k.id, k.secret); err != nil {
		t.Fatal(err)
	}
	if c.vpc, err = vpc.NewClientWithAccessKey("cn-hangzhou", k.id, k.secret); err != nil {
		t.Fatal(err)
	}
	if c.sdk, err = sdk.NewClientWithAccessKey("cn-hangzhou", k.id, k.secret); err != nil {
		t.Fatal(err)
	}
	return c
}

// at points an SDK request at the endpoint: only Domain and Scheme are set.
func (c *clients) at(r requests.AcsRequest) {
	r.SetDomain(c.addr)
	r.SetScheme("http")
}

// common calls an action the SDK lacks through its CommonRequest and
// decodes the JSON answer into out (when not nil).
func (c *clients) common(version, action string, params map[string]string, out any) error {
	r := requests.NewCommonRequest()
	r.Method = "POST"
	r.Domain = c.addr
	r.Scheme = "http"
	r.Version = version
	r.ApiName = action
	for k, v := range params {
		r.QueryParams[k] = v
	}
	res, err := c.sdk.ProcessCommonRequest(r)
	if err != nil {
		return err
	}
	if out != nil {
		return json.Unmarshal(res.GetHttpContentBytes(), out)
	}
	return nil
}

// must fails the test on an error.
func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// refused checks that err is the SDK's ServerError with code and status.
func refused(t *testing.T, what string, err error, code string, status int) *sdkerrors.ServerError {
	t.Helper()
	var se *sdkerrors.ServerError
	if !errors.As(err, &se) {
		t.Fatalf("%s: got %v, want a ServerError %s", what, err, code)
	}
	if se.ErrorCode() != code || se.HttpStatus() != status {
		t.Fatalf("%s: got %s (HTTP %d): %s; want %s (HTTP %d)", what, se.ErrorCode(), se.HttpStatus(), se.Message(), code, status)
	}
	if se.RequestId() == "" {
		t.Errorf("%s: the error has no RequestId", what)
	}
	return se
}

// strictly decodes an SDK response's raw JSON body into a fresh value of
// its response type with encoding/json, which (unlike the SDK's lenient
// decoder) fails on a number where a string is expected and the other way
// round: the fields are typed as the SDK's structs declare them.
func strictly(t *testing.T, res responses.AcsResponse, into any) {
	t.Helper()
	if err := json.Unmarshal(res.GetHttpContentBytes(), into); err != nil {
		t.Fatalf("response %s does not decode strictly into %T: %v", res.GetHttpContentString(), into, err)
	}
}

var _ = (*clock).move
