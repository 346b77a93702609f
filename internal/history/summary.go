package history

import (
	"cmp"
	"slices"
	"time"
)

// Summary describes a run of samples as a whole.
type Summary struct {
	// Start and End bound the samples: the first one's start, the last
	// one's end. Zero when there are none.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Covered is the total length of the samples' intervals; it is less
	// than End - Start when the gateway was down or history has gaps.
	Covered time.Duration `json:"covered_ns"`
	Samples int           `json:"samples"`
	// Targets are sorted by name; a target idle throughout is absent.
	Targets []TargetSummary `json:"targets"`
	// CPU and Memory summarise the samples that carried them; nil when
	// none did.
	CPU    *Stat `json:"cpu_percent,omitempty"`
	Memory *Stat `json:"memory_percent,omitempty"`
}

// TargetSummary is one target's traffic over a run of samples.
type TargetSummary struct {
	Target    string  `json:"target"`
	Requests  int64   `json:"requests"`
	Failures  int64   `json:"failures"`
	Judged    int64   `json:"judged"`
	ErrorRate float64 `json:"error_rate"`
	// Throughput is requests per second over the covered time.
	Throughput float64 `json:"throughput_rps"`
	// AvgLatency, P95 and P99 are the samples' figures averaged with each
	// sample weighted by its judged requests. Percentiles cannot be merged
	// exactly, so P95 and P99 are a typical value, and MaxP99 the worst.
	AvgLatency time.Duration `json:"avg_latency_ns"`
	P95        time.Duration `json:"p95_latency_ns"`
	P99        time.Duration `json:"p99_latency_ns"`
	MaxP99     time.Duration `json:"max_p99_latency_ns"`
}

// Stat is the mean and maximum of a resource reading.
type Stat struct {
	Mean    float64 `json:"mean"`
	Max     float64 `json:"max"`
	Samples int     `json:"samples"`
}

// Target returns the named target's summary, zero when it was idle.
func (s Summary) Target(name string) TargetSummary {
	for _, t := range s.Targets {
		if t.Target == name {
			return t
		}
	}
	return TargetSummary{Target: name}
}

// Summarize adds samples up. They need not be sorted.
func Summarize(samples []Sample) Summary {
	var out Summary
	acc := map[string]*targetAcc{}
	var cpu, mem statAcc
	for _, smp := range samples {
		out.widen(smp)
		for _, f := range smp.Targets {
			if acc[f.Target] == nil {
				acc[f.Target] = &targetAcc{}
			}
			acc[f.Target].add(f)
		}
		cpu.add(smp.CPU)
		mem.add(smp.Memory)
	}
	for name, a := range acc {
		out.Targets = append(out.Targets, a.summary(name, out.Covered))
	}
	slices.SortFunc(out.Targets, func(a, b TargetSummary) int { return cmp.Compare(a.Target, b.Target) })
	out.CPU, out.Memory = cpu.stat(), mem.stat()
	return out
}

// widen counts smp into the span and coverage.
func (s *Summary) widen(smp Sample) {
	if s.Samples == 0 || smp.Start().Before(s.Start) {
		s.Start = smp.Start()
	}
	if smp.Time.After(s.End) {
		s.End = smp.Time
	}
	s.Covered += smp.Interval
	s.Samples++
}

// targetAcc sums one target's figures; latencies are weighted by judged.
type targetAcc struct {
	requests, failures, judged int64
	avg, p95, p99              float64
	maxP99                     time.Duration
}

func (a *targetAcc) add(f Figures) {
	a.requests += f.Requests
	a.failures += f.Failures
	a.judged += f.Judged
	w := float64(f.Judged)
	a.avg += w * float64(f.AvgLatency)
	a.p95 += w * float64(f.P95)
	a.p99 += w * float64(f.P99)
	a.maxP99 = max(a.maxP99, f.P99)
}

func (a *targetAcc) summary(name string, covered time.Duration) TargetSummary {
	t := TargetSummary{
		Target: name, Requests: a.requests, Failures: a.failures, Judged: a.judged,
		ErrorRate: errorRate(a.failures, a.judged), MaxP99: a.maxP99,
	}
	if covered > 0 {
		t.Throughput = float64(a.requests) / covered.Seconds()
	}
	if a.judged > 0 {
		w := float64(a.judged)
		t.AvgLatency = time.Duration(a.avg / w)
		t.P95 = time.Duration(a.p95 / w)
		t.P99 = time.Duration(a.p99 / w)
	}
	return t
}

// statAcc sums a resource reading that may be missing.
type statAcc struct {
	sum, max float64
	n        int
}

func (a *statAcc) add(v *float64) {
	if v == nil {
		return
	}
	if a.n == 0 || *v > a.max {
		a.max = *v
	}
	a.sum += *v
	a.n++
}

func (a *statAcc) stat() *Stat {
	if a.n == 0 {
		return nil
	}
	return &Stat{Mean: a.sum / float64(a.n), Max: a.max, Samples: a.n}
}

// DowntimeOf is the user-visible downtime within [start, end): the total
// length of the sample intervals in which the client target had failures,
// each clipped to the range. It is false when no sample overlaps the range.
func DowntimeOf(samples []Sample, start, end time.Time) (time.Duration, bool) {
	var down time.Duration
	covered := false
	for _, smp := range samples {
		lo, hi := later(smp.Start(), start), earlier(smp.Time, end)
		if !hi.After(lo) {
			continue
		}
		covered = true
		if smp.Target(Client).Failures > 0 {
			down += hi.Sub(lo)
		}
	}
	return down, covered
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
