package admin

import (
	"net/http"
	"time"
)

type resizeRequest struct {
	MaxSize  *int   `json:"max_size"`
	MaxBytes *int64 `json:"max_bytes"`
}

type aggressiveRequest struct {
	CacheTTLSeconds *int  `json:"cache_ttl_seconds"`
	ForceCache      *bool `json:"force_cache"`
}

func (a *API) getCache(*http.Request) (any, error) { return a.cacheView(), nil }

// resizeCache is the plan's Level 1 call: {"max_size": 2000}.
func (a *API) resizeCache(r *http.Request) (any, error) {
	var in resizeRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	if in.MaxSize == nil && in.MaxBytes == nil {
		return nil, bad("max_size", "is required")
	}
	if err := intIn("max_size", in.MaxSize, 1, maxCacheSize); err != nil {
		return nil, err
	}
	if in.MaxBytes != nil && (*in.MaxBytes < 1024 || *in.MaxBytes > 64<<30) {
		return nil, bad("max_bytes", "must be between 1024 and %d, got %d", int64(64<<30), *in.MaxBytes)
	}
	c := a.o.Gateway.CacheStore()
	if in.MaxSize != nil {
		c.Resize(*in.MaxSize)
	}
	if in.MaxBytes != nil {
		c.SetMaxBytes(*in.MaxBytes)
	}
	a.changed(r, "cache resized", map[string]any{"max_size": in.MaxSize, "max_bytes": in.MaxBytes})
	return a.cacheView(), nil
}

// aggressiveCache is the plan's Level 2 call:
// {"cache_ttl_seconds": 3600, "force_cache": true}. force_cache false turns
// aggressive mode off.
func (a *API) aggressiveCache(r *http.Request) (any, error) {
	var in aggressiveRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	if err := intIn("cache_ttl_seconds", in.CacheTTLSeconds, 1, maxTTLSeconds); err != nil {
		return nil, err
	}
	ttl, on := a.o.Defaults.AggressiveTTL, true
	if in.CacheTTLSeconds != nil {
		ttl = time.Duration(*in.CacheTTLSeconds) * time.Second
	}
	if in.ForceCache != nil {
		on = *in.ForceCache
	}
	a.o.Gateway.SetAggressiveCache(on, ttl)
	if on {
		a.o.Gateway.EnableCache()
	}
	a.changed(r, "aggressive caching set", map[string]any{"force_cache": on, "ttl": ttl.String()})
	return a.cacheView(), nil
}

func (a *API) normalCache(r *http.Request) (any, error) {
	return a.cacheCall(r, "aggressive caching disabled", func() {
		a.o.Gateway.SetAggressiveCache(false, a.o.Defaults.AggressiveTTL)
	})
}

func (a *API) enableCache(r *http.Request) (any, error) {
	return a.cacheCall(r, "cache enabled", a.o.Gateway.EnableCache)
}

func (a *API) disableCache(r *http.Request) (any, error) {
	return a.cacheCall(r, "cache disabled", a.o.Gateway.DisableCache)
}

func (a *API) purgeCache(r *http.Request) (any, error) {
	return a.cacheCall(r, "cache purged", a.o.Gateway.CacheStore().Purge)
}

func (a *API) cacheCall(r *http.Request, what string, change func()) (any, error) {
	return a.bodyless(r, what, change, func() any { return a.cacheView() })
}
