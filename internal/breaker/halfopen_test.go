package breaker

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// halfOpen returns a breaker that has just become due for probing.
func halfOpen(t *testing.T, s Settings, r *recorder) *Breaker {
	t.Helper()
	var onChange func(Transition)
	if r != nil {
		onChange = r.record
	}
	b := New(s, onChange)
	time.Sleep(trip(t, b))
	return b
}

func TestHalfOpenProbeLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := halfOpen(t, Settings{HalfOpenProbes: 2}, nil)
		p1, p2 := mustAllow(t, b), mustAllow(t, b)
		_, err := b.Allow()
		if !errors.Is(err, ErrProbeLimit) || !errors.Is(err, ErrOpen) {
			t.Fatalf("third probe: err = %v, want ErrProbeLimit wrapping ErrOpen", err)
		}
		b.Done(p1, true)
		if s := b.Snapshot(); s.ProbesInFlight != 1 || s.ProbeSuccesses != 1 || s.State != HalfOpen {
			t.Fatalf("after one success: %+v", s)
		}
		p3 := mustAllow(t, b) // The finished probe freed a slot.
		b.Done(p2, true)      // SuccessesToClose defaults to HalfOpenProbes: 2.
		wantState(t, b, Closed)
		b.Done(p3, false) // A probe from the half-open generation: ignored.
		if n := b.Snapshot().ConsecutiveFailures; n != 0 {
			t.Fatalf("stale probe failure counted: ConsecutiveFailures = %d", n)
		}
	})
}

func TestHalfOpenConcurrentProbes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := halfOpen(t, Settings{HalfOpenProbes: 3, SuccessesToClose: 100}, nil)
		var admitted, rejected atomic.Int32
		var wg sync.WaitGroup
		for range 50 {
			wg.Go(func() {
				if _, err := b.Allow(); err == nil {
					admitted.Add(1)
				} else if errors.Is(err, ErrOpen) {
					rejected.Add(1)
				}
			})
		}
		wg.Wait()
		if admitted.Load() != 3 || rejected.Load() != 47 {
			t.Fatalf("admitted %d, rejected %d; want 3 and 47", admitted.Load(), rejected.Load())
		}
	})
}

func TestClosesAfterConsecutiveProbeSuccesses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		b := halfOpen(t, Settings{SuccessesToClose: 3}, &r)
		for i := range 3 {
			wantState(t, b, HalfOpen)
			p := mustAllow(t, b)
			if _, err := b.Allow(); !errors.Is(err, ErrProbeLimit) {
				t.Fatalf("probe %d: second concurrent probe err = %v, want ErrProbeLimit", i+1, err)
			}
			b.Done(p, true)
		}
		wantState(t, b, Closed)
		ts := r.all()
		if last := ts[len(ts)-1]; last.From != HalfOpen || last.To != Closed || last.OpenFor != 0 {
			t.Fatalf("last transition = %+v, want half-open -> closed", last)
		}
	})
}

func TestProbeFailureReopens(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		b := halfOpen(t, Settings{HalfOpenProbes: 2, SuccessesToClose: 2}, &r)
		p1, p2 := mustAllow(t, b), mustAllow(t, b)
		b.Done(p1, true)
		b.Done(p2, false)
		wantState(t, b, Open)
		last := r.all()[len(r.all())-1]
		want := Transition{From: HalfOpen, To: Open, At: time.Now(), ConsecutiveFailures: 1, OpenFor: 60 * time.Second}
		if last != want {
			t.Fatalf("last transition = %+v, want %+v", last, want)
		}
		if s := b.Snapshot(); s.OpensTotal != 2 {
			t.Fatalf("OpensTotal = %d, want 2", s.OpensTotal)
		}
	})
}

func TestCancelFreesProbeSlot(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New(Settings{FailureThreshold: 1, RecoveryTimeout: time.Second}, nil)
		tk, _ := b.Allow()
		b.Done(tk, false)
		time.Sleep(time.Second)
		probe, err := b.Allow()
		if err != nil {
			t.Fatalf("first probe: %v", err)
		}
		if _, err := b.Allow(); !errors.Is(err, ErrProbeLimit) {
			t.Fatalf("second probe while one is out: got %v, want ErrProbeLimit", err)
		}
		b.Cancel(probe)
		again, err := b.Allow()
		if err != nil {
			t.Fatalf("probe after Cancel: %v (slot leaked)", err)
		}
		b.Done(again, true)
		if got := b.State(); got != Closed {
			t.Fatalf("state after successful probe: %v, want closed", got)
		}
	})
}
