package signal

import (
	"context"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/health"
)

func TestHealthFailuresCountsStreak(t *testing.T) {
	ok := false
	prober := health.ProberFunc(func(context.Context) health.Result {
		if ok {
			return health.Result{OK: true, Reason: "ok"}
		}
		return health.Result{Reason: "timeout"}
	})
	c := health.NewChecker("openviking", prober, health.Settings{}, health.Hooks{})
	src := HealthFailures(c)
	ctx := context.Background()

	r := src.Read(ctx, t0)
	wantValid(t, r, 0) // no probe yet: valid, a zero streak
	for range 4 {
		c.CheckNow(ctx)
	}
	r = src.Read(ctx, t0)
	wantValid(t, r, 4)
	if r.Unit != UnitCount {
		t.Errorf("unit = %q", r.Unit)
	}
	wantDetail(t, r, "openviking", "4 consecutive failed checks", "last: timeout")

	ok = true
	c.CheckNow(ctx)
	wantValid(t, src.Read(ctx, t0), 0)
}

// The reading's onset is the first failed check of the streak, not the
// check that made the streak long enough to matter.
func TestHealthFailuresOnsetIsFirstFailure(t *testing.T) {
	n := 0
	prober := health.ProberFunc(func(context.Context) health.Result {
		n++
		return health.Result{Reason: "refused", At: t0.Add(time.Duration(n) * time.Second)}
	})
	c := health.NewChecker("openviking", prober, health.Settings{}, health.Hooks{})
	for range 4 {
		c.CheckNow(context.Background())
	}
	r := HealthFailures(c).Read(context.Background(), t0.Add(10*time.Second))
	if !r.Onset.Equal(t0.Add(time.Second)) {
		t.Errorf("onset = %v, want the first failed check at %v", r.Onset, t0.Add(time.Second))
	}
}
