package level

import (
	"fmt"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// KindForeignState is the event of a stored state that belonged to other
// upstreams and was not resumed.
const KindForeignState = fact.KindForeignState

// Upstreams names the primary and fallback a state belongs to. A level,
// its routing and its incident describe one pair of services: resumed in
// front of another pair, an L3 would send a new deployment straight to its
// fallback for an outage it never had.
type Upstreams struct {
	Primary  string `json:"primary,omitempty"`
	Fallback string `json:"fallback,omitempty"`
}

// Same reports whether u and o name the same services, ignoring case and a
// trailing slash.
func (u Upstreams) Same(o Upstreams) bool {
	norm := func(s string) string { return strings.ToLower(strings.TrimRight(s, "/")) }
	return norm(u.Primary) == norm(o.Primary) && norm(u.Fallback) == norm(o.Fallback)
}

// adopt decides what a loaded state becomes in front of Options.Upstreams:
// itself when it belongs to them, or to nobody yet (a state saved before
// states were bound is taken as this pair's); a fresh L0 otherwise, with
// the old state kept in Foreign and reported.
func (e *Engine) adopt(st State, now time.Time) State {
	want := e.o.Upstreams
	if st.Upstreams == (Upstreams{}) || want == (Upstreams{}) || st.Upstreams.Same(want) {
		st.Upstreams = want
		return st
	}
	e.foreign = &st
	fresh := normalState(now)
	fresh.Upstreams = want
	return fresh
}

// reportForeign emits what was found and not resumed, once the fresh state
// is in place (emit reads it).
func (e *Engine) reportForeign() {
	old := e.foreign
	if old == nil {
		return
	}
	found := fmt.Sprintf("%s (%s) since %s", old.Level, old.Phase, old.Since.UTC().Format(time.RFC3339))
	e.emit(event.Warning, fmt.Sprintf(
		"stored state %s belongs to primary %s and fallback %s, not to primary %s and fallback %s: starting at L0",
		found, old.Upstreams.Primary, old.Upstreams.Fallback, e.o.Upstreams.Primary, e.o.Upstreams.Fallback),
		fact.ForeignState{FoundLevel: old.Level.Name(), FoundPhase: string(old.Phase), FoundSince: old.Since,
			FoundPrimary: old.Upstreams.Primary, FoundFallback: old.Upstreams.Fallback,
			Primary: e.o.Upstreams.Primary, Fallback: e.o.Upstreams.Fallback})
}

// Foreign is the stored state that belonged to other upstreams and was
// not resumed at New; ok is false when there was none.
func (e *Engine) Foreign() (State, bool) {
	if e.foreign == nil {
		return State{}, false
	}
	return *e.foreign, true
}
