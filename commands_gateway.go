package main

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"time"

	"gatehouse/gateway"
	"gatehouse/rules"
	"gatehouse/store"
)

// The gateway's settings and the command that prints a network's proxy
// URL.

const (
	// defaultGatewayAddr is where `serve` runs the gateway and where
	// `network url` points the proxy, unless told otherwise.
	defaultGatewayAddr = "127.0.0.1:8082"
	// defaultGatewayTLSAddr is where `serve` runs the gateway's HTTPS
	// listener.
	defaultGatewayTLSAddr = "127.0.0.1:8443"
	// defaultBackendAllow: the gateway forwards calls to this machine only.
	defaultBackendAllow = "127.0.0.0/8,::1/128"
	// callsFlushInterval is how often the gateway stores its calls per
	// hour: a kill -9 loses at most this long's counts.
	callsFlushInterval = 10 * time.Second
)

// loadCA reads the gateway's certificate authority from its file beside
// the database, making it on first use.
func loadCA(st *store.Store) (*gateway.CA, error) {
	file, err := st.SecretFile(gateway.CAFileSuffix, func() ([]byte, error) { return gateway.NewCAFile(time.Now()) })
	if err != nil {
		return nil, fmt.Errorf("the gateway's certificate authority: %w", err)
	}
	ca, err := gateway.ParseCA(file, time.Now())
	if err != nil {
		return nil, fmt.Errorf("the gateway's certificate authority (%s%s): %w", st.Path(), gateway.CAFileSuffix, err)
	}
	return ca, nil
}

// caCertificate prints the certificate of the gateway's certificate
// authority, making the CA if the database has none yet. It reads only the
// CA's file, so it works beside a running `serve`.
func (e *cmdEnv) caCertificate(args []string) int {
	fs := e.flags("ca", "ca --db FILE")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file; the CA is the file beside it, <db>"+gateway.CAFileSuffix+" (env GATEHOUSE_DB)")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	st, err := e.openStore(context.Background(), *dbPath)
	if err != nil {
		return e.fail("ca", err)
	}
	defer st.Close()
	ca, err := loadCA(st)
	if err != nil {
		return e.fail("ca", err)
	}
	if _, err := e.stdout.Write(ca.CertificatePEM()); err != nil {
		return e.fail("ca", err)
	}
	return exitOK
}

// parseCIDRs reads a comma-separated list of CIDR blocks.
func parseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("%q is not a CIDR block such as 127.0.0.0/8", part)
		}
		out = append(out, p.Masked())
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no CIDR block given")
	}
	return out, nil
}

// networkURL prints the proxy URL of a network: a VPC, a hybrid network
// joined to a VPC, or the Internet. It reads the database and its key
// file, so it works beside a running `serve`.
func (e *cmdEnv) networkURL(args []string) int {
	fs := e.flags("network url", "network url --db FILE (--vpc VPC_ID [--hybrid] | --internet) [--gateway-addr HOST:PORT]")
	dbPath := fs.String("db", envOr("GATEHOUSE_DB", "gatehouse.db"), "SQLite database file (env GATEHOUSE_DB)")
	vpcID := fs.String("vpc", "", "the VPC the calls come from (any account's)")
	hybrid := fs.Bool("hybrid", false, "with --vpc: an on-premises network joined to that VPC by CEN or an IPsec VPN (R10)")
	internet := fs.Bool("internet", false, "the Internet, instead of a VPC")
	addr := fs.String("gateway-addr", envOr("GATEHOUSE_GATEWAY_ADDR", defaultGatewayAddr), "the address serve runs the gateway on, which the URL points at (env GATEHOUSE_GATEWAY_ADDR)")
	if code, ok := e.parse(fs, args); !ok {
		return code
	}
	switch {
	case (*vpcID == "") == !*internet:
		fmt.Fprintln(e.stderr, "gatehouse network url: give either --vpc VPC_ID or --internet")
		return exitUsage
	case *hybrid && *internet:
		fmt.Fprintln(e.stderr, "gatehouse network url: --hybrid goes with --vpc: it is an on-premises network joined to that VPC")
		return exitUsage
	case *vpcID != "" && !rules.IsVpcID(*vpcID):
		fmt.Fprintf(e.stderr, "gatehouse network url: %q is not a VPC id (vpc- and 22 lowercase letters and digits)\n", *vpcID)
		return exitUsage
	}
	if _, _, err := net.SplitHostPort(*addr); err != nil {
		fmt.Fprintf(e.stderr, "gatehouse network url: --gateway-addr %q is not HOST:PORT\n", *addr)
		return exitUsage
	}
	ctx := context.Background()
	st, err := e.openStore(ctx, *dbPath)
	if err != nil {
		return e.fail("network url", err)
	}
	defer st.Close()
	n := gateway.Internet
	if !*internet {
		v, err := st.VpcByID(ctx, *vpcID)
		if err != nil {
			return e.fail("network url", err)
		}
		n = gateway.Network{Kind: rules.CallerVpc, Vpc: &v}
		if *hybrid {
			n.Kind = rules.CallerHybrid
		}
	}
	key, err := st.SecretKey(ctx, gateway.ProxyKeyName, gateway.ProxyKeySize)
	if err != nil {
		return e.fail("network url", err)
	}
	fmt.Fprintln(e.stdout, gateway.ProxyURL(*addr, key, n))
	return exitOK
}
