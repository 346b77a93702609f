package queue

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// TestCancelRacingGrant grants a slot and cancels the waiter at once. If the
// waiter gives up, the slot must go on to the next waiter, not vanish.
func TestCancelRacingGrant(t *testing.T) {
	for range 20 {
		synctest.Test(t, func(t *testing.T) {
			q := New(Settings{MaxConcurrent: 1})
			mustAcquire(t, q)
			ctx, cancel := context.WithCancel(t.Context())
			first, second := make(chan result, 1), make(chan result, 1)
			acquireAsync(ctx, q, 0, first)
			synctest.Wait()
			acquireAsync(t.Context(), q, 1, second)
			synctest.Wait()
			q.Release()
			cancel()
			if r := <-first; r.err == nil {
				q.Release() // It kept the slot; release it to the second.
			}
			if r := <-second; r.err != nil {
				t.Fatalf("second waiter: %v; the slot was lost", r.err)
			}
			q.Release()
			if s := q.Snapshot(); s.InFlight != 0 || s.Waiting != 0 {
				t.Fatalf("leftover state %+v", s)
			}
		})
	}
}

func TestNoGoroutineOutlivesItsWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1})
		mustAcquire(t, q)
		ctx, cancel := context.WithCancel(t.Context())
		ch := make(chan result, 10)
		for id := range 10 {
			acquireAsync(ctx, q, id, ch)
		}
		synctest.Wait()
		start := time.Now()
		cancel()
		synctest.Wait() // Returns only when every waiter has exited or blocked.
		if len(ch) != 10 || time.Since(start) != 0 {
			t.Fatalf("%d of 10 waiters returned, after %v", len(ch), time.Since(start))
		}
		wantSnapshot(t, q, Snapshot{InFlight: 1, Admitted: 1, Abandoned: 10})
		q.Release()
	})
}

// TestHammer runs many goroutines against a small queue with short real
// timeouts and random cancellations, and checks that the limit is never
// exceeded and every attempt is accounted for exactly once.
func TestHammer(t *testing.T) {
	const maxConc = 4
	q := New(Settings{MaxConcurrent: maxConc, MaxQueueSize: 8, Timeout: 300 * time.Microsecond})
	var running, attempts atomic.Int64
	var wg sync.WaitGroup
	for range 32 {
		wg.Go(func() {
			for range 300 {
				attempts.Add(1)
				hammerOnce(t, q, &running, maxConc)
			}
		})
	}
	wg.Wait()
	s := q.Snapshot()
	if s.InFlight != 0 || s.Waiting != 0 {
		t.Fatalf("leftover state %+v", s)
	}
	if sum := s.Admitted + s.RejectedFull + s.TimedOut + s.Abandoned; sum != uint64(attempts.Load()) {
		t.Fatalf("counters sum to %d, want %d attempts: %+v", sum, attempts.Load(), s)
	}
	if s.RejectedFull == 0 || s.TimedOut == 0 || s.Abandoned == 0 {
		t.Fatalf("hammer did not reach every outcome: %+v", s)
	}
}

func hammerOnce(t *testing.T, q *Queue, running *atomic.Int64, maxConc int64) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rand.IntN(400))*time.Microsecond)
	defer cancel()
	err := q.Acquire(ctx)
	switch {
	case err == nil:
		if n := running.Add(1); n > maxConc {
			t.Errorf("%d requests running, limit %d", n, maxConc)
		}
		time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond)
		running.Add(-1)
		q.Release()
	case errors.Is(err, ErrFull), errors.Is(err, ErrTimeout), errors.Is(err, ErrAbandoned):
	default:
		t.Errorf("unexpected error %v", err)
	}
}
