package signal

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

func TestErrorRate(t *testing.T) {
	rec := newRecorder()
	src := ErrorRate(rec, primary, []int{search, sessions})
	ctx := context.Background()

	record(rec, primary, search, 5, stats.ServerError, 10*time.Millisecond, t0)
	r := src.Read(ctx, t0)
	wantInvalid(t, r, nil) // 5 judged requests, below the minimum of 10
	if r.Value != 1 {
		t.Errorf("value below volume = %g, want the raw 1 still shown", r.Value)
	}
	wantDetail(t, r, "below minimum volume")

	record(rec, primary, search, 10, stats.OK, 10*time.Millisecond, t0)
	record(rec, primary, sessions, 5, stats.OK, 10*time.Millisecond, t0)
	record(rec, primary, sessions, 50, stats.ClientGone, 10*time.Millisecond, t0) // never judged
	record(rec, primary, other, 50, stats.Timeout, 10*time.Millisecond, t0)       // not a key route
	record(rec, fallback, search, 50, stats.Timeout, 10*time.Millisecond, t0)     // another upstream
	r = src.Read(ctx, t0.Add(time.Second))
	wantValid(t, r, 0.25) // 5 failures of 20 judged
	wantDetail(t, r, "routes search+sessions", "20 requests", "5 failed (25.0%)")
	if r.Unit != UnitRatio {
		t.Errorf("unit = %q", r.Unit)
	}

	// The window slides: a minute later the requests are gone.
	wantInvalid(t, src.Read(ctx, t0.Add(2*time.Minute)), nil)
}

func TestRouteErrorRate(t *testing.T) {
	rec := newRecorder()
	record(rec, primary, sessions, 8, stats.OK, time.Millisecond, t0)
	record(rec, primary, sessions, 2, stats.ConnectError, time.Millisecond, t0)
	record(rec, primary, search, 30, stats.OK, time.Millisecond, t0)
	r := RouteErrorRate(rec, primary, sessions).Read(context.Background(), t0)
	wantValid(t, r, 0.2)
	wantDetail(t, r, "routes sessions")
}

func TestAvgLatency(t *testing.T) {
	rec := newRecorder()
	record(rec, primary, search, 10, stats.OK, 100*time.Millisecond, t0)
	record(rec, primary, other, 10, stats.ServerError, 300*time.Millisecond, t0)
	r := AvgLatency(rec, primary, nil).Read(context.Background(), t0)
	wantValid(t, r, 200)
	if r.Unit != UnitMS {
		t.Errorf("unit = %q", r.Unit)
	}
	wantDetail(t, r, "all routes", "20 requests", "avg 200ms", "p95 ", "p99 ")
}

// The average crosses 5s only once slow requests dominate the window;
// Onset finds the bucket where they began, less their own latency.
func TestAvgLatencyOnsetFindsFirstSlowBucket(t *testing.T) {
	rec := newRecorder()
	for s := 0; s < 30; s += 5 {
		record(rec, primary, search, 10, stats.OK, 20*time.Millisecond, t0.Add(time.Duration(s)*time.Second))
	}
	// An old blip that recovered must not count as the onset.
	record(rec, primary, search, 1, stats.OK, 9*time.Second, t0.Add(5*time.Second))
	for s := 30; s < 60; s += 5 {
		record(rec, primary, search, 4, stats.OK, 6*time.Second, t0.Add(time.Duration(s)*time.Second))
	}
	src := AvgLatency(rec, primary, nil)
	now := t0.Add(59 * time.Second)
	over := func(v float64) bool { return v > 5000 }
	if got, want := src.Onset(now, over), t0.Add(24*time.Second); !got.Equal(want) {
		t.Errorf("onset = %v, want %v (bucket at +30s less its 6s latency)", got.Sub(t0), want.Sub(t0))
	}
	record(rec, primary, search, 50, stats.OK, 20*time.Millisecond, now)
	if got := src.Onset(now, over); !got.IsZero() {
		t.Errorf("onset after recovery = %v, want zero", got.Sub(t0))
	}
}
