package breaker

import (
	"math/rand/v2"
	"sync"
	"testing"
	"time"
)

func TestConcurrentFailuresAreAllCounted(t *testing.T) {
	b := New(Settings{FailureThreshold: 200}, nil)
	var wg sync.WaitGroup
	for range 199 {
		wg.Go(func() { b.Done(mustAllow(t, b), false) })
	}
	wg.Wait()
	if n := b.Snapshot().ConsecutiveFailures; n != 199 {
		t.Fatalf("ConsecutiveFailures = %d, want 199: an increment was lost", n)
	}
	fail(t, b, 1)
	wantState(t, b, Open)
}

// TestHammer drives one breaker from many goroutines with random outcomes
// and real (short) open periods, checking invariants and that the reported
// transitions form one unbroken chain.
func TestHammer(t *testing.T) {
	s := Settings{FailureThreshold: 3, RecoveryTimeout: 20 * time.Microsecond,
		MaxRecoveryTimeout: 200 * time.Microsecond, HalfOpenProbes: 2, SuccessesToClose: 3, Jitter: 0.5}
	var r recorder
	b := New(s, r.record)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() { hammer(b, stop) })
	}
	wg.Go(func() { checkInvariants(t, b, stop) })
	time.Sleep(200 * time.Millisecond)
	close(stop)
	wg.Wait()

	ts := r.all()
	if len(ts) < 10 {
		t.Fatalf("only %d transitions; the hammer did not exercise the breaker", len(ts))
	}
	prev := Closed
	for i, tr := range ts {
		if tr.From != prev || tr.From == tr.To {
			t.Fatalf("transition %d %v->%v does not follow %v", i, tr.From, tr.To, prev)
		}
		prev = tr.To
	}
	if got := b.State(); got != prev && !(prev == Open && got == HalfOpen) {
		t.Fatalf("final state %v, last reported %v", got, prev)
	}
}

func hammer(b *Breaker, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		tk, err := b.Allow()
		if err != nil {
			continue
		}
		b.Done(tk, rand.IntN(3) > 0) // Two in three succeed.
	}
}

func checkInvariants(t *testing.T, b *Breaker, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		s := b.Snapshot()
		if s.ProbesInFlight > s.Settings.HalfOpenProbes || s.ProbeSuccesses >= s.Settings.SuccessesToClose ||
			s.ConsecutiveFailures >= s.Settings.FailureThreshold {
			t.Errorf("invariant broken: %+v", s)
			return
		}
	}
}
