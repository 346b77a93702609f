package breaker

import (
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestOpensAtExactlyThreshold(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		b := New(Settings{}, r.record)
		fail(t, b, 4)
		wantState(t, b, Closed)
		if n := b.Snapshot().ConsecutiveFailures; n != 4 {
			t.Fatalf("ConsecutiveFailures = %d, want 4", n)
		}
		fail(t, b, 1)
		wantState(t, b, Open)
		if _, err := b.Allow(); !errors.Is(err, ErrOpen) {
			t.Fatalf("Allow while open: err = %v, want ErrOpen", err)
		}
		ts := r.all()
		want := Transition{From: Closed, To: Open, At: time.Now(), ConsecutiveFailures: 5, OpenFor: 30 * time.Second}
		if len(ts) != 1 || ts[0] != want {
			t.Fatalf("transitions = %+v, want [%+v]", ts, want)
		}
	})
}

func TestSuccessResetsFailureCount(t *testing.T) {
	b := New(Settings{FailureThreshold: 3}, nil)
	fail(t, b, 2)
	b.Done(mustAllow(t, b), true)
	fail(t, b, 2)
	wantState(t, b, Closed)
	fail(t, b, 1)
	wantState(t, b, Open)
}

func TestZeroTicketIgnored(t *testing.T) {
	b := New(Settings{FailureThreshold: 1}, nil)
	b.Done(Ticket{}, false)
	wantState(t, b, Closed)
}

func TestFailuresAcrossTicketsTakenBeforeTrip(t *testing.T) {
	// Ten requests are admitted together and all fail. Only the fifth
	// failure trips; the rest belong to the closed generation and vanish.
	var r recorder
	b := New(Settings{}, r.record)
	tickets := make([]Ticket, 10)
	for i := range tickets {
		tickets[i] = mustAllow(t, b)
	}
	for _, tk := range tickets {
		b.Done(tk, false)
	}
	wantState(t, b, Open)
	if ts := r.all(); len(ts) != 1 {
		t.Fatalf("got %d transitions, want 1: %+v", len(ts), ts)
	}
	if s := b.Snapshot(); s.OpensTotal != 1 {
		t.Fatalf("OpensTotal = %d, want 1", s.OpensTotal)
	}
}

func TestStateString(t *testing.T) {
	for s, want := range map[State]string{Closed: "closed", Open: "open", HalfOpen: "half-open", 7: "State(7)"} {
		if got := s.String(); got != want {
			t.Errorf("State(%d).String() = %q, want %q", int(s), got, want)
		}
	}
}
