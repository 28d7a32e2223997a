package main

import (
	"context"
	"log/slog"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"gatehouse/gateway"
	"gatehouse/rules"
	"gatehouse/store"
)

// `gatehouse network url` prints one proxy URL whose user names the
// network and whose password is its credential; mistakes are usage errors
// (2) and an unknown VPC a failure (1), with nothing on standard output.
func TestNetworkURL(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "net.db")
	st, err := store.OpenAndMigrate(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	acct, _, err := st.EnsureAccount(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	vpc, err := st.CreateVpc(ctx, store.Actor{AccountID: acct.ID, Name: "t", Source: rules.SourceCLI},
		rules.VpcInput{Name: "prod", RegionID: "cn-hangzhou", CIDR: "10.0.0.0/8"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := st.SecretKey(ctx, gateway.ProxyKeyName, gateway.ProxyKeySize)
	if err != nil {
		t.Fatal(err)
	}
	// The command works beside a process that holds the database open.
	defer st.Close()

	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--internet"}, "http://internet@127.0.0.1:8082"},
		{[]string{"--vpc", vpc.ID, "--gateway-addr", "127.0.0.1:9999"},
			"http://" + vpc.ID + ":" + gateway.Credential(key, gateway.Network{Kind: rules.CallerVpc, Vpc: &vpc}) + "@127.0.0.1:9999"},
		{[]string{"--vpc", vpc.ID, "--hybrid"},
			"http://hybrid." + vpc.ID + ":" + gateway.Credential(key, gateway.Network{Kind: rules.CallerHybrid, Vpc: &vpc}) + "@127.0.0.1:8082"},
	}
	for _, c := range cases {
		code, out, errOut := runCLI(t, "", append([]string{"network", "url", "--db", db}, c.args...)...)
		if code != 0 || out != c.want+"\n" {
			t.Errorf("%v: exit %d, stdout %q (stderr %s), want %q", c.args, code, out, errOut, c.want)
			continue
		}
		if _, err := url.Parse(strings.TrimSpace(out)); err != nil {
			t.Errorf("%v: %q is not a URL: %v", c.args, out, err)
		}
	}

	for _, c := range []struct {
		args []string
		code int
	}{
		{nil, exitUsage},
		{[]string{"--vpc", vpc.ID, "--internet"}, exitUsage},
		{[]string{"--internet", "--hybrid"}, exitUsage},
		{[]string{"--vpc", "not-a-vpc"}, exitUsage},
		{[]string{"--internet", "--gateway-addr", "nowhere"}, exitUsage},
		{[]string{"--vpc", "vpc-zzzzzzzzzzzzzzzzzzzzzz"}, exitFail},
	} {
		code, out, errOut := runCLI(t, "", append([]string{"network", "url", "--db", db}, c.args...)...)
		if code != c.code || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d and a message", c.args, code, out, errOut, c.code)
		}
	}
	if code, _, _ := runCLI(t, "", "network", "route"); code != exitUsage {
		t.Errorf("network route: exit %d, want 2", code)
	}
}

func TestServeRefusesABadBackendAllowList(t *testing.T) {
	code, _, errOut := runCLI(t, "", "serve", "--db", filepath.Join(t.TempDir(), "x.db"), "--backend-allow", "10.0.0.0/33")
	if code != exitUsage || !strings.Contains(errOut, "backend-allow") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// A server's log keeps its warnings, and writes the TLS handshakes
// clients fail as debug lines only.
func TestServerLogQuietsClientsHandshakes(t *testing.T) {
	var buf strings.Builder
	l := serverLog(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	l.Print("http: TLS handshake error from 127.0.0.1:5555: tls: client offered only unsupported versions")
	l.Print("http: panic serving 127.0.0.1:5555: boom")
	out := buf.String()
	if strings.Contains(out, "handshake") || !strings.Contains(out, "level=WARN") || !strings.Contains(out, "panic serving") {
		t.Errorf("log:\n%s", out)
	}
}
