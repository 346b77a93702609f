package cache

import (
	"encoding/binary"
	"sync"
	"sync/atomic"
	"time"
)

// Cache is a shared HTTP response cache: a sharded LRU bounded by entry
// count and bytes, applying RFC 9111 rules for a shared cache. All methods
// are safe for concurrent use.
type Cache struct {
	// Fixed at New.
	now           func() time.Time
	tenantHeaders []string
	maxEntryBytes int64
	staleIfError  time.Duration
	shards        []*shard
	keyBufs       sync.Pool

	// Live settings. limitsMu serialises Resize and SetMaxBytes so shard
	// shares always add up to the totals.
	limitsMu   sync.Mutex
	maxEntries atomic.Int64
	maxBytes   atomic.Int64
	aggrTTL    atomic.Int64 // nanoseconds; 0 means aggressive mode is off

	stats counters
}

// New returns an empty cache configured by s (see Settings for defaults).
func New(s Settings) *Cache {
	s = s.withDefaults()
	c := &Cache{
		now:           s.Now,
		tenantHeaders: s.TenantHeaders,
		maxEntryBytes: s.MaxEntryBytes,
		staleIfError:  s.StaleIfError,
		shards:        make([]*shard, s.Shards),
	}
	c.keyBufs.New = func() any { b := make([]byte, 0, 512); return &b }
	for i := range c.shards {
		c.shards[i] = newShard(0, 0, &c.stats)
	}
	c.maxEntries.Store(int64(s.MaxEntries))
	c.maxBytes.Store(s.MaxBytes)
	c.applyLimits()
	return c
}

// shard picks k's shard from the key's first bytes, which are uniformly
// distributed since the key is a hash.
func (c *Cache) shard(k Key) *shard {
	i := binary.LittleEndian.Uint64(k[:8]) & uint64(len(c.shards)-1)
	return c.shards[i]
}

// Resize sets the entry limit (the plan's /admin/cache/resize max_size),
// evicting least recently used entries when shrinking. Values below 1 are
// treated as 1.
func (c *Cache) Resize(maxEntries int) {
	c.limitsMu.Lock()
	defer c.limitsMu.Unlock()
	c.maxEntries.Store(int64(max(maxEntries, 1)))
	c.applyLimits()
}

// SetMaxBytes sets the byte limit, evicting when shrinking. Values below 1
// are treated as 1, which leaves nothing stored.
func (c *Cache) SetMaxBytes(n int64) {
	c.limitsMu.Lock()
	defer c.limitsMu.Unlock()
	c.maxBytes.Store(max(n, 1))
	c.applyLimits()
}

// applyLimits splits the totals over the shards so that the shares add up
// exactly to the totals.
func (c *Cache) applyLimits() {
	n := int64(len(c.shards))
	entries, bytes := c.maxEntries.Load(), c.maxBytes.Load()
	for i, s := range c.shards {
		e := entries / n
		if int64(i) < entries%n {
			e++
		}
		b := bytes / n
		if int64(i) < bytes%n {
			b++
		}
		s.setLimits(int(e), b)
	}
}

// SetAggressive turns aggressive mode on or off (the plan's Level 2
// {"cache_ttl_seconds":3600,"force_cache":true}). While on, every storable
// 2xx answer is kept for ttl regardless of its freshness headers, and every
// stored 2xx answer younger than ttl is a hit. A ttl of zero or less means
// DefaultAggressiveTTL. Turning it off restores RFC 9111 behaviour; entries
// only aggressive mode allowed are then always revalidated.
func (c *Cache) SetAggressive(on bool, ttl time.Duration) {
	if !on {
		c.aggrTTL.Store(0)
		return
	}
	if ttl <= 0 {
		ttl = DefaultAggressiveTTL
	}
	c.aggrTTL.Store(int64(ttl))
}

func (c *Cache) aggressiveTTL() time.Duration { return time.Duration(c.aggrTTL.Load()) }

// Purge removes every entry. Counters other than Entries and Bytes are
// kept.
func (c *Cache) Purge() {
	for _, s := range c.shards {
		s.purge()
	}
}
