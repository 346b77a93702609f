package stats

import "time"

// Counts are request counts by outcome.
type Counts struct {
	// Requests counts every recorded request, whatever its outcome.
	Requests      int64
	OK            int64
	ClientErrors  int64
	ServerErrors  int64
	ConnectErrors int64
	Timeouts      int64
	ClientGone    int64
	Rejected      int64
}

// Failures counts the requests that count against the upstream.
func (c Counts) Failures() int64 { return c.ServerErrors + c.ConnectErrors + c.Timeouts }

// plus returns the sum of c and d.
func (c Counts) plus(d Counts) Counts {
	return Counts{
		Requests: c.Requests + d.Requests, OK: c.OK + d.OK,
		ClientErrors: c.ClientErrors + d.ClientErrors, ServerErrors: c.ServerErrors + d.ServerErrors,
		ConnectErrors: c.ConnectErrors + d.ConnectErrors, Timeouts: c.Timeouts + d.Timeouts,
		ClientGone: c.ClientGone + d.ClientGone, Rejected: c.Rejected + d.Rejected,
	}
}

// Judged counts the requests that say something about the upstream: all
// but ClientGone and Rejected. It is the denominator of the error rate.
func (c Counts) Judged() int64 { return c.Requests - c.ClientGone - c.Rejected }

// Summary describes a window, or several windows added together.
type Summary struct {
	Counts
	// ErrorRate is Failures / Judged, in [0, 1]; 0 when nothing was judged.
	ErrorRate float64
	// AvgLatency and the percentiles cover judged requests only. The
	// percentiles are histogram estimates, exact to within one histogram
	// bucket (a ratio of at most 1.5).
	AvgLatency, P50, P95, P99 time.Duration
	// Enough reports Judged >= MinVolume: below it the rates are noise and
	// triggers should not act on them.
	Enough bool
	// Window is the time span the summary covers: the full buckets plus the
	// elapsed part of the current one.
	Window time.Duration
}

// aggregate is the plain sum of any number of buckets.
type aggregate struct {
	counts  [NumOutcomes]int64
	latency int64
	hist    [histBuckets]int64
}

func (a *aggregate) merge(b *aggregate) {
	for i := range a.counts {
		a.counts[i] += b.counts[i]
	}
	a.latency += b.latency
	for i := range a.hist {
		a.hist[i] += b.hist[i]
	}
}

// countsOf turns per-outcome counters into Counts.
func countsOf(c *[NumOutcomes]int64) Counts {
	out := Counts{
		OK: c[OK], ClientErrors: c[ClientError], ServerErrors: c[ServerError],
		ConnectErrors: c[ConnectError], Timeouts: c[Timeout],
		ClientGone: c[ClientGone], Rejected: c[Rejected],
	}
	for _, n := range c {
		out.Requests += n
	}
	return out
}

// summary derives rates and latencies from the sums.
func (a *aggregate) summary(minVolume int, span time.Duration) Summary {
	s := Summary{Counts: countsOf(&a.counts), Window: span}
	judged := s.Judged()
	if judged > 0 {
		s.ErrorRate = float64(s.Failures()) / float64(judged)
		s.AvgLatency = time.Duration(a.latency / judged)
	}
	s.P50 = quantile(&a.hist, 0.50)
	s.P95 = quantile(&a.hist, 0.95)
	s.P99 = quantile(&a.hist, 0.99)
	s.Enough = judged >= int64(minVolume)
	return s
}
