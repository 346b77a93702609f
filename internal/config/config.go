// Package config defines Lifeboat's configuration file: its types, its
// built-in defaults (the operations plan's numbers) and its validation.
//
// A section that one engine reads is that engine's own settings type, with
// the file's YAML names on it: cache.Settings, health.Settings,
// proxy.TransportSettings, route.Spec, stats.WindowSettings,
// translate.Rule, action.Spec and level.Step. A setting is so declared
// once, where it is used; this package adds the file's defaults and the
// ranges it allows, and checks actions with the action package's own
// Validate, reporting each mistake under its path in the file.
//
// Configuration is static: it describes what the operator asked for at start
// time. Live state (the current routing mode, a breaker's counters, the cache
// size after an admin call) lives in the engines, never here.
package config

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Config is the whole configuration file.
type Config struct {
	// Listen is the gateway's address, where clients used to reach
	// OpenViking. Default "127.0.0.1:8002", the port the plan's commands use.
	Listen string `yaml:"listen" json:"listen"`

	// TLS serves HTTPS to clients on Listen. Default: plain HTTP.
	TLS ServerTLS `yaml:"tls" json:"tls"`

	// Upstreams are the primary (OpenViking) and the fallback (the
	// LightRAG-based SMP).
	Upstreams Upstreams `yaml:"upstreams" json:"upstreams"`

	// Transport tunes the connections to both upstreams and bounds the
	// exchanges over them; proxy.TransportSettings states each default.
	Transport proxy.TransportSettings `yaml:"transport" json:"transport"`

	// Routing chooses where requests go at start; admin calls change it live.
	Routing Routing `yaml:"routing" json:"routing"`

	// Breaker is the circuit breaker on the primary.
	Breaker Breaker `yaml:"breaker" json:"breaker"`

	// Cache is the shared response cache.
	Cache Cache `yaml:"cache" json:"cache"`

	// Queue is the concurrency limit and wait queue toward the primary.
	Queue Queue `yaml:"queue" json:"queue"`

	// Routes classify requests by path into route classes, which carry
	// per-class policy (idempotency, caching) and per-class statistics.
	// Default: the OpenViking API's classes (see DefaultRoutes). The first
	// matching class wins; requests matching none are in class "other".
	Routes []route.Spec `yaml:"routes" json:"routes"`

	// Stats sizes the sliding windows of passive statistics. Default 12
	// buckets of 5s, judged from 20 requests on.
	Stats stats.WindowSettings `yaml:"stats" json:"stats"`

	// Escalation walks the plan's levels automatically.
	Escalation Escalation `yaml:"escalation" json:"escalation"`

	// Triggers are the rules that start and drive escalation. Default:
	// the plan's triggers that need no site knowledge (see DefaultTriggers).
	Triggers []Trigger `yaml:"triggers" json:"triggers"`

	// Incidents configures incident records and metric history.
	Incidents Incidents `yaml:"incidents" json:"incidents"`

	// Notify configures alerts and the escalation chain.
	Notify Notify `yaml:"notify" json:"notify"`

	// Translation answers OpenViking calls from the fallback.
	Translation Translation `yaml:"translation" json:"translation"`

	// Journal keeps session writes while the primary cannot take them.
	Journal Journal `yaml:"journal" json:"journal"`

	// Admin secures the /admin API.
	Admin Admin `yaml:"admin" json:"admin"`

	// Log chooses the log format and level.
	Log Log `yaml:"log" json:"log"`

	// Cluster runs several replicas coordinated through etcd (see package
	// cluster and README "Running a cluster"). Default off (no
	// cluster.etcd.endpoints): one process with its state in local files.
	Cluster cluster.Settings `yaml:"cluster,omitempty" json:"cluster,omitzero"`
}

// Upstreams names the two services Lifeboat sits in front of.
type Upstreams struct {
	// Primary is OpenViking. Default URL http://127.0.0.1:1933, health
	// field "status" healthy when "ok".
	Primary Upstream `yaml:"primary" json:"primary"`
	// Fallback is the LightRAG-based SMP. Default URL
	// http://127.0.0.1:9621, health field "status" healthy when "healthy".
	Fallback Upstream `yaml:"fallback" json:"fallback"`
}

// Upstream is one service and how to check it.
type Upstream struct {
	// URL is the service's base URL (scheme and host, optionally a path
	// prefix). Required.
	URL string `yaml:"url" json:"url"`
	// Health is the active health check.
	Health HealthCheck `yaml:"health" json:"health"`
	// TLS is how an https:// URL is reached. Default: the system roots,
	// no client certificate, the URL's host as the server name.
	TLS UpstreamTLS `yaml:"tls" json:"tls"`
}

// HealthCheck configures active probing of one upstream: the path probed
// and the checker's own settings (see health.Settings). The checker reads
// healthy_values only when json_field is set (health.Settings.Normalize).
type HealthCheck struct {
	// Path is probed with GET. Default "/health".
	Path string `yaml:"path" json:"path"`
	// Settings are the probe's timing, thresholds and expected answer.
	// Defaults: interval 1s (HAProxy uses 2s; the plan's detection target
	// is 30s and ours is about one second), fast_interval 250ms, timeout
	// 1s, rise 2, fall 4 (the plan treats more than 3 consecutive failures
	// as down), expect_status [200], json_field "status", healthy_values
	// ["ok"] for the primary and ["healthy"] for the fallback.
	health.Settings `yaml:",inline"`
}

