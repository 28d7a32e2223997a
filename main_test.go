package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"gatehouse/rules"
	"gatehouse/store"
)

// runCLI runs the command line in-process and returns its exit code and
// what it wrote to each stream.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	log := slog.New(slog.NewTextHandler(&errOut, nil))
	code := run(args, strings.NewReader(stdin), &out, &errOut, log)
	return code, out.String(), errOut.String()
}

func TestHelpForEveryCommand(t *testing.T) {
	cases := [][]string{
		{"--help"}, {"serve", "--help"}, {"migrate", "--help"}, {"demo", "--help"},
		{"user", "add", "--help"}, {"user", "passwd", "--help"}, {"user", "remove", "--help"}, {"accesskey", "create", "--help"}, {"user", "--help"}, {"accesskey", "--help"},
		{"network", "--help"}, {"network", "url", "--help"}, {"ca", "--help"},
	}
	for _, args := range cases {
		code, out, _ := runCLI(t, "", args...)
		if code != 0 || !strings.Contains(out, "gatehouse") {
			t.Errorf("gatehouse %s: exit %d, stdout %q", strings.Join(args, " "), code, out)
		}
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command: exit %d, want 2", code)
	}
	if code, _, errOut := runCLI(t, "", "serve", "--port", "1"); code != 2 || !strings.Contains(errOut, "-port") {
		t.Errorf("unknown flag: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCLI(t, ""); code != 2 {
		t.Errorf("no command: exit %d, want 2", code)
	}
}

// The scripted bootstrap: migrate, demo, user add with the password on
// standard input, accesskey create printing exactly one JSON object.
func TestCommandLineContract(t *testing.T) {
	db := filepath.Join(t.TempDir(), "cli.db")
	for i := 0; i < 2; i++ {
		if code, out, errOut := runCLI(t, "", "migrate", "--db", db); code != 0 || out != "" {
			t.Fatalf("migrate #%d: exit %d, stdout %q, stderr %s", i+1, code, out, errOut)
		}
	}
	code, out, _ := runCLI(t, "", "demo", "--db", db)
	if code != 0 || !strings.Contains(out, "password") {
		t.Fatalf("demo: exit %d, stdout %q", code, out)
	}
	if code, out, _ := runCLI(t, "", "demo", "--db", db); code != 0 || out != "" {
		t.Errorf("second demo: exit %d, stdout %q (the password is shown once)", code, out)
	}

	// The newline (LF or CRLF) is not part of the password.
	if code, _, errOut := runCLI(t, "pass-word-1234\r\n", "user", "add", "--db", db, "--account", "acme", "--name", "ops", "--role", "operator"); code != 0 {
		t.Fatalf("user add: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "user", "add", "--db", db, "--account", "acme", "--name", "nopw"); code == 0 || !strings.Contains(errOut, "password") {
		t.Errorf("user add without a password: exit %d, stderr %q", code, errOut)
	}
	if code, _, _ := runCLI(t, "pass-word-1234\n", "user", "add", "--db", db, "--account", "acme", "--name", "ops2", "--role", "root"); code == 0 {
		t.Errorf("user add with an unknown role succeeded")
	}
	if code, _, _ := runCLI(t, "pass-word-1234\n", "user", "add", "--db", db, "--account", "acme", "--name", "ops"); code == 0 {
		t.Errorf("a second user with the same login succeeded")
	}

	code, out, errOut := runCLI(t, "", "accesskey", "create", "--db", db, "--user", "ops")
	if code != 0 {
		t.Fatalf("accesskey create: exit %d: %s", code, errOut)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	var key struct{ AccessKeyId, AccessKeySecret string }
	if err := dec.Decode(&key); err != nil {
		t.Fatalf("accesskey create output %q: %v", out, err)
	}
	if dec.More() || strings.Count(out, "\n") != 1 {
		t.Errorf("accesskey create printed more than one object: %q", out)
	}
	if !regexp.MustCompile(`^LTAI[A-Za-z0-9]{20}$`).MatchString(key.AccessKeyId) || !regexp.MustCompile(`^[A-Za-z0-9]{30}$`).MatchString(key.AccessKeySecret) {
		t.Errorf("key format: %+v", key)
	}
	if code, out, _ := runCLI(t, "", "accesskey", "create", "--db", db, "--user", "ghost"); code == 0 || out != "" {
		t.Errorf("accesskey create for an unknown user: exit %d, stdout %q", code, out)
	}
	if code, _, _ := runCLI(t, "", "demo", "--db", db, "--groups", "-5"); code != 2 {
		t.Errorf("demo --groups -5: exit %d, want 2", code)
	}
	for _, args := range [][]string{{"--apis-per-group", "2"}, {"--groups", "3", "--apis-per-group", "-1"}} {
		if code, _, _ := runCLI(t, "", append([]string{"demo", "--db", db}, args...)...); code != 2 {
			t.Errorf("demo %v: exit %d, want 2", args, code)
		}
	}
	if code, _, stderr := runCLI(t, "", "demo", "--db", db, "--groups", "30", "--account", "bulk", "--apis-per-group", "3"); code != 0 {
		t.Fatalf("demo --groups 30 --apis-per-group 3: exit %d: %s", code, stderr)
	}
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	bulk, err := st.AccountByName(context.Background(), "bulk")
	if err != nil {
		t.Fatal(err)
	}
	page, err := st.ListAPIs(context.Background(), bulk.ID, store.APIQuery{})
	if err != nil || page.Total != 90 {
		t.Fatalf("demo --apis-per-group 3 made %d APIs (%v), want 90", page.Total, err)
	}
	if page, err := st.ListAPIs(context.Background(), bulk.ID, store.APIQuery{Stage: rules.StageRelease}); err != nil || page.Total != 30 {
		t.Fatalf("%d APIs deployed to RELEASE (%v), want 30", page.Total, err)
	}
}

// TestServeChild is not a test: it is the server process of
// TestServeShutsDownOnSIGTERM, re-executed from the test binary.
func TestServeChild(t *testing.T) {
	db := os.Getenv("GATEHOUSE_SERVE_CHILD_DB")
	if db == "" {
		t.Skip("helper process")
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	os.Exit(run([]string{"serve", "--db", db, "--addr", "127.0.0.1:0", "--api-addr", "127.0.0.1:0", "--gateway-addr", "127.0.0.1:0", "--gateway-tls-addr", "127.0.0.1:0"}, os.Stdin, os.Stdout, os.Stderr, log))
}

// startServeChild starts `gatehouse serve` on db, on free ports, in a
// child process, and returns it with its bound addresses by server name.
func startServeChild(t *testing.T, db string) (*exec.Cmd, map[string]string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
	cmd.Env = append(os.Environ(), "GATEHOUSE_SERVE_CHILD_DB="+db)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	addrs := map[string]string{}
	sc := bufio.NewScanner(stderr)
	listen := regexp.MustCompile(`msg=listening server=([\w-]+) addr=(127\.0\.0\.1:\d+)`)
	for len(addrs) < 4 && sc.Scan() {
		if m := listen.FindStringSubmatch(sc.Text()); m != nil {
			addrs[m[1]] = m[2]
		}
	}
	go io.Copy(io.Discard, stderr) //nolint:errcheck // drain the log
	if addrs["console"] == "" || addrs["openapi"] == "" || addrs["gateway"] == "" || addrs["gateway-tls"] == "" ||
		strings.HasSuffix(addrs["console"], ":0") || strings.HasSuffix(addrs["gateway"], ":0") || strings.HasSuffix(addrs["gateway-tls"], ":0") {
		cmd.Process.Kill()
		t.Fatalf("bound addresses not logged: %v", addrs)
	}
	return cmd, addrs
}

// stopServeChild sends SIGTERM and waits: the server exits 0 within 5 s.
func stopServeChild(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit after SIGTERM: %v, want status 0", err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("shutdown took %v", d)
		}
	case <-time.After(6 * time.Second):
		cmd.Process.Kill()
		t.Fatal("still running 6 s after SIGTERM")
	}
}

// serve on port 0 logs its four bound addresses, answers /healthz and
// gateway calls, over HTTP and HTTPS, and exits 0 within 5 s of SIGTERM.
func TestServeShutsDownOnSIGTERM(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	cmd, addrs := startServeChild(t, db)
	resp, err := httpGet("http://" + addrs["console"] + "/healthz")
	if err != nil || resp != "ok\n" {
		t.Errorf("healthz: %q %v", resp, err)
	}
	if resp, err := httpGet("http://" + addrs["gateway"] + "/"); err != nil || !strings.Contains(resp, "Invalid Domain") {
		t.Errorf("gateway: %q %v", resp, err)
	}
	if resp, err := httpsGet(t, addrs["gateway-tls"], caOf(t, db), "https://"+rules.PublicDomain("0123456789abcdef0123456789abcdef", "cn-hangzhou")+"/"); err != nil || !strings.Contains(resp, "Invalid Domain") {
		t.Errorf("gateway over HTTPS: %q %v", resp, err)
	}
	stopServeChild(t, cmd)
}

// One serve per database: a second serve on the same file exits at once,
// non-zero, naming the first by its addresses; the first keeps serving,
// and the other commands keep working beside it. Once the first has
// stopped, a new serve starts.
func TestSecondServeOnOneDatabaseIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "serve.db")
	first, addrs := startServeChild(t, db)

	second := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
	second.Env = append(os.Environ(), "GATEHOUSE_SERVE_CHILD_DB="+db)
	var errOut bytes.Buffer
	second.Stderr = &errOut
	if err := second.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- second.Wait() }()
	select {
	case err := <-done:
		var exit *exec.ExitError
		if !errors.As(err, &exit) || exit.ExitCode() != exitFail {
			t.Errorf("second serve: %v, want exit status %d", err, exitFail)
		}
	case <-time.After(10 * time.Second):
		second.Process.Kill()
		t.Fatal("a second serve on the same database is still running after 10 s")
	}
	msg := errOut.String()
	for _, want := range []string{"already served", db, "http://" + addrs["console"] + "/", "http://" + addrs["openapi"] + "/", "pid " + strconv.Itoa(first.Process.Pid)} {
		if !strings.Contains(msg, want) {
			t.Errorf("the refusal does not say %q:\n%s", want, msg)
		}
	}
	if strings.Contains(msg, "msg=listening") {
		t.Errorf("the second serve listened:\n%s", msg)
	}

	if resp, err := httpGet("http://" + addrs["console"] + "/healthz"); err != nil || resp != "ok\n" {
		t.Errorf("the first serve stopped answering: %q %v", resp, err)
	}
	if code, _, errOut := runCLI(t, "a-long-password-1\n", "user", "add", "--db", db, "--account", "acme", "--name", "ops"); code != 0 {
		t.Errorf("user add beside a running serve: exit %d: %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "", "user", "passwd", "--db", db, "--name", "ops", "--generate"); code != 0 {
		t.Errorf("user passwd beside a running serve: exit %d: %s", code, errOut)
	}
	stopServeChild(t, first)

	again, _ := startServeChild(t, db)
	stopServeChild(t, again)
}

