package level

import (
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// A person's level change holds. When someone sets the level, the triggers
// active at that moment have already been weighed by them: letting those
// same triggers undo the command on the next evaluation (26 ms later, in
// the incident that taught us this) would take control away from the
// person at the worst moment. So a trigger counts toward an escalation
// only while it is Firing (not Resolving, whose condition no longer holds)
// and only if it was not active when the person acted, or has entered
// Firing again since: it must fire anew, a fresh crossing the person has
// not seen. A trigger is recognised by when it entered its state, which
// changes on every transition, so no clock is compared with another.

// fresh keeps the evidence that may start an escalation: triggers that are
// firing and not held by a person's command.
func fresh(ev []trigger.Evidence, held map[string]time.Time) []trigger.Evidence {
	var out []trigger.Evidence
	for _, e := range ev {
		since, ok := held[e.Trigger]
		if e.State == trigger.Firing && (!ok || !e.Since.Equal(since)) {
			out = append(out, e)
		}
	}
	return out
}

// activeTriggers returns the triggers that are firing or resolving, by
// name with the time each entered its state.
func (e *Engine) activeTriggers() map[string]time.Time {
	out := map[string]time.Time{}
	for _, ev := range e.o.Triggers.Status() {
		if ev.State.Active() {
			out[ev.Trigger] = ev.Since
		}
	}
	return out
}

// hold records the triggers a person's command holds.
func (e *Engine) hold(held map[string]time.Time) {
	st := e.state()
	st.Held = held
	e.save(st)
}

// overrideNote says what a level command overrode: the level it replaced
// and the triggers that must now fire anew.
func overrideNote(from Level, held map[string]time.Time) string {
	note := "overrode " + from.String()
	if len(held) > 0 {
		note += "; held until they fire anew: " + strings.Join(slices.Sorted(maps.Keys(held)), ", ")
	}
	return note
}
