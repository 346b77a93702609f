package journal

import (
	"context"
	"fmt"
	"math"
)

// trimIfIdle is the shared mode's reset, run by Replay when nothing is
// pending. Everything applied up to now is then replayed, so the log may
// drop it; but a replica that has not applied it yet would miss it, so
// the cut is made one idle Replay later, at the point the previous one
// saw idle, giving lagging replicas a poll's time to catch up. Chunks of
// an upload whose op has not applied yet are kept. When records came
// since the last idle point, a header is appended so every replica
// forgets old tasks and abandoned uploads alike. It reports whether
// nothing was pending.
func (r *replica) trimIfIdle() (bool, error) {
	r.j.mu.RLock()
	idle := len(r.j.st.ops) == 0
	err := r.j.writableLocked()
	cut, fresh := min(r.applied, r.floorLocked()-1), r.applied != r.header
	r.j.mu.RUnlock()
	if !idle || err != nil {
		return idle, nil
	}
	due := r.target
	r.target = max(cut, r.target)
	if due > r.trimmed {
		ctx, cancel := context.WithTimeout(context.Background(), r.j.sharedTimeout())
		defer cancel()
		if err := r.log.Trim(ctx, due); err != nil {
			return true, fmt.Errorf("%w: trim: %w", ErrShared, err)
		}
		r.trimmed = due
	}
	if !fresh {
		return true, nil
	}
	pos, err := r.submit(&record{Kind: kindHeader, At: r.j.o.Now().UnixMilli()}, nil)
	if err == nil {
		r.header = pos
	}
	return true, err
}

// floorLocked is the position of the first chunk of the oldest upload
// still applying: the log must keep it for a replica that joins later.
func (r *replica) floorLocked() int64 {
	floor := int64(math.MaxInt64)
	for _, p := range r.partial {
		floor = min(floor, p.first)
	}
	return floor
}
