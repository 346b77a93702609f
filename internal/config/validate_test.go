package config

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/field"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/translate"
)

func TestDefaultValidates(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default() is invalid: %v", err)
	}
}

func TestDefaultRoutesAreValid(t *testing.T) {
	routes := DefaultRoutes()
	if len(routes) == 0 {
		t.Fatal("DefaultRoutes() is empty")
	}
	var ck checker
	ck.routes(routes)
	if err := errors.Join(ck.errs...); err != nil {
		t.Fatalf("DefaultRoutes() are invalid: %v", err)
	}
	for _, r := range routes {
		for _, p := range r.Paths {
			if msg := route.CheckPattern(p); msg != "" {
				t.Errorf("route %s: pattern %q: %s", r.Name, p, msg)
			}
		}
	}
}

// Default must hand out fresh lists, or one caller's edit would change
// every later caller's defaults.
func TestDefaultReturnsFreshLists(t *testing.T) {
	a := Default()
	a.Cache.TenantHeaders[0] = "X-Changed"
	a.Upstreams.Primary.Health.HealthyValues[0] = "changed"
	a.Routes[0].Paths[0] = "/changed"
	b := Default()
	if b.Cache.TenantHeaders[0] == "X-Changed" || b.Upstreams.Primary.Health.HealthyValues[0] == "changed" ||
		b.Routes[0].Paths[0] == "/changed" {
		t.Fatal("Default() shares its lists between calls")
	}
}

type rule struct {
	name  string
	field string
	edit  func(c *Config)
}

func setURL(u string) func(*Config)    { return func(c *Config) { c.Upstreams.Primary.URL = u } }
func setListen(a string) func(*Config) { return func(c *Config) { c.Listen = a } }
func primaryHealth(f func(h *HealthCheck)) func(*Config) {
	return func(c *Config) { f(&c.Upstreams.Primary.Health) }
}
func route0(f func(r *route.Spec)) func(*Config) { return func(c *Config) { f(&c.Routes[0]) } }

var listenAndURLRules = []rule{
	{"listen without port", "listen", setListen("localhost")},
	{"listen empty port", "listen", setListen("127.0.0.1:")},
	{"listen named port", "listen", setListen("127.0.0.1:http")},
	{"listen port too big", "listen", setListen("127.0.0.1:70000")},
	{"listen signed port", "listen", setListen("127.0.0.1:+80")},
	{"url empty", "upstreams.primary.url", setURL("")},
	{"url relative", "upstreams.primary.url", setURL("/api")},
	{"url scheme", "upstreams.primary.url", setURL("ftp://host")},
	{"url no host", "upstreams.primary.url", setURL("http://")},
	{"url port only", "upstreams.primary.url", setURL("http://:1933")},
	{"url bad port", "upstreams.primary.url", setURL("http://host:port")},
	{"url credentials", "upstreams.primary.url", setURL("http://user:pw@host")},
	{"url query", "upstreams.primary.url", setURL("http://host/?a=1")},
	{"url empty query", "upstreams.primary.url", setURL("http://host/?")},
	{"url fragment", "upstreams.primary.url", setURL("http://host/#top")},
	{"fallback url", "upstreams.fallback.url", func(c *Config) { c.Upstreams.Fallback.URL = "host:9621" }},
}

var healthRules = []rule{
	{"health path", "upstreams.primary.health.path", primaryHealth(func(h *HealthCheck) { h.Path = "health" })},
	{"interval low", "upstreams.primary.health.interval", primaryHealth(func(h *HealthCheck) { h.Interval = 0 })},
	{"interval high", "upstreams.primary.health.interval", primaryHealth(func(h *HealthCheck) { h.Interval = 2 * time.Hour })},
	{"fast interval", "upstreams.primary.health.fast_interval", primaryHealth(func(h *HealthCheck) { h.FastInterval = time.Millisecond })},
	{"timeout low", "upstreams.primary.health.timeout", primaryHealth(func(h *HealthCheck) { h.Timeout = 0 })},
	{"timeout high", "upstreams.primary.health.timeout", primaryHealth(func(h *HealthCheck) { h.Timeout = 2 * time.Minute })},
	{"rise low", "upstreams.primary.health.rise", primaryHealth(func(h *HealthCheck) { h.Rise = 0 })},
	{"rise high", "upstreams.primary.health.rise", primaryHealth(func(h *HealthCheck) { h.Rise = 101 })},
	{"fall", "upstreams.primary.health.fall", primaryHealth(func(h *HealthCheck) { h.Fall = 0 })},
	{"no status", "upstreams.primary.health.expect_status", primaryHealth(func(h *HealthCheck) { h.ExpectStatus = nil })},
	{"status low", "upstreams.primary.health.expect_status", primaryHealth(func(h *HealthCheck) { h.ExpectStatus = []int{99} })},
	{"status high", "upstreams.primary.health.expect_status", primaryHealth(func(h *HealthCheck) { h.ExpectStatus = []int{600} })},
	{"no healthy values", "upstreams.primary.health.healthy_values", primaryHealth(func(h *HealthCheck) { h.HealthyValues = nil })},
	{"fallback health", "upstreams.fallback.health.rise", func(c *Config) { c.Upstreams.Fallback.Health.Rise = -1 }},
}

