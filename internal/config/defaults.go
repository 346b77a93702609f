package config

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Default returns the built-in configuration: the operations plan's numbers
// and the services' default addresses.
func Default() Config {
	return Config{
		Listen: "127.0.0.1:8002",
		TLS:    defaultServerTLS(),
		Upstreams: Upstreams{
			Primary:  Upstream{URL: "http://127.0.0.1:1933", Health: defaultHealth("ok")},
			Fallback: Upstream{URL: "http://127.0.0.1:9621", Health: defaultHealth("healthy")},
		},
		Transport: proxy.TransportSettings{
			DialTimeout:           2 * time.Second,
			ResponseHeaderTimeout: 30 * time.Second,
			RequestTimeout:        60 * time.Second,
			StreamIdleTimeout:     60 * time.Second,
			StreamMaxDuration:     time.Hour,
			MaxIdleConnsPerHost:   512,
			IdleConnTimeout:       90 * time.Second,
			MaxConnsPerHost:       256,
		},
		Routing: Routing{Mode: "backup", PrimaryWeight: 100, RetryBodyLimit: 1 << 20, InternalPrefixes: []string{"/_sim/"}},
		Breaker: Breaker{
			Enabled:            true,
			FailureThreshold:   5,
			RecoveryTimeout:    30 * time.Second,
			MaxRecoveryTimeout: 300 * time.Second,
			HalfOpenProbes:     1,
		},
		Cache: Cache{
			Enabled: true,
			Settings: cache.Settings{
				MaxEntries:    1000,
				MaxBytes:      64 << 20,
				MaxEntryBytes: 1 << 20,
				StaleIfError:  time.Hour,
				TenantHeaders: []string{"X-OpenViking-Account", "X-OpenViking-User"},
			},
			AggressiveTTL: 3600 * time.Second,
		},
		Queue: Queue{
			MaxConcurrent: 256,
			MaxQueueSize:  1000,
			Timeout:       30 * time.Second,
		},
		Routes:      DefaultRoutes(),
		Escalation:  DefaultEscalation(),
		Triggers:    DefaultTriggers(),
		Incidents:   DefaultIncidents(),
		Notify:      DefaultNotify(),
		Stats:       stats.WindowSettings{Buckets: 12, BucketWidth: 5 * time.Second, MinVolume: 20},
		Translation: Translation{Enabled: true, Builtin: true},
		Journal:     Journal{Enabled: true, DrainEvery: time.Second, ReplayTimeout: 5 * time.Minute, ReplayWorkers: 8},
		Admin:       Admin{TokenEnv: "LIFEBOAT_ADMIN_TOKEN", MaxBodyBytes: 64 << 10, TLS: defaultServerTLS()},
		Log:         Log{Level: "info", Format: "text"},
	}
}

func defaultHealth(healthy string) HealthCheck {
	return HealthCheck{Path: "/health", Settings: health.Settings{
		Interval:      time.Second,
		FastInterval:  250 * time.Millisecond,
		Timeout:       time.Second,
		Rise:          2,
		Fall:          4,
		ExpectStatus:  []int{200},
		JSONField:     "status",
		HealthyValues: []string{healthy},
	}}
}

// DefaultRoutes are the route package's default classes (route.Defaults),
// kept here next to the other defaults of the file.
func DefaultRoutes() []route.Spec { return route.Defaults() }
