package signal

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Limits on what a command may print and how long its pipes may stay open
// after it was killed (a grandchild holding them would otherwise block
// the read forever).
const (
	maxOutput = 64 << 10
	waitDelay = time.Second
)

// command is one configured process run: an argv list, never a shell
// string, so nothing from configuration or input is ever interpreted.
type command struct {
	argv    []string
	timeout time.Duration
}

func newCommand(argv []string, timeout time.Duration) (command, error) {
	if len(argv) == 0 || argv[0] == "" {
		return command{}, fmt.Errorf("%w: empty command", ErrConfig)
	}
	if timeout < 0 {
		return command{}, fmt.Errorf("%w: negative command timeout %s", ErrConfig, timeout)
	}
	return command{argv: slices.Clone(argv), timeout: timeout}, nil
}

// result is what one run produced.
type result struct {
	stdout, stderr string
	err            error // nil when the command exited 0
}

// run executes the command under its timeout (DefaultTimeout when zero)
// and captures up to maxOutput bytes of each stream.
func (c command) run(ctx context.Context) result {
	ctx, cancel := withTimeout(ctx, c.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.argv[0], c.argv[1:]...)
	cmd.WaitDelay = waitDelay
	var out, errOut limitedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if errors.Is(err, exec.ErrWaitDelay) {
		// The command exited 0 but left a child holding its output open;
		// what it printed before exiting is its answer.
		err = nil
	}
	if ctx.Err() != nil && err != nil {
		err = fmt.Errorf("timed out after %s: %w", timeoutOr(c.timeout), err)
	}
	return result{stdout: out.String(), stderr: errOut.String(), err: err}
}

// name is the program's base name for Detail.
func (c command) name() string {
	return c.argv[0][strings.LastIndexByte(c.argv[0], '/')+1:]
}

// limitedBuffer keeps the first maxOutput bytes and drops the rest while
// still accepting writes, so a chatty command is not killed by SIGPIPE.
// The buffer is a field, not embedded: an embedded bytes.Buffer would lend
// its ReadFrom to io.Copy, which would then bypass the limit.
type limitedBuffer struct{ buf bytes.Buffer }

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := maxOutput - b.buf.Len(); room > 0 {
		b.buf.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}

func (b *limitedBuffer) String() string { return b.buf.String() }

// CommandSource reads a number a command prints. See Command.
type CommandSource struct{ cmd command }

// Command runs argv (argv[0] is the program, looked up in PATH when it has
// no slash; no shell is involved) under timeout (DefaultTimeout when 0) and
// reads its trimmed stdout as a number, in percent for resource triggers.
// A failing command, a timeout or output that is not a number is invalid.
func Command(argv []string, timeout time.Duration) (*CommandSource, error) {
	c, err := newCommand(argv, timeout)
	if err != nil {
		return nil, err
	}
	return &CommandSource{cmd: c}, nil
}

// Read implements Source.
func (s *CommandSource) Read(ctx context.Context, _ time.Time) Reading {
	res := s.cmd.run(ctx)
	if res.err != nil {
		return invalid(UnitPercent, fmt.Errorf("%w: %s: %w%s", ErrUnreachable, s.cmd.name(), res.err, tail(res.stderr)))
	}
	text := strings.TrimSpace(res.stdout)
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return invalid(UnitPercent, fmt.Errorf("%w: %s printed %q, want a number", ErrMalformed, s.cmd.name(), shorten(text)))
	}
	return Reading{Value: v, Valid: true, Unit: UnitPercent, Detail: fmt.Sprintf("%s -> %g", s.cmd.name(), v)}
}

// tail renders the end of stderr for an error message, or nothing.
func tail(stderr string) string {
	s := strings.TrimSpace(stderr)
	if s == "" {
		return ""
	}
	if len(s) > maxShown {
		s = "..." + s[len(s)-maxShown:]
	}
	return " (stderr: " + s + ")"
}

// maxShown bounds how much foreign text (output, bodies) Detail quotes.
const maxShown = 200

func shorten(s string) string {
	if len(s) <= maxShown {
		return s
	}
	return s[:maxShown] + "..."
}
