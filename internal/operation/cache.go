package operation

import "time"

// Resize is resize_cache's parameters, the plan's Level 1 call
// {"max_size": 2000}. At least one is given; a nil one is left as it is.
type Resize struct {
	MaxSize  *int
	MaxBytes *int64
}

// ParseResize reads and range-checks resize_cache's parameters.
func ParseResize(params map[string]any) (Resize, error) {
	r := read(params, "max_size", "max_bytes")
	if r.err == nil && params["max_size"] == nil && params["max_bytes"] == nil {
		r.fail("max_size", "is required")
	}
	p := Resize{MaxSize: r.intIn("max_size", 1, maxCacheSize), MaxBytes: r.whole("max_bytes", minCacheBytes, maxCacheBytes)}
	return p, r.err
}

// Resize bounds the cache as p says.
func (o Ops) Resize(p Resize) {
	c := o.Gateway.CacheStore()
	if p.MaxSize != nil {
		c.Resize(*p.MaxSize)
	}
	if p.MaxBytes != nil {
		c.SetMaxBytes(*p.MaxBytes)
	}
}

// Aggressive is aggressive_cache's parameters, the plan's Level 2 call
// {"cache_ttl_seconds": 3600, "force_cache": true}. TTL nil means the
// configured one; ForceCache nil means true, and false turns aggressive
// mode off.
type Aggressive struct {
	TTL        *time.Duration
	ForceCache *bool
}

// ParseAggressive reads and range-checks aggressive_cache's parameters.
func ParseAggressive(params map[string]any) (Aggressive, error) {
	r := read(params, "cache_ttl_seconds", "force_cache")
	var p Aggressive
	if secs := r.intIn("cache_ttl_seconds", 1, maxTTLSeconds); secs != nil {
		ttl := time.Duration(*secs) * time.Second
		p.TTL = &ttl
	}
	p.ForceCache = r.boolean("force_cache")
	return p, r.err
}

// SetAggressive turns aggressive caching on or off and returns what it
// set. Turning it on enables the cache too, since aggressive mode means
// nothing with the cache off.
func (o Ops) SetAggressive(p Aggressive) (on bool, ttl time.Duration) {
	on, ttl = true, o.Defaults.AggressiveTTL
	set(&on, p.ForceCache)
	set(&ttl, p.TTL)
	o.Gateway.SetAggressiveCache(on, ttl)
	if on {
		o.Gateway.EnableCache()
	}
	return on, ttl
}
