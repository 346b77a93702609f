package trigger

import "time"

// Evidence is what a trigger knows: its state and the reading behind it.
type Evidence struct {
	Trigger string `json:"trigger"`
	Kind    string `json:"kind"`
	// Signal is the rule's Signal, the source's configured type.
	Signal string `json:"signal,omitempty"`
	State  State  `json:"state"`
	// Value, Valid and Detail are the latest reading's, valid or not.
	Value float64 `json:"value"`
	// Threshold is the one in force: the rule's times Scale.
	Threshold float64 `json:"threshold"`
	// Scale is the factor applied to the rule's threshold; omitted when 1.
	Scale  float64 `json:"scale,omitempty"`
	Op     string  `json:"op"`
	Unit   string  `json:"unit"`
	Valid  bool    `json:"valid"`
	Detail string  `json:"detail"`
	// Error is the reading's error text, if any.
	Error string `json:"error,omitempty"`
	// Since is when State was entered; zero before the first change.
	Since time.Time `json:"since"`
	// BadSince is when the current bad streak began (see Set.FirstBad):
	// the first reading that judged bad, the first evidence.
	BadSince time.Time `json:"bad_since"`
	// Onset is when the problem behind the streak began, as early as the
	// source can tell (see onset.go); never after BadSince. Detection is
	// measured from it.
	Onset time.Time `json:"onset,omitzero"`
	// At is when the latest reading was taken; zero before the first.
	At       time.Time     `json:"at"`
	For      time.Duration `json:"for"`
	ClearFor time.Duration `json:"clear_for"`
}

// Transition is one state change, with the evidence after it.
type Transition struct {
	Evidence
	From State `json:"from"`
	To   State `json:"to"`
}

// Fired reports a trigger that just became active (from Inactive or
// Pending); Resolving back to Firing is not a new firing.
func (t Transition) Fired() bool {
	return t.To == Firing && !t.From.Active()
}

// Cleared reports an active trigger that just became inactive.
func (t Transition) Cleared() bool {
	return t.To == Inactive && t.From.Active()
}
