package main

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"gatehouse/gateway"
	"gatehouse/rules"
	"gatehouse/store"
	"gatehouse/web"
)

// cmdEnv is what every subcommand reads and writes: no globals.
type cmdEnv struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
}

// envInt reads a whole-number default from the environment; a value that
// is not one is ignored (the flag's check then sees the default).
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// envOr reads a default from the environment.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// flags makes a flag set whose --help goes to standard output and exits 0,
// and whose errors go to standard error and exit 2.
func (e *cmdEnv) flags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // parse reports errors and help itself
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: gatehouse %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args; ok false means the command should return code.
func (e *cmdEnv) parse(fs *flag.FlagSet, args []string) (code int, ok bool) {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		return exitOK, false
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "gatehouse %s: %v\n", fs.Name(), err)
		fs.SetOutput(e.stderr)
		fs.Usage()
		return exitUsage, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "gatehouse %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return exitOK, true
}

// sub dispatches a command with sub-commands (user add, accesskey create).
func (e *cmdEnv) sub(name string, args []string, subs map[string]func([]string) int) int {
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	slices.Sort(names)
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		w := e.stdout
		if len(args) == 0 {
			w = e.stderr
		}
		fmt.Fprintf(w, "Usage: gatehouse %s <%s> [flags]\nRun 'gatehouse %s <%s> --help' for its flags.\n",
			name, strings.Join(names, "|"), name, strings.Join(names, "|"))
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	f, ok := subs[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "gatehouse %s: unknown sub-command %q (want %s)\n", name, args[0], strings.Join(names, ", "))
		return exitUsage
	}
	return f(args[1:])
}

