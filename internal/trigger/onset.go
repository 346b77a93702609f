package trigger

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// onsetter is a source that can tell when its figure first went bad
// inside what a reading covers, such as a sliding window whose average
// crosses the threshold well after the first slow requests
// (*signal.WindowSource).
type onsetter interface {
	Onset(now time.Time, bad func(float64) bool) time.Time
}

// onsetOf is when the problem behind a new bad streak began: the earliest
// of the reading's own Onset (the first failed health check), what an
// onsetter source finds under the threshold in force, and now, the first
// bad reading. Detection measured from it includes the time a window or a
// "for" took to notice.
func onsetOf(rule Rule, r signal.Reading, now time.Time, threshold float64) time.Time {
	onset := now
	if before(r.Onset, onset) {
		onset = r.Onset
	}
	if o, ok := rule.Source.(onsetter); ok {
		bad := func(v float64) bool { return rule.bad(v, threshold) }
		if t := o.Onset(now, bad); before(t, onset) {
			onset = t
		}
	}
	return onset
}

// before reports a non-zero t earlier than u.
func before(t, u time.Time) bool { return !t.IsZero() && t.Before(u) }
