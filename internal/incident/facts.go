package incident

import (
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// Kinds this package writes (see the fact package for their fields).
const (
	KindAcked      = fact.KindAcked
	KindTicked     = fact.KindTicked
	KindArtifact   = fact.KindArtifact
	KindClosed     = fact.KindClosed
	KindNotifySent = fact.KindNotifySent
)

const sourceIncident = "incident"

// Fact is the entry's typed fact: the one its event was built from while
// the entry is live, or else what its kind and fields decode to; nil for
// a kind without one, such as a note or a journal replay.
func (e Entry) Fact() fact.Fact {
	if e.fact != nil {
		return e.fact
	}
	f, _ := fact.Decode(e.Kind, e.Fields)
	return f
}

// typed returns e with its fact decoded once, for the readers that ask
// for it several times.
func (e Entry) typed() Entry {
	e.fact = e.Fact()
	return e
}

// entryOf is the timeline entry of ev, its fact kept.
func entryOf(ev event.Event) Entry {
	return Entry{Time: ev.Time, Kind: ev.Kind, Source: ev.Source, Severity: string(ev.Severity), Message: ev.Message,
		Fields: ev.Fields, fact: ev.Typed()}
}

// opens reports the level change that starts an incident.
func opens(f fact.Fact) bool {
	c, ok := f.(fact.LevelChanged)
	return ok && c.Opens()
}

// ends reports the level change back to normal.
func ends(f fact.Fact) bool {
	c, ok := f.(fact.LevelChanged)
	return ok && c.Ends()
}

// isolates reports routing that sends everything to the fallback.
func isolates(f fact.Fact) bool {
	r, ok := f.(fact.RoutingChanged)
	return ok && r.Isolates()
}

func rollbackOK(f fact.Fact) bool {
	r, ok := f.(fact.RollbackResult)
	return ok && r.Succeeded()
}

// updates reports facts that change what an alert says.
func updates(f fact.Fact) bool {
	switch f.(type) {
	case fact.LevelChanged, fact.RollbackResult:
		return true
	}
	return false
}

// monitoring reports a fact that shows the primary is being watched: a
// health verdict or a step of the restore.
func monitoring(f fact.Fact) bool {
	switch f.(type) {
	case fact.HealthChanged, fact.RestoreWaiting, fact.RestoreStep, fact.RestoreFailed, fact.RestoreCompleted:
		return true
	}
	return false
}
