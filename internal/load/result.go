package load

import "time"

// Result is what a run measured. Every request sent counts once, in Total
// and in Seconds, and either in Status (it got an answer) or in Errors (it
// did not); requests cut short by the caller's context count nowhere.
type Result struct {
	// Total is the number of requests that ended, answered or failed.
	Total int64 `json:"total"`
	// Duration is from the first request to the last answer.
	Duration time.Duration `json:"duration_ns"`
	// Throughput is Total per second of Duration.
	Throughput float64 `json:"throughput"`
	// Latency covers requests that got an answer, whatever its status;
	// transport failures have no meaningful latency and are left out.
	Latency Latency `json:"latency"`
	// Status counts answers by HTTP status.
	Status map[int]int64 `json:"status"`
	// Errors counts requests without an answer by ErrorClass.
	Errors map[ErrorClass]int64 `json:"errors"`
	// Seconds has one entry per second of the run, by the second each
	// request was sent in. A second with no requests means every worker
	// was still waiting on an earlier one.
	Seconds []Second `json:"seconds"`
	// Acked lists the session writes the server acknowledged, in the
	// order they were acknowledged (sessions mode only).
	Acked []Write `json:"acked,omitempty"`
	// Unacked lists the session writes sent without an acknowledgement:
	// an error status or no answer at all. The server may still have
	// taken them (a client that gave up cannot know), so a read-back may
	// find them, but never twice (sessions mode only).
	Unacked []Write `json:"unacked,omitempty"`
	// Uploads lists the files the server acknowledged uploading and adding
	// as resources (sessions mode only).
	Uploads []Upload `json:"uploads,omitempty"`
	// Interrupted is set when the caller's context ended the run early.
	Interrupted bool `json:"interrupted,omitempty"`
}

// Latency is a latency distribution, to within 1.6 %.
type Latency struct {
	P50  time.Duration `json:"p50_ns"`
	P90  time.Duration `json:"p90_ns"`
	P95  time.Duration `json:"p95_ns"`
	P99  time.Duration `json:"p99_ns"`
	Max  time.Duration `json:"max_ns"`
	Mean time.Duration `json:"mean_ns"`
}

// Second is one second of the run.
type Second struct {
	// Requests is how many requests were sent in this second.
	Requests int64 `json:"requests"`
	// Failed is how many of them failed: no answer, or a status of 400
	// or more.
	Failed int64 `json:"failed"`
}

// Failed counts the requests that failed: no answer, or a status of 400 or
// more.
func (r Result) Failed() int64 {
	var n int64
	for status, c := range r.Status {
		if failedStatus(status) {
			n += c
		}
	}
	for _, c := range r.Errors {
		n += c
	}
	return n
}

// failedStatus says which answers count as failures.
func failedStatus(status int) bool { return status >= 400 }

// Snapshot is the progress of a run so far.
type Snapshot struct {
	// Elapsed is the time since the run started.
	Elapsed time.Duration `json:"elapsed_ns"`
	// Requests and Failed count the requests that ended so far.
	Requests int64 `json:"requests"`
	Failed   int64 `json:"failed"`
	// Rate is requests ended per second since the previous snapshot; in
	// the last snapshot of a run, over the whole run.
	Rate float64 `json:"rate"`
	// P50 and P99 are the answered requests' latencies so far.
	P50 time.Duration `json:"p50_ns"`
	P99 time.Duration `json:"p99_ns"`
}
