//go:build e2e

// Package e2e drives the real gatehouse binary with Playwright in Debian's
// Chromium. `make e2e` builds the binary, lays out the driver from the npm
// registry and runs these tests; nothing here downloads anything.
package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"
)

// env is the one server and browser every test shares.
var env struct {
	bin        string
	dir        string // temporary folder: database, logs
	db         string
	baseURL    string
	apiURL     string
	gateway    string // the gateway's host:port
	gatewayTLS string // the gateway's HTTPS listener's host:port
	pw         *playwright.Playwright
	browser    playwright.Browser
	shotsDir   string
	serverLog  *syncBuffer
	// demoPassword is the demo account's admin password (login "admin").
	demoPassword string
}

func TestMain(m *testing.M) {
	code, err := setup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e setup:", err)
		os.Exit(1)
	}
	if code == 0 {
		code = m.Run()
		// The run's record: every page of every test was watched.
		errs, csp := tally.consoleErrors.Load(), tally.cspViolations.Load()
		fmt.Printf("e2e: %d browser console errors, %d CSP violations\n", errs, csp)
		if errs+csp > 0 && code == 0 {
			code = 1
		}
	}
	teardown()
	os.Exit(code)
}

var server *exec.Cmd

func setup() (int, error) {
	env.bin = os.Getenv("GATEHOUSE_BIN")
	if env.bin == "" {
		return 1, fmt.Errorf("GATEHOUSE_BIN is not set: run the e2e tests with 'make e2e'")
	}
	dir, err := os.MkdirTemp("", "gatehouse-e2e-")
	if err != nil {
		return 1, err
	}
	env.dir = dir
	env.db = filepath.Join(dir, "e2e.db")
	env.shotsDir, _ = filepath.Abs("screenshots")
	if err := os.MkdirAll(env.shotsDir, 0o755); err != nil {
		return 1, err
	}
	if out, err := exec.Command(env.bin, "migrate", "--db", env.db).CombinedOutput(); err != nil {
		return 1, fmt.Errorf("migrate: %v\n%s", err, out)
	}
	// The demo account gives the screenshots and the accessibility scans a
	// realistic console; its admin's password is printed once.
	out, err := exec.Command(env.bin, "demo", "--db", env.db).Output()
	if err != nil {
		return 1, fmt.Errorf("demo: %v", err)
	}
	m := regexp.MustCompile(`password (\S+)`).FindSubmatch(out)
	if m == nil {
		return 1, fmt.Errorf("demo printed no admin password: %q", out)
	}
	env.demoPassword = string(m[1])
	if err := startServer(); err != nil {
		return 1, err
	}

	driver := os.Getenv("PLAYWRIGHT_DRIVER_PATH")
	if driver == "" {
		return 1, fmt.Errorf("PLAYWRIGHT_DRIVER_PATH is not set: run the e2e tests with 'make e2e'")
	}
	pw, err := playwright.Run(&playwright.RunOptions{DriverDirectory: driver, SkipInstallBrowsers: true, Verbose: false})
	if err != nil {
		return 1, fmt.Errorf("start playwright driver in %s: %w", driver, err)
	}
	env.pw = pw
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	env.browser, err = pw.Chromium.Launch(playwright.BrowserTypeLaunchOptions{
		ExecutablePath: playwright.String(chromium),
		Headless:       playwright.Bool(true),
		Args: []string{"--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
			"--disable-background-networking", "--disable-component-update",
			"--disable-sync", "--no-first-run", "--disable-quic"},
	})
	if err != nil {
		return 1, fmt.Errorf("launch %s: %w", chromium, err)
	}
	fmt.Printf("e2e: Chromium %s at %s, console %s\n", env.browser.Version(), chromium, env.baseURL)
	return 0, nil
}

var listenRE = regexp.MustCompile(`server=([\w-]+) addr=(\S+)`)

// startServer runs `gatehouse serve` on free ports and waits until its
// four addresses are logged and /healthz answers.
func startServer() error {
	server = exec.Command(env.bin, "serve", "--db", env.db, "--addr", "127.0.0.1:0", "--api-addr", "127.0.0.1:0", "--gateway-addr", "127.0.0.1:0", "--gateway-tls-addr", "127.0.0.1:0")
	stderr, err := server.StderrPipe()
	if err != nil {
		return err
	}
	if err := server.Start(); err != nil {
		return err
	}
	env.serverLog = &syncBuffer{}
	addrs := make(chan [2]string, 4)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			env.serverLog.WriteString(line + "\n")
			if m := listenRE.FindStringSubmatch(line); m != nil {
				addrs <- [2]string{m[1], m[2]}
			}
		}
	}()
	deadline := time.After(15 * time.Second)
	for env.baseURL == "" || env.apiURL == "" || env.gateway == "" || env.gatewayTLS == "" {
		select {
		case a := <-addrs:
			switch a[0] {
			case "console":
				env.baseURL = "http://" + a[1]
			case "openapi":
				env.apiURL = "http://" + a[1]
			case "gateway":
				env.gateway = a[1]
			case "gateway-tls":
				env.gatewayTLS = a[1]
			}
		case <-deadline:
			return fmt.Errorf("server did not log its addresses in 15s:\n%s", env.serverLog.String())
		}
	}
	for i := 0; i < 100; i++ {
		resp, err := http.Get(env.baseURL + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("server not healthy:\n%s", env.serverLog.String())
}

func teardown() {
	if env.browser != nil {
		env.browser.Close()
	}
	if env.pw != nil {
		env.pw.Stop()
	}
	if server != nil && server.Process != nil {
		server.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- server.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			server.Process.Kill()
		}
	}
	if env.dir != "" {
		os.RemoveAll(env.dir)
	}
}

// syncBuffer collects the server's log for failure messages.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) WriteString(v string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.b.WriteString(v)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
