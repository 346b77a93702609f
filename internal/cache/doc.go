// Package cache is Lifeboat's shared HTTP response cache: an LRU bounded
// by entry count and bytes that follows RFC 9111 as a shared cache, with
// the serve-stale extensions of RFC 5861 and an aggressive mode for
// incidents.
//
// The proxy drives it per request:
//
//	k, ok := c.Key(req)                 // !ok: bypass the cache
//	e, st := c.Lookup(k, req)
//	switch st {
//	case cache.Fresh:                   // e.WriteTo(w, now, cache.XCacheHit)
//	case cache.StaleWhileRevalidate:    // e.WriteTo(w, now, cache.XCacheStale), refresh in background
//	case cache.MustRevalidate:          // conditional request with e.Validators()
//	                                    //   304 -> c.Freshen(k, req, e, h).WriteTo(w, now, cache.XCacheRevalidated)
//	                                    //   error -> c.Stale(k, req), else pass the error on
//	case cache.Miss:                    // forward, then c.Store(k, req, status, header, body)
//	}
//
// Keys hash the method, path, sorted query, and a tenant identity made of
// Authorization, X-API-Key and the configured tenant headers; on POST
// routes the caller opts in, the canonical JSON body too. One tenant can
// therefore never be answered from another tenant's entry.
//
// Deliberate departures from RFC 9111, all toward safety or toward the
// failover purpose of Lifeboat:
//   - Opted-in POST routes (search, query) are cached, 200 only, and a
//     request carrying Authorization is stored there without public,
//     s-maxage or must-revalidate, because the key already binds the entry
//     to that credential.
//   - A response without any freshness information is still stored when
//     some window keeps it (by default the 1h stale-if-error), so it can
//     be revalidated or served if the upstream fails.
//   - Each key holds one variant: a response with a different Vary
//     selection replaces the previous one.
//   - GET and HEAD are cached separately; a request with no-store is not
//     served from the cache either; request max-stale is ignored.
//   - Qualified private="..." and no-cache="..." act as their unqualified
//     forms.
//   - Aggressive mode forces only 2xx entries, so that a cached 404 cannot
//     hide an object created during the incident.
package cache
