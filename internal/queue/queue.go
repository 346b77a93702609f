// Package queue limits concurrent requests to an upstream and holds the
// excess in a bounded FIFO wait queue with a wait timeout, like HAProxy's
// maxconn with "timeout queue".
//
// The package keeps its own FIFO rather than wrapping
// golang.org/x/sync/semaphore. semaphore.Weighted's wait list is unbounded,
// so MaxQueueSize would need a second counter that can disagree with it,
// and its only bound on a wait is the context, so every waiting request
// would need a context.WithTimeout of its own. Here one atomic word holds
// both the slots held and the number of waiters, which keeps the bound
// exact, and the uncontended path is a single compare-and-swap with no
// lock, allocation or timer. Only requests that actually wait pay for the
// mutex, a small allocation and a timer.
//
// The package never logs; Snapshot exposes counters for metrics.
package queue

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
)

var (
	// ErrFull is returned by Acquire when every slot is held and the wait
	// queue is full.
	ErrFull = errors.New("queue: wait queue full")
	// ErrTimeout is returned by Acquire when the request waited Timeout
	// without getting a slot.
	ErrTimeout = errors.New("queue: timed out waiting for a slot")
	// ErrAbandoned is wrapped, together with ctx.Err(), by Acquire when the
	// caller's context ended while it waited: the client went away, which is
	// neither a timeout nor the upstream's fault.
	ErrAbandoned = errors.New("queue: caller gave up waiting")
	// ErrSettings is wrapped by every error from Settings.Validate.
	ErrSettings = errors.New("queue: invalid settings")
)

// The state word: slots held in the low 32 bits, waiters above them.
const (
	heldMask = 1<<32 - 1
	waitOne  = 1 << 32
)

func held(s int64) int64    { return s & heldMask }
func waiting(s int64) int64 { return s >> 32 }

// Queue is a concurrency limit with a bounded FIFO wait queue. It is safe
// for concurrent use. Create it with New.
//
// Settings cannot change. To apply new ones, create a new Queue and send new
// requests to it. A request must Release the slot to the Queue that granted
// it, so keep the *Queue used for Acquire until Release; requests already
// waiting in the old Queue are admitted, time out or give up there.
type Queue struct {
	// state holds the slot and waiter counts. While waiters exist it only
	// changes under mu, which keeps it equal to the length of the list.
	state atomic.Int64

	admitted, rejectedFull, timedOut, abandoned atomic.Uint64

	settings  Settings
	max, size int64 // settings.MaxConcurrent and MaxQueueSize, for the hot path.

	mu         sync.Mutex
	head, tail *waiter // FIFO of waiting requests.
}

// New returns an empty Queue. It panics if s.Validate fails, so validate
// operator input first.
func New(s Settings) *Queue {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	s = s.withDefaults()
	return &Queue{settings: s, max: int64(s.MaxConcurrent), size: int64(s.MaxQueueSize)}
}

// Acquire takes a slot, waiting in FIFO order if none is free. It returns
// nil once the caller holds a slot, which it must give back with Release.
// Otherwise it returns ErrFull at once when the wait queue is full,
// ErrTimeout after waiting Timeout, or an error wrapping ErrAbandoned and
// ctx.Err() when ctx ends while waiting. A free slot is granted without
// looking at ctx.
func (q *Queue) Acquire(ctx context.Context) error {
	if q.tryFast() {
		q.admitted.Add(1)
		return nil
	}
	return q.acquireSlow(ctx)
}

// tryFast takes a free slot if nobody is waiting. A request must not pass
// waiters, so a non-zero waiter count sends it to the slow path.
func (q *Queue) tryFast() bool {
	for {
		s := q.state.Load()
		if waiting(s) != 0 || held(s) >= q.max {
			return false
		}
		if q.state.CompareAndSwap(s, s+1) {
			return true
		}
	}
}

// Release gives back a slot taken by Acquire, handing it straight to the
// longest waiter if there is one. It panics if no slot is held.
func (q *Queue) Release() {
	for {
		s := q.state.Load()
		if held(s) == 0 {
			panic("queue: Release without a held slot")
		}
		if waiting(s) != 0 {
			q.handOff()
			return
		}
		if q.state.CompareAndSwap(s, s-1) {
			return
		}
	}
}
