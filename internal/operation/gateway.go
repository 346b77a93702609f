package operation

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
)

// Gateway is the part of the live gateway the operations change.
type Gateway interface {
	SetRouting(proxy.Routing) error
	EnableBreaker(breaker.Settings) error
	EnableQueue(queue.Settings) error
	EnableCache()
	CacheStore() *cache.Cache
	SetAggressiveCache(on bool, ttl time.Duration)
}

var _ Gateway = (*proxy.Gateway)(nil)

// Defaults fill in what a call leaves out.
type Defaults struct {
	// Breaker is the breaker's configured settings. Zero values are the
	// breaker package's defaults.
	Breaker breaker.Settings
	// Queue is the queue's configured settings. Zero values are the queue
	// package's defaults.
	Queue queue.Settings
	// AggressiveTTL is the aggressive cache's TTL when a call gives none.
	// Default 0: the cache package's default.
	AggressiveTTL time.Duration
}

// Ops applies operations to one gateway, filling omitted parameters from
// its defaults.
type Ops struct {
	Gateway  Gateway
	Defaults Defaults
}