// openStore opens and migrates the database.
func (e *cmdEnv) openStore(ctx context.Context, path string) (*store.Store, error) {
	st, err := store.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

func (e *cmdEnv) fail(cmd string, err error) int {
	fmt.Fprintf(e.stderr, "gatehouse %s: %v\n", cmd, err)
	return exitFail
}

// The garbage collector's pace while serving, unless GOGC or GOMEMLIMIT
// set it. A serving console's live heap is a few MB, so Go's default
// (GOGC=100: collect each time the heap doubles) collects every few
// milliseconds under load and takes about a sixth of the CPU
// (docs/performance.md). At 400 it collects a fifth as often; the soft
// limit makes it collect sooner again when a burst (a login's password
// hash holds 19 MiB) would grow the heap past 64 MiB.
const (
	serveGCPercent   = 400
	serveMemoryLimit = 64 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(serveGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
}

func (e *cmdEnv) serve(args []string) int {
	fs := e.flags("serve", "serve [--addr HOST:PORT] [--api-addr HOST:PORT] [--gateway-addr HOST:PORT] [--gateway-tls-addr HOST:PORT] [--db FILE] [--secure-cookies] [--public-daily-mainland N] [--public-daily-other N] [--backend-allow CIDR,...]")
	addr := fs.String("addr", envOr("GATEHOUSE_ADDR", "127.0.0.1:8080"), "console listen address; port 0 picks a free port (env GATEHOUSE_ADDR)")
	apiAddr := fs.String("api-addr", envOr("GATEHOUSE_API_ADDR", "127.0.0.1:8081"), "OpenAPI endpoint listen address; port 0 picks a free port (env GATEHOUSE_API_ADDR)")
	gatewayAddr := fs.String("gateway-addr", envOr("GATEHOUSE_GATEWAY_ADDR", defaultGatewayAddr), "gateway listen address: calls on the groups' domains over HTTP, and the HTTP proxy that picks the caller's network; port 0 picks a free port (env GATEHOUSE_GATEWAY_ADDR)")
	gatewayTLSAddr := fs.String("gateway-tls-addr", envOr("GATEHOUSE_GATEWAY_TLS_ADDR", defaultGatewayTLSAddr), "gateway HTTPS listen address: calls on the groups' domains over HTTPS, by SNI, with certificates of the CA beside the database (gatehouse ca) or uploaded ones; port 0 picks a free port (env GATEHOUSE_GATEWAY_TLS_ADDR)")
	backendAllow := fs.String("backend-allow", envOr("GATEHOUSE_BACKEND_ALLOW", defaultBackendAllow), "comma-separated CIDR blocks the gateway may forward calls to (HTTP backends); others answer D504CO (env GATEHOUSE_BACKEND_ALLOW)")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file, created if absent (env GATEHOUSE_DB)")
	secure := fs.Bool("secure-cookies", os.Getenv("GATEHOUSE_SECURE_COOKIES") == "true", "mark cookies Secure and send HSTS, for a console served over TLS (env GATEHOUSE_SECURE_COOKIES=true)")
	limits := rules.DefaultLimits()
	fs.IntVar(&limits.MainlandDaily, "public-daily-mainland", envInt("GATEHOUSE_PUBLIC_DAILY_MAINLAND", limits.MainlandDaily),
		"daily call limit of a public second-level domain in mainland China regions (env GATEHOUSE_PUBLIC_DAILY_MAINLAND)")
	fs.IntVar(&limits.OtherDaily, "public-daily-other", envInt("GATEHOUSE_PUBLIC_DAILY_OTHER", limits.OtherDaily),
		"daily call limit of a public second-level domain in other regions, Hong Kong included (env GATEHOUSE_PUBLIC_DAILY_OTHER)")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if limits.MainlandDaily < 1 || limits.OtherDaily < 1 {
		fmt.Fprintln(e.stderr, "gatehouse serve: the daily call limits must be positive")
		return exitUsage
	}
	allow, err := parseCIDRs(*backendAllow)
	if err != nil {
		fmt.Fprintf(e.stderr, "gatehouse serve: --backend-allow: %v\n", err)
		return exitUsage
	}
	tuneGC()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	started := time.Now()
	lock, err := lockForServe(*dbPath) // one serve per database (servelock.go)
	if err != nil {
		return e.fail("serve", err)
	}
	defer func() {
		if err := lock.release(); err != nil {
			e.log.Warn("release the database lock", "err", err)
		}
	}()
	st, err := e.openStore(ctx, *dbPath)
	if err != nil {
		return e.fail("serve", err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			e.log.Error("close database", "err", err)
		}
	}()

	cfg := web.DefaultConfig(e.log)
	cfg.Handlers.SecureCookies = *secure
	cfg.Handlers.Limits = limits
	console, err := web.New(ctx, cfg, st)
	if err != nil {
		return e.fail("serve", err)
	}
	proxyKey, err := st.SecretKey(ctx, gateway.ProxyKeyName, gateway.ProxyKeySize)
	if err != nil {
		return e.fail("serve", err)
	}
	ca, err := loadCA(st)
	if err != nil {
		return e.fail("serve", err)
	}
	gw := gateway.New(gateway.Config{Limits: limits, BackendAllow: allow, ProxyKey: proxyKey, CA: ca, Log: e.log}, st)
	go gw.Watch(ctx, time.Second) // changes made by the command line beside the server
	go gw.FlushCallsEvery(ctx, callsFlushInterval)
	servers := []struct {
		name, addr string
		handler    http.Handler
		tls        *tls.Config                                     // serve HTTPS
		conn       func(context.Context, net.Conn) context.Context // http.Server.ConnContext
		also       net.Listener                                    // another listener the same server serves
	}{
		{name: "console", addr: *addr, handler: console},
		{name: "openapi", addr: *apiAddr, handler: web.NewAPI(cfg, st)},
		{name: "gateway", addr: *gatewayAddr, handler: gw},
		// The TLS listener also serves the tunnels the plain one opens
		// for CONNECT, in process.
		{name: "gateway-tls", addr: *gatewayTLSAddr, handler: gw, tls: gw.TLSConfig(), conn: gw.ConnContext, also: gw.Tunnels()},
	}

	var wg sync.WaitGroup
	errc := make(chan error, 2*len(servers))
	var running []*http.Server
	var bound []listener
	boundAddr := map[string]string{}
	for _, s := range servers {
		ln, err := net.Listen("tcp", s.addr)
		if err != nil {
			for _, r := range running {
				r.Close()
			}
			return e.fail("serve", fmt.Errorf("listen %s on %s: %w", s.name, s.addr, err))
		}
		srv := &http.Server{
			Handler:           s.handler,
			TLSConfig:         s.tls,
			ConnContext:       s.conn,
			ReadHeaderTimeout: 10 * time.Second,
			ReadTimeout:       30 * time.Second,
			WriteTimeout:      60 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          serverLog(e.log.Handler()),
		}
		running = append(running, srv)
		scheme := "http"
		if s.tls != nil {
			scheme = "https"
		}
		url := scheme + "://" + ln.Addr().String() + "/"
		bound = append(bound, listener{s.name, url})
		boundAddr[s.name] = ln.Addr().String()
		e.log.Info("listening", "server", s.name, "addr", ln.Addr().String(), "url", url)
		for _, l := range []net.Listener{ln, s.also} {
			if l == nil {
				continue
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				var err error
				if s.tls != nil {
					err = srv.ServeTLS(l, "", "")
				} else {
					err = srv.Serve(l)
				}
				if err != nil && !errors.Is(err, http.ErrServerClosed) {
					errc <- fmt.Errorf("%s: %w", s.name, err)
				}
			}()
		}
	}
	gw.Listening(boundAddr["gateway"], boundAddr["gateway-tls"])
	if err := lock.announce(bound); err != nil {
		e.log.Warn("announce the addresses in the database lock", "err", err)
	}
	e.log.Info("ready", "db", *dbPath, "startup", time.Since(started).Round(time.Millisecond))

	code := exitOK
	select {
	case <-ctx.Done():
		e.log.Info("shutting down")
	case err := <-errc:
		e.log.Error("server failed", "err", err)
		code = exitFail
	}
	// In-flight requests get a few seconds to finish; then the database closes.
	shutCtx, cancel := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancel()
	for _, srv := range running {
		if err := srv.Shutdown(shutCtx); err != nil {
			e.log.Warn("shutdown", "err", err)
			srv.Close()
		}
	}
	wg.Wait()
	// The calls counted since the last flush, once no call is answered
	// any more.
	flushCtx, cancelFlush := context.WithTimeout(context.Background(), 4*time.Second)
	defer cancelFlush()
	if err := gw.FlushCalls(flushCtx); err != nil {
		e.log.Warn("store the gateway's calls per hour", "err", err)
	}
	return code
}

func (e *cmdEnv) migrate(args []string) int {
	fs := e.flags("migrate", "migrate --db FILE")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file, created if absent (env GATEHOUSE_DB)")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	ctx := context.Background()
	st, err := e.openStore(ctx, *dbPath)
	if err != nil {
		return e.fail("migrate", err)
	}
	if err := st.Close(); err != nil {
		return e.fail("migrate", err)
	}
	e.log.Info("schema up to date", "db", *dbPath)
	return exitOK
}

func (e *cmdEnv) demo(args []string) int {
	fs := e.flags("demo", "demo --db FILE [--groups N [--account NAME] [--apis-per-group K]]")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file, created if absent (env GATEHOUSE_DB)")
	groups := fs.Int("groups", 0, "instead of the demo account, generate this many API groups for benchmarks")
	account := fs.String("account", "", "with --groups: put every group into this account (created if new); default: spread over several bench accounts")
	apis := fs.Int("apis-per-group", 0, "with --groups: give each group this many APIs (Mock and HTTP in turn; the first deployed to RELEASE, the second to TEST)")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if *groups < 0 || *apis < 0 || ((*account != "" || *apis > 0) && *groups == 0) {
		fmt.Fprintln(e.stderr, "gatehouse demo: --groups must be positive, and --account and --apis-per-group go with --groups")
		return exitUsage
	}
	ctx := context.Background()
	st, err := e.openStore(ctx, *dbPath)
	if err != nil {
		return e.fail("demo", err)
	}
	defer st.Close()

	if *groups > 0 {
		started := time.Now()
		if err := st.GenerateGroupsWithAPIs(ctx, *groups, *account, *apis); err != nil {
			return e.fail("demo", err)
		}
		e.log.Info("groups generated", "groups", *groups, "apis", *groups**apis, "account", *account, "took", time.Since(started).Round(time.Millisecond))
		return exitOK
	}
	created, err := st.Demo(ctx)
	if err != nil {
		return e.fail("demo", err)
	}
	e.log.Info("demo account ready", "account", store.DemoAccount, "created", created)
	// The demo account's admin gets a random password, printed once: there
	// is no default password anywhere.
	password, made, err := st.EnsureDemoAdmin(ctx)
	if err != nil {
		return e.fail("demo", err)
	}
	if made {
		fmt.Fprintf(e.stdout, "Demo admin created. Log in as %q with password %s (shown once).\n", store.DemoAdmin, password)
		return exitOK
	}
	// Logins are unique across accounts: an "admin" of another account
	// leaves the demo account without one.
	if demo, err := st.AccountByName(ctx, store.DemoAccount); err == nil {
		if owner, err := st.AccountIDOfLogin(ctx, store.DemoAdmin); err == nil && owner != demo.ID {
			e.log.Warn("the login admin belongs to another account; add a user to the demo account with 'gatehouse user add --account demo'")
		}
	}
	return exitOK
}

func (e *cmdEnv) userAdd(args []string) int {
	fs := e.flags("user add", "user add --db FILE --account NAME --name LOGIN [--role admin|operator|viewer] < password")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file (env GATEHOUSE_DB)")
	account := fs.String("account", "", "account name; the account is created if it is new")
	name := fs.String("name", "", "login name of the new user")
	role := fs.String("role", string(rules.RoleAdmin), "admin (everything, users and keys included), operator (resource changes) or viewer (read only)")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if *account == "" || *name == "" {
		fmt.Fprintln(e.stderr, "gatehouse user add: --account and --name are required; the password is read from standard input")
		return exitUsage
	}
	password, err := readPassword(e.stdin)
	if err != nil {
		return e.fail("user add", err)
	}
	ctx := context.Background()
	st, err := e.openStore(ctx, *dbPath)
	if err != nil {
		return e.fail("user add", err)
	}
	defer st.Close()
	u, err := st.AddUser(ctx, *account, *name, rules.Role(*role), password)
	if err != nil {
		return e.fail("user add", err)
	}
	e.log.Info("user added", "account", *account, "login", u.Login, "role", u.Role)
	return exitOK
}

// readPassword reads one line; its newline (LF or CRLF) is not part of it.
func readPassword(r io.Reader) (string, error) {
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	line = strings.TrimSuffix(line, "\n")
	line = strings.TrimSuffix(line, "\r")
	if line == "" {
		return "", errors.New("no password on standard input (give it as one line)")
	}
	return line, nil
}

func (e *cmdEnv) accessKeyCreate(args []string) int {
	fs := e.flags("accesskey create", "accesskey create --db FILE --user LOGIN")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file (env GATEHOUSE_DB)")
	login := fs.String("user", "", "login name of the user the key acts as")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	if *login == "" {
		fmt.Fprintln(e.stderr, "gatehouse accesskey create: --user is required")
		return exitUsage
	}
	ctx := context.Background()
	st, err := e.openStore(ctx, *dbPath)
	if err != nil {
		return e.fail("accesskey create", err)
	}
	defer st.Close()
	key, secret, err := st.CreateAccessKeyForLogin(ctx, rules.SourceCLI, *login)
	if err != nil {
		return e.fail("accesskey create", err)
	}
	out, err := json.Marshal(struct {
		AccessKeyId     string `json:"AccessKeyId"`
		AccessKeySecret string `json:"AccessKeySecret"`
	}{key.ID, secret})
	if err != nil {
		return e.fail("accesskey create", err)
	}
	fmt.Fprintln(e.stdout, string(out))
	return exitOK
}

// serverLog is an http.Server's ErrorLog: its lines are warnings, but for
// the TLS handshakes clients fail (a TLS version the name's policy
// refuses, a name Gatehouse does not serve, a client that does not trust
// the CA and hangs up), which are the clients' business and debug lines,
// so that no client can fill the log.
func serverLog(h slog.Handler) *log.Logger {
	return log.New(serverLogWriter{h}, "", 0)
}

type serverLogWriter struct{ h slog.Handler }

func (w serverLogWriter) Write(p []byte) (int, error) {
	msg := strings.TrimSuffix(string(p), "\n")
	level := slog.LevelWarn
	if strings.HasPrefix(msg, "http: TLS handshake error") {
		level = slog.LevelDebug
	}
	ctx := context.Background()
	if w.h.Enabled(ctx, level) {
		if err := w.h.Handle(ctx, slog.NewRecord(time.Now(), level, msg, 0)); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
