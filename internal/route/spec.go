package route

import "time"

// Spec is one route class as the configuration file states it; New
// compiles a list of them into a Table.
type Spec struct {
	// Name identifies the class in statistics and metrics. Required, unique.
	Name string `yaml:"name" json:"name"`
	// Methods restricts the class to these methods. Default: any method.
	Methods []string `yaml:"methods" json:"methods"`
	// Paths are patterns: literal segments, "*" for exactly one segment,
	// and a final "**" for one or more segments. Required.
	Paths []string `yaml:"paths" json:"paths"`
	// Idempotent marks requests that may be replayed on the fallback after
	// a timeout or 5xx, as GET, HEAD and OPTIONS always are. Default false.
	Idempotent bool `yaml:"idempotent" json:"idempotent"`
	// CachePost opts POST requests of this class into the cache, keyed by
	// their canonical JSON body and tenant. Default false.
	CachePost bool `yaml:"cache_post" json:"cache_post"`
	// CacheTTL is the freshness given to responses that carry none.
	// Zero stores them only in aggressive mode. Default 0.
	CacheTTL time.Duration `yaml:"cache_ttl" json:"cache_ttl"`
	// OutageCopy keeps the primary's latest answer to each GET of this
	// class (per tenant), never fresh, so that it can be served when
	// neither side can answer: reading a session that lives only on the
	// primary still works during an outage, marked X-Cache: STALE.
	// Default false; true for the default "sessions" class.
	OutageCopy bool `yaml:"outage_copy" json:"outage_copy"`
	// Key marks the class as a key endpoint, whose error rate and latency
	// drive escalation. Default false.
	Key bool `yaml:"key" json:"key"`
	// Timeout is the per-try timeout (Envoy's per_try_timeout): how long
	// a replayable request of this class waits for the response headers
	// of its first upstream, the wait for a free connection included,
	// before it is answered by the other upstream inside the same client
	// request (backup and split modes). Requests with nowhere else to go
	// wait for transport.response_header_timeout instead. Default 0:
	// transport.response_header_timeout; 5s for the default "search"
	// class, the plan's response-time threshold.
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
}

// Defaults are the OpenViking API's route classes, plus LightRAG's
// query routes for clients that call the fallback's API directly. Searches
// and queries are read-only, so they are idempotent and opted into the
// tenant-keyed cache; with no TTL they are stored only so a stale answer can
// be served when both upstreams fail, and answered from cache in aggressive
// mode.
func Defaults() []Spec {
	return []Spec{
		{Name: "health", Methods: []string{"GET", "HEAD"}, Paths: []string{"/health", "/ready"}},
		{Name: "search", Methods: []string{"POST"}, Paths: []string{"/api/v1/search/find", "/api/v1/search/search"},
			Idempotent: true, CachePost: true, Key: true, Timeout: 5 * time.Second},
		{Name: "session-create", Methods: []string{"POST"}, Paths: []string{"/api/v1/sessions"}, Key: true},
		{Name: "sessions", Paths: []string{"/api/v1/sessions", "/api/v1/sessions/**"}, Key: true, OutageCopy: true},
		{Name: "resources", Paths: []string{"/api/v1/resources", "/api/v1/resources/**"}, Key: true},
		{Name: "query", Methods: []string{"POST"}, Paths: []string{"/query", "/query/data"},
			Idempotent: true, CachePost: true, Key: true},
	}
}
