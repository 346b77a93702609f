package health

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrInvalidSettings is wrapped by every error returned from Settings.Validate.
var ErrInvalidSettings = errors.New("health: invalid settings")

// Default values applied to zero Settings fields.
const (
	DefaultInterval = time.Second
	DefaultTimeout  = time.Second
	DefaultRise     = 2
	DefaultFall     = 4

	// minInterval keeps a misconfigured checker from spinning in a hot loop.
	minInterval = 10 * time.Millisecond
	// minFastInterval bounds the derived fast interval from below.
	minFastInterval = 100 * time.Millisecond
	// maxCount bounds Rise and Fall to values an operator could mean.
	maxCount = 100
)

// Settings configure one Checker and its HTTP prober. The zero value is valid
// and means "every second, rise 2, fall 4, expect 200, no body check". Its
// YAML and JSON names are those of an upstream's health section in the
// configuration file, which embeds it; settings read from a file go through
// Normalize before use.
type Settings struct {
	// Interval is the time between the starts of two probes while the state
	// is stable. Default 1s; at least 10ms when set.
	Interval time.Duration `yaml:"interval" json:"interval"`
	// FastInterval replaces Interval while the state is changing (failures
	// seen while Up or Unknown, passes seen while Down). Default Interval/4,
	// but not below 100ms nor above Interval.
	FastInterval time.Duration `yaml:"fast_interval" json:"fast_interval"`
	// Timeout bounds one probe, from dialing to reading the body. Default 1s.
	Timeout time.Duration `yaml:"timeout" json:"timeout"`
	// Rise is how many consecutive passes bring a Down upstream Up. The very
	// first pass always decides Up from Unknown. Default 2.
	Rise int `yaml:"rise" json:"rise"`
	// Fall is how many consecutive failures take the upstream Down. The plan
	// treats more than 3 consecutive failed checks as down, hence default 4.
	Fall int `yaml:"fall" json:"fall"`
	// ExpectStatus lists the HTTP status codes that pass. Default [200].
	ExpectStatus []int `yaml:"expect_status" json:"expect_status"`
	// JSONField, when set, names a field of the JSON body whose value must be
	// one of HealthyValues. Dots walk into nested objects ("checks.db").
	// Default empty: the body is not inspected.
	JSONField string `yaml:"json_field" json:"json_field"`
	// HealthyValues lists the field values that mean up, compared exactly
	// (OpenViking answers "ok", LightRAG "healthy"). Booleans and numbers
	// are compared by their JSON text, such as "true" or "1". Required when
	// JSONField is set, and must be empty otherwise. No default.
	HealthyValues []string `yaml:"healthy_values" json:"healthy_values"`
}

// Validate reports every out-of-range field, naming it. Zero fields are
// valid because they mean the default.
func (s Settings) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrInvalidSettings}, args...)...))
	}
	checkDuration(bad, "Interval", s.Interval, minInterval)
	checkDuration(bad, "FastInterval", s.FastInterval, minInterval)
	checkDuration(bad, "Timeout", s.Timeout, time.Millisecond)
	if interval := s.withDefaults().Interval; s.FastInterval > interval {
		bad("FastInterval %s must not exceed Interval %s", s.FastInterval, interval)
	}
	checkCount(bad, "Rise", s.Rise)
	checkCount(bad, "Fall", s.Fall)
	for _, code := range s.ExpectStatus {
		if code < 100 || code > 599 {
			bad("ExpectStatus entry %d must be between 100 and 599", code)
		}
	}
	checkBody(bad, s.JSONField, s.HealthyValues)
	return errors.Join(errs...)
}

type reporter func(format string, args ...any)

func checkDuration(bad reporter, name string, d, floor time.Duration) {
	if d < 0 || (d > 0 && d < floor) {
		bad("%s must be 0 (default) or at least %s, got %s", name, floor, d)
	}
}

func checkCount(bad reporter, name string, n int) {
	if n < 0 || n > maxCount {
		bad("%s must be between 0 (default) and %d, got %d", name, maxCount, n)
	}
}

func checkBody(bad reporter, field string, values []string) {
	switch {
	case field == "" && len(values) > 0:
		bad("HealthyValues is set but JSONField is empty")
	case field == "":
	case len(values) == 0:
		bad("JSONField %q needs at least one HealthyValues entry", field)
	case strings.Contains("."+field+".", ".."):
		bad("JSONField %q has an empty path segment", field)
	}
}

// Normalize returns s as NewChecker and NewHTTPProber take it when it was
// read from a file over defaults: a plain HTTP check (no JSONField) drops
// HealthyValues. Defaults fill in the values of the JSON check, so a file
// turning that check off by emptying json_field alone would otherwise be
// refused by Validate as a contradiction.
func (s Settings) Normalize() Settings {
	if s.JSONField == "" {
		s.HealthyValues = nil
	}
	return s
}

// withDefaults returns s with every zero field replaced by its default.
func (s Settings) withDefaults() Settings {
	if s.Interval == 0 {
		s.Interval = DefaultInterval
	}
	if s.FastInterval == 0 {
		s.FastInterval = min(max(s.Interval/4, minFastInterval), s.Interval)
	}
	if s.Timeout == 0 {
		s.Timeout = DefaultTimeout
	}
	if s.Rise == 0 {
		s.Rise = DefaultRise
	}
	if s.Fall == 0 {
		s.Fall = DefaultFall
	}
	if len(s.ExpectStatus) == 0 {
		s.ExpectStatus = []int{200}
	}
	return s
}

// mustValid returns s with defaults, panicking when s is invalid: the
// configuration loader is expected to have called Validate already, so an
// invalid value here is a programming error.
func (s Settings) mustValid() Settings {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	return s.withDefaults()
}
