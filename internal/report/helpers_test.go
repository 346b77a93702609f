package report

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/history"
)

// t0 is when the simulated incidents of these tests begin.
var t0 = time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)

// at returns t0 plus seconds.
func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

// outage returns one sample a second for n seconds: 50ms and no errors,
// then from second 120 a primary slowing down and failing, until traffic
// moves to the fallback at 200 and clients see 80ms and no errors. Second
// 300 is idle.
func outage(n int) []history.Sample {
	var out []history.Sample
	for i := 1; i <= n; i++ {
		avg, p99, req, fail := 50*time.Millisecond, 120*time.Millisecond, int64(20), int64(0)
		switch {
		case i == 300:
			req = 0
		case i >= 120 && i < 200:
			k := time.Duration(i - 119)
			avg, p99 = 50*time.Millisecond+k*60*time.Millisecond, 200*time.Millisecond+k*90*time.Millisecond
			fail = min(int64(i-119)/4, 12)
		case i >= 200:
			avg, p99 = 80*time.Millisecond, 180*time.Millisecond
		}
		out = append(out, sample(at(i), req, fail, avg, p99))
	}
	return out
}

// sample is one second of client traffic with a primary at 30 % CPU.
func sample(t time.Time, req, fail int64, avg, p99 time.Duration) history.Sample {
	cpu := 30.0
	smp := history.Sample{Time: t, Interval: time.Second, CPU: &cpu}
	if req > 0 {
		smp.Targets = []history.Figures{{
			Target: history.Client, Requests: req, Failures: fail, Judged: req,
			ErrorRate: float64(fail) / float64(req), AvgLatency: avg, P95: (avg + p99) / 2, P99: p99,
		}}
	}
	return smp
}
