package verify

import (
	"context"
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// PrimaryHealthy holds while active checks say up and no trigger that
// reads the primary directly (health, resources, integrity) is firing.
// It guards a running restore step, whose traffic JudgeStep judges.
func (v *Verifier) PrimaryHealthy(context.Context) (bool, string) {
	v.Gate.Forget()
	if st := v.PrimaryHealth.State(); st != health.Up {
		return false, "active health checks say " + st.String()
	}
	for _, ev := range v.Triggers.Status() {
		if v.Direct[ev.Trigger] && ev.State == trigger.Firing {
			return false, "trigger " + ev.Trigger + " is firing"
		}
	}
	return true, "healthy"
}

// PrimaryRecovered holds while the primary is healthy by every immediate
// trigger's signal, not only its health endpoint (see level.HoldGate);
// the restore hold-down counts only while it does.
func (v *Verifier) PrimaryRecovered(context.Context) (bool, string) {
	return v.Gate.Healthy(v.PrimaryHealth.Status(), v.Triggers.Status())
}

// JudgeStep compares the primary's traffic during a restore step with the
// configured limits. A step with too little traffic to judge passes: there
// is no evidence against the primary, and health checks still guard it.
func (v *Verifier) JudgeStep(_ context.Context, since, now time.Time) (bool, string) {
	r := v.Limits
	s := v.Traffic.Upstream(0, v.Keys, now)
	if !s.Enough {
		return true, fmt.Sprintf("%d requests: too few to judge", s.Requests)
	}
	if s.ErrorRate > r.MaxErrorRate {
		return false, fmt.Sprintf("error rate %.1f%% above %.1f%%", 100*s.ErrorRate, 100*r.MaxErrorRate)
	}
	if ratio, ok := v.latencyRatio(s); ok && ratio > r.MaxLatencyRatio {
		return false, fmt.Sprintf("latency %.1fx the baseline, above %.1fx", ratio, r.MaxLatencyRatio)
	}
	return true, fmt.Sprintf("error rate %.1f%%, avg %s over %d requests", 100*s.ErrorRate, s.AvgLatency.Round(time.Millisecond), s.Requests)
}

// latencyRatio compares the step's average latency with the mean of the
// key routes' learned baselines.
func (v *Verifier) latencyRatio(s stats.Summary) (float64, bool) {
	var sum time.Duration
	n := 0
	for _, r := range v.Keys {
		if d, ok := v.Baseline.Value(r); ok {
			sum += d
			n++
		}
	}
	if n == 0 || sum <= 0 {
		return 0, false
	}
	return float64(s.AvgLatency) / float64(sum/time.Duration(n)), true
}
