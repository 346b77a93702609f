// Package signal reads the values Lifeboat's escalation triggers judge:
// passive traffic statistics (error rate, latency, latency against a learned
// baseline, cache hit rate), active health, resource pressure of the primary
// (a Prometheus query, a /metrics scrape, /proc or cgroup files, a command)
// and integrity checks (Redis PING, a functional probe, a command).
//
// Every source implements Source with one Read call that returns a Reading
// and never blocks past its timeout or the caller's context. A source that
// cannot judge (too little traffic, no baseline yet, an unreachable metrics
// endpoint) says so with Valid false instead of inventing a number, and a
// trigger leaves its state alone on such a reading. Integrity checks are the
// exception: for them a failed attempt is the finding, so they report
// Value 1 with Valid true, and only a cancelled caller context makes them
// invalid.
//
// The package never logs and starts no goroutines of its own; each Read runs
// on the caller's goroutine. Every source is safe for concurrent use.
package signal
