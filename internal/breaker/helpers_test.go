package breaker

import (
	"sync"
	"testing"
	"time"
)

// recorder collects transitions from onChange.
type recorder struct {
	mu sync.Mutex
	ts []Transition
}

func (r *recorder) record(t Transition) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ts = append(r.ts, t)
}

func (r *recorder) all() []Transition {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Transition(nil), r.ts...)
}

// mustAllow calls Allow and fails the test on error.
func mustAllow(t *testing.T, b *Breaker) Ticket {
	t.Helper()
	tk, err := b.Allow()
	if err != nil {
		t.Fatalf("Allow: %v (state %v)", err, b.State())
	}
	return tk
}

// fail runs n requests that all fail.
func fail(t *testing.T, b *Breaker, n int) {
	t.Helper()
	for range n {
		b.Done(mustAllow(t, b), false)
	}
}

// trip opens b from closed and returns how long it will stay open.
func trip(t *testing.T, b *Breaker) time.Duration {
	t.Helper()
	fail(t, b, b.settings.FailureThreshold)
	if got := b.State(); got != Open {
		t.Fatalf("after %d failures state = %v, want open", b.settings.FailureThreshold, got)
	}
	return b.RetryAfter()
}

func wantState(t *testing.T, b *Breaker, want State) {
	t.Helper()
	if got := b.State(); got != want {
		t.Fatalf("state = %v, want %v", got, want)
	}
}
