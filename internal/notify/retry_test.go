package notify

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"
)

var errFlaky = errors.New("flaky")

// timedRecorder records when (in fake time) each attempt happened.
type timedRecorder struct {
	recorder
	at []time.Time
}

func (r *timedRecorder) Notify(ctx context.Context, n Notice) error {
	r.at = append(r.at, time.Now())
	return r.recorder.Notify(ctx, n)
}

func noJitter(time.Duration) time.Duration { return 0 }

func TestRetryBacksOffExponentiallyUpToMax(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &timedRecorder{recorder: recorder{name: "r", errs: []error{errFlaky, errFlaky, errFlaky, errFlaky}}}
		r := Retry(rec, 5, time.Second, 3*time.Second)
		r.Jitter = noJitter
		start := time.Now()
		n, err := r.NotifyAttempts(context.Background(), sample())
		if err != nil || n != 5 {
			t.Fatalf("attempts %d, err %v", n, err)
		}
		want := []time.Duration{0, time.Second, 3 * time.Second, 6 * time.Second, 9 * time.Second}
		for i, at := range rec.at {
			if at.Sub(start) != want[i] {
				t.Fatalf("attempt %d at %s, want %s", i+1, at.Sub(start), want[i])
			}
		}
	})
}

func TestRetryGivesUpAfterAttempts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rec := &recorder{name: "r", errs: []error{errFlaky, errFlaky, errFlaky}}
		n, err := Retry(rec, 3, time.Second, time.Minute).NotifyAttempts(context.Background(), sample())
		if n != 3 || !errors.Is(err, errFlaky) || len(rec.notices()) != 3 {
			t.Fatalf("attempts %d, err %v", n, err)
		}
	})
}

func TestRetryStopsOnPermanent(t *testing.T) {
	rec := &recorder{name: "r", errs: []error{fmt.Errorf("%w: no", ErrPermanent)}}
	n, err := Retry(rec, 5, time.Hour, 0).NotifyAttempts(context.Background(), sample())
	if n != 1 || !errors.Is(err, ErrPermanent) {
		t.Fatalf("attempts %d, err %v", n, err)
	}
}

func TestRetryHonoursContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		rec := &recorder{name: "r", errs: []error{errFlaky, errFlaky, errFlaky}}
		start := time.Now()
		n, err := Retry(rec, 3, time.Minute, 0).NotifyAttempts(ctx, sample())
		if n != 2 || !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, errFlaky) {
			t.Fatalf("attempts %d, err %v", n, err)
		}
		if d := time.Since(start); d != 90*time.Second {
			t.Fatalf("returned after %s, want at the deadline", d)
		}
	})
}

func TestRetryAfterLengthensPauseWithinMax(t *testing.T) {
	r := Retry(&recorder{}, 3, time.Second, time.Minute)
	r.Jitter = noJitter
	if d := r.pause(1, &statusError{code: 429, retryAfter: 20 * time.Second}); d != 20*time.Second {
		t.Fatalf("pause = %s", d)
	}
	if d := r.pause(1, &statusError{code: 429, retryAfter: time.Hour}); d != time.Minute {
		t.Fatalf("pause = %s, want capped at max", d)
	}
	if d := Retry(&recorder{}, 3, time.Hour, 0).pause(40, errFlaky); d <= 0 {
		t.Fatalf("uncapped pause overflowed: %s", d)
	}
}

func TestDefaultJitterIsSmall(t *testing.T) {
	r := Retry(&recorder{}, 2, time.Second, 0)
	for range 100 {
		if d := r.pause(1, errFlaky); d < time.Second || d >= 1100*time.Millisecond {
			t.Fatalf("pause with jitter = %s", d)
		}
	}
}

// Retries against real receivers: 500 and 429 are retried, 400 is not.
func TestRetryOverHTTP(t *testing.T) {
	cases := []struct {
		statuses []int
		attempts int
		ok       bool
	}{
		{[]int{500, 500, 202}, 3, true},
		{[]int{429, 202}, 2, true},
		{[]int{400, 202}, 1, false},
		{[]int{503}, 3, false},
	}
	for _, c := range cases {
		r := newReceiver(t, c.statuses...)
		rt := Retry(PagerDuty{RoutingKey: "R0UTINGKEY0123456789", URL: r.URL}, 3, time.Millisecond, 5*time.Millisecond)
		n, err := rt.NotifyAttempts(context.Background(), sample())
		if n != c.attempts || len(r.got()) != c.attempts || (err == nil) != c.ok {
			t.Errorf("%v: attempts %d, hits %d, err %v", c.statuses, n, len(r.got()), err)
		}
		if rt.Name() != "pagerduty" {
			t.Fatalf("Name = %q", rt.Name())
		}
	}
}
