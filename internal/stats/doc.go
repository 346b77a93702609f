// Package stats observes proxied traffic passively: every response is
// recorded per upstream and per route class with its latency and Outcome,
// into sliding time windows made of buckets.
//
// Windows feed the status page and the escalation triggers (error rate,
// average latency, percentiles). A window only speaks when it holds enough
// requests (Summary.Enough), so that one failure among three requests does
// not read as a 33 % error rate. Recording is lock-free and allocation-free.
package stats
