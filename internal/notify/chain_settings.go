package notify

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// Tier is one step of the escalation chain.
type Tier struct {
	// Name is shown on alerts ("devops"). Required, unique.
	Name string
	// After is the unacknowledged incident age at which this tier is
	// paged. Not negative, and not earlier than the tier before.
	After time.Duration
	// Notifiers reach this tier. Default none: the tier is recorded as
	// paged but nobody is told.
	Notifiers []Notifier
}

// ChainSettings configure a Chain.
type ChainSettings struct {
	// Tiers are paged in order; the first usually has After 0. At least
	// one is required.
	Tiers []Tier
	// Cadence is the repeat interval per level while unacknowledged, e.g.
	// {"L1": 30s, "L2": 15s, "L3": 15s}. A level without one (or with 0)
	// never repeats. Default none.
	Cadence map[string]time.Duration
	// AckTimeout re-triggers an acknowledged incident that is still open
	// after this long. Default 30m.
	AckTimeout time.Duration
	// Interval is how often Run calls Tick. Default 1s.
	Interval time.Duration
	// Ledger keeps the chain's paging state across restarts: which tiers
	// were paged for which incident, for which level, acknowledged or not.
	// Default nil: state lives in memory, and a restart that re-opens an
	// incident pages its due tiers again.
	Ledger Ledger
	// OnLedgerError is told when the ledger cannot be written; paging goes
	// on from memory. Default nil: nobody is told.
	OnLedgerError func(error)
}

// withDefaults validates s and returns a copy the caller cannot change.
func (s ChainSettings) withDefaults() (ChainSettings, error) {
	if err := s.check(); err != nil {
		return s, err
	}
	s.Tiers = slices.Clone(s.Tiers)
	for i := range s.Tiers {
		s.Tiers[i].Notifiers = slices.Clone(s.Tiers[i].Notifiers)
	}
	s.Cadence = maps.Clone(s.Cadence)
	if s.AckTimeout == 0 {
		s.AckTimeout = 30 * time.Minute
	}
	if s.Interval == 0 {
		s.Interval = time.Second
	}
	return s, nil
}

func (s ChainSettings) check() error {
	if len(s.Tiers) == 0 {
		return fmt.Errorf("%w: at least one tier is required", ErrSettings)
	}
	names := map[string]bool{}
	var last time.Duration
	for i, t := range s.Tiers {
		switch {
		case t.Name == "" || names[t.Name]:
			return fmt.Errorf("%w: tier %d: name must be present and unique, got %q", ErrSettings, i, t.Name)
		case t.After < last:
			return fmt.Errorf("%w: tier %q: after %s is earlier than the tier before (%s)", ErrSettings, t.Name, t.After, last)
		}
		names[t.Name], last = true, t.After
	}
	for lvl, d := range s.Cadence {
		if d < 0 {
			return fmt.Errorf("%w: cadence %s: must not be negative, got %s", ErrSettings, lvl, d)
		}
	}
	if s.AckTimeout < 0 || s.Interval < 0 {
		return fmt.Errorf("%w: ack timeout and interval must not be negative", ErrSettings)
	}
	return nil
}
