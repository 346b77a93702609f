package queue

import (
	"context"
	"fmt"
	"time"
)

// A waiter is one request in the wait queue. Its fields other than ready
// are guarded by Queue.mu.
type waiter struct {
	prev, next *waiter
	granted    bool          // A slot was handed over; ready is closed.
	ready      chan struct{} // Closed when granted.
}

// acquireSlow admits, rejects or enqueues under the lock, then waits.
func (q *Queue) acquireSlow(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		q.abandoned.Add(1)
		return fmt.Errorf("%w: %w", ErrAbandoned, err)
	}
	q.mu.Lock()
	for {
		s := q.state.Load()
		switch {
		case waiting(s) == 0 && held(s) < q.max:
			if !q.state.CompareAndSwap(s, s+1) {
				continue // Raced with the lock-free path; look again.
			}
			q.mu.Unlock()
			q.admitted.Add(1)
			return nil
		case waiting(s) >= q.size:
			q.mu.Unlock()
			q.rejectedFull.Add(1)
			return ErrFull
		}
		if q.state.CompareAndSwap(s, s+waitOne) {
			break
		}
	}
	w := &waiter{ready: make(chan struct{})}
	q.pushLocked(w)
	q.mu.Unlock()
	return q.wait(ctx, w)
}

// wait blocks until w is granted a slot, the timeout fires or ctx ends.
func (q *Queue) wait(ctx context.Context, w *waiter) error {
	timer := time.NewTimer(q.settings.Timeout)
	defer timer.Stop()
	select {
	case <-w.ready:
		q.admitted.Add(1)
		return nil
	case <-timer.C:
		if q.withdraw(w) {
			q.admitted.Add(1) // The slot arrived as time ran out: keep it.
			return nil
		}
		q.timedOut.Add(1)
		return ErrTimeout
	case <-ctx.Done():
		if q.withdraw(w) {
			q.Release() // Nobody will use this slot: pass it on.
		}
		q.abandoned.Add(1)
		return fmt.Errorf("%w: %w", ErrAbandoned, ctx.Err())
	}
}

// withdraw takes w out of the queue. It reports true if w had already been
// granted a slot, which the caller then holds.
func (q *Queue) withdraw(w *waiter) (granted bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if w.granted {
		return true
	}
	q.removeLocked(w)
	q.state.Add(-waitOne)
	return false
}

// handOff gives the caller's slot to the longest waiter. The held count
// stays the same: the slot changes owner without ever being free, so a
// newcomer cannot take it first.
func (q *Queue) handOff() {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		s := q.state.Load()
		if waiting(s) == 0 {
			// Every waiter left between Release's look and the lock.
			if q.state.CompareAndSwap(s, s-1) {
				return
			}
			continue
		}
		w := q.head
		q.removeLocked(w)
		q.state.Add(-waitOne)
		w.granted = true
		close(w.ready)
		return
	}
}

func (q *Queue) pushLocked(w *waiter) {
	w.prev = q.tail
	if q.tail == nil {
		q.head = w
	} else {
		q.tail.next = w
	}
	q.tail = w
}

func (q *Queue) removeLocked(w *waiter) {
	if w.prev == nil {
		q.head = w.next
	} else {
		w.prev.next = w.next
	}
	if w.next == nil {
		q.tail = w.prev
	} else {
		w.next.prev = w.prev
	}
	w.prev, w.next = nil, nil
}
