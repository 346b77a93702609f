package action

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// fixedNow is the clock of test runners, so {{.Timestamp}} is predictable.
var fixedNow = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

func newTestRunner(o Options) *Runner {
	if o.Now == nil {
		o.Now = func() time.Time { return fixedNow }
	}
	r := NewRunner(o)
	return r
}

func testContext() Context {
	return Context{
		Level: "L2", PreviousLevel: "L1", Reason: "error rate 35% > 20%", Incident: "inc-7",
		Mode: "backup", PrimaryURL: "http://127.0.0.1:1933", FallbackURL: "http://127.0.0.1:9621",
		Extra: map[string]string{"replicas": "3"},
	}
}

func cmdSpec(argv ...string) Spec {
	return Spec{Name: "cmd", Type: TypeCommand, Command: argv}
}

// run runs s with a fresh default test runner.
func run(t *testing.T, s Spec) Result {
	t.Helper()
	return newTestRunner(Options{}).Run(context.Background(), s, testContext())
}

func wantOK(t *testing.T, res Result) {
	t.Helper()
	if !res.OK || res.Error != "" {
		t.Fatalf("want OK, got %+v", res)
	}
}

func wantFail(t *testing.T, res Result, errText string) {
	t.Helper()
	if res.OK || !strings.Contains(res.Error, errText) {
		t.Fatalf("want failure containing %q, got OK=%v Error=%q Output=%q", errText, res.OK, res.Error, res.Output)
	}
}

func needProgram(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Skipf("%s not available: %v", name, err)
	}
	return p
}

// processGone reports whether pid no longer runs. A zombie counts as gone:
// in a container the reaper may be slow or absent, but a zombie runs no
// code and holds no pipes.
func processGone(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	i := bytes.LastIndexByte(b, ')')
	return i < 0 || i+2 >= len(b) || b[i+2] == 'Z' || b[i+2] == 'X'
}

// eventually polls cond for a real process to change state; it is not a
// timing assertion, only a bound on how long a dying process may take.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if cond() {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s: still not true after 5s", what)
}
