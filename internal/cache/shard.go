package cache

import (
	"math"
	"sync"
	"time"

	"github.com/hashicorp/golang-lru/v2/simplelru"
)

// expiredPerStore bounds how many dead entries one store clears from the
// cold end of its shard, so expired entries leave without a sweeper
// goroutine and without making any one store slow.
const expiredPerStore = 2

// shard is one mutex-guarded LRU with its own share of the limits. The
// underlying LRU is unbounded; the shard enforces both limits itself so
// that every removal goes through its byte and entry accounting.
type shard struct {
	mu         sync.Mutex
	lru        *simplelru.LRU[Key, *Entry]
	bytes      int64
	maxEntries int
	maxBytes   int64
	stats      *counters
}

func newShard(maxEntries int, maxBytes int64, stats *counters) *shard {
	// The size can only be rejected when not positive; MaxInt is not.
	lru, _ := simplelru.NewLRU[Key, *Entry](math.MaxInt, nil)
	return &shard{lru: lru, maxEntries: maxEntries, maxBytes: maxBytes, stats: stats}
}

// get returns the entry for k and marks it recently used.
func (s *shard) get(k Key) *Entry {
	s.mu.Lock()
	e, _ := s.lru.Get(k)
	s.mu.Unlock()
	return e
}

// put stores e under k, replacing any previous entry, evicting from the
// cold end until both limits hold. It reports false when e cannot fit in
// this shard at all.
func (s *shard) put(k Key, e *Entry, now time.Time, aggrTTL time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e.size > s.maxBytes || s.maxEntries < 1 {
		return false
	}
	s.removeLocked(k)
	s.dropExpiredLocked(now, aggrTTL)
	s.evictLocked(s.maxEntries-1, s.maxBytes-e.size)
	s.lru.Add(k, e)
	s.account(1, e.size)
	return true
}

// drop removes k if it still maps to e; a newer entry stored meanwhile by
// another request is left alone.
func (s *shard) drop(k Key, e *Entry) {
	s.mu.Lock()
	if cur, ok := s.lru.Peek(k); ok && cur == e {
		s.removeLocked(k)
		s.stats.dropped.Add(1)
	}
	s.mu.Unlock()
}

// remove deletes k, whatever it maps to.
func (s *shard) remove(k Key) {
	s.mu.Lock()
	s.removeLocked(k)
	s.mu.Unlock()
}

// dropWhere removes every entry for which match holds and returns how
// many it removed. It walks the whole shard, which writes can afford:
// they are rare next to reads, and a shard holds a few hundred entries.
func (s *shard) dropWhere(match func(*Entry) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, k := range s.lru.Keys() {
		if e, ok := s.lru.Peek(k); ok && match(e) {
			s.removeLocked(k)
			n++
		}
	}
	return n
}

// setLimits changes the shard's limits, evicting what no longer fits.
func (s *shard) setLimits(maxEntries int, maxBytes int64) {
	s.mu.Lock()
	s.maxEntries, s.maxBytes = maxEntries, maxBytes
	s.evictLocked(maxEntries, maxBytes)
	s.mu.Unlock()
}

// purge removes everything; this is not counted as eviction.
func (s *shard) purge() {
	s.mu.Lock()
	s.account(-int64(s.lru.Len()), -s.bytes)
	s.lru.Purge()
	s.mu.Unlock()
}

// evictLocked removes least recently used entries until at most
// entries remain holding at most bytes.
func (s *shard) evictLocked(entries int, bytes int64) {
	for s.lru.Len() > 0 && (s.lru.Len() > entries || s.bytes > bytes) {
		_, e, _ := s.lru.RemoveOldest()
		s.account(-1, -e.size)
		s.stats.evictions.Add(1)
	}
}

// dropExpiredLocked clears a few entries past their keep age from the
// cold end of the LRU.
func (s *shard) dropExpiredLocked(now time.Time, aggrTTL time.Duration) {
	for range expiredPerStore {
		_, e, ok := s.lru.GetOldest()
		if !ok || !e.dead(e.Age(now), aggrTTL) {
			return
		}
		s.lru.RemoveOldest()
		s.account(-1, -e.size)
		s.stats.dropped.Add(1)
	}
}

func (s *shard) removeLocked(k Key) {
	if e, ok := s.lru.Peek(k); ok {
		s.lru.Remove(k)
		s.account(-1, -e.size)
	}
}

// account updates the shard's bytes and the cache-wide gauges together.
func (s *shard) account(entries, bytes int64) {
	s.bytes += bytes
	s.stats.entries.Add(entries)
	s.stats.bytes.Add(bytes)
}