var engineRules = []rule{
	{"dial timeout", "transport.dial_timeout", func(c *Config) { c.Transport.DialTimeout = 0 }},
	{"header timeout", "transport.response_header_timeout", func(c *Config) { c.Transport.ResponseHeaderTimeout = 2 * time.Hour }},
	{"request timeout", "transport.request_timeout", func(c *Config) { c.Transport.RequestTimeout = -time.Second }},
	{"idle conns", "transport.max_idle_conns_per_host", func(c *Config) { c.Transport.MaxIdleConnsPerHost = 0 }},
	{"idle timeout", "transport.idle_conn_timeout", func(c *Config) { c.Transport.IdleConnTimeout = 500 * time.Millisecond }},
	{"mode empty", "routing.mode", func(c *Config) { c.Routing.Mode = "" }},
	{"mode unknown", "routing.mode", func(c *Config) { c.Routing.Mode = "Primary" }},
	{"weight low", "routing.primary_weight", func(c *Config) { c.Routing.PrimaryWeight = -1 }},
	{"weight high", "routing.primary_weight", func(c *Config) { c.Routing.PrimaryWeight = 101 }},
	{"retry body low", "routing.retry_body_limit", func(c *Config) { c.Routing.RetryBodyLimit = -1 }},
	{"retry body high", "routing.retry_body_limit", func(c *Config) { c.Routing.RetryBodyLimit = 64<<20 + 1 }},
	{"failure threshold", "breaker.failure_threshold", func(c *Config) { c.Breaker.FailureThreshold = 0 }},
	{"recovery timeout", "breaker.recovery_timeout", func(c *Config) { c.Breaker.RecoveryTimeout = 0 }},
	{"max recovery", "breaker.max_recovery_timeout", func(c *Config) { c.Breaker.MaxRecoveryTimeout = 25 * time.Hour }},
	{"probes", "breaker.half_open_probes", func(c *Config) { c.Breaker.HalfOpenProbes = 1001 }},
	{"max size", "cache.max_size", func(c *Config) { c.Cache.MaxEntries = 0 }},
	{"max bytes", "cache.max_bytes", func(c *Config) { c.Cache.MaxBytes = 1023; c.Cache.MaxEntryBytes = 1000 }},
	{"entry bytes low", "cache.max_entry_bytes", func(c *Config) { c.Cache.MaxEntryBytes = 0 }},
	{"entry over total", "cache.max_entry_bytes", func(c *Config) { c.Cache.MaxEntryBytes = c.Cache.MaxBytes + 1 }},
	{"stale", "cache.stale_if_error", func(c *Config) { c.Cache.StaleIfError = -time.Second }},
	{"aggressive ttl", "cache.aggressive_ttl", func(c *Config) { c.Cache.AggressiveTTL = 0 }},
	{"tenant empty", "cache.tenant_headers", func(c *Config) { c.Cache.TenantHeaders = []string{""} }},
	{"tenant space", "cache.tenant_headers", func(c *Config) { c.Cache.TenantHeaders = []string{"X-OpenViking Account"} }},
	{"tenant colon", "cache.tenant_headers", func(c *Config) { c.Cache.TenantHeaders = []string{"X-Team:"} }},
	{"tenant non-ascii", "cache.tenant_headers", func(c *Config) { c.Cache.TenantHeaders = []string{"X-Tëam"} }},
	{"concurrency", "queue.max_concurrent", func(c *Config) { c.Queue.MaxConcurrent = 0 }},
	{"queue size", "queue.max_queue_size", func(c *Config) { c.Queue.MaxQueueSize = -1 }},
	{"queue timeout", "queue.timeout", func(c *Config) { c.Queue.Timeout = 0 }},
	{"buckets", "stats.buckets", func(c *Config) { c.Stats.Buckets = 1 }},
	{"bucket width", "stats.bucket_width", func(c *Config) { c.Stats.BucketWidth = time.Millisecond }},
	{"min volume", "stats.min_volume", func(c *Config) { c.Stats.MinVolume = 0 }},
	{"admin body", "admin.max_body_bytes", func(c *Config) { c.Admin.MaxBodyBytes = 0 }},
	{"admin placeholder", "admin.token", func(c *Config) { c.Admin.Token = Secret(redacted) }},
	{"log level", "log.level", func(c *Config) { c.Log.Level = "verbose" }},
	{"log format", "log.format", func(c *Config) { c.Log.Format = "yaml" }},
}

