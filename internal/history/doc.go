// Package history keeps per-interval traffic figures for analysis, the
// user-visible downtime of an incident and its charts.
//
// A Sampler reads a Source every Interval and stores one Sample per
// interval in SQLite, pruning samples older than the retention limit.
// Request and failure counts are differences between consecutive readings
// of lifetime totals, so intervals tile time without overlapping. Latencies
// are whatever the Source reports for "recent" traffic: stats.Recorder keeps
// latency only in sliding windows, so with RecorderSource each sample's
// latencies cover the trailing window (60 s by default), not the interval
// alone. Charts of latency are therefore smoothed; counts, error rates and
// downtime are exact to the interval.
//
// Writes are batched in one transaction per BatchSize samples or FlushEvery,
// on the Sampler's own goroutine, so the gateway never waits for the disk.
// Samples not yet written are still visible to queries.
package history
