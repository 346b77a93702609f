package journal

import (
	"slices"
	"testing"
	"time"
)

// BenchmarkAckLatency measures how long a client waits for an
// acknowledgement: on the local file (write, fsync) and in the shared
// mode on MemShared (append, apply by the follower), reporting the median
// and the 99th percentile, to compare with a real shared log later.
func BenchmarkAckLatency(b *testing.B) {
	for _, mode := range []struct {
		name string
		opt  func(*Options)
	}{
		{"local", func(*Options) {}},
		{"shared", func(o *Options) { o.Shared = NewMemShared(0) }},
	} {
		b.Run(mode.name, func(b *testing.B) {
			j := openAt(b, journalPath(b), nil, mode.opt)
			m := Message{Role: "user", Content: "a message of a typical length for a chat turn"}
			var took []time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := j.addMessage(tenant{}, "s", m, nil); err != nil {
					b.Fatal(err)
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-us")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-us")
		})
	}
}
