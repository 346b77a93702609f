package breaker

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestSlowClosedFailureIsNotAProbeFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New(Settings{}, nil)
		slow := mustAllow(t, b) // Admitted while closed, finishes much later.
		time.Sleep(trip(t, b))
		probe := mustAllow(t, b)
		b.Done(slow, false)
		wantState(t, b, HalfOpen)
		if s := b.Snapshot(); s.ProbesInFlight != 1 {
			t.Fatalf("ProbesInFlight = %d, want 1: the stale result touched the probe count", s.ProbesInFlight)
		}
		b.Done(probe, true)
		wantState(t, b, Closed)
	})
}

func TestStaleSuccessDoesNotResetNewCount(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New(Settings{}, nil)
		old := mustAllow(t, b)
		time.Sleep(trip(t, b))
		b.Done(mustAllow(t, b), true) // Probe closes it: a new closed generation.
		fail(t, b, 4)
		b.Done(old, true)
		if n := b.Snapshot().ConsecutiveFailures; n != 4 {
			t.Fatalf("ConsecutiveFailures = %d after a stale success, want 4", n)
		}
		fail(t, b, 1)
		wantState(t, b, Open)
	})
}

func TestProbeResultAfterResetIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New(Settings{FailureThreshold: 1}, nil)
		time.Sleep(trip(t, b))
		probe := mustAllow(t, b)
		b.Reset()
		b.Done(probe, false)
		wantState(t, b, Closed)
	})
}

func TestStaleProbeFromEarlierHalfOpenIgnored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New(Settings{HalfOpenProbes: 2, SuccessesToClose: 2}, nil)
		time.Sleep(trip(t, b))
		p1, p2 := mustAllow(t, b), mustAllow(t, b)
		b.Done(p1, false) // Re-opens for 60 s.
		time.Sleep(b.RetryAfter())
		p3 := mustAllow(t, b)
		b.Done(p2, true) // From the previous half-open generation.
		if s := b.Snapshot(); s.ProbeSuccesses != 0 || s.ProbesInFlight != 1 {
			t.Fatalf("stale probe counted: %+v", s)
		}
		b.Done(p3, true)
		wantState(t, b, HalfOpen) // One success of the two needed.
	})
}
