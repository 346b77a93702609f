package fact

import "time"

// Kinds of the level engine's facts.
const (
	KindLevelChanged      = "level.changed"
	KindTriggerFired      = "trigger.fired"
	KindTriggerCleared    = "trigger.cleared"
	KindActionRan         = "action.ran"
	KindActionFailed      = "action.failed"
	KindFallbackVerified  = "rollback.fallback_verified"
	KindFallbackUnhealthy = "rollback.fallback_unhealthy"
	KindRollback          = "rollback.result"
	KindRestoreWaiting    = "restore.waiting"
	KindRestoreStep       = "restore.step"
	KindRestoreFailed     = "restore.failed"
	KindRestoreDone       = "restore.completed"
	KindDecision          = "level.decision"
	KindControl           = "level.control"
	KindStateSaveFailed   = "level.state_save_failed"
	KindForeignState      = "level.foreign_state"
)

// LevelChanged is the engine moving between levels. A change from L0
// opens an incident; the change back to L0 ends it.
type LevelChanged struct {
	From   Level  `json:"from"`
	To     Level  `json:"to"`
	Reason string `json:"reason"`
	// Evidence is the firing triggers' evidence ([]trigger.Evidence as
	// emitted); FirstReading reads it.
	Evidence any `json:"evidence"`
	// Primary and Fallback name the services the incident is about.
	Primary  string `json:"primary"`
	Fallback string `json:"fallback"`
}

// Opens reports the change that starts an incident.
func (f LevelChanged) Opens() bool { return f.From == L0 && f.To != L0 }

// Ends reports the change back to normal.
func (f LevelChanged) Ends() bool { return f.To == L0 }

// FirstReading is the first trigger named in the change's evidence.
func (f LevelChanged) FirstReading() Evidence {
	var list []Evidence
	readAs(f.Evidence, &list)
	if len(list) == 0 {
		return Evidence{}
	}
	return list[0]
}

// TriggerFired is a trigger becoming active.
type TriggerFired struct {
	// Evidence is the trigger's evidence (trigger.Evidence as emitted);
	// Reading reads it.
	Evidence any `json:"evidence"`
	// Paused is set when the engine was paused and will not act on it.
	Paused bool `json:"paused"`
}

// Reading is the part of the evidence readers need.
func (f TriggerFired) Reading() Evidence {
	var ev Evidence
	readAs(f.Evidence, &ev)
	return ev
}

// TriggerCleared is an active trigger becoming inactive.
type TriggerCleared struct {
	Evidence any `json:"evidence"`
}

// ActionRan is an action that succeeded; Result is its action.Result.
type ActionRan struct {
	Result any `json:"result"`
}

// ActionFailed is an action that failed; Result is its action.Result.
type ActionFailed struct {
	Result any `json:"result"`
}

// FallbackVerified is the fallback proven healthy before Level 3 isolates
// the primary.
type FallbackVerified struct{}

// FallbackUnhealthy is the fallback failing that proof; traffic stays.
type FallbackUnhealthy struct {
	Error string `json:"error"`
}

// RollbackResult is the end-to-end verification after isolating the
// primary. Verdict is not a field of the event: its message starts with
// it, and a failure is the one that carries Error.
type RollbackResult struct {
	Verdict Verdict `json:"-"`
	// Triggers is the evidence that led to Level 3 ([]trigger.Evidence).
	Triggers any    `json:"triggers"`
	Error    string `json:"error,omitempty"`
}

// Succeeded reports the plan's successful verdict.
func (f RollbackResult) Succeeded() bool { return f.Verdict == RollbackSuccessful }

// RestoreWaiting is the restore held: the hold-down started, reset or
// waits for an acknowledgement.
type RestoreWaiting struct{}

// RestoreStep is the restore moving traffic to its next step.
type RestoreStep struct {
	Step   int    `json:"step"`   // from 1
	Weight int    `json:"weight"` // percent to the primary
	Hold   string `json:"hold"`
}

// RestoreFailed is the restore aborted, traffic back on the fallback.
type RestoreFailed struct {
	Reason   string `json:"reason"`
	Triggers any    `json:"triggers"`
}

// RestoreCompleted is the primary serving everything again.
type RestoreCompleted struct{}

// Decision is an engine decision with nothing more to say than its
// message: resumed after a restart, or unable to route.
type Decision struct{}

// RouteDecision is the routing a dry run would have set.
type RouteDecision struct {
	Mode          string `json:"mode"`
	PrimaryWeight int    `json:"primary_weight"`
}

// StartDecision is the start period's end.
type StartDecision struct {
	PrimaryUp bool `json:"primary_up"`
}

// Control is a person commanding the engine.
type Control struct {
	By      string `json:"by"`
	Command string `json:"command"`
	// Overrode says what the command overrode, empty when nothing.
	Overrode string `json:"overrode"`
}

// StateSaveFailed is the engine unable to persist its state.
type StateSaveFailed struct{}

// ForeignState is a stored state that belonged to other services, not
// resumed.
type ForeignState struct {
	FoundLevel    Level     `json:"found_level"`
	FoundPhase    string    `json:"found_phase"`
	FoundSince    time.Time `json:"found_since"`
	FoundPrimary  string    `json:"found_primary"`
	FoundFallback string    `json:"found_fallback"`
	Primary       string    `json:"primary"`
	Fallback      string    `json:"fallback"`
}

// Kind implements Fact.
func (LevelChanged) Kind() string { return KindLevelChanged }

// Kind implements Fact.
func (TriggerFired) Kind() string { return KindTriggerFired }

// Kind implements Fact.
func (TriggerCleared) Kind() string { return KindTriggerCleared }

// Kind implements Fact.
func (ActionRan) Kind() string { return KindActionRan }

// Kind implements Fact.
func (ActionFailed) Kind() string { return KindActionFailed }

// Kind implements Fact.
func (FallbackVerified) Kind() string { return KindFallbackVerified }

// Kind implements Fact.
func (FallbackUnhealthy) Kind() string { return KindFallbackUnhealthy }

// Kind implements Fact.
func (RollbackResult) Kind() string { return KindRollback }

// Kind implements Fact.
func (RestoreWaiting) Kind() string { return KindRestoreWaiting }

// Kind implements Fact.
func (RestoreStep) Kind() string { return KindRestoreStep }

// Kind implements Fact.
func (RestoreFailed) Kind() string { return KindRestoreFailed }

// Kind implements Fact.
func (RestoreCompleted) Kind() string { return KindRestoreDone }

// Kind implements Fact.
func (Decision) Kind() string { return KindDecision }

// Kind implements Fact.
func (RouteDecision) Kind() string { return KindDecision }

// Kind implements Fact.
func (StartDecision) Kind() string { return KindDecision }

// Kind implements Fact.
func (Control) Kind() string { return KindControl }

// Kind implements Fact.
func (StateSaveFailed) Kind() string { return KindStateSaveFailed }

// Kind implements Fact.
func (ForeignState) Kind() string { return KindForeignState }
