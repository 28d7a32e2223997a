package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// server is a process under load: `gatehouse serve` or the bare handler.
// Its standard error goes straight to a file (one line a request, as in
// production), read back for its addresses and for errors.
type server struct {
	name    string
	cmd     *exec.Cmd
	logPath string
	addrs   map[string]string // "console", "openapi", "bare" → host:port
	// readyAfter is the time from starting the process to its "ready" log
	// line; startup is the duration the server logged itself.
	readyAfter time.Duration
	startup    string
	logOffset  int64 // where the current scenario's log starts
	exited     chan struct{}
}

var (
	listeningLine = regexp.MustCompile(`msg=listening server=(\S+) addr=(\S+)`)
	startupField  = regexp.MustCompile(`startup=(\S+)`)
)

// startServer runs bin with args, logging to logPath, and waits (at most
// 20 s) for its "ready" line.
func startServer(ctx context.Context, name, logPath, bin string, args ...string) (*server, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logFile.Close()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = childAttrs()
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 5 * time.Second
	started := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	s := &server{name: name, cmd: cmd, logPath: logPath, addrs: map[string]string{}, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.exited) }()
	for {
		data, err := os.ReadFile(logPath)
		if err != nil {
			s.stop()
			return nil, err
		}
		if i := bytes.Index(data, []byte("msg=ready")); i >= 0 {
			s.readyAfter = time.Since(started)
			for _, line := range strings.Split(string(data), "\n") {
				if m := listeningLine.FindStringSubmatch(line); m != nil {
					s.addrs[m[1]] = m[2]
				}
				if m := startupField.FindStringSubmatch(line); m != nil && strings.Contains(line, "msg=ready") {
					s.startup = m[1]
				}
			}
			s.logOffset = int64(len(data))
			return s, nil
		}
		if s.hasExited() || time.Since(started) > 20*time.Second {
			s.stop()
			return nil, fmt.Errorf("%s did not get ready; its log:\n%s", name, data)
		}
		time.Sleep(500 * time.Microsecond)
	}
}

// stop ends the process with SIGTERM (its graceful shutdown), then SIGKILL
// if it is still there after 5 s.
func (s *server) stop() {
	if s.hasExited() {
		return
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

func (s *server) hasExited() bool {
	select {
	case <-s.exited:
		return true
	default:
		return false
	}
}

func (s *server) pid() int { return s.cmd.Process.Pid }

// cpuTime is the CPU time (user + system) the process has used.
func (s *server) cpuTime() (time.Duration, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", s.pid()))
	if err != nil {
		return 0, err
	}
	// Fields after the command name (which may hold spaces) in parentheses.
	rest := string(data[bytes.LastIndexByte(data, ')')+2:])
	f := strings.Fields(rest)
	if len(f) < 13 {
		return 0, errors.New("short /proc stat")
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64)
	stime, err2 := strconv.ParseInt(f[12], 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// clockTicks is USER_HZ, 100 on every Linux this runs on.
const clockTicks = 100

// peakRSS is the process's peak resident set size (VmHWM), in bytes.
func (s *server) peakRSS() (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", s.pid()))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("no VmHWM in /proc status")
}

// logCounts are what the server's log says about the requests of a
// scenario beyond their answers.
type logCounts struct {
	locked int64 // lines mentioning "database is locked" (or busy)
	errors int64 // lines at level ERROR (5xx answers, failures)
}

// scanLog reads the log written since the last call (or since ready).
func (s *server) scanLog() (logCounts, error) {
	var c logCounts
	f, err := os.Open(s.logPath)
	if err != nil {
		return c, err
	}
	defer f.Close()
	if _, err := f.Seek(s.logOffset, io.SeekStart); err != nil {
		return c, err
	}
	br := bufio.NewReaderSize(f, 1<<20)
	for {
		line, err := br.ReadSlice('\n')
		if len(line) > 0 && err == nil {
			s.logOffset += int64(len(line))
			if bytes.Contains(line, []byte("database is locked")) || bytes.Contains(line, []byte("SQLITE_BUSY")) {
				c.locked++
			}
			if bytes.Contains(line, []byte("level=ERROR")) {
				c.errors++
			}
		}
		switch {
		case err == bufio.ErrBufferFull:
			s.logOffset += int64(len(line)) // a very long line: skip it
		case err != nil: // io.EOF: an unfinished line is read next time
			return c, nil
		}
	}
}
