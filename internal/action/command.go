package action

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os/exec"
	"slices"
	"time"
)

// pipeGrace is how long Wait keeps reading output after the command exited
// or was killed. A background process that inherited the pipes would
// otherwise block Wait until it ends, unbounded.
const pipeGrace = time.Second

// runCommand runs s.Command without a shell, in its own process group so a
// timeout kills the children too, with stdin from /dev/null and stdout and
// stderr combined into one bounded capture.
func (r *Runner) runCommand(ctx context.Context, s Spec, d templateData) outcome {
	cmd := exec.CommandContext(ctx, s.Command[0], s.Command[1:]...)
	cmd.Env = r.commandEnv(s, d)
	cmd.Dir = s.Dir
	out := newCapture(r.redact.keep())
	cmd.Stdout, cmd.Stderr = out, out
	cmd.WaitDelay = pipeGrace
	killGroupOnCancel(cmd)
	err := cmd.Run()
	return outcome{output: out.text(r.redact), exitCode: exitCode(cmd), err: commandErr(ctx, s, err)}
}

// commandEnv layers the base environment, the Spec's Env and the context
// variables; exec keeps the last value of a duplicated key, so the context
// wins.
func (r *Runner) commandEnv(s Spec, d templateData) []string {
	env := slices.Clip(r.environ)
	for _, k := range slices.Sorted(maps.Keys(s.Env)) {
		env = append(env, k+"="+s.Env[k])
	}
	return append(env, d.environ()...)
}

// exitCode is the exit status, or -1 when the command was killed by a
// signal or never started.
func exitCode(cmd *exec.Cmd) int {
	if cmd.ProcessState == nil {
		return -1
	}
	return cmd.ProcessState.ExitCode()
}

func commandErr(ctx context.Context, s Spec, err error) error {
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return nil
	case stopErr(ctx, s.timeout()) != nil:
		return stopErr(ctx, s.timeout())
	case errors.Is(err, exec.ErrWaitDelay):
		return fmt.Errorf("%w: a background process kept stdout or stderr open for %s after the command exited; redirect its output", ErrOutputHeld, pipeGrace)
	case errors.As(err, &exitErr):
		return fmt.Errorf("%w: %s", ErrExit, exitErr)
	}
	return fmt.Errorf("%w: %w", ErrStart, err)
}
