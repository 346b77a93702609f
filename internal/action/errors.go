package action

import (
	"errors"
	"strconv"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// Errors reported by this package. Result.Error carries their text; the
// functions that return errors wrap them with %w.
var (
	// ErrInvalid marks a Spec that fails validation. Every field error
	// matches it with errors.Is.
	ErrInvalid = errors.New("action: invalid spec")
	// ErrUnknownBuiltin means a builtin action names no registered built-in.
	ErrUnknownBuiltin = errors.New("action: unknown built-in")
	// ErrTimeout means the action outlived its Timeout and was stopped.
	ErrTimeout = errors.New("action: timed out")
	// ErrCanceled means the caller's context ended before the action did.
	ErrCanceled = errors.New("action: canceled")
	// ErrStart means the command could not be started.
	ErrStart = errors.New("action: command did not start")
	// ErrExit means the command exited with a non-zero status or a signal.
	ErrExit = errors.New("action: command failed")
	// ErrOutputHeld means the command exited but a process it left behind
	// kept its output open past the grace period.
	ErrOutputHeld = errors.New("action: output held open after exit")
	// ErrRequest means the HTTP request could not be built or sent.
	ErrRequest = errors.New("action: request failed")
	// ErrStatus means the HTTP response status is not an expected one.
	ErrStatus = errors.New("action: unexpected HTTP status")
	// ErrBuiltin wraps the error a built-in returned.
	ErrBuiltin = errors.New("action: built-in failed")
	// ErrPanic means a built-in (or the runner itself) panicked; the panic
	// is recovered and recorded.
	ErrPanic = errors.New("action: panic")
	// ErrParam marks a built-in parameter of the wrong type or value.
	ErrParam = errors.New("action: invalid parameter")
)

// fieldError names the action and the field (by its YAML name) that is
// wrong; it wraps ErrInvalid.
func fieldError(action, name, format string, args ...any) *field.Error {
	e := field.New(ErrInvalid, name, format, args...)
	e.Subject = "action"
	if action != "" {
		e.Subject += " " + strconv.Quote(action)
	}
	return e
}
