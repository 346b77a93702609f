package health

import (
	"strconv"
	"time"
)

// State is the health verdict of one upstream.
type State int32

// The states. Unknown holds from start until the first probe decides.
const (
	Unknown State = iota
	Up
	Down
)

// String returns "unknown", "up" or "down".
func (s State) String() string {
	switch s {
	case Unknown:
		return "unknown"
	case Up:
		return "up"
	case Down:
		return "down"
	}
	return "state(" + strconv.Itoa(int(s)) + ")"
}

// Usable reports whether traffic may be sent: an upstream is presumed
// usable until a check proves it down, so a gateway starting up does not
// refuse traffic before the first probe answers.
func (s State) Usable() bool { return s != Down }

// Result is the outcome of one probe.
type Result struct {
	// OK reports whether the probe passed.
	OK bool
	// Latency is how long the probe took, including reading the body.
	Latency time.Duration
	// StatusCode is the HTTP status, or 0 when no response arrived.
	StatusCode int
	// Reason is a short, stable explanation such as "ok", "status 503",
	// `field status="degraded"`, "connect refused" or "timeout".
	Reason string
	// Error is the full text of the underlying error, empty when none.
	Error string
	// At is when the probe started.
	At time.Time
}

// Change describes one state transition.
type Change struct {
	Name     string
	From, To State
	// At is when the deciding probe started.
	At time.Time
	// Result is the probe that decided the change.
	Result Result
}

// Status is a consistent snapshot of a checker's live state.
type Status struct {
	Name  string
	State State
	// Since is when State was entered; zero while Unknown.
	Since time.Time
	// ConsecutivePasses and ConsecutiveFailures count the current streak;
	// at most one of them is non-zero.
	ConsecutivePasses   int
	ConsecutiveFailures int
	// Last is the latest counted probe; zero before the first one.
	Last Result
	// FailingSince is when the first probe of the current failure streak
	// started: the onset of an outage as the checks saw it. Zero while the
	// latest probe passed.
	FailingSince time.Time
	// Checks and Failures count every counted probe since the start.
	Checks   int64
	Failures int64
}
