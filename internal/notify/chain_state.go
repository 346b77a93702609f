package notify

import (
	"slices"
	"time"
)

// What a chain will do next for an incident (ChainState.Next).
const (
	NextNone      = ""
	NextPage      = "page"
	NextRepeat    = "repeat"
	NextRetrigger = "retrigger"
)

// ChainState is one incident's place in the chain, for status and tests.
type ChainState struct {
	Open       bool        // false: unknown or resolved; the rest is zero
	Opened     time.Time   // the first notice's time
	Level      string      // of the latest notice
	Paged      []PagedTier // tiers paged so far, in order
	AckedBy    string      // empty when not acknowledged
	AckedAt    time.Time   // latest acknowledgement
	Repeats    int         // cadence repeats sent
	Retriggers int         // acknowledgements that timed out
	Next       string      // NextPage, NextRepeat, NextRetrigger or NextNone
	NextTier   string      // the tier NextPage will page
	NextAt     time.Time   // when Next is due
}

// State reports where incident id stands.
func (c *Chain) State(id string) ChainState {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.on[id]
	if t == nil {
		return ChainState{}
	}
	s := ChainState{
		Open: true, Opened: t.Opened, Level: t.Last.Level, Paged: slices.Clone(t.Paged),
		AckedBy: t.AckedBy, AckedAt: t.AckedAt, Repeats: t.Repeats, Retriggers: t.Retriggers,
	}
	c.next(t, &s)
	return s
}

// next fills in the earliest due work; a page wins a tie with a repeat.
func (c *Chain) next(t *track, s *ChainState) {
	if t.acked() {
		s.Next, s.NextAt = NextRetrigger, t.AckedAt.Add(c.s.AckTimeout)
		return
	}
	if i := len(t.Paged); i < len(c.s.Tiers) {
		s.Next, s.NextTier, s.NextAt = NextPage, c.s.Tiers[i].Name, c.dueAt(t, i)
	}
	for _, p := range t.Paged {
		if !p.NextRepeat.IsZero() && (s.Next == NextNone || p.NextRepeat.Before(s.NextAt)) {
			s.Next, s.NextTier, s.NextAt = NextRepeat, p.Tier, p.NextRepeat
		}
	}
}
