package incident

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// Onset rules. The plan's durations run from when the problem began, not
// from when a trigger first judged a reading bad: a window-based trigger
// judges its average, which crosses the threshold seconds after the first
// slow request. The onset is the earliest of
//
//   - the onset each firing trigger saw (trigger.Evidence.Onset: the first
//     failed health check, the first bad bucket of a window), falling back
//     to its first bad reading;
//   - a fault injected toward the primary within faultLookback before the
//     first firing, which a drill knows exactly.
//
// The first evidence (the earliest bad_since) is kept too and every
// duration is also given from it, so the delay a window adds is visible.

// faultLookback bounds how long before the first firing an injected fault
// still counts as the incident's onset.
const faultLookback = 10 * time.Minute

// noteOnset takes a firing trigger's onset.
func (m *milestones) noteOnset(ev fact.Evidence) {
	at := ev.Onset
	if at.IsZero() {
		at = ev.BadSince
	}
	if !at.IsZero() && (m.onset.IsZero() || at.Before(m.onset)) {
		m.onset, m.onsetFrom = at, "onset seen by trigger "+ev.Trigger
	}
}

// noteInjection takes an injected fault; scan has seen the firings
// before it only when the fault came after them, which then is not their
// cause.
func (m *milestones) noteInjection(e Entry) {
	if !m.fired.IsZero() && e.Time.After(m.fired) {
		return
	}
	m.injected = e.Time
}

// settle picks the injection as onset when it came first and close
// enough to the first firing to be its cause.
func (m *milestones) settle() {
	if m.injected.IsZero() || m.fired.IsZero() || m.fired.Sub(m.injected) > faultLookback {
		return
	}
	if m.onset.IsZero() || m.injected.Before(m.onset) {
		m.onset, m.onsetFrom = m.injected, "fault injected"
	}
}

// fromEvidence adds to each duration its value from the first evidence.
func (out *Metrics) fromEvidence(m milestones) {
	if m.firstBad.IsZero() || !m.firstBad.After(m.onset) {
		return
	}
	shift := m.firstBad.Sub(m.onset)
	for _, x := range []*Metric{&out.Detection, &out.Containment, &out.Recovery, &out.Restore} {
		if x.Measured {
			x.FromEvidence = max(x.Duration()-shift, 0).Round(time.Millisecond).String()
		}
	}
}

// MeasureFrom measures inc again from onset, which the caller knows
// better than the timeline does (a drill knows when it injected its
// fault), described by from. Downtime and data loss stay as inc.Metrics
// has them: they come from records this package does not keep. A zero
// onset, or one after the first firing, changes nothing.
func MeasureFrom(inc Incident, onset time.Time, from string, now time.Time) Metrics {
	m := scan(inc.Timeline)
	if onset.IsZero() || (!m.fired.IsZero() && onset.After(m.fired)) {
		return inc.Metrics
	}
	m.onset, m.onsetFrom = onset, from
	out := measureFrom(inc, m, now, sources{})
	out.Downtime, out.DataLoss = inc.Metrics.Downtime, inc.Metrics.DataLoss
	return out
}
