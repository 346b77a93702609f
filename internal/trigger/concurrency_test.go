package trigger

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
)

// slow is a source that takes d to answer, or gives up when ctx ends.
type slow struct {
	d time.Duration
	v float64
}

func (s slow) Read(ctx context.Context, _ time.Time) signal.Reading {
	select {
	case <-time.After(s.d):
		return signal.Reading{Value: s.v, Valid: true, Unit: "percent"}
	case <-ctx.Done():
		return signal.Reading{Unit: "percent", Err: ctx.Err()}
	}
}

func TestEvaluateReadsConcurrently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		rules := make([]Rule, 10)
		for i := range rules {
			rules[i] = Rule{Name: string(rune('a' + i)), Kind: Immediate, Source: slow{d: time.Second, v: 95}, Op: Above, Threshold: 90}
		}
		rules[9].Source = slow{d: time.Hour, v: 95} // stuck: only ctx ends it
		set, err := NewSet(rules)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()

		start := time.Now()
		var trs []Transition
		done := make(chan struct{})
		go func() {
			defer close(done)
			trs = set.Evaluate(ctx, start, 1)
		}()
		synctest.Wait() // every source is now blocked reading
		// Status does not wait for the sources.
		if st := set.Status(); st[0].State != Inactive {
			t.Fatalf("state changed before the readings arrived: %+v", st[0])
		}
		<-done
		if took := time.Since(start); took != 2*time.Second {
			t.Fatalf("Evaluate took %s, want the 2s ctx bound (sources read in parallel)", took)
		}
		if len(trs) != 9 {
			t.Fatalf("%d transitions, want 9 fired", len(trs))
		}
		stuck := set.Status()[9]
		if stuck.State != Inactive || stuck.Valid || stuck.Error == "" {
			t.Fatalf("the timed-out source should leave its trigger alone: %+v", stuck)
		}
	})
}
