package queue

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestFIFOAdmission(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1})
		mustAcquire(t, q)
		ch := make(chan result, 5)
		for id := range 5 {
			acquireAsync(t.Context(), q, id, ch)
			synctest.Wait() // Each waiter is queued before the next starts.
		}
		for want := range 5 {
			q.Release()
			synctest.Wait()
			if r := <-ch; r.id != want || r.err != nil {
				t.Fatalf("admitted %+v, want id %d with no error", r, want)
			}
			if w := q.Snapshot().Waiting; w != 4-want {
				t.Fatalf("after admitting %d: Waiting = %d, want %d", want, w, 4-want)
			}
			if len(ch) != 0 {
				t.Fatal("one Release admitted more than one waiter")
			}
		}
		q.Release()
		wantSnapshot(t, q, Snapshot{Admitted: 6})
	})
}

func TestNewcomerDoesNotPassWaiters(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1})
		mustAcquire(t, q)
		ch := make(chan result, 2)
		acquireAsync(t.Context(), q, 0, ch)
		synctest.Wait()
		q.Release() // The slot goes to waiter 0, never to a free pool.
		acquireAsync(t.Context(), q, 1, ch)
		synctest.Wait()
		if r := <-ch; r.id != 0 {
			t.Fatalf("first admitted %d, want 0", r.id)
		}
		wantSnapshot(t, q, Snapshot{InFlight: 1, Waiting: 1, Admitted: 2})
		q.Release()
		if r := <-ch; r.id != 1 || r.err != nil {
			t.Fatalf("second admitted %+v, want id 1", r)
		}
		q.Release()
	})
}

func TestFullRejectsImmediately(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1, MaxQueueSize: 2})
		mustAcquire(t, q)
		ch := make(chan result, 2)
		acquireAsync(t.Context(), q, 0, ch)
		acquireAsync(t.Context(), q, 1, ch)
		synctest.Wait()
		start := time.Now()
		if err := q.Acquire(t.Context()); !errors.Is(err, ErrFull) {
			t.Fatalf("Acquire on a full queue: err = %v, want ErrFull", err)
		}
		if d := time.Since(start); d != 0 {
			t.Fatalf("ErrFull took %v, want no wait", d)
		}
		wantSnapshot(t, q, Snapshot{InFlight: 1, Waiting: 2, Admitted: 1, RejectedFull: 1})
		for range 3 {
			q.Release()
		}
	})
}

func TestTimeoutExactly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1, Timeout: 5 * time.Second})
		mustAcquire(t, q)
		ch := make(chan result, 1)
		acquireAsync(t.Context(), q, 0, ch)
		time.Sleep(5*time.Second - time.Nanosecond)
		synctest.Wait()
		if len(ch) != 0 {
			t.Fatalf("waiter returned %+v before Timeout", <-ch)
		}
		time.Sleep(time.Nanosecond)
		synctest.Wait()
		if r := <-ch; !errors.Is(r.err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", r.err)
		}
		wantSnapshot(t, q, Snapshot{InFlight: 1, Admitted: 1, TimedOut: 1})
		q.Release()
		wantSnapshot(t, q, Snapshot{Admitted: 1, TimedOut: 1})
	})
}

func TestDefaultTimeoutBoundsTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		q := New(Settings{MaxConcurrent: 1})
		mustAcquire(t, q)
		start := time.Now()
		if err := q.Acquire(context.Background()); !errors.Is(err, ErrTimeout) {
			t.Fatalf("err = %v, want ErrTimeout", err)
		}
		if d := time.Since(start); d != 30*time.Second {
			t.Fatalf("waited %v, want 30s", d)
		}
		q.Release()
	})
}

func TestSettingsValidateAndDefaults(t *testing.T) {
	for _, tt := range []struct {
		s     Settings
		field string
	}{
		{Settings{MaxConcurrent: -1}, "MaxConcurrent"},
		{Settings{MaxConcurrent: maxCount + 1}, "MaxConcurrent"},
		{Settings{MaxQueueSize: -1}, "MaxQueueSize"},
		{Settings{Timeout: -time.Millisecond}, "Timeout"},
	} {
		err := tt.s.Validate()
		if !errors.Is(err, ErrSettings) || !strings.Contains(err.Error(), tt.field+" ") {
			t.Errorf("Validate(%+v) = %v, want ErrSettings naming %s", tt.s, err, tt.field)
		}
	}
	want := Settings{MaxConcurrent: 256, MaxQueueSize: 1000, Timeout: 30 * time.Second}
	if got := New(Settings{}).Snapshot().Settings; got != want {
		t.Fatalf("defaults = %+v, want %+v", got, want)
	}
	if q := New(Settings{}); q.RetryAfter() != time.Second {
		t.Fatalf("RetryAfter = %v, want 1s", q.RetryAfter())
	}
}

func TestNewPanicsOnInvalidSettings(t *testing.T) {
	defer func() {
		if err, _ := recover().(error); !errors.Is(err, ErrSettings) {
			t.Fatalf("recover() = %v, want ErrSettings", err)
		}
	}()
	New(Settings{Timeout: -1})
}

func TestReleaseWithoutAcquirePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Release on an empty queue did not panic")
		}
	}()
	New(Settings{}).Release()
}
