package stats

import (
	"errors"
	"fmt"
	"time"
)

// ErrInvalidSettings is wrapped by every error from WindowSettings.Validate.
var ErrInvalidSettings = errors.New("stats: invalid settings")

// Defaults applied to zero WindowSettings fields, and the accepted ranges.
const (
	DefaultBuckets     = 12
	DefaultBucketWidth = 5 * time.Second
	DefaultMinVolume   = 20

	maxBuckets     = 10000
	minBucketWidth = time.Millisecond
)

// WindowSettings shape every sliding window. The zero value means 12
// buckets of 5 s (a 60 s window) speaking from 20 requests on. It is also
// the configuration file's stats section, by the YAML names below.
type WindowSettings struct {
	// Buckets is how many buckets the ring holds. More buckets make the
	// window slide more smoothly. Default 12; between 2 and 10000, since a
	// single bucket would be a fixed window that forgets everything at once.
	Buckets int `yaml:"buckets" json:"buckets"`
	// BucketWidth is the time one bucket covers. Default 5s; at least 1ms.
	BucketWidth time.Duration `yaml:"bucket_width" json:"bucket_width"`
	// MinVolume is how many judged requests (all but ClientGone and
	// Rejected) a window needs before Summary.Enough is true. Default 20.
	MinVolume int `yaml:"min_volume" json:"min_volume"`
}

// Validate reports every out-of-range field, naming it. Zero fields are
// valid because they mean the default.
func (s WindowSettings) Validate() error {
	var errs []error
	if s.Buckets < 0 || s.Buckets == 1 || s.Buckets > maxBuckets {
		errs = append(errs, fmt.Errorf("%w: Buckets must be 0 (default) or between 2 and %d, got %d",
			ErrInvalidSettings, maxBuckets, s.Buckets))
	}
	if s.BucketWidth < 0 || (s.BucketWidth > 0 && s.BucketWidth < minBucketWidth) {
		errs = append(errs, fmt.Errorf("%w: BucketWidth must be 0 (default) or at least %s, got %s",
			ErrInvalidSettings, minBucketWidth, s.BucketWidth))
	}
	if s.MinVolume < 0 {
		errs = append(errs, fmt.Errorf("%w: MinVolume must be 0 (default) or positive, got %d",
			ErrInvalidSettings, s.MinVolume))
	}
	return errors.Join(errs...)
}

// mustValid returns s with defaults, panicking when s is invalid: settings
// are validated when the configuration is loaded, so this is a programming
// error.
func (s WindowSettings) mustValid() WindowSettings {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	if s.Buckets == 0 {
		s.Buckets = DefaultBuckets
	}
	if s.BucketWidth == 0 {
		s.BucketWidth = DefaultBucketWidth
	}
	if s.MinVolume == 0 {
		s.MinVolume = DefaultMinVolume
	}
	return s
}
