package health

import (
	"context"
	"time"
)

// Run probes on schedule until ctx is done, then returns. The first probe
// starts at once. The caller owns the goroutine running Run and must not run
// two Runs of one Checker at a time.
func (c *Checker) Run(ctx context.Context) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.wake:
		case <-timer.C:
			if c.untilNext(time.Now()) == 0 {
				c.probe(ctx)
			}
		}
		timer.Reset(c.untilNext(time.Now()))
	}
}

// untilNext returns how long to wait before the next probe, measured from
// the start of the previous one (whether scheduled or from CheckNow), so
// that the cadence does not drift by the probe's own duration.
func (c *Checker) untilNext(now time.Time) time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.lastStart.IsZero() {
		return 0
	}
	interval := c.settings.Interval
	if c.tally.changing() {
		interval = c.settings.FastInterval
	}
	return max(0, c.lastStart.Add(interval).Sub(now))
}
