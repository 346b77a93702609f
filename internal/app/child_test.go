package app_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// childWait bounds every wait for a child process: to print its ready
// line, and to be gone once killed.
const childWait = 10 * time.Second

// child is the lifeboat command running as a child process of the test
// binary (see TestMain), so a test can kill it with SIGKILL. Its output
// is kept, so a failing test can show how each child ended.
type child struct {
	name string
	cmd  *exec.Cmd
	log  *childLog
	// exited is closed once Wait has returned, with its error in err.
	exited chan struct{}
	err    error
}

// startChild runs the lifeboat command with args and waits for its
// standard error to match pattern, whose first group it returns. At
// cleanup the child is killed if still alive; its last lines are logged
// if the test failed, and a data race it reported fails the test, since
// the race detector's report goes to the child's output, not the test's.
func startChild(t *testing.T, name, args, pattern string) (*child, string) {
	t.Helper()
	c := &child{name: name, log: newChildLog(regexp.MustCompile(pattern)), exited: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^$")
	c.cmd.Env = append(os.Environ(), "LIFEBOAT_TEST_EXEC="+args)
	c.cmd.Stdout, c.cmd.Stderr = c.log, c.log
	c.cmd.WaitDelay = childWait // Wait stops copying output this long after the exit.
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { c.err = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() { c.cleanup(t) })
	select {
	case m := <-c.log.found:
		return c, m
	case <-c.exited:
		t.Fatalf("%s exited before printing %s: %v\n%s", name, pattern, c.err, c.log.tail(40))
	case <-time.After(childWait):
		t.Fatalf("%s did not print %s within %v\n%s", name, pattern, childWait, c.log.tail(40))
	}
	return nil, ""
}

// kill sends SIGKILL and waits for the child to be gone. A child that had
// already exited fails the test: whatever followed was not a kill -9.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatalf("kill %s: %v\n%s", c.name, err, c.log.tail(40))
	}
	select {
	case <-c.exited:
	case <-time.After(childWait):
		t.Fatalf("%s still runs %v after SIGKILL", c.name, childWait)
	}
	var ee *exec.ExitError
	if !errors.As(c.err, &ee) || !killedBySIGKILL(ee.ProcessState) {
		t.Fatalf("%s ended with %v, not by SIGKILL\n%s", c.name, c.err, c.log.tail(40))
	}
}

// killedBySIGKILL reports whether the process ended by SIGKILL.
func killedBySIGKILL(ps *os.ProcessState) bool {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGKILL
}

// cleanup kills the child if it still runs, bounded, and reports on its
// output.
func (c *child) cleanup(t *testing.T) {
	_ = c.cmd.Process.Kill() // An error means it is gone already.
	select {
	case <-c.exited:
	case <-time.After(childWait):
		t.Errorf("%s still runs %v after SIGKILL", c.name, childWait)
	}
	if c.log.raced() {
		t.Errorf("%s reported a data race:\n%s", c.name, c.log.tail(200))
	} else if t.Failed() {
		t.Logf("the last lines of %s:\n%s", c.name, c.log.tail(40))
	}
}

// childLogLines is how many of a child's last lines are kept.
const childLogLines = 400

// childLog is a child's output as it arrives: its last lines, the first
// match of a pattern, and whether the race detector spoke.
type childLog struct {
	re    *regexp.Regexp
	found chan string // the pattern's first group, once

	mu      sync.Mutex
	partial []byte
	lines   []string
	matched bool
	race    bool
}

func newChildLog(re *regexp.Regexp) *childLog {
	return &childLog{re: re, found: make(chan string, 1)}
}

// Write takes output in any chunks and handles it line by line.
func (l *childLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.partial = append(l.partial, p...)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			return len(p), nil
		}
		l.line(string(l.partial[:i]))
		l.partial = l.partial[i+1:]
	}
}

// line keeps one line and looks at it; l.mu is held.
func (l *childLog) line(s string) {
	if len(l.lines) == childLogLines {
		l.lines = l.lines[1:]
	}
	l.lines = append(l.lines, s)
	l.race = l.race || strings.Contains(s, "WARNING: DATA RACE")
	if m := l.re.FindStringSubmatch(s); m != nil && !l.matched {
		l.matched = true
		l.found <- m[1]
	}
}

// tail is the last n lines, and a line not ended yet.
func (l *childLog) tail(n int) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := strings.Join(l.lines[max(0, len(l.lines)-n):], "\n")
	if len(l.partial) > 0 {
		out += "\n" + string(l.partial)
	}
	return out
}

func (l *childLog) raced() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.race
}
