// Command load is Gatehouse's load run, the second half of `make bench`.
//
// It generates two databases with the gatehouse binary (the logged-in
// account with 100,000 groups and 2 APIs in each, and with 1,000, each
// beside other accounts' groups), starts `gatehouse serve` on each and, beside it, the bare Echo
// handler of ./bare (the machine's limit: what loopback TCP, net/http, Echo
// and this load generator cost before Gatehouse does anything). Then it
// drives each scenario for a fixed time, in rounds taken in turn with the
// others and the bare handler, with a fixed number of concurrent clients
// that make requests as a browser does (session cookie, CSRF token,
// Accept-Encoding: gzip, br) or as the SDK does (signed
// DescribeApiGroups and DescribeApis), and prints a table of requests a second, p50 and p99
// latency and errors, absolute and as a ratio to the bare handler, with the
// server's peak RSS, the database size and the server's start-up time. With
// -out it writes the table into that Markdown file, between its
// "load-run" markers.
//
// Everything runs on loopback; every phase is bounded in time and in
// requests, and the whole run stops by itself (-timeout). The exit status
// is 1 when a budget is not met.
package main

import (
	"context"
	"crypto/tls"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"syscall"
	"time"
)

type config struct {
	gatehouse, bare string
	clients         int
	duration, warm  time.Duration
	maxRequests     int64
	groups, small   int
	out             string
	keep            bool
	timeout         time.Duration
	only            string
	cpuProfile      string
	rounds          int
}

func main() {
	var cfg config
	flag.StringVar(&cfg.gatehouse, "gatehouse", "bin/gatehouse", "the gatehouse binary")
	flag.StringVar(&cfg.bare, "bare", "bin/gatehouse-bare", "the bare handler's binary (go build ./e2e/load/bare)")
	flag.IntVar(&cfg.clients, "clients", 32, "concurrent clients")
	flag.DurationVar(&cfg.duration, "duration", 10*time.Second, "measured time of each scenario, over all rounds")
	flag.IntVar(&cfg.rounds, "rounds", 5, "rounds: every scenario runs duration/rounds in turn, this many times")
	flag.DurationVar(&cfg.warm, "warmup", 2*time.Second, "unrecorded warm-up before each scenario")
	flag.Int64Var(&cfg.maxRequests, "max-requests", 2_000_000, "at most this many requests in each phase")
	flag.IntVar(&cfg.groups, "groups", 100_000, "groups of the logged-in account in the large database")
	flag.IntVar(&cfg.small, "small-groups", 1_000, "groups of the logged-in account in the small database")
	flag.StringVar(&cfg.out, "out", "", "Markdown file to write the table into (between its load-run markers)")
	flag.BoolVar(&cfg.keep, "keep", false, "keep the working directory (databases, server logs)")
	flag.DurationVar(&cfg.timeout, "timeout", 8*time.Minute, "stop everything after this long")
	flag.StringVar(&cfg.only, "only", "", "run only the scenarios whose name contains this (bare is always run)")
	flag.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write the load generator's own CPU profile to this file")
	flag.Parse()
	if cfg.clients < 1 || cfg.duration <= 0 || cfg.rounds < 1 || cfg.maxRequests < 1 || cfg.groups < 1 || cfg.small < 1 {
		fmt.Fprintln(os.Stderr, "load: -clients, -duration, -rounds, -max-requests, -groups and -small-groups must be positive")
		os.Exit(2)
	}
	os.Exit(runMain(cfg))
}

func runMain(cfg config) int {
	if cfg.cpuProfile != "" {
		f, err := os.Create(cfg.cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "load:", err)
			return 1
		}
		defer f.Close()
		defer pprof.StopCPUProfile()
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	ok, err := loadRun(ctx, cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		return 1
	}
	if !ok {
		fmt.Fprintln(os.Stderr, "load: a budget is not met (see the table)")
		return 1
	}
	return 0
}

// report is everything one load run measured.
type report struct {
	cfg        config
	env        environment
	started    time.Time
	big, small *database
	bare       result
	rows       []row
	bigStarts  []*server // the start-up measurements on the large database
	smallStart *server
	peakRSS    int64
	bareRSS    int64
}

// row is a scenario's result and the database it ran on.
type row struct {
	result
	db *database
}

// target is a scenario on its server, with its clients and its tally.
type target struct {
	test
	srv    *server
	ws     []*worker
	db     *database // nil for the bare handler
	sample sample
	tally  tally
}

