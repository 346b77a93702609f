package signal

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestCommand(t *testing.T) {
	read := func(argv ...string) Reading {
		src, err := Command(argv, 2*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return src.Read(context.Background(), t0)
	}
	r := read("/bin/echo", "93.5")
	wantValid(t, r, 93.5)
	wantDetail(t, r, "echo -> 93.5")

	r = read("/bin/sh", "-c", "echo oops >&2; exit 3")
	wantInvalid(t, r, ErrUnreachable)
	wantDetail(t, r, "exit status 3", "stderr: oops")
	wantInvalid(t, read("/bin/false"), ErrUnreachable)
	wantInvalid(t, read("/bin/echo", "ninety"), ErrMalformed)
	wantInvalid(t, read("/nonexistent/program"), ErrUnreachable)
	// Arguments are never interpreted by a shell.
	wantInvalid(t, read("/bin/echo", "1; echo 2"), ErrMalformed)
}

func TestCommandTimesOut(t *testing.T) {
	src, _ := Command([]string{"/bin/sleep", "5"}, 100*time.Millisecond)
	r := src.Read(context.Background(), t0)
	wantInvalid(t, r, ErrUnreachable)
	// Had it waited for sleep to exit, the empty output would read as
	// ErrMalformed instead.
	wantDetail(t, r, "timed out after 100ms")
}

func TestCommandLeftoverChild(t *testing.T) {
	// The shell exits at once but a background child holds stdout open;
	// the answer printed before exiting still counts.
	src, _ := Command([]string{"/bin/sh", "-c", "sleep 2 & echo 42"}, 3*time.Second)
	wantValid(t, src.Read(context.Background(), t0), 42)
}

func TestCommandOutputIsBounded(t *testing.T) {
	src, _ := Command([]string{"/bin/sh", "-c", "head -c 200000 /dev/zero | tr '\\0' 'x'"}, 2*time.Second)
	r := src.Read(context.Background(), t0)
	wantInvalid(t, r, ErrMalformed)
	if len(r.Detail) > 2*maxShown {
		t.Fatalf("detail of %d bytes", len(r.Detail))
	}
}

func TestCommandCapturesAtMostMaxOutput(t *testing.T) {
	c, _ := newCommand([]string{"/bin/sh", "-c", "head -c 200000 /dev/zero"}, 2*time.Second)
	res := c.run(context.Background())
	if res.err != nil || len(res.stdout) != maxOutput {
		t.Fatalf("captured %d bytes (err %v), want %d", len(res.stdout), res.err, maxOutput)
	}
}

func TestCommandCheck(t *testing.T) {
	read := func(ctx context.Context, timeout time.Duration, argv ...string) Reading {
		src, err := CommandCheck(argv, timeout)
		if err != nil {
			t.Fatal(err)
		}
		return src.Read(ctx, t0)
	}
	ctx := context.Background()
	wantCheck(t, read(ctx, 0, "/bin/true"), false)
	r := read(ctx, 0, "/bin/false")
	wantCheck(t, r, true)
	wantDetail(t, r, "false", "exit status 1")
	wantCheck(t, read(ctx, 0, "/nonexistent/check"), true)
	r = read(ctx, 100*time.Millisecond, "/bin/sleep", "5")
	wantCheck(t, r, true) // a check that hangs has failed
	wantDetail(t, r, "timed out")
	// A cancelled caller says nothing about the checked system.
	wantInvalid(t, read(cancelledCtx(), 0, "/bin/false"), context.Canceled)
}

func TestCommandConfig(t *testing.T) {
	for _, argv := range [][]string{nil, {}, {""}} {
		if _, err := Command(argv, time.Second); !errors.Is(err, ErrConfig) {
			t.Errorf("%q: err = %v", argv, err)
		}
		if _, err := CommandCheck(argv, time.Second); !errors.Is(err, ErrConfig) {
			t.Errorf("check %q: err = %v", argv, err)
		}
	}
	if _, err := Command([]string{"/bin/true"}, -time.Second); !errors.Is(err, ErrConfig) {
		t.Errorf("negative timeout: err = %v", err)
	}
	argv := []string{"/bin/echo", "1"}
	src, _ := Command(argv, 0)
	argv[1] = "oops" // the source keeps its own copy
	if r := src.Read(context.Background(), t0); !strings.Contains(r.Detail, "-> 1") {
		t.Fatalf("argv was not copied: %+v", r)
	}
}
