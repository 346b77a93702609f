package cluster

import (
	"math"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// trafficMember joins a replica that publishes rec's primary traffic.
func trafficMember(t *testing.T, endpoints []string, name string, rec *stats.Recorder) (*Member, *Traffic) {
	t.Helper()
	var shared atomic.Pointer[Traffic]
	m := join(t, endpoints, name, Options{Stats: func() Routes {
		if tr := shared.Load(); tr != nil {
			return tr.Summarise()
		}
		return nil
	}, Buckets: func() *WindowBuckets {
		if tr := shared.Load(); tr != nil {
			return tr.Buckets()
		}
		return nil
	}})
	tr := m.Traffic(rec, 0)
	shared.Store(tr)
	return m, tr
}

func newRecorder() *stats.Recorder {
	return stats.NewRecorder([]string{"primary"}, []string{"search", "session"},
		stats.WindowSettings{Buckets: 10, BucketWidth: time.Second, MinVolume: 5})
}

func record(rec *stats.Recorder, route, n int, o stats.Outcome, d time.Duration) {
	for range n {
		rec.Record(0, route, o, d, time.Now())
	}
}

// TestDeciderJudgesEveryReplicasTraffic: only the follower sees the
// primary fail, and the decider's error-rate signal reads those failures;
// once the follower dies, its figures expire with its lease.
func TestDeciderJudgesEveryReplicasTraffic(t *testing.T) {
	e := startEtcd(t)
	recs := map[string]*stats.Recorder{"a": newRecorder(), "b": newRecorder()}
	ma, ta := trafficMember(t, e.Endpoints(), "a", recs["a"])
	mb, tb := trafficMember(t, e.Endpoints(), "b", recs["b"])
	d, dt, follower, frec := ma, ta, mb, recs["b"]
	if decider(t, ma, mb) == mb {
		d, dt, follower, frec = mb, tb, ma, recs["a"]
	}
	record(recs[d.Name()], 0, 10, stats.OK, 10*time.Millisecond)
	record(frec, 0, 20, stats.ServerError, 100*time.Millisecond)
	rate, latency := signal.ErrorRate(dt, 0, nil), signal.AvgLatency(dt, 0, []int{0})
	if r := rate.Read(t.Context(), time.Now()); !r.Valid || r.Value != 0 {
		t.Fatalf("before any refresh the decider reads its own traffic: %+v", r)
	}
	waitFor(t, "the follower's failures in the decider's signal", func() bool {
		_ = dt.Refresh(ctx(t))
		r := rate.Read(t.Context(), time.Now())
		return r.Valid && math.Abs(r.Value-20.0/30) < 1e-9
	})
	if r := latency.Read(t.Context(), time.Now()); !r.Valid || r.Value != 70 {
		t.Fatalf("cluster average latency: want 70 ms, got %+v", r)
	}
	if sum := dt.Window(0, 1, time.Now()); sum.Requests != 0 || sum.Enough {
		t.Fatalf("an idle route reads as idle: %+v", sum)
	}
	kill(follower)
	waitFor(t, "the dead follower's failures expire", func() bool {
		_ = dt.Refresh(ctx(t))
		r := rate.Read(t.Context(), time.Now())
		return r.Valid && r.Value == 0
	})
}

// TestTrafficSummariseMatchesRecorder: a published summary carries the
// recorder's counts and latencies, and leaves idle routes out.
func TestTrafficSummariseMatchesRecorder(t *testing.T) {
	e := startEtcd(t)
	rec := newRecorder()
	_, tr := trafficMember(t, e.Endpoints(), "a", rec)
	record(rec, 1, 3, stats.OK, 20*time.Millisecond)
	record(rec, 1, 1, stats.Timeout, 3*time.Second)
	record(rec, 1, 2, stats.ClientGone, time.Millisecond)
	got := tr.Summarise()
	s, ok := got["session"]
	if len(got) != 1 || !ok {
		t.Fatalf("want only the busy route, got %+v", got)
	}
	if s.Requests != 6 || s.Judged != 4 || s.Failures != 1 {
		t.Fatalf("counts: %+v", s)
	}
	if s.Latency[Bucket(20*time.Millisecond)] != 3 || s.Latency[Bucket(3*time.Second)] != 1 {
		t.Fatalf("latency buckets: %v", s.Latency)
	}
}

// TestBaselineLearnsEveryReplicasTraffic: the decider serves nothing, and
// its latency baseline learns the follower's latency from the cluster's
// traffic.
func TestBaselineLearnsEveryReplicasTraffic(t *testing.T) {
	e := startEtcd(t)
	recs := map[string]*stats.Recorder{"a": newRecorder(), "b": newRecorder()}
	ma, ta := trafficMember(t, e.Endpoints(), "a", recs["a"])
	mb, tb := trafficMember(t, e.Endpoints(), "b", recs["b"])
	dt, frec := ta, recs["b"]
	if decider(t, ma, mb) == mb {
		dt, frec = tb, recs["a"]
	}
	record(frec, 0, 20, stats.OK, 80*time.Millisecond)
	b, err := signal.NewBaseline(dt, 0, []int{0}, signal.BaselineSettings{MinSamples: 1})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the follower's requests in the decider's traffic", func() bool {
		_ = dt.Refresh(ctx(t))
		return dt.Window(0, 0, time.Now()).Enough
	})
	b.Learn(time.Now())
	if got, ok := b.Value(0); !ok || got != 80*time.Millisecond {
		t.Fatalf("the baseline learnt %v (ready %v), want the follower's 80ms", got, ok)
	}
}
