package journal_test

import (
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/cluster"
	"github.com/lifeboat-sre/lifeboat/internal/etcdtest"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
)

// BenchmarkAckLatencyEtcd measures what a client waits for a journaled
// session write to be acknowledged through the journal's transport, as
// the gateway serves it: on the local file (write, fsync) in a single
// process, and in cluster mode on the shared log in a real etcd that
// fsyncs as production etcd does (append, commit, watch, apply), first
// one node, then three, where a commit also waits for a peer's fsync over
// the loopback network. All on the same disk and CPUs, one writer, p50
// and p99: three members sharing one disk make this a floor for a
// quorum's cost, not a production figure.
func BenchmarkAckLatencyEtcd(b *testing.B) {
	b.Run("local-file", func(b *testing.B) { ackLatency(b, journal.Options{}) })
	b.Run("etcd", func(b *testing.B) {
		e, err := etcdtest.Start(b.TempDir(), etcdtest.Options{Fsync: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(e.Close)
		ackLatencyEtcd(b, e.Endpoints())
	})
	b.Run("etcd-3-nodes", func(b *testing.B) {
		c, err := etcdtest.StartCluster(b.TempDir(), 3, etcdtest.Options{Fsync: true})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(c.Close)
		ackLatencyEtcd(b, c.Endpoints())
	})
}

// ackLatencyEtcd joins the etcd at endpoints and measures the journal on
// its shared log.
func ackLatencyEtcd(b *testing.B, endpoints []string) {
	m, err := cluster.Join(b.Context(), cluster.Settings{Etcd: cluster.Etcd{Endpoints: endpoints}, Name: "bench"}, cluster.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = m.Close() })
	ackLatency(b, journal.Options{Shared: m.JournalLog()})
}

// ackLatency opens a journal with o in a temporary directory and times
// one message write after another to one session.
func ackLatency(b *testing.B, o journal.Options) {
	o.Path = filepath.Join(b.TempDir(), "journal.log")
	j, err := journal.Open(o)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = j.Close() })
	rt := j.Transport(nil)
	write(b, rt, "/api/v1/sessions", `{"session_id":"s"}`)
	var took []time.Duration
	for b.Loop() {
		start := time.Now()
		write(b, rt, "/api/v1/sessions/s/messages", `{"role":"user","content":"a message of a typical length for a chat turn"}`)
		took = append(took, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-us")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-us")
}

// write posts body to path through rt and fails unless it is acknowledged.
func write(b *testing.B, rt http.RoundTripper, path, body string) {
	req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, "http://primary"+path, strings.NewReader(body))
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := rt.RoundTrip(req)
	if err != nil {
		b.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d", path, resp.StatusCode)
	}
}
