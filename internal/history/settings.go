package history

import (
	"errors"
	"fmt"
	"time"
)

// Defaults applied to zero Settings fields.
const (
	DefaultInterval   = time.Second
	DefaultRetention  = 7 * 24 * time.Hour
	DefaultBatchSize  = 10
	DefaultFlushEvery = 10 * time.Second
	DefaultPruneEvery = 10 * time.Minute
	DefaultMaxPending = 3600

	// maxInterval bounds Interval; queries rely on it to limit scans.
	maxInterval = time.Hour
)

// Settings shape a Sampler. The zero value samples every second and keeps
// a week.
type Settings struct {
	// Interval is the time between samples. Default 1s; between 10ms and 1h.
	Interval time.Duration
	// Retention is how long samples are kept. Default 168h (7 days).
	Retention time.Duration
	// BatchSize is how many samples are buffered before they are written
	// in one transaction. Default 10.
	BatchSize int
	// FlushEvery bounds how long a sample waits in memory before it is
	// written, whatever BatchSize says. Default 10s.
	FlushEvery time.Duration
	// PruneEvery is how often samples older than Retention are deleted.
	// Default 10m.
	PruneEvery time.Duration
	// MaxPending caps the samples held in memory while the database refuses
	// writes; beyond it the oldest are dropped, so a broken disk costs
	// history rather than memory. Default 3600.
	MaxPending int
}

// Validate reports every out-of-range field. Zero fields mean the default.
func (s Settings) Validate() error {
	var errs []error
	bad := func(field string, v any) {
		errs = append(errs, fmt.Errorf("%w: %s out of range: %v", ErrInvalidSettings, field, v))
	}
	if s.Interval < 0 || (s.Interval > 0 && s.Interval < 10*time.Millisecond) || s.Interval > maxInterval {
		bad("Interval", s.Interval)
	}
	if s.Retention < 0 {
		bad("Retention", s.Retention)
	}
	if s.BatchSize < 0 {
		bad("BatchSize", s.BatchSize)
	}
	if s.FlushEvery < 0 {
		bad("FlushEvery", s.FlushEvery)
	}
	if s.PruneEvery < 0 {
		bad("PruneEvery", s.PruneEvery)
	}
	if s.MaxPending < 0 {
		bad("MaxPending", s.MaxPending)
	}
	return errors.Join(errs...)
}

// withDefaults fills zero fields.
func (s Settings) withDefaults() Settings {
	def := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	def(&s.Interval, DefaultInterval)
	def(&s.Retention, DefaultRetention)
	def(&s.FlushEvery, DefaultFlushEvery)
	def(&s.PruneEvery, DefaultPruneEvery)
	if s.BatchSize == 0 {
		s.BatchSize = DefaultBatchSize
	}
	if s.MaxPending == 0 {
		s.MaxPending = DefaultMaxPending
	}
	return s
}
