package trigger

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// Set evaluates a fixed list of rules. Its configuration is the rules;
// everything else is live state. It is safe for concurrent use.
type Set struct {
	rules []Rule
	index map[string]int

	// evalMu serialises Evaluate so states advance in time order, while
	// mu guards only the states, so Status never waits for slow sources.
	evalMu sync.Mutex
	mu     sync.Mutex
	tracks []track
}

// NewSet validates rules (unique non-empty names, known kinds and ops, a
// source, a finite threshold, non-negative durations, Scalable only on
// ">") and returns a Set with every trigger inactive.
func NewSet(rules []Rule) (*Set, error) {
	s := &Set{rules: make([]Rule, len(rules)), index: make(map[string]int, len(rules)), tracks: make([]track, len(rules))}
	for i, r := range rules {
		if err := r.validate(); err != nil {
			return nil, err
		}
		if _, dup := s.index[r.Name]; dup {
			return nil, fmt.Errorf("%w %q: duplicate name", ErrInvalidRule, r.Name)
		}
		s.index[r.Name] = i
		s.rules[i] = r
		s.tracks[i] = track{state: Inactive, threshold: r.Threshold, scale: 1}
	}
	return s, nil
}

// Evaluate reads every source concurrently, each bounded by ctx and its own
// timeout, then advances every trigger with the thresholds scaled by scale
// (see Rule.Scalable) and returns the state changes in rule order. It
// returns once every source has returned. Calls are serialised; now should
// not go backwards between calls.
func (s *Set) Evaluate(ctx context.Context, now time.Time, scale float64) []Transition {
	s.evalMu.Lock()
	defer s.evalMu.Unlock()
	readings := s.readAll(ctx, now)
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Transition
	for i, r := range readings {
		if tr, changed := s.applyLocked(i, r, now, scale); changed {
			out = append(out, tr)
		}
	}
	return out
}

// readAll runs one goroutine per source and waits for all of them.
func (s *Set) readAll(ctx context.Context, now time.Time) []signal.Reading {
	readings := make([]signal.Reading, len(s.rules))
	var wg sync.WaitGroup
	for i, r := range s.rules {
		wg.Go(func() { readings[i] = r.Source.Read(ctx, now) })
	}
	wg.Wait()
	return readings
}

// applyLocked records reading i and advances its trigger.
func (s *Set) applyLocked(i int, r signal.Reading, now time.Time, scale float64) (Transition, bool) {
	rule, tr := s.rules[i], &s.tracks[i]
	tr.reading, tr.at = r, now
	tr.threshold, tr.scale = rule.threshold(scale)
	from := tr.state
	if r.Valid {
		tr.observe(rule.bad(r.Value, tr.threshold), now, rule.For, rule.ClearFor)
	}
	if from == Inactive && tr.state != Inactive {
		tr.onset = onsetOf(rule, r, now, tr.threshold)
	}
	if tr.state == from {
		return Transition{}, false
	}
	return Transition{Evidence: s.evidenceLocked(i), From: from, To: tr.state}, true
}

// Status returns every trigger's evidence in rule order.
func (s *Set) Status() []Evidence {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Evidence, len(s.rules))
	for i := range s.rules {
		out[i] = s.evidenceLocked(i)
	}
	return out
}

// Firing returns the evidence of every active (Firing or Resolving)
// trigger of kind k, in rule order.
func (s *Set) Firing(k Kind) []Evidence {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Evidence
	for i, r := range s.rules {
		if r.Kind == k && s.tracks[i].state.Active() {
			out = append(out, s.evidenceLocked(i))
		}
	}
	return out
}

// FirstBad returns when the current bad streak of the named trigger began:
// the first bad reading that took it out of Inactive, kept while it is
// pending, firing or resolving. Detection time is the fired Transition's
// Since minus FirstBad. Zero when the trigger is inactive or unknown.
func (s *Set) FirstBad(name string) time.Time {
	i, ok := s.index[name]
	if !ok {
		return time.Time{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tracks[i].badSince
}

// evidenceLocked renders trigger i.
func (s *Set) evidenceLocked(i int) Evidence {
	rule, tr := s.rules[i], &s.tracks[i]
	e := Evidence{
		Trigger: rule.Name, Kind: string(rule.Kind), Signal: rule.Signal, State: tr.state,
		Value: tr.reading.Value, Threshold: tr.threshold, Op: string(rule.Op),
		Unit: rule.Unit, Valid: tr.reading.Valid, Detail: tr.reading.Detail,
		Since: tr.since, BadSince: tr.badSince, Onset: tr.onset, At: tr.at, For: rule.For, ClearFor: rule.ClearFor,
	}
	if tr.scale != 1 {
		e.Scale = tr.scale
	}
	if e.Unit == "" {
		e.Unit = tr.reading.Unit
	}
	if tr.reading.Err != nil {
		e.Error = tr.reading.Err.Error()
	}
	if tr.at.IsZero() {
		e.Detail = "not evaluated yet"
	}
	return e
}

// Reset returns every trigger to inactive, forgetting readings and streaks.
// The level engine calls it before a restore: traffic-based triggers saw no
// primary traffic while it was isolated, so their verdicts are stale.
func (s *Set) Reset() {
	s.evalMu.Lock()
	defer s.evalMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.tracks {
		s.tracks[i] = track{state: Inactive}
	}
}
