// Command gatehouse is a self-hosted console and OpenAPI-compatible control
// plane for an API gateway's VPC access. Run `gatehouse --help`.
package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
)

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, logger))
}

// Exit codes: 0 success, 1 the command failed, 2 bad usage or a feature
// that is not available.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

const usage = `gatehouse — console and OpenAPI control plane for API Gateway VPC access

Usage:
  gatehouse <command> [flags]

Commands:
  serve              serve the console (--addr), the OpenAPI endpoint (--api-addr) and the gateway (--gateway-addr, --gateway-tls-addr)
  migrate            create or upgrade the database schema
  demo               load the demo account, or generate groups for benchmarks
  user add           add a user to an account (password read from standard input)
  user passwd        give a user a new password (read from standard input) and end their sessions
  user remove        remove a user with their access keys and sessions
  accesskey create   create an access key for a user and print it as JSON
  network url        print the proxy URL that makes calls come from a VPC, a hybrid network or the Internet
  ca                 print the certificate (PEM) of the gateway's certificate authority, for clients to trust

Run 'gatehouse <command> --help' for a command's flags.
Logs go to standard error; standard output carries only a command's result.
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer, log *slog.Logger) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	env := &cmdEnv{stdin: stdin, stdout: stdout, stderr: stderr, log: log}
	switch args[0] {
	case "-h", "--help", "-help", "help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "serve":
		return env.serve(args[1:])
	case "migrate":
		return env.migrate(args[1:])
	case "demo":
		return env.demo(args[1:])
	case "user":
		return env.sub("user", args[1:], map[string]func([]string) int{
			"add": env.userAdd, "passwd": env.userPasswd, "remove": env.userRemove})
	case "accesskey":
		return env.sub("accesskey", args[1:], map[string]func([]string) int{"create": env.accessKeyCreate})
	case "network":
		return env.sub("network", args[1:], map[string]func([]string) int{"url": env.networkURL})
	case "ca":
		return env.caCertificate(args[1:])
	default:
		fmt.Fprintf(stderr, "gatehouse: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}