var routeRules = []rule{
	{"name missing", "routes[0].name", route0(func(r *route.Spec) { r.Name = "" })},
	{"name other", "routes[0].name", route0(func(r *route.Spec) { r.Name = "other" })},
	{"name cache", "routes[0].name", route0(func(r *route.Spec) { r.Name = "cache" })},
	{"name twice", "routes[1].name", func(c *Config) { c.Routes[1].Name = c.Routes[0].Name }},
	{"method lower", "routes[0].methods", route0(func(r *route.Spec) { r.Methods = []string{"get"} })},
	{"method unknown", "routes[0].methods", route0(func(r *route.Spec) { r.Methods = []string{"CONNECT"} })},
	{"no paths", "routes[0].paths", route0(func(r *route.Spec) { r.Paths = nil })},
	{"relative path", "routes[0].paths", route0(func(r *route.Spec) { r.Paths = []string{"api/v1"} })},
	{"inner **", "routes[0].paths", route0(func(r *route.Spec) { r.Paths = []string{"/a/**/b"} })},
	{"partial *", "routes[0].paths", route0(func(r *route.Spec) { r.Paths = []string{"/a*"} })},
	{"partial **", "routes[0].paths", route0(func(r *route.Spec) { r.Paths = []string{"/a/b**"} })},
	{"ttl low", "routes[0].cache_ttl", route0(func(r *route.Spec) { r.CacheTTL = -time.Second })},
	{"ttl high", "routes[0].cache_ttl", route0(func(r *route.Spec) { r.CacheTTL = 31 * 24 * time.Hour })},
	{"later route", "routes[5].paths", func(c *Config) { c.Routes[5].Paths = []string{"query"} }},
	{"name control", "routes[0].name", route0(func(r *route.Spec) { r.Name = "health\n" })},
	{"path control", "routes[0].paths", route0(func(r *route.Spec) { r.Paths = []string{"/a\tb"} })},
}

// translationRules start from one valid rule of one's own.
var translationRules = []rule{
	{"rule name missing", "translation.rules[0].name", rule0(func(r *translate.Rule) { r.Name = "" })},
	{"rule no paths", "translation.rules[0].paths", rule0(func(r *translate.Rule) { r.Paths = nil })},
	{"rule bad pattern", "translation.rules[0].paths", rule0(func(r *translate.Rule) { r.Paths = []string{"x"} })},
	{"rule method", "translation.rules[0].methods", rule0(func(r *translate.Rule) { r.Methods = []string{"post"} })},
	{"rule upstream method", "translation.rules[0].method", rule0(func(r *translate.Rule) { r.Method = "FETCH" })},
	{"rule upstream path", "translation.rules[0].path", rule0(func(r *translate.Rule) { r.Path = "query" })},
	{"rule bad request jq", "translation.rules[0].request", rule0(func(r *translate.Rule) { r.Request = "{query: .body.query" })},
	{"rule unknown jq function", "translation.rules[0].response", rule0(func(r *translate.Rule) { r.Response = "nosuchfn(.)" })},
	{"rule response missing", "translation.rules[0].response", rule0(func(r *translate.Rule) { r.Response = "" })},
	{"journal drain", "journal.drain_every", func(c *Config) { c.Journal.DrainEvery = 0 }},
	{"journal replay timeout", "journal.replay_timeout", func(c *Config) { c.Journal.ReplayTimeout = time.Millisecond }},
	{"journal replay workers", "journal.replay_workers", func(c *Config) { c.Journal.ReplayWorkers = 0 }},
}

func rule0(f func(*translate.Rule)) func(*Config) {
	return func(c *Config) {
		r := translate.Rule{Name: "mine", Methods: []string{"POST"}, Paths: []string{"/api/v1/search/find"},
			Path: "/query", Request: "{query: .body.query}", Response: "{answer: .body.response}"}
		f(&r)
		c.Translation.Rules = []translate.Rule{r}
	}
}

// Control characters are refused in every free-form string.
var textRules = []rule{
	{"listen control", "listen", setListen("local\nhost:8002")},
	{"health path control", "upstreams.primary.health.path", primaryHealth(func(h *HealthCheck) { h.Path = "/health\r" })},
	{"json field control", "upstreams.primary.health.json_field", primaryHealth(func(h *HealthCheck) { h.JSONField = "st\x00atus" })},
	{"healthy value control", "upstreams.primary.health.healthy_values", primaryHealth(func(h *HealthCheck) { h.HealthyValues = []string{" ok\n"} })},
	{"token line break", "admin.token", func(c *Config) { c.Admin.Token = "s3cret\n" }},
	{"token env control", "admin.token_env", func(c *Config) { c.Admin.TokenEnv = "TOKEN\u0085" }},
}

