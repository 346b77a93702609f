package config

import (
	"errors"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/lifeboat-sre/lifeboat/internal/field"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// ErrInvalid marks a configuration value outside its allowed range. Every
// *field.Error Validate reports wraps it, so errors.Is matches it.
var ErrInvalid = errors.New("config: invalid value")

// checker gathers field errors so one run reports every mistake at once.
type checker struct{ errs []error }

func (c *checker) add(name, format string, args ...any) {
	c.errs = append(c.errs, field.New(ErrInvalid, name, format, args...))
}

// join adds every error of a joined list, as Validate reports them one by
// one.
func (c *checker) join(err error) {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		c.errs = append(c.errs, j.Unwrap()...)
	} else if err != nil {
		c.errs = append(c.errs, err)
	}
}

func (c *checker) intRange(field string, v, lo, hi int) {
	if v < lo || v > hi {
		c.add(field, "must be between %d and %d, got %d", lo, hi, v)
	}
}

func (c *checker) int64Range(field string, v, lo, hi int64) {
	if v < lo || v > hi {
		c.add(field, "must be between %d and %d, got %d", lo, hi, v)
	}
}

func (c *checker) durRange(field string, v, lo, hi time.Duration) {
	if v < lo || v > hi {
		c.add(field, "must be between %s and %s, got %s", lo, hi, v)
	}
}

// text rejects control characters in a free-form string. None means anything
// in an address, a path, a JSON value or a name; they would reach logs and
// metric labels raw; and YAML dumps them in block styles that its own decoder
// does not always read back, so a dumped configuration would not load. The
// value is not echoed, as the field may be a secret.
func (c *checker) text(field, s string) {
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		c.add(field, "must not contain control characters (line breaks, tabs)")
	}
}

func (c *checker) oneOf(field, v string, allowed ...string) {
	for _, a := range allowed {
		if v == a {
			return
		}
	}
	c.add(field, "must be one of %s, got %q", strings.Join(allowed, ", "), v)
}

// Validate checks every field and reports all problems, each naming its
// field and the allowed range.
func (c Config) Validate() error {
	var ck checker
	ck.address("listen", c.Listen)
	ck.text("listen", c.Listen)
	ck.serverTLS("tls", c.TLS)
	ck.upstream("upstreams.primary", c.Upstreams.Primary)
	ck.upstream("upstreams.fallback", c.Upstreams.Fallback)
	ck.distinct(c.Upstreams)
	ck.sharedHostTLS(c.Upstreams)
	ck.transport(c.Transport)
	ck.routing(c.Routing)
	ck.breaker(c.Breaker)
	ck.cache(c.Cache)
	ck.queue(c.Queue)
	ck.routes(c.Routes)
	ck.stats(c.Stats)
	ck.escalation(c.Escalation)
	ck.triggers(c.Triggers)
	ck.incidents(c.Incidents)
	ck.notify(c.Notify)
	ck.translation(c.Translation)
	ck.journal(c.Journal)
	ck.admin(c.Admin)
	ck.oneOf("log.level", c.Log.Level, "debug", "info", "warn", "error")
	ck.oneOf("log.format", c.Log.Format, "text", "json")
	ck.cluster(c.Cluster)
	return errors.Join(ck.errs...)
}

// address accepts host:port with a numeric port. SplitHostPort alone would
// accept "127.0.0.1:", which listens on a random port by accident, and a
// service name, which fails only at start. Port 0 asks for a free port on
// purpose: embedding tests and demos use it, and Addr reports the result.
func (c *checker) address(field, addr string) {
	_, port, err := net.SplitHostPort(addr)
	if _, perr := strconv.ParseUint(port, 10, 16); err != nil || perr != nil {
		c.add(field, "must be host:port with a numeric port from 0 to 65535, got %q", addr)
	}
}

// distinct refuses a fallback that is the primary: every "fallback" would
// go back to the service that just failed, and every health verdict would
// be the same one twice.
func (c *checker) distinct(u Upstreams) {
	norm := func(s string) string { return strings.ToLower(strings.TrimRight(s, "/")) }
	if norm(u.Primary.URL) == norm(u.Fallback.URL) {
		c.add("upstreams.fallback.url", "must differ from upstreams.primary.url, both are %q", u.Primary.URL)
	}
}

func (c *checker) upstream(field string, u Upstream) {
	c.upstreamURL(field+".url", u.URL)
	c.upstreamTLS(field+".tls", u.TLS)
	if !u.TLS.IsZero() && strings.HasPrefix(strings.ToLower(u.URL), "http:") {
		c.add(field+".tls", "is set but url %q is plain http; use an https:// URL", u.URL)
	}
	h, f := u.Health, field+".health"
	if !strings.HasPrefix(h.Path, "/") {
		c.add(f+".path", "must start with /, got %q", h.Path)
	}
	c.text(f+".path", h.Path)
	c.durRange(f+".interval", h.Interval, 10*time.Millisecond, time.Hour)
	c.durRange(f+".fast_interval", h.FastInterval, 10*time.Millisecond, time.Hour)
	c.durRange(f+".timeout", h.Timeout, time.Millisecond, time.Minute)
	c.intRange(f+".rise", h.Rise, 1, 100)
	c.intRange(f+".fall", h.Fall, 1, 100)
	if len(h.ExpectStatus) == 0 {
		c.add(f+".expect_status", "must list at least one status")
	}
	for _, s := range h.ExpectStatus {
		c.intRange(f+".expect_status", s, 100, 599)
	}
	c.text(f+".json_field", h.JSONField)
	for _, v := range h.HealthyValues {
		c.text(f+".healthy_values", v)
	}
	if h.JSONField != "" && len(h.HealthyValues) == 0 {
		c.add(f+".healthy_values", "must list at least one value when json_field is set")
	}
}