// Routing is the initial routing mode.
type Routing struct {
	// Mode is one of primary, backup, fallback, split. Default "backup":
	// the primary serves everything it can, and a request it cannot even
	// receive (connection refused, breaker open, queue full, or the primary
	// marked down by its checks) is served by the fallback side, journal and
	// translation included. A dead primary then costs no client request
	// even before the levels react. "primary" turns that off.
	Mode string `yaml:"mode" json:"mode"`
	// PrimaryWeight is the percentage (0-100) of requests sent to the
	// primary in split mode. Default 100.
	PrimaryWeight int `yaml:"primary_weight" json:"primary_weight"`
	// RetryBodyLimit is the largest request body buffered so that a failed
	// attempt can be replayed on the other upstream; larger bodies stream
	// and are only retried when they never left Lifeboat. Default 1 MiB.
	RetryBodyLimit int64 `yaml:"retry_body_limit" json:"retry_body_limit"`
	// InternalPrefixes are path prefixes never forwarded to an upstream:
	// requests under them get 404 from the gateway. A simulator's fault
	// knobs, or a service's internal API, must not be reachable by any
	// client of the gateway. Default ["/_sim/"].
	InternalPrefixes []string `yaml:"internal_prefixes" json:"internal_prefixes"`
}

// Breaker configures the circuit breaker on the primary.
type Breaker struct {
	// Enabled turns the breaker on at start. Default true.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// FailureThreshold is how many consecutive failures open it. Default 5.
	FailureThreshold int `yaml:"failure_threshold" json:"failure_threshold"`
	// RecoveryTimeout is how long it stays open before probing. Default 30s.
	RecoveryTimeout time.Duration `yaml:"recovery_timeout" json:"recovery_timeout"`
	// MaxRecoveryTimeout caps the open time, which doubles on each
	// consecutive re-open (Envoy's backoff). Default 300s.
	MaxRecoveryTimeout time.Duration `yaml:"max_recovery_timeout" json:"max_recovery_timeout"`
	// HalfOpenProbes bounds the concurrent probe requests. Default 1.
	HalfOpenProbes int `yaml:"half_open_probes" json:"half_open_probes"`
}

// Cache configures the shared response cache: the cache's own settings
// (max_size, max_bytes, max_entry_bytes, stale_if_error, tenant_headers;
// see cache.Settings for each default) and how it starts.
type Cache struct {
	// Enabled turns the cache on at start. Default true.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// Settings are the cache's limits and keys. Defaults: 1000 entries,
	// 64 MiB, 1 MiB per entry, 1h stale-if-error, tenant headers
	// [X-OpenViking-Account, X-OpenViking-User].
	cache.Settings `yaml:",inline"`
	// Aggressive starts in aggressive mode (the plan's force_cache). Default false.
	Aggressive bool `yaml:"aggressive" json:"aggressive"`
	// AggressiveTTL is the freshness given to every entry in aggressive
	// mode (the plan's cache_ttl_seconds). Default 3600s.
	AggressiveTTL time.Duration `yaml:"aggressive_ttl" json:"aggressive_ttl"`
}

// Queue configures the concurrency limit toward the primary.
type Queue struct {
	// Enabled turns the queue on at start. Default false (the plan turns it
	// on at Level 1).
	Enabled bool `yaml:"enabled" json:"enabled"`
	// MaxConcurrent is how many requests may be at the primary at once.
	// Default 256.
	MaxConcurrent int `yaml:"max_concurrent" json:"max_concurrent"`
	// MaxQueueSize is how many more may wait (the plan's max_queue_size).
	// Default 1000.
	MaxQueueSize int `yaml:"max_queue_size" json:"max_queue_size"`
	// Timeout is the longest wait in the queue (the plan's timeout_ms).
	// Default 30s.
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
}

// Admin secures the admin API.
type Admin struct {
	// Listen, when set, serves the admin API, /status and /metrics on an
	// address of their own and no longer on the client listener, which
	// keeps /health only. A host left out (":8003") means 127.0.0.1.
	// Default empty: one listener serves clients and the admin API.
	Listen string `yaml:"listen" json:"listen"`
	// TLS serves HTTPS on Listen. It is only read when Listen is set; the
	// single listener uses the top-level tls. Default: plain HTTP.
	TLS ServerTLS `yaml:"tls" json:"tls"`
	// AllowPlaintext lets the admin API be served over plain HTTP on a
	// non-loopback address, where the token and every control cross the
	// network in clear text. Lifeboat refuses to start so otherwise.
	// Default false.
	AllowPlaintext bool `yaml:"allow_plaintext" json:"allow_plaintext"`
	// Token, when set, is required as "Authorization: Bearer <token>" on
	// every /admin call. Lifeboat refuses to start on a non-loopback
	// address without one. Default: empty, or the environment variable
	// named by TokenEnv.
	Token Secret `yaml:"token" json:"token"`
	// TokenEnv names an environment variable holding the token, so it need
	// not be written in the file. Default "LIFEBOAT_ADMIN_TOKEN".
	TokenEnv string `yaml:"token_env" json:"token_env"`
	// MaxBodyBytes bounds an admin request body. Default 65536.
	MaxBodyBytes int64 `yaml:"max_body_bytes" json:"max_body_bytes"`
}

// Log chooses the log output.
type Log struct {
	// Level is debug, info, warn or error. Default "info".
	Level string `yaml:"level" json:"level"`
	// Format is text or json. Default "text".
	Format string `yaml:"format" json:"format"`
}
