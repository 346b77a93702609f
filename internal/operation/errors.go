package operation

import (
	"errors"

	"github.com/lifeboat-sre/lifeboat/internal/field"
)

// ErrInvalid marks a parameter that was refused; nothing was changed. A
// refusal is a *field.Error naming the parameter by its JSON or YAML name,
// so callers test with errors.Is and read the field with errors.As.
var ErrInvalid = errors.New("operation: invalid parameter")

// invalid refuses the parameter name for msg.
func invalid(name, msg string) *field.Error {
	return &field.Error{Field: name, Msg: msg, Kind: ErrInvalid}
}
