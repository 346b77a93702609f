package queue

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestCancelWhileWaiting(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1})
		mustAcquire(t, q)
		ctx, cancel := context.WithCancel(t.Context())
		ch := make(chan result, 1)
		acquireAsync(ctx, q, 0, ch)
		time.Sleep(time.Second)
		cancel()
		synctest.Wait()
		r := <-ch
		if !errors.Is(r.err, context.Canceled) || !errors.Is(r.err, ErrAbandoned) || errors.Is(r.err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrAbandoned wrapping context.Canceled, not ErrTimeout", r.err)
		}
		wantSnapshot(t, q, Snapshot{InFlight: 1, Admitted: 1, Abandoned: 1})
		q.Release()
		wantSnapshot(t, q, Snapshot{Admitted: 1, Abandoned: 1})
	})
}

func TestClientDeadlineIsNotQueueTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1})
		mustAcquire(t, q)
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()
		err := q.Acquire(ctx)
		if !errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want context.DeadlineExceeded and not ErrTimeout", err)
		}
		wantSnapshot(t, q, Snapshot{InFlight: 1, Admitted: 1, Abandoned: 1})
		q.Release()
	})
}

func TestCanceledContextDoesNotQueue(t *testing.T) {
	q := New(Settings{MaxConcurrent: 1})
	mustAcquire(t, q)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := q.Acquire(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	wantSnapshot(t, q, Snapshot{InFlight: 1, Admitted: 1, Abandoned: 1})
	q.Release()
}

func TestLeavingFromMiddleKeepsOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1})
		mustAcquire(t, q)
		ch := make(chan result, 3)
		ctx, cancel := context.WithCancel(t.Context())
		acquireAsync(t.Context(), q, 0, ch)
		synctest.Wait()
		acquireAsync(ctx, q, 1, ch)
		synctest.Wait()
		acquireAsync(t.Context(), q, 2, ch)
		synctest.Wait()
		cancel()
		synctest.Wait()
		if r := <-ch; r.id != 1 || r.err == nil {
			t.Fatalf("got %+v, want waiter 1 to give up", r)
		}
		for _, want := range []int{0, 2} {
			q.Release()
			synctest.Wait()
			if r := <-ch; r.id != want || r.err != nil {
				t.Fatalf("admitted %+v, want id %d", r, want)
			}
		}
		q.Release()
		wantSnapshot(t, q, Snapshot{Admitted: 3, Abandoned: 1})
	})
}

// TestGrantRacingTimeout releases at the very instant the waiter's timer
// fires. Either outcome is allowed, but the slot must be accounted for.
func TestGrantRacingTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1, Timeout: time.Second})
		mustAcquire(t, q)
		ch := make(chan result, 1)
		acquireAsync(t.Context(), q, 0, ch)
		time.Sleep(time.Second)
		q.Release()
		r := <-ch
		s := q.Snapshot()
		switch {
		case r.err == nil && s.InFlight == 1 && s.Admitted == 2:
			q.Release()
		case errors.Is(r.err, ErrTimeout) && s.InFlight == 0 && s.TimedOut == 1:
		default:
			t.Fatalf("err = %v with %+v: the slot was lost or double-counted", r.err, s)
		}
		if s := q.Snapshot(); s.InFlight != 0 || s.Waiting != 0 {
			t.Fatalf("leftover state %+v", s)
		}
	})
}
