package queue

import (
	"context"
	"testing"
)

// BenchmarkUncontended is the per-request cost with free slots: the common
// case, which must not allocate.
func BenchmarkUncontended(b *testing.B) {
	q := New(Settings{MaxConcurrent: maxCount})
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := q.Acquire(ctx); err != nil {
				b.Fatal(err)
			}
			q.Release()
		}
	})
}

// BenchmarkContended has every goroutine but one waiting, to show the cost
// of the slow path (a waiter, a channel and a timer per wait).
func BenchmarkContended(b *testing.B) {
	q := New(Settings{MaxConcurrent: 1, MaxQueueSize: 1 << 20})
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := q.Acquire(ctx); err != nil {
				b.Fatal(err)
			}
			q.Release()
		}
	})
}
