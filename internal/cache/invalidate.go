package cache

import (
	"net/http"
	"net/url"
	"strings"
)

// Invalidation after writes (RFC 9111 section 4.4). A successful unsafe
// request changes state on the origin, so the stored answers about that
// state must go: the target URI's, and those named by the response's
// Location and Content-Location when they are on the same host. Keys are
// hashes, so entries are found by the path each one keeps; every method,
// query, tenant and body under a path goes, since any of them may show
// the change.
//
// OpenViking's resources nest: a message written with POST
// /api/v1/sessions/s1/messages changes what GET /api/v1/sessions/s1 (its
// message count) and GET /api/v1/sessions (the list) answer. So beyond
// the RFC's target, the answers stored for every ancestor path and for
// every path under the target are invalidated too. Aggressive mode does
// not shield an entry: an invalidated answer is gone, not stale.

// Unsafe reports whether a method may change state on the origin: any
// method but GET, HEAD, OPTIONS and TRACE (RFC 9110 section 9.2.1).
func Unsafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return false
	}
	return true
}

// Invalidate drops the answers a successful unsafe request to target made
// stale, given its response header, and returns how many it dropped.
// host is the host the client addressed: a Location on another host says
// nothing about this cache's entries.
func (c *Cache) Invalidate(target *url.URL, host string, resp http.Header) int {
	paths := []string{target.Path}
	for _, name := range []string{"Location", "Content-Location"} {
		if p, ok := sameHostPath(resp.Get(name), target, host); ok {
			paths = append(paths, p)
		}
	}
	n := 0
	for _, s := range c.shards {
		n += s.dropWhere(func(e *Entry) bool { return affected(e.path, paths) })
	}
	c.stats.dropped.Add(uint64(n))
	return n
}

// sameHostPath resolves a Location-like value against target and returns
// its path when it names the same host.
func sameHostPath(v string, target *url.URL, host string) (string, bool) {
	if v == "" {
		return "", false
	}
	u, err := target.Parse(v)
	if err != nil || (u.Host != "" && u.Host != host && u.Host != target.Host) {
		return "", false
	}
	return u.Path, true
}

// affected reports whether an entry stored for path p is made stale by a
// write to any of paths: the same path, one under it, or an ancestor.
func affected(p string, paths []string) bool {
	for _, w := range paths {
		if p == w || under(p, w) || under(w, p) {
			return true
		}
	}
	return false
}

// under reports whether path p lies below dir.
func under(p, dir string) bool {
	dir = strings.TrimSuffix(dir, "/")
	return dir != "" && len(p) > len(dir) && strings.HasPrefix(p, dir) && p[len(dir)] == '/'
}
