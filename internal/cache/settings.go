package cache

import (
	"net/textproto"
	"time"
)

// Defaults applied by New to zero-valued Settings fields.
const (
	DefaultMaxEntries    = 1000
	DefaultMaxBytes      = 64 << 20
	DefaultMaxEntryBytes = 1 << 20
	DefaultStaleIfError  = time.Hour
	// DefaultAggressiveTTL is the plan's cache_ttl_seconds, used when
	// SetAggressive is turned on with a ttl of zero or less.
	DefaultAggressiveTTL = time.Hour
	// maxAutoShards bounds the shard count New picks on its own.
	maxAutoShards = 16
	// minEntriesPerShard keeps auto-sharded LRU order close to a global LRU.
	minEntriesPerShard = 64
)

// defaultTenantHeaders are the OpenViking tenant headers keyed on when
// Settings.TenantHeaders is nil.
var defaultTenantHeaders = []string{"X-OpenViking-Account", "X-OpenViking-User"}

// Settings configures a Cache. It is read once by New; the limits and the
// aggressive mode are changed afterwards through the Cache's methods. Its
// YAML and JSON names are those of the configuration file's cache section,
// which embeds it.
type Settings struct {
	// MaxEntries bounds the number of stored responses; the file calls it
	// max_size, the plan's name. Default 1000.
	MaxEntries int `yaml:"max_size" json:"max_size"`
	// MaxBytes bounds the approximate memory held by stored responses
	// (body, header and a fixed per-entry overhead). Default 64 MiB.
	MaxBytes int64 `yaml:"max_bytes" json:"max_bytes"`
	// MaxEntryBytes is the largest single response ever stored.
	// Default 1 MiB.
	MaxEntryBytes int64 `yaml:"max_entry_bytes" json:"max_entry_bytes"`
	// StaleIfError is how long past freshness a response may be served
	// when the upstream fails and the response carries no stale-if-error of
	// its own. Default 1h; a negative value disables it.
	StaleIfError time.Duration `yaml:"stale_if_error" json:"stale_if_error"`
	// TenantHeaders are request headers that identify a tenant, hashed
	// into every key next to Authorization and X-API-Key (always used).
	// Nil means X-OpenViking-Account and X-OpenViking-User; an empty
	// non-nil slice means none beyond the two always used. Add "Cookie"
	// here if an upstream authenticates by cookie.
	TenantHeaders []string `yaml:"tenant_headers" json:"tenant_headers"`
	// Shards splits the cache into independently locked LRUs, each with an
	// equal share of the limits, so concurrent requests rarely contend.
	// Zero picks 1 for small caches and up to 16 (at least 64 entries per
	// shard) for larger ones; other values are rounded up to a power of
	// two. Use 1 when exact global LRU order matters.
	// It is not part of the configuration file.
	Shards int `yaml:"-" json:"-"`
	// Now is the clock. Default time.Now.
	Now func() time.Time `yaml:"-" json:"-"`
}

// withDefaults returns s with every zero field set to its default.
func (s Settings) withDefaults() Settings {
	if s.MaxEntries <= 0 {
		s.MaxEntries = DefaultMaxEntries
	}
	if s.MaxBytes <= 0 {
		s.MaxBytes = DefaultMaxBytes
	}
	if s.MaxEntryBytes <= 0 {
		s.MaxEntryBytes = DefaultMaxEntryBytes
	}
	if s.StaleIfError == 0 {
		s.StaleIfError = DefaultStaleIfError
	} else if s.StaleIfError < 0 {
		s.StaleIfError = 0
	}
	if s.TenantHeaders == nil {
		s.TenantHeaders = defaultTenantHeaders
	}
	s.TenantHeaders = tenantHeaderNames(s.TenantHeaders)
	s.Shards = shardCount(s.Shards, s.MaxEntries)
	if s.Now == nil {
		s.Now = time.Now
	}
	return s
}

// tenantHeaderNames canonicalises the configured names and puts the two
// credential headers first, dropping duplicates so no header counts twice.
func tenantHeaderNames(extra []string) []string {
	names := []string{"Authorization", "X-Api-Key"}
	for _, n := range extra {
		n = textproto.CanonicalMIMEHeaderKey(n)
		if !contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// shardCount rounds n up to a power of two, or picks one from maxEntries
// when n is zero.
func shardCount(n, maxEntries int) int {
	if n <= 0 {
		n = 1
		for n*2 <= maxAutoShards && n*2*minEntriesPerShard <= maxEntries {
			n *= 2
		}
		return n
	}
	p := 1
	for p < n {
		p *= 2
	}
	return p
}
