package admin

import (
	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// The views below fix the wire format of component state in one place, so
// the engines' Go types can change without breaking API clients.

type breakerJSON struct {
	Enabled             bool    `json:"enabled"`
	State               string  `json:"state,omitempty"`
	FailureThreshold    int     `json:"failure_threshold,omitempty"`
	RecoveryTimeout     float64 `json:"recovery_timeout,omitempty"`
	MaxRecoveryTimeout  float64 `json:"max_recovery_timeout,omitempty"`
	HalfOpenProbes      int     `json:"half_open_probes,omitempty"`
	ConsecutiveFailures int     `json:"consecutive_failures"`
	OpensTotal          uint64  `json:"opens_total"`
	RetryAfterSeconds   float64 `json:"retry_after_seconds,omitempty"`
}

func breakerView(b *breaker.Breaker) breakerJSON {
	if b == nil {
		return breakerJSON{}
	}
	s := b.Snapshot()
	return breakerJSON{
		Enabled:             true,
		State:               s.State.String(),
		FailureThreshold:    s.Settings.FailureThreshold,
		RecoveryTimeout:     s.Settings.RecoveryTimeout.Seconds(),
		MaxRecoveryTimeout:  s.Settings.MaxRecoveryTimeout.Seconds(),
		HalfOpenProbes:      s.Settings.HalfOpenProbes,
		ConsecutiveFailures: s.ConsecutiveFailures,
		OpensTotal:          s.OpensTotal,
		RetryAfterSeconds:   b.RetryAfter().Seconds(),
	}
}

type queueJSON struct {
	Enabled       bool   `json:"enabled"`
	MaxConcurrent int    `json:"max_concurrent,omitempty"`
	MaxQueueSize  int    `json:"max_queue_size,omitempty"`
	TimeoutMS     int64  `json:"timeout_ms,omitempty"`
	InFlight      int    `json:"in_flight"`
	Waiting       int    `json:"waiting"`
	Admitted      uint64 `json:"admitted"`
	RejectedFull  uint64 `json:"rejected_full"`
	TimedOut      uint64 `json:"timed_out"`
	Abandoned     uint64 `json:"abandoned"`
}

func queueView(q *queue.Queue) queueJSON {
	if q == nil {
		return queueJSON{}
	}
	s := q.Snapshot()
	return queueJSON{
		Enabled: true, MaxConcurrent: s.Settings.MaxConcurrent, MaxQueueSize: s.Settings.MaxQueueSize,
		TimeoutMS: s.Settings.Timeout.Milliseconds(), InFlight: s.InFlight, Waiting: s.Waiting,
		Admitted: s.Admitted, RejectedFull: s.RejectedFull, TimedOut: s.TimedOut, Abandoned: s.Abandoned,
	}
}

type cacheJSON struct {
	Enabled          bool    `json:"enabled"`
	MaxSize          int     `json:"max_size"`
	MaxBytes         int64   `json:"max_bytes"`
	Entries          int64   `json:"entries"`
	Bytes            int64   `json:"bytes"`
	Aggressive       bool    `json:"aggressive"`
	AggressiveTTLSec float64 `json:"cache_ttl_seconds"`
	Hits             uint64  `json:"hits"`
	Misses           uint64  `json:"misses"`
	Stale            uint64  `json:"stale"`
	Revalidated      uint64  `json:"revalidated"`
	Stores           uint64  `json:"stores"`
	Evictions        uint64  `json:"evictions"`
	HitRatio         float64 `json:"hit_ratio"`
}

func (a *API) cacheView() cacheJSON { return cacheViewOf(a.o.Gateway) }

func cacheViewOf(g Gateway) cacheJSON {
	s := g.CacheStore().Snapshot()
	return cacheJSON{
		Enabled: g.CacheEnabled(), MaxSize: s.MaxEntries, MaxBytes: s.MaxBytes,
		Entries: s.Entries, Bytes: s.Bytes, Aggressive: s.Aggressive, AggressiveTTLSec: s.AggressiveTTL.Seconds(),
		Hits: s.Hits, Misses: s.Misses, Stale: s.StaleServed, Revalidated: s.Revalidated,
		Stores: s.Stores, Evictions: s.Evictions, HitRatio: s.HitRatio(),
	}
}
