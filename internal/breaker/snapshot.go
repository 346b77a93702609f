package breaker

import "time"

// Snapshot is a consistent view of a Breaker for status pages and metrics.
type Snapshot struct {
	State State
	// ConsecutiveFailures is the current count while closed; 0 otherwise.
	ConsecutiveFailures int
	// OpensTotal counts every transition to Open since New.
	OpensTotal uint64
	// OpenUntil is when an open breaker will next allow a probe; zero unless open.
	OpenUntil time.Time
	// OpenFor is the length of the current open period; 0 unless open.
	OpenFor time.Duration
	// ProbesInFlight and ProbeSuccesses describe the half-open test; 0 otherwise.
	ProbesInFlight, ProbeSuccesses int
	// Settings are the settings in force, defaults filled in.
	Settings Settings
}

// State returns the current state. An open breaker whose open period has
// passed is moved to half-open first, so the answer matches what Allow would
// do; that move is reported to onChange like any other.
func (b *Breaker) State() State {
	return b.advance().state()
}

// RetryAfter returns how long until an open breaker allows a probe, for a
// Retry-After header (round it up to whole seconds). It is 0 unless open,
// including while half-open with every probe slot taken.
func (b *Breaker) RetryAfter() time.Duration {
	if b.load().state() != Open {
		return 0
	}
	return time.Duration(max(b.openUntil.Load()-b.now(), 0))
}

// Snapshot returns the state, counters and settings, read together under
// the lock. Like State, it first moves a due open breaker to half-open.
func (b *Breaker) Snapshot() Snapshot {
	b.advance()
	b.mu.Lock()
	defer b.mu.Unlock()
	w := b.load()
	s := Snapshot{State: w.state(), OpensTotal: b.opens, Settings: b.settings}
	switch w.state() {
	case Closed:
		s.ConsecutiveFailures = w.failures()
	case Open:
		s.OpenUntil = b.epoch.Add(time.Duration(b.openUntil.Load()))
		s.OpenFor = b.openFor
	case HalfOpen:
		s.ProbesInFlight, s.ProbeSuccesses = b.probes, b.probeOK
	}
	return s
}

// Reset closes the breaker, clears the failure count and the backoff, and
// abandons any probes in flight (their results will be ignored). It reports
// a transition only if the state changed.
func (b *Breaker) Reset() {
	b.mu.Lock()
	defer b.unlockAndNotify()
	b.reopens = 0
	for {
		w := b.load()
		if w.state() != Closed {
			b.moveLocked(w, Closed, 0)
			return
		}
		if b.word.CompareAndSwap(uint64(w), uint64(w.withFailures(0))) {
			return
		}
	}
}

// advance moves an open breaker whose period has passed to half-open, and
// returns the current word.
func (b *Breaker) advance() word {
	w := b.load()
	if w.state() != Open || b.now() < b.openUntil.Load() {
		return w
	}
	b.mu.Lock()
	defer b.unlockAndNotify()
	w = b.load()
	if w.state() == Open && b.now() >= b.openUntil.Load() {
		w = b.moveLocked(w, HalfOpen, 0)
	}
	return w
}
