// Package field reports invalid settings and values field by field: one
// error type every engine, the configuration loader and the fault injectors
// share, so a mistake reads the same wherever it is found and a caller that
// validates part of a larger document can put the part's path in front.
package field

import (
	"errors"
	"fmt"
	"strconv"
)

// Error names the field that is wrong and what is allowed.
type Error struct {
	// Subject, when set, names what holds the field (`action "page"`) and
	// is printed in front of it. Default empty: the field's path says it.
	Subject string
	// Field is the field's name or path as the user wrote it, by its YAML
	// or JSON name, such as "breaker.failure_threshold" or "latency_ms".
	Field string
	// Msg says what is wrong and what is allowed.
	Msg string
	// Kind is the owning package's error value, which errors.Is matches so
	// callers need not know this type. Default nil: none.
	Kind error
}

// New returns an Error of kind for field with a formatted message.
func New(kind error, name, format string, args ...any) *Error {
	return &Error{Field: name, Msg: fmt.Sprintf(format, args...), Kind: kind}
}

func (e *Error) Error() string {
	s := e.Field + ": " + e.Msg
	if e.Subject != "" {
		s = e.Subject + ": " + s
	}
	return s
}

// Unwrap lets errors.Is(err, Kind) hold.
func (e *Error) Unwrap() error { return e.Kind }

// Prefix puts path in front of the field of every Error in err, joined or
// not, and gives them kind when kind is not nil: a document validates its
// parts with their own Validate and reports each mistake under the part's
// path. Errors that are not field errors are reported on path itself.
func Prefix(path string, kind error, err error) error {
	if err == nil {
		return nil
	}
	var list []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		list = j.Unwrap()
	} else {
		list = []error{err}
	}
	out := make([]error, 0, len(list))
	for _, e := range list {
		out = append(out, prefixOne(path, kind, e))
	}
	return errors.Join(out...)
}

func prefixOne(path string, kind, err error) error {
	fe, ok := err.(*Error)
	if !ok {
		return &Error{Field: path, Msg: err.Error(), Kind: kind}
	}
	cp := *fe
	cp.Field = join(path, fe.Field)
	if kind != nil {
		cp.Kind = kind
	}
	return &cp
}

func join(path, name string) string {
	switch {
	case path == "":
		return name
	case name == "":
		return path
	case name[0] == '[':
		return path + name // An index follows its list without a dot.
	}
	return path + "." + name
}

// Check is one rule on one field: when Bad, the field is wrong for Msg.
type Check struct {
	Field string
	Bad   bool
	Msg   string
}

// First returns the first failing check, in order, as an Error of kind
// said of subject, or nil when every check passes.
func First(kind error, subject string, checks []Check) error {
	for _, c := range checks {
		if c.Bad {
			return &Error{Subject: subject, Field: c.Field, Msg: c.Msg, Kind: kind}
		}
	}
	return nil
}

// Range is the check that v lies within lo and hi, bounds included; NaN
// never does.
func Range(name string, v, lo, hi float64) Check {
	return Check{Field: name, Bad: !(v >= lo && v <= hi), Msg: "must be between " + num(lo) + " and " + num(hi)}
}

// OptionalRange is Range for a field whose zero means "not set".
func OptionalRange(name string, v, lo, hi float64) Check {
	c := Range(name, v, lo, hi)
	c.Bad = c.Bad && v != 0
	return c
}

// NotNegative is the check that v is zero or more.
func NotNegative(name string, v float64) Check {
	return Check{Field: name, Bad: !(v >= 0), Msg: "must not be negative"}
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