// TestValidateRules breaks one rule at a time and expects exactly that field
// to be reported, as an ErrInvalid naming the field path.
func TestValidateRules(t *testing.T) {
	all := slices.Concat(listenAndURLRules, healthRules, engineRules, routeRules, textRules, translationRules, tlsRules)
	for _, r := range all {
		t.Run(r.name, func(t *testing.T) {
			c := Default()
			r.edit(&c)
			err := c.Validate()
			if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrParse) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), r.field+": ") {
				t.Errorf("error %q does not name %s", err, r.field)
			}
			if got := fieldErrors(t, err); !slices.Equal(got, []string{r.field}) {
				t.Errorf("fields = %v, want only %s", got, r.field)
			}
		})
	}
}

// TestValidateAcceptsEdges sets values at the edge of each range, which must
// still be accepted.
func TestValidateAcceptsEdges(t *testing.T) {
	edges := map[string]func(c *Config){
		"listen any host":       setListen(":8002"),
		"listen ipv6":           setListen("[::1]:65535"),
		"listen free port":      setListen("127.0.0.1:0"),
		"listen hostname":       setListen("localhost:1"),
		"url path prefix":       setURL("https://ov.internal:1933/prefix/"),
		"url ipv6":              setURL("http://[::1]:1933"),
		"no body check":         primaryHealth(func(h *HealthCheck) { h.JSONField, h.HealthyValues = "", nil }),
		"status range":          primaryHealth(func(h *HealthCheck) { h.ExpectStatus = []int{100, 599} }),
		"weight zero":           func(c *Config) { c.Routing.Mode, c.Routing.PrimaryWeight = "split", 0 },
		"no retry buffer":       func(c *Config) { c.Routing.RetryBodyLimit = 0 },
		"fixed breaker open":    func(c *Config) { c.Breaker.MaxRecoveryTimeout = time.Second },
		"entry equals total":    func(c *Config) { c.Cache.MaxEntryBytes = c.Cache.MaxBytes },
		"no stale serving":      func(c *Config) { c.Cache.StaleIfError = 0 },
		"no tenant headers":     func(c *Config) { c.Cache.TenantHeaders = nil },
		"tenant token chars":    func(c *Config) { c.Cache.TenantHeaders = []string{"x-team_id.v2!#$%&'*+^`|~"} },
		"no queue":              func(c *Config) { c.Queue.MaxQueueSize = 0 },
		"no routes":             func(c *Config) { c.Routes = nil },
		"catch-all route":       func(c *Config) { c.Routes = []route.Spec{{Name: "all", Paths: []string{"/", "/**", "/*"}}} },
		"route ttl max":         route0(func(r *route.Spec) { r.CacheTTL = 30 * 24 * time.Hour }),
		"every method":          route0(func(r *route.Spec) { r.Methods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} }),
		"token set":             func(c *Config) { c.Admin.Token = "s3cret" },
		"no token env":          func(c *Config) { c.Admin.TokenEnv = "" },
		"json logs at error":    func(c *Config) { c.Log.Level, c.Log.Format = "error", "json" },
		"fallback mode":         func(c *Config) { c.Routing.Mode = "fallback" },
		"stats minimum buckets": func(c *Config) { c.Stats.Buckets, c.Stats.BucketWidth = 2, 10*time.Millisecond },
	}
	for name, edit := range edges {
		c := Default()
		edit(&c)
		if err := c.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestValidateReportsEveryMistake(t *testing.T) {
	c := Default()
	c.Breaker.FailureThreshold = 0
	c.Log.Level = "loud"
	c.Upstreams.Fallback.URL = "nowhere"
	c.Routes[2].Name = ""
	err := c.Validate()
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("err = %v, want ErrInvalid", err)
	}
	want := []string{"upstreams.fallback.url", "breaker.failure_threshold", "routes[2].name", "log.level"}
	if got := fieldErrors(t, err); !slices.Equal(got, want) {
		t.Errorf("fields = %v, want %v", got, want)
	}
	for _, f := range want {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error text does not name %s: %q", f, err)
		}
	}
}

func TestFieldErrorText(t *testing.T) {
	var err error = field.New(ErrInvalid, "queue.timeout", "must be positive")
	if got := err.Error(); got != "queue.timeout: must be positive" {
		t.Errorf("Error() = %q", got)
	}
	if !errors.Is(err, ErrInvalid) || errors.Is(err, ErrParse) {
		t.Error("a field error must match ErrInvalid and only it")
	}
}

func TestValidateMessageStatesRange(t *testing.T) {
	c := Default()
	c.Breaker.FailureThreshold = 0
	want := "breaker.failure_threshold: must be between 1 and 10000, got 0"
	if err := c.Validate(); err == nil || err.Error() != want {
		t.Errorf("err = %v, want %q", err, want)
	}
}
