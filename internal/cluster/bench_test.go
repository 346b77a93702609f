package cluster

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
)

// BenchmarkAppend measures how long a journaled write waits for its
// acknowledgement: in etcd (fsynced, as in production) against appending
// and fsyncing a local file, which is what the single process does.
func BenchmarkAppend(b *testing.B) {
	payload := make([]byte, 1024)
	b.Run("etcd", func(b *testing.B) {
		e, err := etcdtest.Start(b.TempDir(), etcdtest.Options{Fsync: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(e.Close)
		m := join(b, e.Endpoints(), "bench", Options{})
		latencies(b, func() error {
			_, err := m.Append(b.Context(), "session", payload)
			return err
		})
	})
	b.Run("local-file", func(b *testing.B) {
		f, err := os.Create(filepath.Join(b.TempDir(), "journal"))
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = f.Close() })
		latencies(b, func() error {
			if _, err := f.Write(payload); err != nil {
				return err
			}
			return f.Sync()
		})
	})
}

// latencies runs op b.N times and reports its p50 and p99.
func latencies(b *testing.B, op func() error) {
	took := make([]time.Duration, 0, b.N)
	for b.Loop() {
		start := time.Now()
		if err := op(); err != nil {
			b.Fatal(err)
		}
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkTakeOver measures the time from the decider's death (kill -9:
// no resignation) to another replica deciding, with a one-second lease,
// on one etcd node and on three, where the new decider's campaign commits
// through a quorum.
func BenchmarkTakeOver(b *testing.B) {
	b.Run("etcd", func(b *testing.B) {
		e, err := etcdtest.Start(b.TempDir(), etcdtest.Options{})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(e.Close)
		takeOver(b, e.Endpoints())
	})
	b.Run("etcd-3-nodes", func(b *testing.B) {
		takeOver(b, startEtcdCluster(b, 3, etcdtest.Options{}).Endpoints())
	})
}

// takeOver kills the decider of two replicas on the etcd at endpoints,
// again and again, and reports the mean time to the next decider.
func takeOver(b *testing.B, endpoints []string) {
	var total time.Duration
	n := 0
	for b.Loop() {
		b.StopTimer()
		x := join(b, endpoints, "x", Options{})
		y := join(b, endpoints, "y", Options{})
		first := decider(b, x, y)
		next := map[*Member]*Member{x: y, y: x}[first]
		b.StartTimer()
		kill(first)
		total += waitFor(b, "a new decider", next.IsDecider)
		n++
		b.StopTimer()
		_ = next.Close()
		b.StartTimer()
	}
	b.ReportMetric(total.Seconds()/float64(n), "s/takeover")
}

// BenchmarkMirrorPublishPerEntry measures what publishing on every
// timeline entry costs the decider: one entry recorded, then the whole
// incident exported and put in etcd (fsynced), against the timeline's
// length. Run it with a fixed -benchtime (such as 200x), since every
// iteration lengthens the timeline by one.
func BenchmarkMirrorPublishPerEntry(b *testing.B) {
	for _, n := range []int{10, 100, 1000, 5000} {
		b.Run(fmt.Sprintf("timeline-%d", n), func(b *testing.B) {
			e, err := etcdtest.Start(b.TempDir(), etcdtest.Options{Fsync: true})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(e.Close)
			m := join(b, e.Endpoints(), "bench", Options{})
			waitFor(b, "the bench replica decides", m.IsDecider)
			r := newReplicaRecord(b, m)
			r.emit(b, opened(mirrorT0))
			for i := range n - 1 {
				r.rec.Emit(note(mirrorT0.Add(time.Duration(i)*time.Millisecond), "entry"))
			}
			id, _ := r.rec.Current()
			latencies(b, func() error {
				r.emit(b, note(mirrorT0.Add(time.Hour), "one more"))
				_, err := r.mirror.Publish(b.Context(), id)
				return err
			})
			b.ReportMetric(float64(len(r.mirror.put[id]))/1024, "doc-KiB")
		})
	}
}
