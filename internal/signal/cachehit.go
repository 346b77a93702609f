package signal

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
)

// CacheHitSource reads the cache hit ratio since its previous valid
// reading. See CacheHitRate.
type CacheHitSource struct {
	snapshot   func() cache.Snapshot
	minLookups uint64

	mu   sync.Mutex
	mark cache.Snapshot // counters at the last valid reading
}

// CacheHitRate reads the share of lookups answered from the cache (unit
// ratio), counted like cache.Snapshot.HitRatio but over the lookups since
// the previous valid reading rather than since start. The reading is valid
// only when at least minLookups lookups happened in between; until then
// the counters keep accumulating, so a quiet cache is judged over a longer
// span instead of never. The first reading counts from zero. When the
// counters go backwards (the cache was rebuilt) counting restarts from
// zero as well. minLookups below 1 means 1. The plan's warning is Op "<" with Threshold 0.5.
func CacheHitRate(snapshot func() cache.Snapshot, minLookups int) *CacheHitSource {
	return &CacheHitSource{snapshot: snapshot, minLookups: uint64(max(minLookups, 1))}
}

// Read implements Source.
func (s *CacheHitSource) Read(_ context.Context, _ time.Time) Reading {
	cur := s.snapshot()
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur.Lookups < s.mark.Lookups {
		s.mark = cache.Snapshot{}
	}
	lookups := cur.Lookups - s.mark.Lookups
	served := served(cur) - min(served(s.mark), served(cur))
	if lookups < s.minLookups {
		detail := fmt.Sprintf("%d lookups since last reading, need %d", lookups, s.minLookups)
		return Reading{Unit: UnitRatio, Detail: detail}
	}
	s.mark = cur
	ratio := min(float64(served)/float64(lookups), 1)
	detail := fmt.Sprintf("%d of %d lookups served from cache (%.1f%%)", served, lookups, 100*ratio)
	return Reading{Value: ratio, Valid: true, Unit: UnitRatio, Detail: detail}
}

// served counts the lookups HitRatio counts as answered from the cache.
func served(s cache.Snapshot) uint64 { return s.Hits + s.StaleServed + s.Revalidated }
