package sim

import (
	"net/http"
	"sync/atomic"
)

// router dispatches through an http.ServeMux but answers unknown paths and
// wrong methods in the service's own dialect instead of net/http's plain
// text, and counts requests per route for /metrics.
type router struct {
	mux    *http.ServeMux
	routes []*routeStat
	// miss writes the dialect's 404 or 405 (the Allow header is already set).
	miss func(w http.ResponseWriter, status int)
}

// routeStat counts the requests one registered pattern served.
type routeStat struct {
	pattern string
	n       atomic.Int64
}

func newRouter(miss func(w http.ResponseWriter, status int)) *router {
	return &router{mux: http.NewServeMux(), miss: miss}
}

// handle registers h for pattern ("METHOD /path/{var}"). Registration
// happens in constructors only, before any request is served.
func (rt *router) handle(pattern string, h http.Handler) {
	stat := &routeStat{pattern: pattern}
	rt.routes = append(rt.routes, stat)
	rt.mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stat.n.Add(1)
		h.ServeHTTP(w, r)
	}))
}

func (rt *router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h, pattern := rt.mux.Handler(r); pattern == "" {
		rt.reject(w, r, h)
		return
	}
	rt.mux.ServeHTTP(w, r)
}

// reject runs the mux's own fallback into a probe to learn whether it is a
// 404 or a 405 (and the allowed methods), then answers in the dialect.
func (rt *router) reject(w http.ResponseWriter, r *http.Request, h http.Handler) {
	probe := &statusProbe{header: http.Header{}}
	h.ServeHTTP(probe, r)
	if probe.status == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", probe.header.Get("Allow"))
		rt.miss(w, http.StatusMethodNotAllowed)
		return
	}
	rt.miss(w, http.StatusNotFound)
}

// statusProbe is a ResponseWriter that keeps the status and headers and
// discards the body.
type statusProbe struct {
	header http.Header
	status int
}

func (p *statusProbe) Header() http.Header { return p.header }

func (p *statusProbe) WriteHeader(status int) {
	if p.status == 0 {
		p.status = status
	}
}

func (p *statusProbe) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return len(b), nil
}
