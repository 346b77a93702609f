package queue

import (
	"context"
	"testing"
)

// result is what one background Acquire returned.
type result struct {
	id  int
	err error
}

// acquireAsync starts Acquire in a goroutine and reports its result on ch.
// The caller waits for the goroutine through ch (or the synctest bubble).
func acquireAsync(ctx context.Context, q *Queue, id int, ch chan<- result) {
	go func() { ch <- result{id, q.Acquire(ctx)} }()
}

func mustAcquire(t *testing.T, q *Queue) {
	t.Helper()
	if err := q.Acquire(context.Background()); err != nil {
		t.Fatalf("Acquire: %v", err)
	}
}

// wantSnapshot checks the live counts and the counters together.
func wantSnapshot(t *testing.T, q *Queue, want Snapshot) {
	t.Helper()
	got := q.Snapshot()
	got.Settings = Settings{}
	if got != want {
		t.Fatalf("Snapshot = %+v, want %+v", got, want)
	}
}
