// Package config defines Lifeboat's configuration file: its types, its
// built-in defaults (the operations plan's numbers) and its validation.
//
// Configuration is static: it describes what the operator asked for at start
// time. Live state (the current routing mode, a breaker's counters, the cache
// size after an admin call) lives in the engines, never here.
package config

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
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

	// Transport tunes the connections to both upstreams.
	Transport Transport `yaml:"transport" json:"transport"`

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

// HealthCheck configures active probing of one upstream.
type HealthCheck struct {
	// Path is probed with GET. Default "/health".
	Path string `yaml:"path" json:"path"`
	// Interval between probes. Default 1s (HAProxy uses 2s; the plan's
	// detection target is 30s and ours is about one second).
	Interval time.Duration `yaml:"interval" json:"interval"`
	// FastInterval is used while the state is changing, so a flip is
	// confirmed quickly. Default 250ms.
	FastInterval time.Duration `yaml:"fast_interval" json:"fast_interval"`
	// Timeout bounds one probe. Default 1s.
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
	// Rise is how many consecutive passes mark a down upstream up. Default 2.
	Rise int `yaml:"rise" json:"rise"`
	// Fall is how many consecutive failures mark an upstream down. Default 4:
	// the plan treats more than 3 consecutive failures as down.
	Fall int `yaml:"fall" json:"fall"`
	// ExpectStatus lists the HTTP statuses that pass. Default [200].
	ExpectStatus []int `yaml:"expect_status" json:"expect_status"`
	// JSONField, when set, is a top-level field of the JSON body whose value
	// must be one of HealthyValues; empty makes a plain HTTP check on the
	// status alone, and HealthyValues are then ignored. Default "status".
	JSONField string `yaml:"json_field" json:"json_field"`
	// HealthyValues are the values of JSONField that mean up. Default ["ok"]
	// for the primary and ["healthy"] for the fallback.
	HealthyValues []string `yaml:"healthy_values" json:"healthy_values"`
}

// Transport tunes the HTTP client toward the upstreams.
type Transport struct {
	// DialTimeout bounds establishing a connection. Default 2s.
	DialTimeout time.Duration `yaml:"dial_timeout" json:"dial_timeout"`
	// ResponseHeaderTimeout bounds the wait for an upstream's response
	// headers after the request is sent. Default 30s.
	ResponseHeaderTimeout time.Duration `yaml:"response_header_timeout" json:"response_header_timeout"`
	// RequestTimeout bounds a whole proxied exchange, body included, so no
	// request hangs forever; a streamed answer (server-sent events or
	// NDJSON) is bounded by it only until its headers arrive, then by the
	// two stream bounds below. Default 60s.
	RequestTimeout time.Duration `yaml:"request_timeout" json:"request_timeout"`
	// StreamIdleTimeout ends a streamed answer that sends nothing for this
	// long: a live stream is never cut, a stalled one is. Default 60s.
	StreamIdleTimeout time.Duration `yaml:"stream_idle_timeout" json:"stream_idle_timeout"`
	// StreamMaxDuration ends any streamed answer after this long, however
	// lively. Default 1h.
	StreamMaxDuration time.Duration `yaml:"stream_max_duration" json:"stream_max_duration"`
	// MaxIdleConnsPerHost keeps warm connections to each upstream. The Go
	// default of 2 halves a proxy's throughput. Default 512.
	MaxIdleConnsPerHost int `yaml:"max_idle_conns_per_host" json:"max_idle_conns_per_host"`
	// IdleConnTimeout closes idle upstream connections. Default 90s.
	IdleConnTimeout time.Duration `yaml:"idle_conn_timeout" json:"idle_conn_timeout"`
	// MaxConnsPerHost caps the connections to each upstream, busy or
	// idle; requests beyond it wait for a free one within their timeout.
	// Each connection costs two goroutines and their buffers: the cap keeps
	// a burst of a thousand clients under 64 MB. 0 means no cap. Default 256
	// (the queue's default concurrency).
	MaxConnsPerHost int `yaml:"max_conns_per_host" json:"max_conns_per_host"`
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

// Cache configures the shared response cache.
type Cache struct {
	// Enabled turns the cache on at start. Default true.
	Enabled bool `yaml:"enabled" json:"enabled"`
	// MaxSize is the entry limit (the plan's max_size). Default 1000.
	MaxSize int `yaml:"max_size" json:"max_size"`
	// MaxBytes limits the bytes held. Default 64 MiB.
	MaxBytes int64 `yaml:"max_bytes" json:"max_bytes"`
	// MaxEntryBytes is the largest response stored. Default 1 MiB.
	MaxEntryBytes int64 `yaml:"max_entry_bytes" json:"max_entry_bytes"`
	// StaleIfError is how long past freshness an entry may be served when
	// the upstream fails. Default 1h.
	StaleIfError time.Duration `yaml:"stale_if_error" json:"stale_if_error"`
	// TenantHeaders are request headers that identify a tenant; they are
	// part of every cache key with Authorization and X-API-Key. Default
	// [X-OpenViking-Account, X-OpenViking-User].
	TenantHeaders []string `yaml:"tenant_headers" json:"tenant_headers"`
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
