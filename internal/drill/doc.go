// Package drill runs the plan's fallback drills (fallback_drill.sh) and
// keeps their history (measure_recovery_time.py).
//
// A drill is a scenario played against a running gateway: steady load
// starts, a fault is injected into the primary for a set time, the
// gateway's own automation detects it, rolls back to the fallback and,
// once the fault is reverted, walks the staged restore back to Level 0.
// The drill then reads the incident the gateway recorded and judges the
// plan's success metrics against their targets, adding what only the
// clients can tell: the seconds in which its load saw failures, and
// whether every session write the gateway acknowledged is on the primary
// after the restore.
//
// The drill acts on the system only through a Faults implementation and
// reads it only through the gateway's admin API and the primary's
// sessions API, so the same code drills a gateway in another process and
// one embedded in a test. Package lab runs both simulators and a gateway
// in-process with compressed timings, for the tests and `lifeboat demo`;
// this package does not depend on the gateway's code, only on its API.
//
// The package never logs: narration goes to Options.OnNote.
package drill

import "errors"

// Fixed error values of the package; callers test them with errors.Is.
var (
	// ErrOptions is wrapped by every error about invalid Options.
	ErrOptions = errors.New("drill: invalid options")
	// ErrScenario means the scenario name is not one of Scenarios().
	ErrScenario = errors.New("drill: unknown scenario")
	// ErrNotReady means the gateway is not in a state to be drilled: not
	// reachable, escalation off or paused, not at Level 0, an upstream
	// down, or its dry-run setting differs from the drill's.
	ErrNotReady = errors.New("drill: the gateway is not ready for a drill")
	// ErrUnsupported means the gateway has no trigger that can detect the
	// scenario's fault, such as data_corruption without an integrity check.
	ErrUnsupported = errors.New("drill: the gateway cannot detect this scenario")
	// ErrFault wraps a failure to inject or revert a fault.
	ErrFault = errors.New("drill: fault injection failed")
	// ErrAborted means the steady-state guard stopped the drill because
	// the fallback was being hurt too; the fault was reverted.
	ErrAborted = errors.New("drill: aborted by the steady-state guard")
	// ErrInterrupted means the caller's context ended the drill; the fault
	// was reverted.
	ErrInterrupted = errors.New("drill: interrupted")
	// ErrStore wraps a failure to read or write the drill history.
	ErrStore = errors.New("drill: history store")
)