// upstreamURL accepts a base URL the proxy and the health checker can extend
// with a request path: a query or fragment would end up in front of that
// path, and credentials would be shown wherever the URL is (Transport never
// sends them, so they would not even work).
func (c *checker) upstreamURL(field, raw string) {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "":
		c.add(field, "must be an absolute http or https URL, got %q", raw)
	case u.User != nil:
		c.add(field, "must not carry credentials")
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "":
		c.add(field, "must not have a query or fragment, got %q", raw)
	}
}

func (c *checker) transport(t proxy.TransportSettings) {
	c.durRange("transport.dial_timeout", t.DialTimeout, time.Millisecond, time.Minute)
	c.durRange("transport.response_header_timeout", t.ResponseHeaderTimeout, time.Millisecond, time.Hour)
	c.durRange("transport.request_timeout", t.RequestTimeout, time.Millisecond, 24*time.Hour)
	c.durRange("transport.stream_idle_timeout", t.StreamIdleTimeout, time.Millisecond, 24*time.Hour)
	c.durRange("transport.stream_max_duration", t.StreamMaxDuration, time.Millisecond, 7*24*time.Hour)
	c.intRange("transport.max_idle_conns_per_host", t.MaxIdleConnsPerHost, 1, 100000)
	c.intRange("transport.max_conns_per_host", t.MaxConnsPerHost, 0, 100000)
	c.durRange("transport.idle_conn_timeout", t.IdleConnTimeout, time.Second, 24*time.Hour)
}

func (c *checker) routing(r Routing) {
	c.oneOf("routing.mode", r.Mode, "primary", "backup", "fallback", "split")
	c.intRange("routing.primary_weight", r.PrimaryWeight, 0, 100)
	c.int64Range("routing.retry_body_limit", r.RetryBodyLimit, 0, 64<<20)
	for _, p := range r.InternalPrefixes {
		if !strings.HasPrefix(p, "/") || len(p) < 2 {
			c.add("routing.internal_prefixes", "must start with / and name a path, got %q", p)
		}
		c.text("routing.internal_prefixes", p)
	}
}

func (c *checker) breaker(b Breaker) {
	c.intRange("breaker.failure_threshold", b.FailureThreshold, 1, 10000)
	c.durRange("breaker.recovery_timeout", b.RecoveryTimeout, time.Millisecond, 24*time.Hour)
	c.durRange("breaker.max_recovery_timeout", b.MaxRecoveryTimeout, time.Millisecond, 24*time.Hour)
	c.intRange("breaker.half_open_probes", b.HalfOpenProbes, 1, 1000)
}

func (c *checker) cache(k Cache) {
	c.intRange("cache.max_size", k.MaxEntries, 1, 10_000_000)
	c.int64Range("cache.max_bytes", k.MaxBytes, 1024, 64<<30)
	// An out-of-range max_bytes is reported once, above; it must not
	// become this field's bound ("between 1 and -1").
	entryMax := k.MaxBytes
	if entryMax < 1024 || entryMax > 64<<30 {
		entryMax = 64 << 30
	}
	c.int64Range("cache.max_entry_bytes", k.MaxEntryBytes, 1, entryMax)
	c.durRange("cache.stale_if_error", k.StaleIfError, 0, 30*24*time.Hour)
	c.durRange("cache.aggressive_ttl", k.AggressiveTTL, time.Second, 30*24*time.Hour)
	for _, h := range k.TenantHeaders {
		// A malformed name never matches a request header, so tenants
		// would silently share cache entries.
		if !isToken(h) {
			c.add("cache.tenant_headers", "must be HTTP header names, got %q", h)
		}
	}
}

// isToken reports whether s is a valid HTTP header field name (RFC 9110 token).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' ||
			strings.ContainsRune("!#$%&'*+-.^_`|~", r)) {
			return false
		}
	}
	return true
}

func (c *checker) queue(q Queue) {
	c.intRange("queue.max_concurrent", q.MaxConcurrent, 1, 1_000_000)
	c.intRange("queue.max_queue_size", q.MaxQueueSize, 0, 1_000_000)
	c.durRange("queue.timeout", q.Timeout, time.Millisecond, time.Hour)
}

func (c *checker) admin(a Admin) {
	if a.Token == redacted {
		c.add("admin.token", "is the redaction placeholder of a dumped configuration; set the real token or use token_env")
	}
	// A token with a line break, as a YAML block scalar leaves one, could
	// never be sent in an Authorization header.
	c.text("admin.token", a.Token.Reveal())
	c.text("admin.token_env", a.TokenEnv)
	c.int64Range("admin.max_body_bytes", a.MaxBodyBytes, 1, 16<<20)
	if a.Listen != "" {
		c.address("admin.listen", a.Listen)
		c.text("admin.listen", a.Listen)
	}
	c.serverTLS("admin.tls", a.TLS)
}

func (c *checker) stats(s stats.WindowSettings) {
	c.intRange("stats.buckets", s.Buckets, 2, 3600)
	c.durRange("stats.bucket_width", s.BucketWidth, 10*time.Millisecond, time.Hour)
	c.intRange("stats.min_volume", s.MinVolume, 1, 1_000_000)
}
