package store

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"gatehouse/rules"
)

// crashChildEnv selects TestCrashChild in a re-executed test binary and
// names its database.
const crashChildEnv = "GATEHOUSE_STORE_CRASH_CHILD_DB"

// TestCrashChild is the child of TestCrashRecovery, not a test of its own:
// it writes in a loop (single groups, VPC with vSwitch pairs, and batches of
// generated groups) and prints "committed <kind> <id>" after each commit
// returns, until it is killed.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashChildEnv)
	if path == "" {
		t.Skip("helper process of TestCrashRecovery")
	}
	ctx := context.Background()
	s, err := OpenAndMigrate(ctx, path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	a := Actor{Name: "crash-child", Source: rules.SourceCLI}
	acct, _, err := s.EnsureAccount(ctx, "crash")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(2)
	}
	a.AccountID = acct.ID
	shared, _ := rules.DefaultSharedInstanceID("cn-hangzhou")
	tag := runTag()
	for i := 0; ; i++ {
		switch i % 4 {
		case 0, 1:
			g, err := s.CreateGroup(ctx, a, rules.GroupInput{Name: fmt.Sprintf("crash_%s_%d", tag, i), RegionID: "cn-hangzhou", InstanceID: shared})
			if err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			fmt.Println("committed group", g.ID)
		case 2:
			v, err := s.CreateVpc(ctx, a, rules.VpcInput{Name: "crash-vpc", RegionID: "cn-shanghai", CIDR: "10.0.0.0/16"})
			if err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			fmt.Println("committed vpc", v.ID)
		case 3:
			// A larger transaction: many rows, triggers and indexes.
			if err := s.GenerateGroups(ctx, 300, "crash-bulk"); err != nil {
				fmt.Println("error", err)
				os.Exit(2)
			}
			fmt.Println("committed bulk", 300)
		}
	}
}

// TestCrashRecovery kills a writing child process with SIGKILL at random
// moments, 24 times (some during start-up and migration, most while
// writing). Afterwards the database passes integrity_check, and every
// write the child reported committed is there.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("kills child processes for several seconds")
	}
	const kills = 24
	path := filepath.Join(t.TempDir(), "crash.db")
	committed := map[string][]string{} // kind → ids
	bulk := 0
	for k := range kills {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			defer close(lines)
			r := bufio.NewReader(out)
			for {
				line, err := r.ReadString('\n')
				if err != nil { // a line cut by the kill has no newline: ignore it
					if err != io.EOF {
						t.Errorf("read child: %v", err)
					}
					return
				}
				lines <- strings.TrimSuffix(line, "\n")
			}
		}()
		// One kill in four hits start-up (open, migrate, recovery of the
		// previous crash); the others hit a child that is writing.
		var killAt <-chan time.Time
		if k%4 == 0 {
			killAt = time.After(time.Duration(rand.IntN(80)) * time.Millisecond)
		}
		seen := 0
		timeout := time.After(30 * time.Second)
	read:
		for {
			select {
			case line, ok := <-lines:
				if !ok {
					t.Fatalf("child %d exited before it was killed", k)
				}
				kind, id, found := strings.Cut(strings.TrimPrefix(line, "committed "), " ")
				switch {
				case strings.HasPrefix(line, "committed ") && found:
					if kind == "bulk" {
						bulk += 300
					} else {
						committed[kind] = append(committed[kind], id)
					}
					seen++
					if seen == 1 && killAt == nil {
						killAt = time.After(time.Duration(rand.IntN(400)) * time.Millisecond)
					}
				case strings.HasPrefix(line, "error"):
					t.Fatalf("child %d: %s", k, line)
				}
			case <-killAt:
				break read
			case <-timeout:
				cmd.Process.Kill()
				t.Fatalf("child %d committed nothing in 30s", k)
			}
		}
		if err := cmd.Process.Kill(); err != nil { // SIGKILL
			t.Fatal(err)
		}
		// Lines written before the kill were committed: read them all.
		for line := range lines {
			if kind, id, found := strings.Cut(strings.TrimPrefix(line, "committed "), " "); strings.HasPrefix(line, "committed ") && found {
				if kind == "bulk" {
					bulk += 300
				} else {
					committed[kind] = append(committed[kind], id)
				}
			}
		}
		cmd.Wait() //nolint:errcheck // killed: the error is the signal
	}

	ctx := context.Background()
	s, err := OpenAndMigrate(ctx, path)
	if err != nil {
		t.Fatalf("open after %d kills: %v", kills, err)
	}
	defer s.Close()
	var check string
	if err := s.w.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Fatalf("integrity_check: %q %v", check, err)
	}
	for kind, table := range map[string]string{"group": "api_groups", "vpc": "vpcs"} {
		for _, id := range committed[kind] {
			if n := count(t, s, `SELECT COUNT(*) FROM `+table+` WHERE id = ?`, id); n != 1 {
				t.Errorf("committed %s %s is missing", kind, id)
			}
		}
	}
	bulkAcct, err := s.AccountByName(ctx, "crash-bulk")
	if bulk > 0 && err != nil {
		t.Fatal(err)
	}
	if bulk > 0 {
		if n := count(t, s, `SELECT COUNT(*) FROM api_groups WHERE account_id = ?`, bulkAcct.ID); n < bulk || n%300 != 0 {
			t.Errorf("%d bulk groups, %d reported committed (batches are all or nothing)", n, bulk)
		}
	}
	t.Logf("%d kills; %d groups, %d VPCs, %d bulk groups reported committed, all present",
		kills, len(committed["group"]), len(committed["vpc"]), bulk)
	if len(committed["group"]) < kills {
		t.Errorf("only %d commits reported over %d runs", len(committed["group"]), kills)
	}
	assertInvariants(t, s)
}
