package queue

import "time"

// Snapshot is a view of a Queue for status pages and metrics. The counters
// are cumulative since New; each is read atomically but not all together.
type Snapshot struct {
	// InFlight is how many slots are held; Waiting how many requests wait.
	InFlight, Waiting int
	// Admitted counts requests granted a slot, at once or after waiting.
	Admitted uint64
	// RejectedFull counts ErrFull; TimedOut counts ErrTimeout.
	RejectedFull, TimedOut uint64
	// Abandoned counts requests whose context ended before they got a slot.
	Abandoned uint64
	// Settings are the settings in force, defaults filled in.
	Settings Settings
}

// Snapshot returns the current counts and settings.
func (q *Queue) Snapshot() Snapshot {
	s := q.state.Load()
	return Snapshot{
		InFlight:     int(held(s)),
		Waiting:      int(waiting(s)),
		Admitted:     q.admitted.Load(),
		RejectedFull: q.rejectedFull.Load(),
		TimedOut:     q.timedOut.Load(),
		Abandoned:    q.abandoned.Load(),
		Settings:     q.settings,
	}
}

// retryAfter is the Retry-After hint for a 503 from a full or slow queue. A
// slot frees up within about one request's latency, so a short, fixed hint
// brings clients back soon without tying it to the 30 s queue timeout.
const retryAfter = time.Second

// RetryAfter returns a hint for the Retry-After header of a 503 caused by
// ErrFull or ErrTimeout. It is currently a constant 1 s.
func (q *Queue) RetryAfter() time.Duration { return retryAfter }
