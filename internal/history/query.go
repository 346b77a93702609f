package history

import (
	"context"
	"slices"
	"time"
)

// Range returns the samples whose interval overlaps [start, end), in time
// order, including those not yet written.
func (s *Sampler) Range(ctx context.Context, start, end time.Time) ([]Sample, error) {
	// Pending samples are copied before the read: a flush between the two
	// moves samples into the store, where the read finds them, instead of
	// losing them between the two places.
	pending := s.snapshot()
	stored, err := s.store.read(ctx, start, end)
	if err != nil {
		return nil, err
	}
	return merge(stored, pending, start, end), nil
}

// merge adds the pending samples overlapping [start, end) to stored,
// skipping those already stored.
func merge(stored, pending []Sample, start, end time.Time) []Sample {
	seen := make(map[int64]bool, len(stored))
	for _, smp := range stored {
		seen[smp.Time.UnixMilli()] = true
	}
	added := false
	for _, smp := range pending {
		if overlaps(smp, start, end) && !seen[smp.Time.UnixMilli()] {
			stored = append(stored, smp)
			added = true
		}
	}
	if added {
		slices.SortFunc(stored, func(a, b Sample) int { return a.Time.Compare(b.Time) })
	}
	return stored
}

// overlaps reports whether the sample's interval overlaps [start, end).
func overlaps(smp Sample, start, end time.Time) bool {
	return smp.Time.After(start) && smp.Start().Before(end)
}

// Downtime is the user-visible downtime in [start, end): the total length
// of the intervals in which clients saw failures, clipped to the range.
// It is false when no sample covers any of the range, or when the history
// cannot be read, so that callers report "not measured" rather than zero.
func (s *Sampler) Downtime(start, end time.Time) (time.Duration, bool) {
	samples, err := s.Range(context.Background(), start, end)
	if err != nil {
		return 0, false
	}
	return DowntimeOf(samples, start, end)
}

// Baseline summarises the span of history that ends at before, the
// "normal" a window is compared with.
func (s *Sampler) Baseline(ctx context.Context, before time.Time, span time.Duration) (Summary, error) {
	samples, err := s.Range(ctx, before.Add(-span), before)
	if err != nil {
		return Summary{}, err
	}
	return Summarize(samples), nil
}
