package queue

import (
	"fmt"
	"time"
)

// Settings configures a Queue. A zero field takes its documented default, so
// Settings{} is the plan's queue: {"max_queue_size":1000,"timeout_ms":30000}
// in front of 256 concurrent requests. Settings are fixed for the life of a
// Queue; see Queue for how to change them.
type Settings struct {
	// MaxConcurrent is how many requests may hold a slot at once.
	// Default 256. Allowed 1 to 2^31-1.
	MaxConcurrent int
	// MaxQueueSize is how many more requests may wait for a slot, in FIFO
	// order. A request that finds the queue full fails at once with ErrFull.
	// Default 1000. Allowed 1 to 2^31-1.
	MaxQueueSize int
	// Timeout bounds the wait for a slot (HAProxy's "timeout queue"); a
	// request still waiting after it fails with ErrTimeout. It does not bound
	// the request once admitted. Default 30 s. Must not be negative.
	Timeout time.Duration
}

const (
	defaultMaxConcurrent = 256
	defaultMaxQueueSize  = 1000
	defaultTimeout       = 30 * time.Second
	maxCount             = 1<<31 - 1 // Both counts share one 64-bit word.
)

// Validate reports the first field that is out of range. Zero fields are
// valid because they take their defaults.
func (s Settings) Validate() error {
	switch {
	case s.MaxConcurrent < 0 || s.MaxConcurrent > maxCount:
		return fmt.Errorf("%w: MaxConcurrent %d: want 1 to %d (0 for the default %d)",
			ErrSettings, s.MaxConcurrent, maxCount, defaultMaxConcurrent)
	case s.MaxQueueSize < 0 || s.MaxQueueSize > maxCount:
		return fmt.Errorf("%w: MaxQueueSize %d: want 1 to %d (0 for the default %d)",
			ErrSettings, s.MaxQueueSize, maxCount, defaultMaxQueueSize)
	case s.Timeout < 0:
		return fmt.Errorf("%w: Timeout %v: want > 0 (0 for the default %v)",
			ErrSettings, s.Timeout, defaultTimeout)
	}
	return nil
}

// withDefaults returns s with every zero field replaced by its default.
func (s Settings) withDefaults() Settings {
	if s.MaxConcurrent == 0 {
		s.MaxConcurrent = defaultMaxConcurrent
	}
	if s.MaxQueueSize == 0 {
		s.MaxQueueSize = defaultMaxQueueSize
	}
	if s.Timeout == 0 {
		s.Timeout = defaultTimeout
	}
	return s
}
