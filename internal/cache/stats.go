package cache

import (
	"sync/atomic"
	"time"
)

// counters is the cache's live instrumentation, updated atomically.
type counters struct {
	lookups, hits, misses, expired   atomic.Uint64
	staleServed, revalidated, stores atomic.Uint64
	evictions, dropped               atomic.Uint64
	entries, bytes                   atomic.Int64
}

// Snapshot is a point-in-time copy of the counters and the live settings.
type Snapshot struct {
	// Lookups counts Lookup calls.
	Lookups uint64
	// Hits counts lookups answered Fresh.
	Hits uint64
	// Misses counts lookups that found nothing usable.
	Misses uint64
	// Expired counts lookups answered MustRevalidate.
	Expired uint64
	// StaleServed counts lookups answered StaleWhileRevalidate plus
	// entries handed out by Stale.
	StaleServed uint64
	// Revalidated counts entries freshened from a 304.
	Revalidated uint64
	// Stores counts responses stored (including by Freshen).
	Stores uint64
	// Evictions counts entries removed to respect the limits.
	Evictions uint64
	// Dropped counts entries removed because they outlived every window.
	Dropped uint64
	// Entries and Bytes are the current contents.
	Entries, Bytes int64

	MaxEntries    int
	MaxBytes      int64
	MaxEntryBytes int64
	StaleIfError  time.Duration
	Shards        int
	Aggressive    bool
	AggressiveTTL time.Duration
}

// HitRatio is the share of lookups answered from the cache (fresh, stale
// or after a 304), the figure the plan's "<50% cache hit rate" warning
// watches. It is 0 before the first lookup and at most 1.
func (s Snapshot) HitRatio() float64 {
	if s.Lookups == 0 {
		return 0
	}
	served := float64(s.Hits + s.StaleServed + s.Revalidated)
	return min(served/float64(s.Lookups), 1)
}

// Snapshot returns the counters and the live settings.
func (c *Cache) Snapshot() Snapshot {
	ttl := c.aggressiveTTL()
	st := &c.stats
	return Snapshot{
		Lookups: st.lookups.Load(), Hits: st.hits.Load(), Misses: st.misses.Load(),
		Expired: st.expired.Load(), StaleServed: st.staleServed.Load(),
		Revalidated: st.revalidated.Load(), Stores: st.stores.Load(),
		Evictions: st.evictions.Load(), Dropped: st.dropped.Load(),
		Entries: st.entries.Load(), Bytes: st.bytes.Load(),
		MaxEntries: int(c.maxEntries.Load()), MaxBytes: c.maxBytes.Load(),
		MaxEntryBytes: c.maxEntryBytes, StaleIfError: c.staleIfError,
		Shards: len(c.shards), Aggressive: ttl > 0, AggressiveTTL: ttl,
	}
}

// MaxEntryBytes is the largest response the cache stores, for callers that
// decide per request whether to keep a copy of a body.
func (c *Cache) MaxEntryBytes() int64 { return c.maxEntryBytes }
