package trigger

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// ErrInvalidRule is wrapped by every error NewSet returns.
var ErrInvalidRule = errors.New("trigger: invalid rule")

// Kind says what a firing trigger asks of the escalation engine.
type Kind string

// The kinds.
const (
	// Immediate triggers take the system straight to Level 3.
	Immediate Kind = "immediate"
	// Warning triggers take the system to Level 1.
	Warning Kind = "warning"
)

// Op compares a reading with a threshold; both are strict.
type Op string

// The operators.
const (
	Above Op = ">" // bad when the value is greater than the threshold
	Below Op = "<" // bad when the value is less than the threshold
)

// Rule is one trigger's configuration.
type Rule struct {
	// Name identifies the trigger in events and status; unique in a Set.
	Name string
	// Kind is Immediate or Warning.
	Kind Kind
	// Source produces the readings; required.
	Source signal.Source
	// Signal names the source's type as configured ("avg_latency",
	// "functional_probe"), shown in the evidence so tools such as the
	// drill's preflight can tell which faults a trigger can see. Default
	// "": not said.
	Signal string
	// Op and Threshold define the bad condition: value Op Threshold.
	Op        Op
	Threshold float64
	// Unit is shown with the value. Default "": the reading's own unit.
	Unit string
	// For is how long the condition must hold before the trigger fires,
	// like Prometheus "for". Default 0: fire on the first bad reading.
	For time.Duration
	// ClearFor is how long the condition must stay false before a firing
	// trigger clears, like Prometheus "keep_firing_for". Default 0: clear
	// on the first good reading.
	ClearFor time.Duration
	// Scalable multiplies Threshold by the scale passed to Evaluate (the
	// plan's "alert thresholds lowered 50 %" at Level 2 is scale 0.5).
	// Only ">" rules may scale: lowering the threshold of a "<" rule would
	// make it less sensitive, the opposite of the intent, so NewSet
	// refuses Scalable on "<". Default false.
	Scalable bool
}

// validate reports what is wrong with r.
func (r Rule) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w %q: %s", ErrInvalidRule, r.Name, fmt.Sprintf(format, args...))
	}
	switch {
	case r.Name == "":
		return fmt.Errorf("%w: empty name", ErrInvalidRule)
	case r.Kind != Immediate && r.Kind != Warning:
		return bad("kind %q, want %q or %q", r.Kind, Immediate, Warning)
	case r.Op != Above && r.Op != Below:
		return bad("op %q, want %q or %q", r.Op, Above, Below)
	case r.Source == nil:
		return bad("no source")
	case math.IsNaN(r.Threshold) || math.IsInf(r.Threshold, 0):
		return bad("threshold %g is not finite", r.Threshold)
	case r.For < 0 || r.ClearFor < 0:
		return bad("negative for %s or clear_for %s", r.For, r.ClearFor)
	case r.Scalable && r.Op != Above:
		return bad("only %q rules can be scalable", Above)
	}
	return nil
}

// threshold is the threshold in force under scale. A scale that is not a
// positive finite number means 1.
func (r Rule) threshold(scale float64) (float64, float64) {
	if !r.Scalable || !(scale > 0) || math.IsInf(scale, 0) {
		return r.Threshold, 1
	}
	return r.Threshold * scale, scale
}

// bad applies the condition.
func (r Rule) bad(value, threshold float64) bool {
	if r.Op == Above {
		return value > threshold
	}
	return value < threshold
}