func httpGet(url string) (string, error) {
	c := http.Client{Timeout: 5 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// caOf is the pool of the CA `gatehouse ca` prints for db.
func caOf(t *testing.T, db string) *x509.CertPool {
	t.Helper()
	code, out, errOut := runCLI(t, "", "ca", "--db", db)
	if code != 0 {
		t.Fatalf("gatehouse ca: exit %d: %s", code, errOut)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM([]byte(out)) {
		t.Fatalf("gatehouse ca printed no certificate: %q", out)
	}
	return pool
}

// httpsGet calls rawURL on the TLS listener at addr, trusting roots only.
func httpsGet(t *testing.T, addr string, roots *x509.CertPool, rawURL string) (string, error) {
	t.Helper()
	d := &net.Dialer{Timeout: 5 * time.Second}
	c := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots},
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
	resp, err := c.Get(rawURL)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// `gatehouse ca` prints the CA's certificate and nothing else, the same
// one every time and beside a running serve (which made it, or finds it);
// the CA's file is mode 0600.
func TestCACommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ca.db")
	code, first, errOut := runCLI(t, "", "ca", "--db", db)
	if code != 0 || !strings.HasPrefix(first, "-----BEGIN CERTIFICATE-----\n") || strings.Count(first, "-----BEGIN") != 1 || strings.Contains(first, "PRIVATE") {
		t.Fatalf("ca: exit %d, stdout %q, stderr %s", code, first, errOut)
	}
	info, err := os.Stat(db + ".ca-key.pem")
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("the CA's file has mode %v, want 0600", info.Mode().Perm())
	}
	cmd, addrs := startServeChild(t, db)
	if code, again, _ := runCLI(t, "", "ca", "--db", db); code != 0 || again != first {
		t.Errorf("ca beside serve: exit %d, a different certificate: %v", code, again != first)
	}
	if _, err := httpsGet(t, addrs["gateway-tls"], caOf(t, db), "https://"+rules.PublicDomain("0123456789abcdef0123456789abcdef", "cn-hangzhou")+"/"); err != nil {
		t.Errorf("serve's certificates do not verify against the printed CA: %v", err)
	}
	stopServeChild(t, cmd)
	for _, args := range [][]string{{"ca", "--db", db, "extra"}, {"ca", "--pem"}} {
		if code, out, errOut := runCLI(t, "", args...); code != exitUsage || out != "" || errOut == "" {
			t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
		}
	}
	if err := os.WriteFile(db+".ca-key.pem", []byte("not a CA"), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCLI(t, "", "ca", "--db", db); code != exitFail || out != "" || !strings.Contains(errOut, "certificate authority") {
		t.Errorf("a broken CA file: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestTLSClientChild is not a test: it is the client process of
// TestSSLCertFileIsEnoughForGoClients, a Go client with the default
// trusted roots, re-executed from the test binary.
func TestTLSClientChild(t *testing.T) {
	addr, target := os.Getenv("GATEHOUSE_TLS_CHILD_ADDR"), os.Getenv("GATEHOUSE_TLS_CHILD_URL")
	if addr == "" {
		t.Skip("helper process")
	}
	d := &net.Dialer{Timeout: 5 * time.Second}
	c := http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
	resp, err := c.Get(target)
	if err != nil {
		os.Stdout.WriteString("error: " + err.Error() + "\n")
		os.Exit(1)
	}
	resp.Body.Close()
	os.Stdout.WriteString("status " + strconv.Itoa(resp.StatusCode) + "\n")
	os.Exit(0)
}

// A Go client trusts the gateway's certificates with SSL_CERT_FILE set to
// what `gatehouse ca` prints, and nothing else; without it, it does not.
func TestSSLCertFileIsEnoughForGoClients(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "tls.db")
	cmd, addrs := startServeChild(t, db)
	defer stopServeChild(t, cmd)
	code, caPEM, _ := runCLI(t, "", "ca", "--db", db)
	if code != 0 {
		t.Fatal("gatehouse ca failed")
	}
	caFile := filepath.Join(dir, "gatehouse-ca.pem")
	if err := os.WriteFile(caFile, []byte(caPEM), 0o644); err != nil {
		t.Fatal(err)
	}
	client := func(env ...string) string {
		c := exec.Command(os.Args[0], "-test.run=^TestTLSClientChild$")
		c.Env = append(os.Environ(), append([]string{"GATEHOUSE_TLS_CHILD_ADDR=" + addrs["gateway-tls"],
			"GATEHOUSE_TLS_CHILD_URL=https://" + rules.PublicDomain("0123456789abcdef0123456789abcdef", "cn-hangzhou") + "/",
			"SSL_CERT_DIR=" + t.TempDir()}, env...)...)
		out, _ := c.Output()
		return strings.TrimSpace(string(out))
	}
	if got := client("SSL_CERT_FILE=" + caFile); got != "status 404" {
		t.Errorf("with SSL_CERT_FILE: %q, want the gateway's 404 (I404DO)", got)
	}
	if got := client("SSL_CERT_FILE=" + filepath.Join(dir, "none.pem")); !strings.Contains(got, "certificate") {
		t.Errorf("without the CA: %q, want a certificate error", got)
	}
}
