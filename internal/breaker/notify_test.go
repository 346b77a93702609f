package breaker

import (
	"testing"
	"testing/synctest"
	"time"
)

func TestOnChangeSeesEveryTransitionInOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		start := time.Now()
		b := New(Settings{FailureThreshold: 2}, r.record)
		time.Sleep(trip(t, b))         // closed -> open at 0
		b.Done(mustAllow(t, b), false) // -> half-open, -> open at 30 s
		time.Sleep(b.RetryAfter())
		b.Done(mustAllow(t, b), true) // -> half-open, -> closed at 90 s
		b.Reset()                     // No change: no transition.
		s := time.Second
		want := []Transition{
			{Closed, Open, start, 2, 30 * s},
			{Open, HalfOpen, start.Add(30 * s), 0, 0},
			{HalfOpen, Open, start.Add(30 * s), 1, 60 * s},
			{Open, HalfOpen, start.Add(90 * s), 0, 0},
			{HalfOpen, Closed, start.Add(90 * s), 0, 0},
		}
		got := r.all()
		if len(got) != len(want) {
			t.Fatalf("got %d transitions %+v, want %d", len(got), got, len(want))
		}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("transition %d = %+v, want %+v", i, got[i], want[i])
			}
		}
	})
}

func TestOnChangeMayCallBack(t *testing.T) {
	var got []State
	var b *Breaker
	b = New(Settings{FailureThreshold: 1}, func(tr Transition) {
		got = append(got, tr.To)
		if tr.To == Open {
			_ = b.Snapshot()
			b.Reset() // Re-entrant: queued and delivered after this call returns.
		}
	})
	fail(t, b, 1)
	if len(got) != 2 || got[0] != Open || got[1] != Closed {
		t.Fatalf("states seen = %v, want [open closed]", got)
	}
	wantState(t, b, Closed)
}

func TestOnChangePanicDoesNotStopDelivery(t *testing.T) {
	var calls int
	b := New(Settings{FailureThreshold: 1}, func(Transition) {
		calls++
		if calls == 1 {
			panic("boom")
		}
	})
	func() {
		defer func() { _ = recover() }()
		fail(t, b, 1)
	}()
	b.Reset()
	if calls != 2 {
		t.Fatalf("onChange calls = %d, want 2: delivery stopped after a panic", calls)
	}
}

func TestResetFromOpenReports(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r recorder
		b := New(Settings{}, r.record)
		trip(t, b)
		b.Reset()
		wantState(t, b, Closed)
		if b.RetryAfter() != 0 {
			t.Fatal("RetryAfter after Reset should be 0")
		}
		ts := r.all()
		if len(ts) != 2 || ts[1].From != Open || ts[1].To != Closed {
			t.Fatalf("transitions = %+v, want open -> closed last", ts)
		}
		// Reset also clears the backoff: the next opening is the base period.
		if got := trip(t, b); got != 30*time.Second {
			t.Fatalf("open period after Reset = %v, want 30s", got)
		}
	})
}

func TestResetWhileClosedClearsCount(t *testing.T) {
	var r recorder
	b := New(Settings{}, r.record)
	fail(t, b, 4)
	b.Reset()
	fail(t, b, 4)
	wantState(t, b, Closed)
	if len(r.all()) != 0 {
		t.Fatalf("Reset of a closed breaker reported %+v", r.all())
	}
}
