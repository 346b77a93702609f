package action

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Result records one run of an action. It is complete whether the action
// succeeded, failed, timed out or was only described in a dry run.
type Result struct {
	// Name and Type come from the Spec.
	Name string `json:"name"`
	Type Type   `json:"type"`
	// Started is when the run began; Duration how long it took.
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	// OK is true when the action succeeded (or, in a dry run, would run).
	OK bool `json:"ok"`
	// DryRun is true when nothing was run and Output describes the action.
	DryRun bool `json:"dry_run,omitempty"`
	// ExitCode is the command's exit status; -1 when it was killed or did
	// not start. Zero for other types.
	ExitCode int `json:"exit_code,omitempty"`
	// HTTPStatus is the response status of an HTTP action, zero if none.
	HTTPStatus int `json:"http_status,omitempty"`
	// Output is stdout and stderr combined, the response body, the
	// built-in's output, or the dry-run description. At most MaxOutput
	// bytes plus a truncation marker, with secrets redacted.
	Output string `json:"output,omitempty"`
	// Error says why the action failed; empty when OK. Secrets redacted.
	Error string `json:"error,omitempty"`
}

// outcome is what a type-specific runner hands back to Run.
type outcome struct {
	output   string // already truncated and redacted
	exitCode int
	status   int
	err      error
}

// stopErr explains an error seen after ctx ended: the action's own timeout
// or the caller giving up. It returns nil while ctx is live.
func stopErr(ctx context.Context, timeout time.Duration) error {
	if ctx.Err() == nil {
		return nil
	}
	if errors.Is(context.Cause(ctx), ErrTimeout) {
		return fmt.Errorf("%w after %s", ErrTimeout, timeout)
	}
	return fmt.Errorf("%w: %w", ErrCanceled, context.Cause(ctx))
}
