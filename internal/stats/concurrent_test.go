package stats

import (
	"sync"
	"testing"
	"time"
)

// TestConcurrentRecordLosesNothing has goroutines walk through time in step,
// so they keep meeting at bucket rotations, and checks that the window
// counts every request exactly, round after round of bucket reuse.
func TestConcurrentRecordLosesNothing(t *testing.T) {
	const goroutines, perRound, rounds = 8, 2000, 5
	w := NewWindow(WindowSettings{}) // 12 x 5s
	for round := range rounds {
		start := at(time.Duration(round) * 100 * time.Second)
		var wg sync.WaitGroup
		for g := range goroutines {
			wg.Go(func() {
				for i := range perRound {
					step := 50 * time.Second * time.Duration(i) / perRound
					w.Record(Outcome(i%NumOutcomes), time.Duration(g)*time.Millisecond, start.Add(step))
				}
			})
		}
		wg.Go(func() { // A reader racing the writers.
			for i := range 100 {
				_ = w.Summary(start.Add(time.Duration(i) * 500 * time.Millisecond))
			}
		})
		wg.Wait()
		if got := w.Summary(start.Add(54 * time.Second)).Requests; got != goroutines*perRound {
			t.Fatalf("round %d: window holds %d requests, want %d", round, got, goroutines*perRound)
		}
	}
	if got := w.Totals().Requests; got != goroutines*perRound*rounds {
		t.Errorf("Totals().Requests = %d, want %d", got, goroutines*perRound*rounds)
	}
}

func TestRecordDoesNotAllocate(t *testing.T) {
	r := newTestRecorder()
	allocs := testing.AllocsPerRun(1000, func() {
		r.Record(1, 2, ServerError, 3*time.Millisecond, time.Now())
	})
	if allocs != 0 {
		t.Errorf("Record allocates %.1f times per call, want 0", allocs)
	}
}
