package action

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestCommandEcho(t *testing.T) {
	res := run(t, cmdSpec("/bin/echo", "hello", "world"))
	wantOK(t, res)
	if res.Output != "hello world\n" || res.ExitCode != 0 || res.Type != TypeCommand || res.Name != "cmd" {
		t.Fatalf("got %+v", res)
	}
	if !res.Started.Equal(fixedNow) {
		t.Fatalf("Started = %v, want the runner's clock", res.Started)
	}
}

func TestCommandReceivesContextAndReportsExitCode(t *testing.T) {
	s := cmdSpec("/bin/sh", "-c", `echo "$LIFEBOAT_LEVEL|$LIFEBOAT_PREVIOUS_LEVEL|$LIFEBOAT_REASON|$LIFEBOAT_MODE|$LIFEBOAT_REPLICAS|$LIFEBOAT_DRY_RUN|$LIFEBOAT_TIMESTAMP|$FOO"; echo oops >&2; exit 3`)
	s.Env = map[string]string{"FOO": "bar"}
	res := run(t, s)
	wantFail(t, res, "exit status 3")
	want := "L2|L1|error rate 35% > 20%|backup|3|false|2025-03-14T15:09:26Z|bar\noops\n"
	if res.Output != want {
		t.Fatalf("Output = %q, want %q", res.Output, want)
	}
	if res.ExitCode != 3 {
		t.Fatalf("ExitCode = %d, want 3", res.ExitCode)
	}
}

func TestCommandArgumentsAreNeverShellParsed(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "pwned")
	c := testContext()
	c.Reason = "$(touch " + marker + "); `touch " + marker + "`"
	s := cmdSpec("/bin/echo", "; touch "+marker, "$LIFEBOAT_REASON")
	res := newTestRunner(Options{}).Run(context.Background(), s, c)
	wantOK(t, res)
	if res.Output != "; touch "+marker+" $LIFEBOAT_REASON\n" {
		t.Fatalf("Output = %q: arguments were interpreted", res.Output)
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("marker exists: a shell ran")
	}
}

func TestCommandTimeoutKillsProcessGroup(t *testing.T) {
	// The shell starts a background sleep, prints its pid, then sleeps in
	// the foreground. Killing only the shell would leave the background
	// sleep alive, holding the output pipe for pipeGrace.
	s := cmdSpec("/bin/sh", "-c", "/bin/sleep 10 & echo $!; /bin/sleep 10")
	s.Timeout = 100 * time.Millisecond
	begin := time.Now()
	res := run(t, s)
	elapsed := time.Since(begin)
	wantFail(t, res, "timed out after 100ms")
	if !strings.HasPrefix(res.Error, ErrTimeout.Error()) {
		t.Fatalf("Error = %q, want ErrTimeout's text", res.Error)
	}
	if res.ExitCode != -1 {
		t.Fatalf("ExitCode = %d, want -1 for a killed command", res.ExitCode)
	}
	if elapsed >= pipeGrace {
		t.Fatalf("Run took %s: it waited for the pipes instead of killing the group", elapsed)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(res.Output))
	if err != nil {
		t.Fatalf("Output %q is not the child's pid", res.Output)
	}
	eventually(t, "background sleep killed", func() bool { return processGone(pid) })
}

func TestCommandTimeoutPlainSleep(t *testing.T) {
	s := cmdSpec("/bin/sleep", "10")
	s.Timeout = 100 * time.Millisecond
	res := run(t, s)
	wantFail(t, res, "timed out")
	if res.ExitCode != -1 {
		t.Fatalf("ExitCode = %d, want -1", res.ExitCode)
	}
}

func TestCommandOutputTruncatedWithHead(t *testing.T) {
	sh := "yes | head -c 100000"
	res := run(t, cmdSpec("/bin/sh", "-c", sh))
	wantOK(t, res)
	want := strings.Repeat("y\n", MaxOutput/2) + "\n[output truncated: 83616 more bytes]"
	if res.Output != want {
		t.Fatalf("Output: len %d, tail %q", len(res.Output), res.Output[len(res.Output)-60:])
	}
}

func TestCommandEndlessOutputIsBounded(t *testing.T) {
	s := cmdSpec(needProgram(t, "yes"))
	s.Timeout = 200 * time.Millisecond
	res := run(t, s)
	wantFail(t, res, "timed out")
	if !strings.HasPrefix(res.Output, "y\ny\n") || len(res.Output) > MaxOutput+100 {
		t.Fatalf("Output: len %d, want at most %d plus a marker", len(res.Output), MaxOutput)
	}
	if !strings.Contains(res.Output, "[output truncated: ") {
		t.Fatalf("no truncation marker in %q", res.Output[MaxOutput-10:])
	}
}

func TestCommandNotFound(t *testing.T) {
	res := run(t, cmdSpec("/nonexistent/lifeboat-test-prog"))
	wantFail(t, res, ErrStart.Error())
	if res.ExitCode != -1 {
		t.Fatalf("ExitCode = %d, want -1", res.ExitCode)
	}
}

func TestCommandBareNameAndDir(t *testing.T) {
	dir := t.TempDir()
	s := cmdSpec("pwd")
	s.Dir = dir
	res := run(t, s)
	wantOK(t, res)
	real, _ := filepath.EvalSymlinks(dir)
	if got := strings.TrimSpace(res.Output); got != dir && got != real {
		t.Fatalf("pwd = %q, want %q", got, dir)
	}
}

func TestCommandBaseEnvironment(t *testing.T) {
	r := newTestRunner(Options{Environ: []string{"BASE=1", "LIFEBOAT_LEVEL=spoofed"}})
	res := r.Run(context.Background(), cmdSpec("/bin/sh", "-c", `echo "$BASE $LIFEBOAT_LEVEL ${HOME:-nohome}"`), testContext())
	wantOK(t, res)
	if res.Output != "1 L2 nohome\n" {
		t.Fatalf("Output = %q: base env not used, or context not winning", res.Output)
	}
}

func TestCommandBackgroundChildHoldingOutput(t *testing.T) {
	res := run(t, cmdSpec("/bin/sh", "-c", "/bin/sleep 30 & echo $!"))
	if pid, err := strconv.Atoi(strings.TrimSpace(res.Output)); err == nil {
		t.Cleanup(func() { syscall.Kill(pid, syscall.SIGKILL) })
	}
	wantFail(t, res, ErrOutputHeld.Error())
	if res.ExitCode != 0 {
		t.Fatalf("ExitCode = %d, want the shell's 0", res.ExitCode)
	}
}

func TestCommandCallerCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res := newTestRunner(Options{}).Run(ctx, cmdSpec("/bin/sleep", "10"), testContext())
	wantFail(t, res, ErrCanceled.Error())
}
