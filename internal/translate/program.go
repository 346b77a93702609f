package translate

import (
	"context"
	"errors"

	"github.com/itchyny/gojq"
)

// program is a compiled jq program. A *gojq.Code is safe for concurrent
// runs, so one program serves every request.
type program struct {
	code *gojq.Code
}

// errNoValue reports a program that produced no output (e.g. `empty`).
var errNoValue = errors.New("the program produced no value")

// newProgram parses and compiles src. The compiler gets no environment and
// no module loader, so a program cannot read Lifeboat's environment
// variables (secrets) or files.
func newProgram(src string) (*program, error) {
	q, err := gojq.Parse(src)
	if err != nil {
		return nil, err
	}
	code, err := gojq.Compile(q)
	if err != nil {
		return nil, err
	}
	return &program{code: code}, nil
}

// first runs the program on in and returns its first output; later outputs
// are never computed. The run stops when ctx is done: the caller tells
// that apart from a program error by checking ctx.Err().
func (p *program) first(ctx context.Context, in any) (any, error) {
	v, ok := p.code.RunWithContext(ctx, in).Next()
	if !ok {
		return nil, errNoValue
	}
	if err, isErr := v.(error); isErr {
		return nil, jqError(err)
	}
	return v, nil
}

// jqError turns error("text") into plain "text" rather than gojq's
// "error: text", so a program can word the message clients see; and
// error({message, details}) into a message with OpenViking's details.
func jqError(err error) error {
	var halt *gojq.HaltError
	if errors.As(err, &halt) && halt.Value() == nil {
		return errNoValue
	}
	var ve gojq.ValueError
	if errors.As(err, &ve) {
		switch v := ve.Value().(type) {
		case string:
			return errors.New(v)
		case map[string]any:
			if msg, ok := v["message"].(string); ok {
				return &detailed{msg: msg, details: v["details"]}
			}
		}
	}
	return err
}

// detailed is a program's error with details for the envelope.
type detailed struct {
	msg     string
	details any
}

func (d *detailed) Error() string { return d.msg }
