package operation

import "errors"

// ErrInvalid marks a parameter that was refused; nothing was changed.
var ErrInvalid = errors.New("operation: invalid parameter")

// FieldError names the refused parameter by its JSON or YAML name and says
// why. It wraps ErrInvalid, so callers can test with errors.Is.
type FieldError struct {
	Field string
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Unwrap lets errors.Is(err, ErrInvalid) hold.
func (e *FieldError) Unwrap() error { return ErrInvalid }
