package signal

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

func TestLatencyRatio(t *testing.T) {
	rec := newRecorder()
	b, _ := NewBaseline(rec, primary, nil, BaselineSettings{MinSamples: 1})
	src := LatencyRatio(rec, primary, []int{search, sessions, other}, b)
	ctx := context.Background()

	record(rec, primary, search, 10, stats.OK, 100*time.Millisecond, t0)
	wantInvalid(t, src.Read(ctx, t0), ErrNoData) // traffic but no baseline yet

	b.Learn(t0)
	learnAt(b, rec, sessions, 2*time.Millisecond, t0) // below the 10ms floor
	later := t0.Add(2 * time.Minute)                  // earlier windows slid out
	record(rec, primary, search, 10, stats.OK, 250*time.Millisecond, later)
	record(rec, primary, sessions, 10, stats.OK, 10*time.Millisecond, later)
	record(rec, primary, other, 10, stats.OK, time.Second, later) // no baseline: not judged
	r := src.Read(ctx, later)
	wantValid(t, r, 2.5) // search is the worst; sessions reads 1x against the floor
	wantDetail(t, r, "route search", "avg 250ms vs baseline 100ms", "2.50x", "2 of 3 routes judged")

	// Without enough volume the ratio is invalid again, whatever the baseline.
	wantInvalid(t, src.Read(ctx, later.Add(2*time.Minute)), ErrNoData)
}

func TestLatencyRatioFloor(t *testing.T) {
	rec := newRecorder()
	b, _ := NewBaseline(rec, primary, nil, BaselineSettings{MinSamples: 1, Floor: 20 * time.Millisecond})
	learnAt(b, rec, search, 2*time.Millisecond, t0)
	later := t0.Add(2 * time.Minute)
	record(rec, primary, search, 10, stats.OK, 60*time.Millisecond, later)
	wantValid(t, LatencyRatio(rec, primary, nil, b).Read(context.Background(), later), 3)
}
