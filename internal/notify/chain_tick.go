package notify

import (
	"context"
	"maps"
	"slices"
	"time"
)

// PagedTier records when a tier was first paged.
type PagedTier struct {
	Tier string
	At   time.Time
}

// Tick does the work due at now: it pages the next tiers once the
// incident's unacknowledged age passes their After, repeats at the level's
// cadence, and re-triggers acknowledged incidents after AckTimeout.
func (c *Chain) Tick(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range slices.Sorted(maps.Keys(c.on)) {
		c.tick(c.on[id], now)
	}
}

func (c *Chain) tick(t *track, now time.Time) {
	if t.acked() {
		if now.Before(t.ackedAt.Add(c.s.AckTimeout)) {
			return
		}
		c.retrigger(t, now)
	}
	before := len(t.paged)
	c.escalate(t, now)
	if !t.nextRepeat.IsZero() && !now.Before(t.nextRepeat) {
		c.repeat(t, now, before)
	}
}

// escalate pages, in order, every tier that is due at now. Acknowledged
// time does not count, so a re-triggered incident resumes escalating where
// it stopped rather than paging every later tier at once.
func (c *Chain) escalate(t *track, now time.Time) {
	for len(t.paged) < len(c.s.Tiers) && !now.Before(c.dueAt(t, len(t.paged))) {
		i := len(t.paged)
		t.paged = append(t.paged, PagedTier{Tier: c.s.Tiers[i].Name, At: now})
		n := t.last
		n.Time = now
		c.sendTier(i, n)
	}
}

// dueAt is when tier i is due if nobody acknowledges.
func (c *Chain) dueAt(t *track, i int) time.Time {
	return t.opened.Add(t.paused + c.s.Tiers[i].After)
}

// arm schedules the next repeat for the current level, or none.
func (c *Chain) arm(t *track, now time.Time) {
	t.nextRepeat = time.Time{}
	if d := c.s.Cadence[t.last.Level]; d > 0 {
		t.nextRepeat = now.Add(d)
	}
}

// repeat resends the latest notice to the tiers paged before this tick;
// tiers paged by this tick already got their first notice.
func (c *Chain) repeat(t *track, now time.Time, upTo int) {
	n := t.last
	n.Time, n.Repeat = now, true
	c.sendPaged(n, upTo)
	t.repeats++
	c.arm(t, now)
}

// retrigger ends an acknowledgement that timed out: the paged tiers get a
// fresh Trigger and the cadence starts again.
func (c *Chain) retrigger(t *track, now time.Time) {
	t.paused += now.Sub(t.ackStart)
	t.ackedAt, t.ackStart, t.ackedBy = time.Time{}, time.Time{}, ""
	t.retriggers++
	n := t.last
	n.Time = now
	c.sendPaged(n, len(t.paged))
	c.arm(t, now)
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
