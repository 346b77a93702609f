package breaker

import (
	"math"
	"time"
)

// Transition describes one change of State, as passed to the onChange
// callback. Callbacks run synchronously on a goroutine that called into the
// Breaker, never while the Breaker holds its lock, and strictly in the order
// the transitions happened. When two goroutines cause transitions at once,
// the one already delivering delivers both, so a caller may return before
// its own transition is reported. A callback may call any Breaker method.
type Transition struct {
	From, To State
	// At is when the transition happened.
	At time.Time
	// ConsecutiveFailures is the failure count that caused an opening: the
	// threshold when closed, 1 for a failed probe. It is 0 otherwise.
	ConsecutiveFailures int
	// OpenFor is the open period when To is Open, jitter included; 0 otherwise.
	OpenFor time.Duration
}

// tryMoveLocked switches from w to state to with a new generation, and
// queues the Transition. It fails only if a lock-free closed-path update
// changed w first; the caller then reloads and decides again. mu is held.
func (b *Breaker) tryMoveLocked(w word, to State, failures int) (word, bool) {
	now := b.now()
	var openFor time.Duration
	if to == Open {
		openFor = b.openPeriod()
		b.openUntil.Store(satAdd(now, openFor))
	}
	next := pack(nextGen(w.gen()), to, 0)
	if !b.word.CompareAndSwap(uint64(w), uint64(next)) {
		return w, false
	}
	if to == Open {
		b.opens++
	} else {
		failures = 0
	}
	b.openFor = openFor
	b.probes, b.probeOK = 0, 0
	b.queueLocked(Transition{From: w.state(), To: to, At: b.epoch.Add(time.Duration(now)),
		ConsecutiveFailures: failures, OpenFor: openFor})
	return next, true
}

// moveLocked is tryMoveLocked for states with no lock-free writers (open,
// half-open), where the compare-and-swap cannot fail.
func (b *Breaker) moveLocked(w word, to State, failures int) word {
	next, _ := b.tryMoveLocked(w, to, failures)
	return next
}

// openPeriod is RecoveryTimeout doubled once per consecutive re-open, capped
// at MaxRecoveryTimeout, plus jitter. The jitter is added after the cap so
// that breakers held at the cap still spread out.
func (b *Breaker) openPeriod() time.Duration {
	s := &b.settings
	d := s.RecoveryTimeout
	for i := 0; i < b.reopens && d < s.MaxRecoveryTimeout; i++ {
		if d > s.MaxRecoveryTimeout/2 {
			d = s.MaxRecoveryTimeout
			break
		}
		d *= 2
	}
	if s.Jitter == 0 {
		return d
	}
	extra := float64(d) * s.Jitter * s.Rand()
	if extra >= float64(math.MaxInt64-d) {
		return math.MaxInt64
	}
	return d + time.Duration(extra)
}

// satAdd adds d to now, saturating instead of overflowing.
func satAdd(now int64, d time.Duration) int64 {
	if int64(d) > math.MaxInt64-now {
		return math.MaxInt64
	}
	return now + int64(d)
}
