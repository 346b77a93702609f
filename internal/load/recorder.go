package load

import (
	"sync/atomic"
	"time"
)

// maxStatus bounds the status counters; answers with a status outside
// 100..maxStatus-1 are counted under 0.
const maxStatus = 600

// recorder collects a run's figures. Workers record without locks; the
// progress goroutine and the end of Run read.
type recorder struct {
	start  time.Time
	hist   histogram
	status [maxStatus]atomic.Int64
	errs   [len(classes)]atomic.Int64
	ended  atomic.Int64
	failed atomic.Int64
	sent   []second // by the second of the run the request was sent in

	// Read and written by snapshot only, which runs on one goroutine.
	lastEnded int64
	lastAt    time.Duration
}

type second struct{ requests, failed atomic.Int64 }

func newRecorder(start time.Time, d time.Duration) *recorder {
	return &recorder{start: start, sent: make([]second, secondsIn(d))}
}

// secondsIn is the number of whole or partial seconds in d, at least one.
func secondsIn(d time.Duration) int {
	return max(1, int((d+time.Second-1)/time.Second))
}

// record counts one request sent at sentAt that took latency and ended with
// an answer of status, or with the transport error err.
func (r *recorder) record(sentAt time.Time, latency time.Duration, status int, err error) {
	sec := &r.sent[min(max(int(sentAt.Sub(r.start)/time.Second), 0), len(r.sent)-1)]
	sec.requests.Add(1)
	r.ended.Add(1)
	if err != nil {
		r.errs[classIndex(Classify(err))].Add(1)
	} else {
		r.hist.record(latency)
		r.status[statusSlot(status)].Add(1)
		if !failedStatus(status) {
			return
		}
	}
	r.failed.Add(1)
	sec.failed.Add(1)
}

func statusSlot(status int) int {
	if status < 100 || status >= maxStatus {
		return 0
	}
	return status
}

// snapshot reports progress at now. Only one goroutine may call it.
func (r *recorder) snapshot(now time.Time) Snapshot {
	s := Snapshot{Elapsed: now.Sub(r.start), Requests: r.ended.Load(), Failed: r.failed.Load()}
	if dt := s.Elapsed - r.lastAt; dt > 0 {
		s.Rate = float64(s.Requests-r.lastEnded) / dt.Seconds()
	}
	r.lastEnded, r.lastAt = s.Requests, s.Elapsed
	q := r.hist.quantiles(0.50, 0.99)
	s.P50, s.P99 = q[0], q[1]
	return s
}

// final is the last snapshot, at the end of the run. Its Rate is the
// run's average: the time since the previous snapshot is only the tail
// in which in-flight requests ended, and dividing by it reported a rate
// far above the real one.
func (r *recorder) final(now time.Time) Snapshot {
	s := r.snapshot(now)
	s.Rate = 0
	if s.Elapsed > 0 {
		s.Rate = float64(s.Requests) / s.Elapsed.Seconds()
	}
	return s
}

// result builds the Result of a run that lasted d and sent requests during
// its first seconds seconds. Workers must have stopped.
func (r *recorder) result(d time.Duration, seconds int) Result {
	res := Result{
		Total:    r.ended.Load(),
		Duration: d,
		Latency:  r.hist.latency(),
		Status:   map[int]int64{},
		Errors:   map[ErrorClass]int64{},
		Seconds:  make([]Second, min(seconds, len(r.sent))),
	}
	if d > 0 {
		res.Throughput = float64(res.Total) / d.Seconds()
	}
	for status := range r.status {
		if n := r.status[status].Load(); n > 0 {
			res.Status[status] = n
		}
	}
	for i, c := range classes {
		if n := r.errs[i].Load(); n > 0 {
			res.Errors[c] = n
		}
	}
	for i := range res.Seconds {
		res.Seconds[i] = Second{Requests: r.sent[i].requests.Load(), Failed: r.sent[i].failed.Load()}
	}
	return res
}
