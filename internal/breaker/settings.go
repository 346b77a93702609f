package breaker

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Settings configures a Breaker. A zero field takes its documented default,
// so Settings{} is the plan's breaker: 5 failures, 30 s open, growing to 300 s.
// Settings are fixed for the life of a Breaker; they are kept apart from the
// live state so the gateway can show them next to it in a Snapshot.
type Settings struct {
	// FailureThreshold is how many consecutive failures open a closed breaker.
	// Default 5. Allowed 1 to 2^30-1.
	FailureThreshold int
	// RecoveryTimeout is how long the breaker stays open the first time.
	// Default 30 s. Must not be negative.
	RecoveryTimeout time.Duration
	// MaxRecoveryTimeout caps the open period, which doubles on each
	// consecutive re-open (a probe failed). Default 300 s, as in Envoy. When it
	// is not above RecoveryTimeout the open period stays at RecoveryTimeout.
	// Must not be negative.
	MaxRecoveryTimeout time.Duration
	// HalfOpenProbes is how many probe requests may be in flight at once while
	// half-open. Default 1. Allowed 1 to 1,000,000.
	HalfOpenProbes int
	// SuccessesToClose is how many consecutive probe successes close a
	// half-open breaker. Default HalfOpenProbes. Allowed 1 to 1,000,000.
	SuccessesToClose int
	// Jitter adds a random fraction of the open period, up to Jitter times it,
	// so that many gateways do not probe a recovering upstream in step.
	// Default 0 (no jitter). Allowed 0 to 1.
	Jitter float64
	// Rand returns a number in [0, 1) for the jitter. It is only called while
	// the breaker holds its lock, so it need not be safe for concurrent use.
	// Default (nil) is math/rand/v2.Float64.
	Rand func() float64
}

const (
	defaultFailureThreshold   = 5
	defaultRecoveryTimeout    = 30 * time.Second
	defaultMaxRecoveryTimeout = 300 * time.Second
	defaultHalfOpenProbes     = 1
	maxFailureThreshold       = failureMask
	maxProbes                 = 1_000_000
)

// Validate reports the first field that is out of range. Zero fields are
// valid because they take their defaults.
func (s Settings) Validate() error {
	switch {
	case s.FailureThreshold < 0 || s.FailureThreshold > maxFailureThreshold:
		return fmt.Errorf("%w: FailureThreshold %d: want 1 to %d (0 for the default %d)",
			ErrSettings, s.FailureThreshold, maxFailureThreshold, defaultFailureThreshold)
	case s.RecoveryTimeout < 0:
		return fmt.Errorf("%w: RecoveryTimeout %v: want > 0 (0 for the default %v)",
			ErrSettings, s.RecoveryTimeout, defaultRecoveryTimeout)
	case s.MaxRecoveryTimeout < 0:
		return fmt.Errorf("%w: MaxRecoveryTimeout %v: want > 0 (0 for the default %v)",
			ErrSettings, s.MaxRecoveryTimeout, defaultMaxRecoveryTimeout)
	case s.HalfOpenProbes < 0 || s.HalfOpenProbes > maxProbes:
		return fmt.Errorf("%w: HalfOpenProbes %d: want 1 to %d (0 for the default %d)",
			ErrSettings, s.HalfOpenProbes, maxProbes, defaultHalfOpenProbes)
	case s.SuccessesToClose < 0 || s.SuccessesToClose > maxProbes:
		return fmt.Errorf("%w: SuccessesToClose %d: want 1 to %d (0 for HalfOpenProbes)",
			ErrSettings, s.SuccessesToClose, maxProbes)
	case !(s.Jitter >= 0 && s.Jitter <= 1): // Also rejects NaN.
		return fmt.Errorf("%w: Jitter %v: want 0 to 1", ErrSettings, s.Jitter)
	}
	return nil
}

// withDefaults returns s with every zero field replaced by its default.
func (s Settings) withDefaults() Settings {
	if s.FailureThreshold == 0 {
		s.FailureThreshold = defaultFailureThreshold
	}
	if s.RecoveryTimeout == 0 {
		s.RecoveryTimeout = defaultRecoveryTimeout
	}
	if s.MaxRecoveryTimeout == 0 {
		s.MaxRecoveryTimeout = defaultMaxRecoveryTimeout
	}
	if s.HalfOpenProbes == 0 {
		s.HalfOpenProbes = defaultHalfOpenProbes
	}
	if s.SuccessesToClose == 0 {
		s.SuccessesToClose = s.HalfOpenProbes
	}
	if s.Rand == nil {
		s.Rand = rand.Float64
	}
	return s
}
