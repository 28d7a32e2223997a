package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	_ "github.com/mattn/go-sqlite3" // the databases are read to choose groups
)

// benchAccount is the account the load run logs into.
const benchAccount = "bench"

// apisPerGroup is how many APIs each of the account's groups holds: 2 at
// 100,000 groups are the 200,000 APIs DescribeApis lists.
const apisPerGroup = 2

// database is a generated benchmark database and what the clients need to
// use it.
type database struct {
	path     string
	groups   int // the logged-in account's groups
	apis     int // the logged-in account's APIs
	others   int // groups of four other accounts beside them
	size     int64
	genTime  time.Duration
	login    string
	password string
	keyID    string // the access key of the signature 1.0 scenario
	secret   string
	keyV3    string   // the V3 scenario's: another key of the same user, so
	secretV3 string   // each scenario has the nonce memory's quota of one key
	toggles  []string // groups on a shared instance with the VPC domain off, one per client
	details  []string // groups shown by Group Details, of every kind
	// detailCalls call each of those groups' RELEASE API on its public
	// domain, so that Group Details draws its chart.
	detailCalls []detailCall
}

// detailCall is a call on a group's API: the name, method and path.
type detailCall struct{ host, method, path string }

// prepareDB generates a database with the gatehouse binary, as an operator
// would: the account's groups (spread by the generator over every region,
// shared and dedicated instances, a third with the VPC domain enabled)
// with 2 APIs each (one deployed to RELEASE, one to TEST), other accounts'
// groups beside them (a tenth as many), an admin and an access key.
func prepareDB(ctx context.Context, bin, dir, name string, groups, clients int) (*database, error) {
	db := &database{path: filepath.Join(dir, name+".db"), groups: groups, apis: groups * apisPerGroup, others: max(groups/10, 100), login: "loadtest"}
	start := time.Now()
	if _, err := gatehouse(ctx, bin, "", "demo", "--db", db.path, "--groups", strconv.Itoa(groups), "--account", benchAccount,
		"--apis-per-group", strconv.Itoa(apisPerGroup)); err != nil {
		return nil, err
	}
	db.genTime = time.Since(start)
	if _, err := gatehouse(ctx, bin, "", "demo", "--db", db.path, "--groups", strconv.Itoa(db.others)); err != nil {
		return nil, err
	}
	var raw [16]byte
	if _, err := rand.Read(raw[:]); err != nil {
		return nil, err
	}
	db.password = hex.EncodeToString(raw[:])
	if _, err := gatehouse(ctx, bin, db.password+"\n", "user", "add", "--db", db.path, "--account", benchAccount, "--name", db.login, "--role", "admin"); err != nil {
		return nil, err
	}
	for _, k := range []struct{ id, secret *string }{{&db.keyID, &db.secret}, {&db.keyV3, &db.secretV3}} {
		out, err := gatehouse(ctx, bin, "", "accesskey", "create", "--db", db.path, "--user", db.login)
		if err != nil {
			return nil, err
		}
		var key struct{ AccessKeyId, AccessKeySecret string }
		if err := json.Unmarshal(out, &key); err != nil {
			return nil, fmt.Errorf("accesskey create printed %q: %w", out, err)
		}
		*k.id, *k.secret = key.AccessKeyId, key.AccessKeySecret
	}
	if err := db.pickGroups(ctx, clients); err != nil {
		return nil, err
	}
	info, err := os.Stat(db.path)
	if err != nil {
		return nil, err
	}
	db.size = info.Size()
	return db, nil
}

// pickGroups chooses, from the database itself (read-only, before the
// server starts), each client's group to toggle (on a shared instance, VPC
// domain off) and the groups Group Details shows (the newest hundred, of
// every kind).
func (db *database) pickGroups(ctx context.Context, clients int) error {
	conn, err := sql.Open("sqlite3", "file:"+db.path+"?mode=ro")
	if err != nil {
		return err
	}
	defer conn.Close()
	var account string
	if err := conn.QueryRowContext(ctx, `SELECT id FROM accounts WHERE name = ?`, benchAccount).Scan(&account); err != nil {
		return fmt.Errorf("%s: account %s: %w", db.path, benchAccount, err)
	}
	ids := func(query string, args ...any) ([]string, error) {
		rows, err := conn.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, rows.Err()
	}
	if db.details, err = ids(`SELECT id FROM api_groups WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT 100`, account); err != nil {
		return err
	}
	rows, err := conn.QueryContext(ctx, `SELECT g.id || '-' || g.region_id || '.alicloudapi.com', a.method, a.path
		FROM api_groups g JOIN api_deployments d ON d.group_id = g.id AND d.stage = 'RELEASE' JOIN apis a ON a.id = d.api_id
		WHERE g.id IN (SELECT id FROM api_groups WHERE account_id = ? ORDER BY created_at DESC, id DESC LIMIT 100)`, account)
	if err != nil {
		return err
	}
	placeholder := regexp.MustCompile(`\[[^/\]]*\]`)
	for rows.Next() {
		var c detailCall
		if err := rows.Scan(&c.host, &c.method, &c.path); err != nil {
			rows.Close()
			return err
		}
		if c.method == "ANY" {
			c.method = "GET"
		}
		c.path = placeholder.ReplaceAllString(c.path, "7")
		db.detailCalls = append(db.detailCalls, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if db.toggles, err = ids(`SELECT g.id FROM api_groups g JOIN instances i ON i.id = g.instance_id
		WHERE g.account_id = ? AND i.type = 'VPC_SHARED' AND g.vpc_domain_enabled = 0
		ORDER BY g.created_at DESC, g.id DESC LIMIT ?`, account, clients); err != nil {
		return err
	}
	if len(db.toggles) < clients || len(db.details) == 0 {
		return fmt.Errorf("%s: %d groups to toggle and %d to show, want %d and some", db.path, len(db.toggles), len(db.details), clients)
	}
	return nil
}

// gatehouse runs a gatehouse command and returns its standard output.
func gatehouse(ctx context.Context, bin, stdin string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("gatehouse %s: %w\n%s", strings.Join(args[:min(2, len(args))], " "), err, stderr.String())
	}
	return out, nil
}