func loadRun(ctx context.Context, cfg config) (bool, error) {
	rep := &report{cfg: cfg, env: readEnvironment(), started: time.Now()}
	for _, p := range []*string{&cfg.gatehouse, &cfg.bare} {
		abs, err := filepath.Abs(*p)
		if err != nil {
			return false, err
		}
		*p = abs
	}
	dir, err := os.MkdirTemp("", "gatehouse-load-")
	if err != nil {
		return false, err
	}
	if cfg.keep {
		fmt.Fprintln(os.Stderr, "load: working directory", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	step("generating the databases")
	if rep.big, err = prepareDB(ctx, cfg.gatehouse, dir, "large", cfg.groups, cfg.clients); err != nil {
		return false, err
	}
	if rep.small, err = prepareDB(ctx, cfg.gatehouse, dir, "small", cfg.small, cfg.clients); err != nil {
		return false, err
	}

	bare, err := startServer(ctx, "bare", filepath.Join(dir, "bare.log"), cfg.bare, "--addr", "127.0.0.1:0")
	if err != nil {
		return false, err
	}
	defer bare.stop()
	if err := loopbackOnly(bare.addrs["bare"]); err != nil {
		return false, err
	}
	// The large database: start-up measured three times; the last server
	// stays up for the load. The small database's server runs beside it.
	var big *server
	for i := range 3 {
		step(fmt.Sprintf("starting gatehouse serve on %s groups (%d/3)", thousands(cfg.groups), i+1))
		if big, err = startGatehouse(ctx, cfg, dir, rep.big, i); err != nil {
			return false, err
		}
		defer big.stop()
		rep.bigStarts = append(rep.bigStarts, big)
		if i < 2 {
			big.stop()
		}
	}
	step(fmt.Sprintf("starting gatehouse serve on %s groups", thousands(cfg.small)))
	small, err := startGatehouse(ctx, cfg, dir, rep.small, 3)
	if err != nil {
		return false, err
	}
	defer small.stop()
	rep.smallStart = small

	step(fmt.Sprintf("logging %d clients in on each server", cfg.clients))
	bigWs, err := loginAll(big.addrs["console"], rep.big, cfg.clients)
	if err != nil {
		return false, err
	}
	defer closeAll(bigWs)
	smallWs, err := loginAll(small.addrs["console"], rep.small, cfg.clients)
	if err != nil {
		return false, err
	}
	defer closeAll(smallWs)

	step("setting up the gateway's APIs")
	fx, err := setupGateway(ctx, cfg, rep.big, big, bare.addrs["bare"])
	if err != nil {
		return false, err
	}
	targets := []*target{{test: bareScenario(), srv: bare}}
	for _, t := range append(bigScenarios(rep.big, big), gatewayScenarios(fx)...) {
		targets = append(targets, &target{test: t, srv: big, db: rep.big})
	}
	for _, t := range listScenarios(rep.small) {
		targets = append(targets, &target{test: t, srv: small, db: rep.small})
	}
	targets = slices.DeleteFunc(targets, func(t *target) bool {
		return t.db != nil && cfg.only != "" && !containsFold(t.name, cfg.only)
	})
	for _, t := range targets {
		switch {
		case t.db == nil:
			t.ws = onServer(bigWs, bare.addrs["bare"], nil)
		case t.addr != "":
			t.ws = onServer(bigWs, t.addr, t.tls)
		case t.db == rep.small:
			t.ws = smallWs
		default:
			t.ws = bigWs
		}
		if t.db == nil || t.addr != "" {
			defer closeAll(t.ws)
		}
	}

	// Each scenario is checked and warmed up, then every scenario runs in
	// turn, round after round: whatever else the machine does during the
	// run falls on all of them alike, the bare handler included.
	for _, t := range targets {
		step("checking and warming up: " + t.label())
		if t.setup != nil {
			t.setup(t.ws)
		}
		if t.sample, err = t.check(t.ws[0]); err != nil {
			return false, fmt.Errorf("%s: %w", t.label(), err)
		}
		if cfg.warm > 0 {
			run(ctx, t.scenario, t.ws, cfg.warm, cfg.maxRequests)
		}
	}
	perRound := cfg.duration / time.Duration(cfg.rounds)
	for r := range cfg.rounds {
		step(fmt.Sprintf("round %d/%d, %v per scenario", r+1, cfg.rounds, perRound))
		for _, t := range targets {
			if err := t.tally.round(ctx, t.scenario, t.srv, t.ws, perRound, cfg.maxRequests); err != nil {
				return false, fmt.Errorf("%s: %w", t.label(), err)
			}
		}
	}
	for _, t := range targets {
		res := t.tally.result(t.name, t.sample)
		fmt.Fprintf(os.Stderr, "load:   %-48s %7.0f req/s, p50 %v, p99 %v, %d errors, server %.0f µs/req\n",
			t.label(), res.rps, res.p50.Round(time.Microsecond), res.p99.Round(time.Microsecond), res.errors, res.serverCPU)
		if t.db == nil {
			rep.bare = res
		} else {
			rep.rows = append(rep.rows, row{res, t.db})
		}
	}
	if rep.peakRSS, err = big.peakRSS(); err != nil {
		return false, err
	}
	if rep.bareRSS, err = bare.peakRSS(); err != nil {
		return false, err
	}

	text, allMet := rep.markdown()
	fmt.Println()
	fmt.Println(text)
	if cfg.out != "" {
		if err := writeSection(cfg.out, text); err != nil {
			return allMet, err
		}
		fmt.Fprintln(os.Stderr, "load: wrote", cfg.out)
	}
	return allMet, nil
}

func (t *target) label() string {
	if t.db == nil {
		return t.name
	}
	return t.name + " (" + thousands(t.db.groups) + ")"
}

func step(what string) {
	fmt.Fprintf(os.Stderr, "load: %s %s\n", time.Now().Format("15:04:05"), what)
}

// startGatehouse starts `gatehouse serve` on db, on free loopback ports.
func startGatehouse(ctx context.Context, cfg config, dir string, db *database, n int) (*server, error) {
	srv, err := startServer(ctx, "gatehouse serve", filepath.Join(dir, fmt.Sprintf("%s-serve-%d.log", filepath.Base(db.path), n)),
		cfg.gatehouse, "serve", "--db", db.path, "--addr", "127.0.0.1:0", "--api-addr", "127.0.0.1:0", "--gateway-addr", "127.0.0.1:0", "--gateway-tls-addr", "127.0.0.1:0",
		"--public-daily-mainland", publicDailyLimit)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{"console", "openapi", "gateway", "gateway-tls"} {
		if err := loopbackOnly(srv.addrs[name]); err != nil {
			srv.stop()
			return nil, fmt.Errorf("gatehouse serve %s: %w", name, err)
		}
	}
	return srv, nil
}

// loopbackOnly refuses to send load anywhere but this machine.
func loopbackOnly(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("address %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("address %q is not a loopback address: the load run only drives this machine", addr)
	}
	return nil
}

// loginAll logs every client in, one after the other, each with its own
// session: a client is a browser.
func loginAll(addr string, db *database, clients int) ([]*worker, error) {
	ws := make([]*worker, clients)
	for i := range ws {
		ws[i] = &worker{id: i, b: newBrowser(addr)}
		if err := ws[i].b.login(db.login, db.password); err != nil {
			closeAll(ws[:i+1])
			return nil, fmt.Errorf("client %d: %w", i, err)
		}
	}
	return ws, nil
}

// onServer gives each client a browser on another server with the same
// cookies (a browser sends them to every port of the host).
func onServer(ws []*worker, addr string, tlsConfig *tls.Config) []*worker {
	out := make([]*worker, len(ws))
	for i, w := range ws {
		b := newBrowser(addr)
		b.conn.tls = tlsConfig
		b.cookies = append(b.cookies, w.b.cookies...)
		b.cookie = w.b.cookie
		out[i] = &worker{id: i, b: b}
	}
	return out
}

func closeAll(ws []*worker) {
	for _, w := range ws {
		if w != nil {
			w.b.close()
		}
	}
}

// selfCPU is the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// environment describes the machine the numbers come from.
type environment struct {
	cpu, kernel, goVersion string
	cores                  int
	memory                 string
}

func readEnvironment() environment {
	env := environment{cores: runtime.NumCPU(), goVersion: runtime.Version(), cpu: "unknown", kernel: "unknown", memory: "unknown"}
	if data, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if v := procField(string(data), "model name"); v != "" {
			env.cpu = v
		}
	}
	if data, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		env.kernel = "Linux " + string(trimSpace(data))
	}
	if data, err := os.ReadFile("/proc/meminfo"); err == nil {
		if v := procField(string(data), "MemTotal"); v != "" {
			if kb, err := strconv.ParseInt(trimUnit(v), 10, 64); err == nil {
				env.memory = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
			}
		}
	}
	return env
}
