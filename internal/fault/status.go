package fault

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// Kinds of the events an Injector emits, so incidents show when a drill's
// fault began and ended.
const (
	// KindSet records a fault taking effect (fields: the fault's JSON
	// fields, by, until).
	KindSet = fact.KindFaultSet
	// KindCleared records a fault ending (fields: the fault's JSON
	// fields, reason, by when a person cleared it).
	KindCleared = "fault.cleared"
)

// Reasons a fault ends, the "reason" field of a KindCleared event.
const (
	ReasonCleared  = "cleared"  // Clear was called
	ReasonExpired  = "expired"  // its duration ran out
	ReasonReplaced = "replaced" // Set installed another fault
	ReasonStopped  = "stopped"  // the Injector stopped
)

// Status describes the active fault, as GET /admin/faults shows it.
type Status struct {
	// Active is false when no fault is in force; the other fields are
	// then empty.
	Active bool `json:"active"`
	// Fault is the fault in force.
	Fault Fault `json:"fault,omitzero"`
	// Description is Fault for people.
	Description string `json:"description,omitempty"`
	// By names who set it.
	By string `json:"by,omitempty"`
	// Since and Until bound it; it reverts by itself at Until.
	Since time.Time `json:"since,omitzero"`
	Until time.Time `json:"until,omitzero"`
	// RemainingMS is the time left at the moment of the answer.
	RemainingMS int64 `json:"remaining_ms,omitempty"`
}

// Remaining is the time left as a duration.
func (s Status) Remaining() time.Duration { return time.Duration(s.RemainingMS) * time.Millisecond }

func (a *active) status(now time.Time) Status {
	return Status{Active: true, Fault: a.f, Description: a.f.String(), By: a.by, Since: a.since, Until: a.until,
		RemainingMS: max(a.until.Sub(now), 0).Milliseconds()}
}

// fields are a fault's JSON fields, for events; zero values are left out
// as in the JSON.
func (f Fault) fields() map[string]any {
	m := map[string]any{"duration_ms": f.DurationMS}
	put := func(k string, on bool, v any) {
		if on {
			m[k] = v
		}
	}
	put("latency_ms", f.LatencyMS != 0, f.LatencyMS)
	put("jitter_ms", f.JitterMS != 0, f.JitterMS)
	put("error_rate", f.ErrorRate != 0, f.ErrorRate)
	put("error_status", f.ErrorRate != 0, f.errorStatus())
	put("down", f.Down, true)
	put("hang", f.Hang, true)
	put("corrupt_search", f.CorruptSearch, true)
	return m
}

func (i *Injector) emitSet(a *active) {
	m := a.f.fields()
	m["by"], m["until"] = a.by, a.until
	i.emit(event.Event{Time: a.since, Kind: KindSet, Severity: event.Warning,
		Message: "fault injected toward the primary: " + a.f.String(), Fields: m})
}

func (i *Injector) emitCleared(a *active, reason, by string) {
	m := a.f.fields()
	m["reason"] = reason
	if by != "" {
		m["by"] = by
	}
	i.emit(event.Event{Time: time.Now(), Kind: KindCleared, Severity: event.Info,
		Message: "fault toward the primary " + reason + ": " + a.f.String(), Fields: m})
}

func (i *Injector) emit(e event.Event) {
	if i.events != nil {
		e.Source = "fault"
		i.events.Emit(e)
	}
}
