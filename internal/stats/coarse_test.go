package stats

import (
	"slices"
	"testing"
	"time"
)

func TestCoarseCountsJudgedByBound(t *testing.T) {
	r := NewRecorder([]string{"primary"}, []string{"search"}, WindowSettings{MinVolume: 1})
	now := time.Now()
	for _, d := range []time.Duration{time.Millisecond, 2 * time.Millisecond, 40 * time.Millisecond, 3 * time.Second} {
		r.Record(0, 0, OK, d, now)
	}
	r.Record(0, 0, ClientGone, time.Millisecond, now) // not judged: no latency
	bounds := []time.Duration{10 * time.Millisecond, time.Second}
	if got, want := r.Coarse(0, 0, now, bounds), []int64{2, 1, 1}; !slices.Equal(got, want) {
		t.Fatalf("Coarse = %v, want %v", got, want)
	}
	if r.MinVolume() != 1 || r.Span(now) <= 0 {
		t.Fatalf("MinVolume %d, Span %v", r.MinVolume(), r.Span(now))
	}
}
