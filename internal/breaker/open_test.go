package breaker

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestOpenPeriodEndsExactlyOnTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New(Settings{}, nil)
		if got := trip(t, b); got != 30*time.Second {
			t.Fatalf("RetryAfter after tripping = %v, want 30s", got)
		}
		wantUntil := time.Now().Add(30 * time.Second)
		if s := b.Snapshot(); !s.OpenUntil.Equal(wantUntil) || s.OpenFor != 30*time.Second {
			t.Fatalf("Snapshot OpenUntil=%v OpenFor=%v, want %v and 30s", s.OpenUntil, s.OpenFor, wantUntil)
		}
		time.Sleep(30*time.Second - time.Nanosecond)
		if _, err := b.Allow(); !errors.Is(err, ErrOpen) {
			t.Fatalf("Allow 1ns before the end: err = %v, want ErrOpen", err)
		}
		if got := b.RetryAfter(); got != time.Nanosecond {
			t.Fatalf("RetryAfter = %v, want 1ns", got)
		}
		time.Sleep(time.Nanosecond)
		mustAllow(t, b)
		wantState(t, b, HalfOpen)
		if got := b.RetryAfter(); got != 0 {
			t.Fatalf("RetryAfter while half-open = %v, want 0", got)
		}
	})
}

func TestStateMovesDueBreakerToHalfOpen(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		b := New(Settings{}, r.record)
		trip(t, b)
		time.Sleep(30 * time.Second)
		wantState(t, b, HalfOpen)
		if ts := r.all(); len(ts) != 2 || ts[1].From != Open || ts[1].To != HalfOpen {
			t.Fatalf("transitions = %+v, want open->half-open last", ts)
		}
	})
}

// openPeriods trips b and then fails n probes in a row, returning each open
// period as reported to onChange.
func openPeriods(t *testing.T, b *Breaker, r *recorder, n int) []time.Duration {
	t.Helper()
	trip(t, b)
	for range n {
		time.Sleep(b.RetryAfter())
		b.Done(mustAllow(t, b), false)
	}
	var got []time.Duration
	for _, tr := range r.all() {
		if tr.To == Open {
			got = append(got, tr.OpenFor)
		}
	}
	return got
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestOpenPeriodDoublesUpToCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		b := New(Settings{}, r.record)
		got := openPeriods(t, b, &r, 6)
		s := time.Second
		want := []time.Duration{30 * s, 60 * s, 120 * s, 240 * s, 300 * s, 300 * s, 300 * s}
		if !equalDurations(got, want) {
			t.Fatalf("open periods = %v, want %v", got, want)
		}
		// Closing resets the backoff.
		time.Sleep(b.RetryAfter())
		b.Done(mustAllow(t, b), true)
		wantState(t, b, Closed)
		if got := trip(t, b); got != 30*s {
			t.Fatalf("open period after closing = %v, want 30s", got)
		}
	})
}

func TestOpenPeriodConstantWhenCapNotAbove(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		b := New(Settings{RecoveryTimeout: 30 * time.Second, MaxRecoveryTimeout: 10 * time.Second}, r.record)
		got := openPeriods(t, b, &r, 3)
		want := []time.Duration{30 * time.Second, 30 * time.Second, 30 * time.Second, 30 * time.Second}
		if !equalDurations(got, want) {
			t.Fatalf("open periods = %v, want %v", got, want)
		}
	})
}

func TestJitterAddsFractionAfterCap(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		s := Settings{RecoveryTimeout: 10 * time.Second, MaxRecoveryTimeout: 20 * time.Second,
			Jitter: 0.5, Rand: func() float64 { return 0.5 }}
		b := New(s, r.record)
		got := openPeriods(t, b, &r, 2)
		// 10 s, 20 s, 20 s (capped), each plus a quarter.
		want := []time.Duration{12500 * time.Millisecond, 25 * time.Second, 25 * time.Second}
		if !equalDurations(got, want) {
			t.Fatalf("open periods = %v, want %v", got, want)
		}
	})
}

func TestHugeDurationsSaturate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := New(Settings{RecoveryTimeout: 1 << 62, MaxRecoveryTimeout: 1<<63 - 1, Jitter: 1,
			Rand: func() float64 { return 0.99 }}, nil)
		if got := trip(t, b); got <= 0 {
			t.Fatalf("RetryAfter = %v, want a huge positive duration", got)
		}
	})
}
