package load

import (
	"context"
	"errors"
	"io"
	"net"
	"syscall"
)

// ErrorClass names why a request got no answer.
type ErrorClass string

// The transport failure classes, from the most to the least specific.
const (
	// ClassTimeout: the request's time ran out (Options.Timeout), as when
	// the server hangs.
	ClassTimeout ErrorClass = "timeout"
	// ClassRefused: nothing listens at the address, as when the server is
	// down.
	ClassRefused ErrorClass = "connect_refused"
	// ClassReset: the connection was closed or reset before the answer
	// was complete, as when the server dies mid-request.
	ClassReset ErrorClass = "reset"
	// ClassOther: anything else, such as a name that does not resolve.
	ClassOther ErrorClass = "other"
)

// classes lists every ErrorClass, the index of its counter.
var classes = [...]ErrorClass{ClassTimeout, ClassRefused, ClassReset, ClassOther}

// Classify names the class of a transport error returned by an
// http.Client; nil has no class and returns "".
func Classify(err error) ErrorClass {
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return ClassTimeout
	case errors.Is(err, syscall.ECONNREFUSED):
		return ClassRefused
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return ClassReset
	}
	return ClassOther
}

// classIndex is the counter index of c.
func classIndex(c ErrorClass) int {
	for i, k := range classes {
		if k == c {
			return i
		}
	}
	return len(classes) - 1
}
