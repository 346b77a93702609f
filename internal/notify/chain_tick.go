package notify

import (
	"context"
	"maps"
	"slices"
	"time"
)

// PagedTier records when a tier was first paged and when it repeats next.
type PagedTier struct {
	Tier string    `json:"tier"`
	At   time.Time `json:"at"`
	// NextRepeat is when the tier hears the incident again while nobody
	// acknowledges it, counted from its own page; zero: no repeat armed.
	NextRepeat time.Time `json:"next_repeat,omitzero"`
}

// Tick does the work due at now: it pages the next tiers once the
// incident's unacknowledged age passes their After, repeats each tier at
// the level's cadence from its own page, and re-triggers acknowledged
// incidents after AckTimeout.
func (c *Chain) Tick(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.persist()
	for _, id := range slices.Sorted(maps.Keys(c.on)) {
		c.tick(c.on[id], now)
	}
}

func (c *Chain) tick(t *track, now time.Time) {
	if t.acked() {
		if now.Before(t.AckedAt.Add(c.s.AckTimeout)) {
			return
		}
		c.retrigger(t, now)
	}
	c.escalate(t, now)
	c.repeat(t, now)
}

// escalate pages, in order, every tier that is due at now, and arms its
// own cadence. Acknowledged time does not count, so a re-triggered
// incident resumes escalating where it stopped rather than paging every
// later tier at once.
func (c *Chain) escalate(t *track, now time.Time) {
	for len(t.Paged) < len(c.s.Tiers) && !now.Before(c.dueAt(t, len(t.Paged))) {
		i := len(t.Paged)
		t.Paged = append(t.Paged, PagedTier{Tier: c.s.Tiers[i].Name, At: now})
		c.arm(t, i, now)
		n := t.Last
		n.Time = now
		c.sendTier(i, n)
		c.dirty = true
	}
}

// dueAt is when tier i is due if nobody acknowledges.
func (c *Chain) dueAt(t *track, i int) time.Time {
	return t.Opened.Add(t.Paused + c.s.Tiers[i].After)
}

// arm schedules tier i's next repeat for the current level, or none.
func (c *Chain) arm(t *track, i int, now time.Time) {
	t.Paged[i].NextRepeat = time.Time{}
	if d := c.s.Cadence[t.Last.Level]; d > 0 && !t.acked() {
		t.Paged[i].NextRepeat = now.Add(d)
	}
}

func (c *Chain) armAll(t *track, now time.Time) {
	for i := range t.Paged {
		c.arm(t, i, now)
	}
}

func (c *Chain) disarm(t *track) {
	for i := range t.Paged {
		t.Paged[i].NextRepeat = time.Time{}
	}
}

// repeat resends the latest notice to every tier whose own cadence is
// due, marked as a repeat: it is the same state, told again.
func (c *Chain) repeat(t *track, now time.Time) {
	for i, p := range t.Paged {
		if p.NextRepeat.IsZero() || now.Before(p.NextRepeat) {
			continue
		}
		n := t.Last
		n.Time, n.Repeat = now, true
		c.sendTier(i, n)
		t.Repeats++
		c.arm(t, i, now)
		c.dirty = true
	}
}

// retrigger ends an acknowledgement that timed out: the paged tiers get a
// fresh Trigger, a new state, and their cadence starts again.
func (c *Chain) retrigger(t *track, now time.Time) {
	t.Paused += now.Sub(t.AckStart)
	t.AckedAt, t.AckStart, t.AckedBy = time.Time{}, time.Time{}, ""
	t.Retriggers++
	t.Seq++
	t.Last.Seq = t.Seq
	n := t.Last
	n.Time = now
	c.sendPaged(n, len(t.Paged))
	c.armAll(t, now)
	c.dirty = true
}

// Run calls Tick every Interval with the current time until ctx ends.
func (c *Chain) Run(ctx context.Context) {
	tk := time.NewTicker(c.s.Interval)
	defer tk.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tk.C:
			c.Tick(now)
		}
	}
}
