package journal

import (
	"errors"

	"github.com/lifeboat-sre/lifeboat/internal/envelope"
)

// Fixed error values of the package; callers test them with errors.Is.
var (
	// ErrInvalid is a request the journal refuses, as OpenViking would
	// (bad id, missing field, body too large). Nothing is appended.
	ErrInvalid = errors.New("journal: invalid request")
	// ErrNotFound is a session deleted while held.
	ErrNotFound = errors.New("journal: session not found")
	// ErrUnavailable is a read the journal cannot answer: the session is
	// not held, so only the (unavailable) primary knows it.
	ErrUnavailable = errors.New("journal: session is on the primary")
	// ErrBroken is returned by every append once a write or fsync failed:
	// nothing is acknowledged after a failed fsync.
	ErrBroken = errors.New("journal: broken after a failed write or fsync")
	// ErrClosed is returned by calls made after Close.
	ErrClosed = errors.New("journal: closed")
	// ErrCorrupt is a complete, checksummed record Open cannot apply.
	ErrCorrupt = errors.New("journal: corrupt record")
	// ErrPrimary stops a replay: the primary is unreachable, overloaded or
	// refuses the credentials. The op stays pending for a later Replay.
	ErrPrimary = errors.New("journal: primary cannot take the replay")
)

// reqError is a refusal with the message OpenViking would put in its
// envelope; it unwraps to one of the fixed errors above.
type reqError struct {
	kind error
	msg  string
	code string // OpenViking's code when it is not the kind's own
}

func (e *reqError) Error() string { return e.kind.Error() + ": " + e.msg }
func (e *reqError) Unwrap() error { return e.kind }

func invalid(msg string) error { return &reqError{kind: ErrInvalid, msg: msg} }

// invalidURI is a refused viking:// URI: INVALID_URI, still a 400.
func invalidURI(msg string) error {
	return &reqError{kind: ErrInvalid, msg: msg, code: envelope.InvalidURI}
}

func notFound(id string) error {
	return &reqError{kind: ErrNotFound, msg: "Session " + id + " not found"}
}

func onPrimary(id string) error {
	return &reqError{kind: ErrUnavailable, msg: "session " + id + " is on the primary, which is unavailable"}
}

// codeOf maps an error of this package to the OpenViking error code the
// client gets; the HTTP status follows from envelope's table. Anything
// unknown is the journal's own failure, so the client is told to retry
// (503 UNAVAILABLE), never that its write was taken.
func codeOf(err error) string {
	var re *reqError
	if errors.As(err, &re) && re.code != "" {
		return re.code
	}
	switch {
	case errors.Is(err, ErrInvalid):
		return envelope.InvalidArgument
	case errors.Is(err, ErrNotFound):
		return envelope.NotFound
	}
	return envelope.Unavailable
}

// messageOf is the envelope's message for err.
func messageOf(err error) string {
	var re *reqError
	if errors.As(err, &re) {
		return re.msg
	}
	return err.Error()
}
