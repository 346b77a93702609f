package admin

import (
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/operation"
)

func (a *API) getCache(*http.Request) (any, error) { return a.cacheView(), nil }

// resizeCache is the plan's Level 1 call: {"max_size": 2000}.
func (a *API) resizeCache(r *http.Request) (any, error) {
	p, err := params(r, a.o.MaxBodyBytes, operation.ParseResize)
	if err != nil {
		return nil, err
	}
	a.ops().Resize(p)
	a.changed(r, "cache resized", map[string]any{"max_size": p.MaxSize, "max_bytes": p.MaxBytes})
	return a.cacheView(), nil
}

// aggressiveCache is the plan's Level 2 call:
// {"cache_ttl_seconds": 3600, "force_cache": true}. force_cache false turns
// aggressive mode off.
func (a *API) aggressiveCache(r *http.Request) (any, error) {
	p, err := params(r, a.o.MaxBodyBytes, operation.ParseAggressive)
	if err != nil {
		return nil, err
	}
	on, ttl := a.ops().SetAggressive(p)
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
