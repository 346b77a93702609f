// Package level is the escalation state machine: it walks the operations
// plan's levels by itself, from Level 0 (normal) through Level 1 (degrade),
// Level 2 (isolate) and Level 3 (full rollback to the fallback), and back
// through a staged restore.
//
// The engine decides; it does not measure or act by itself. Triggers tell it
// what is wrong, a Verifier proves the fallback and the primary healthy, a
// Router moves traffic and an ActionRunner runs the level's actions. Every
// decision is an event carrying its evidence, and the state survives a
// restart through a Store.
package level

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// Level is one of the plan's levels.
type Level int

// The plan's levels.
const (
	L0 Level = iota // normal
	L1              // graceful degradation
	L2              // service isolation: the fallback backs the primary up
	L3              // full rollback: the fallback serves everything
)

func (l Level) String() string { return fmt.Sprintf("L%d", int(l)) }

// Name is the level's name as the engine's facts carry it.
func (l Level) Name() fact.Level { return fact.Level(l.String()) }

// ParseLevel accepts "L2", "l2" or "2".
func ParseLevel(s string) (Level, error) {
	for l := L0; l <= L3; l++ {
		if s == l.String() || s == fmt.Sprint(int(l)) || s == fmt.Sprintf("l%d", int(l)) {
			return l, nil
		}
	}
	return 0, fmt.Errorf("%w: %q (want L0, L1, L2 or L3)", ErrBadLevel, s)
}

// MarshalJSON writes "L2".
func (l Level) MarshalJSON() ([]byte, error) { return json.Marshal(l.String()) }

// UnmarshalJSON reads "L2" or 2.
func (l *Level) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		var n int
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		s = fmt.Sprint(n)
	}
	v, err := ParseLevel(s)
	*l = v
	return err
}

// Phase refines a level: where in the rollback or restore the engine is.
type Phase string

// Phases. L0, L1 and L2 have one phase each; L3 walks the rest in order.
const (
	Normal     Phase = "normal"      // L0
	Degraded   Phase = "degraded"    // L1
	Isolated   Phase = "isolated"    // L2: backup mode
	Verifying  Phase = "verifying"   // L3: proving the fallback before moving traffic
	OnFallback Phase = "on_fallback" // L3: the fallback serves everything; waiting for the primary
	AwaitAck   Phase = "await_ack"   // L3: primary healthy for the hold-down; waiting for a person
	Restoring  Phase = "restoring"   // L3: traffic stepping back to the primary
)

// Phases lists every phase in the order an incident walks them, for views
// that must show all of them (a metric's state set, a legend).
var Phases = []Phase{Normal, Degraded, Isolated, Verifying, OnFallback, AwaitAck, Restoring}

// State is everything the engine must remember across a restart.
type State struct {
	Level Level `json:"level"`
	Phase Phase `json:"phase"`
	// Since is when the current level began.
	Since time.Time `json:"since"`
	// IncidentStart is when the system left L0; zero at L0.
	IncidentStart time.Time `json:"incident_start,omitzero"`
	// LastIssue is when a trigger last fired.
	LastIssue time.Time `json:"last_issue,omitzero"`
	// HealthySince is when the primary was last seen becoming healthy
	// while on the fallback; zero while it is not healthy.
	HealthySince time.Time `json:"healthy_since,omitzero"`
	// Step is the index of the current restore step; StepSince its start.
	Step      int       `json:"step"`
	StepSince time.Time `json:"step_since,omitzero"`
	// Acked records a person's go-ahead for the restore.
	Acked   bool   `json:"acked"`
	AckedBy string `json:"acked_by,omitempty"`
	// Paused stops automation; the engine still evaluates and reports.
	Paused bool `json:"paused"`
	// Manual is set when a person changed the level or the restore during
	// this incident (the plan's "no manual intervention" metric).
	Manual bool `json:"manual"`
	// Rollback is the outcome of the last Level 3 verification.
	Rollback string `json:"rollback,omitempty"`
	// Held names the triggers that were active when a person last set the
	// level, with when each entered its state: they start no escalation
	// until they fire anew (see override.go).
	Held map[string]time.Time `json:"held,omitempty"`
	// Critical is set while the fallback is not healthy enough to take
	// traffic at Level 3.
	Critical bool `json:"critical"`
	// Upstreams are the services this state belongs to (see binding.go).
	// Empty in a state saved before states were bound.
	Upstreams Upstreams `json:"upstreams,omitzero"`
}

// Rollback outcomes, in the plan's words.
const (
	RollbackSuccessful = string(fact.RollbackSuccessful)
	RollbackFailed     = string(fact.RollbackFailed)
)

func normalState(now time.Time) State {
	return State{Level: L0, Phase: Normal, Since: now}
}
