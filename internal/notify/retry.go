package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// Retrier wraps a Notifier with exponential backoff between attempts.
// Errors wrapping ErrPermanent are not retried. Build it with Retry.
type Retrier struct {
	next     Notifier
	attempts int
	backoff  time.Duration
	max      time.Duration
	// Jitter returns the extra pause added to a backoff d, so that many
	// incidents do not retry in lockstep. Default: up to 10% of d at
	// random. Tests set it to return 0.
	Jitter func(d time.Duration) time.Duration
}

// Retry wraps n: up to attempts tries (at least 1), pausing backoff, then
// twice that, and so on, never more than max (max ≤ 0: no cap). A 429 or
// 503 answer's Retry-After lengthens the pause, still within max.
func Retry(n Notifier, attempts int, backoff, max time.Duration) *Retrier {
	return &Retrier{next: n, attempts: attemptsOr1(attempts), backoff: backoff, max: max}
}

func attemptsOr1(n int) int {
	if n < 1 {
		return 1
	}
	return n
}

// Name is the wrapped notifier's name.
func (r *Retrier) Name() string { return r.next.Name() }

// Notify tries until success, a permanent error, the last attempt or ctx.
func (r *Retrier) Notify(ctx context.Context, n Notice) error {
	_, err := r.NotifyAttempts(ctx, n)
	return err
}

// NotifyAttempts is Notify that also says how many attempts it made.
func (r *Retrier) NotifyAttempts(ctx context.Context, n Notice) (int, error) {
	for i := 1; ; i++ {
		err := r.next.Notify(ctx, n)
		if err == nil || errors.Is(err, ErrPermanent) {
			return i, err
		}
		if i == r.attempts {
			return i, fmt.Errorf("gave up after %d attempts: %w", i, err)
		}
		if werr := wait(ctx, r.pause(i, err)); werr != nil {
			return i, fmt.Errorf("stopped after %d attempts (%w): %w", i, werr, err)
		}
	}
}

// pause is the wait after attempt i (1-based).
func (r *Retrier) pause(i int, err error) time.Duration {
	d := r.backoff
	for j := 1; j < i && d < r.capOr(time.Duration(1)<<55); j++ {
		d *= 2
	}
	var se *statusError
	if errors.As(err, &se) && se.retryAfter > d {
		d = se.retryAfter
	}
	d += r.jitter(d)
	if r.max > 0 && d > r.max {
		d = r.max
	}
	return max(d, 0)
}

// capOr is max, or def when there is no cap; it keeps doubling from
// overflowing.
func (r *Retrier) capOr(def time.Duration) time.Duration {
	if r.max > 0 {
		return r.max
	}
	return def
}

func (r *Retrier) jitter(d time.Duration) time.Duration {
	if r.Jitter != nil {
		return r.Jitter(d)
	}
	if d < 10 {
		return 0
	}
	return rand.N(d / 10)
}

// wait pauses for d unless ctx ends first.
func wait(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
