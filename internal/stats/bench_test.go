package stats

import (
	"errors"
	"testing"
	"time"
)

func BenchmarkRecordParallel(b *testing.B) {
	r := NewRecorder([]string{"openviking", "smp"}, []string{"search", "sessions", "other"}, WindowSettings{})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			r.Record(i&1, i%3, Outcome(i%NumOutcomes), time.Duration(i)*time.Microsecond, time.Now())
		}
	})
}

func BenchmarkRecordSamePair(b *testing.B) {
	w := NewWindow(WindowSettings{})
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			w.Record(OK, 2*time.Millisecond, time.Now())
		}
	})
}

func BenchmarkClassify(b *testing.B) {
	err := errors.New("malformed HTTP response")
	b.ReportAllocs()
	for b.Loop() {
		_ = Classify(0, err, false)
	}
}

func BenchmarkUpstreamSummary(b *testing.B) {
	r := NewRecorder([]string{"openviking"}, []string{"search", "sessions", "other"}, WindowSettings{})
	now := time.Now()
	for i := range 10000 {
		r.Record(0, i%3, OK, time.Duration(i)*time.Microsecond, now)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = r.Upstream(0, []int{0, 1}, now)
	}
}
