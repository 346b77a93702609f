package breaker

import (
	"testing"
	"time"
)

// BenchmarkClosedAllowDone is the per-request cost on a healthy upstream.
func BenchmarkClosedAllowDone(b *testing.B) {
	br := New(Settings{}, nil)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tk, err := br.Allow()
			if err != nil {
				b.Fatal(err)
			}
			br.Done(tk, true)
		}
	})
}

// BenchmarkOpenReject is the per-request cost while the upstream is down.
func BenchmarkOpenReject(b *testing.B) {
	br := New(Settings{FailureThreshold: 1, RecoveryTimeout: time.Hour}, nil)
	tk, _ := br.Allow()
	br.Done(tk, false)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := br.Allow(); err == nil {
				b.Fatal("admitted while open")
			}
		}
	})
}
