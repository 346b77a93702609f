package cluster

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// TestSlicesMergeEveryReplicasBuckets: two followers fill different
// buckets of the window, and the decider, which serves nothing, reads both
// in the right buckets; once one follower dies, its buckets expire with
// its lease and the onset is the other's first bad bucket.
func TestSlicesMergeEveryReplicasBuckets(t *testing.T) {
	e := startEtcd(t)
	names := []string{"a", "b", "c"}
	ms, ts, recs := map[string]*Member{}, map[*Member]*Traffic{}, map[*Member]*stats.Recorder{}
	for _, n := range names {
		rec := stats.NewRecorder([]string{"primary"}, []string{"search", "session"},
			stats.WindowSettings{Buckets: 30, BucketWidth: time.Second, MinVolume: 5})
		m, tr := trafficMember(t, e.Endpoints(), n, rec)
		ms[n], ts[m], recs[m] = m, tr, rec
	}
	d := decider(t, ms["a"], ms["b"], ms["c"])
	var followers []*Member
	for _, n := range names {
		if ms[n] != d {
			followers = append(followers, ms[n])
		}
	}
	failing, healthy := followers[0], followers[1]
	start := time.Now()
	badAt, okAt := start.Add(-4*time.Second), start.Add(-2*time.Second)
	for range 10 {
		recs[failing].Record(0, 0, stats.ServerError, 100*time.Millisecond, badAt)
	}
	for range 5 {
		recs[healthy].Record(0, 1, stats.OK, 10*time.Millisecond, okAt)
	}
	dt := ts[d]
	waitFor(t, "both followers' buckets at the decider", func() bool {
		_ = dt.Refresh(ctx(t))
		return judged(dt.Slices(0, nil, time.Now())) == 15
	})
	now := time.Now()
	all := dt.Slices(0, nil, now)
	if b := holding(all, badAt); b.Judged() != 10 || b.Failures() != 10 || b.AvgLatency != 100*time.Millisecond {
		t.Fatalf("the failing follower's bucket: %+v", b)
	}
	if b := holding(all, okAt); b.Judged() != 5 || b.Failures() != 0 || b.AvgLatency != 10*time.Millisecond {
		t.Fatalf("the healthy follower's bucket: %+v", b)
	}
	if n := judged(dt.Slices(0, []int{0}, now)); n != 10 {
		t.Fatalf("route search alone: %d judged, want the failing follower's 10", n)
	}
	rate := signal.ErrorRate(dt, 0, nil)
	bad := func(v float64) bool { return v > 0.5 }
	if on := rate.Onset(now, bad); !on.IsZero() {
		t.Fatalf("the newest busy bucket is healthy, yet onset %v", on)
	}
	kill(healthy)
	waitFor(t, "the dead follower's buckets expire", func() bool {
		_ = dt.Refresh(ctx(t))
		return judged(dt.Slices(0, nil, time.Now())) == 10
	})
	want := badAt.Truncate(time.Second).Add(-100 * time.Millisecond)
	if on := rate.Onset(time.Now(), bad); !on.Equal(want) {
		t.Fatalf("onset %v, want the failing follower's first bad bucket less its latency, %v", on, want)
	}
}

// judged counts the judged requests of every slice.
func judged(sl []stats.Slice) int64 {
	var n int64
	for _, s := range sl {
		n += s.Judged()
	}
	return n
}

// holding is the slice whose bucket holds at.
func holding(sl []stats.Slice, at time.Time) stats.Slice {
	for _, s := range sl {
		if !at.Before(s.Start) && at.Sub(s.Start) < time.Second {
			return s
		}
	}
	return stats.Slice{}
}

// TestSlotPlacesByStart: a bucket lands in the decider's bucket where it
// starts, also when the publisher's buckets are narrower or older than
// the window.
func TestSlotPlacesByStart(t *testing.T) {
	first := time.Unix(1000, 0)
	for _, c := range []struct {
		start time.Duration
		want  int
	}{{0, 0}, {time.Second, 1}, {1500 * time.Millisecond, 1}, {-500 * time.Millisecond, -1}, {-time.Second, -1}} {
		if got := slot(first, time.Second, first.Add(c.start).UnixNano()); got != c.want {
			t.Errorf("start %v: slot %d, want %d", c.start, got, c.want)
		}
	}
}

// TestBucketStatsRoundTrip: the array encoding keeps every figure, the
// latency to the millisecond.
func TestBucketStatsRoundTrip(t *testing.T) {
	in := BucketStats{Index: 3, Judged: 40, Failures: 7, LatencySum: 4321 * time.Millisecond}
	doc, err := json.Marshal(in)
	if err != nil || string(doc) != "[3,40,7,4321]" {
		t.Fatalf("encoded %s, %v", doc, err)
	}
	var out BucketStats
	if err := json.Unmarshal(doc, &out); err != nil || out != in {
		t.Fatalf("decoded %+v, %v", out, err)
	}
}

// TestPublishedRecordStaysSmall measures a replica's published record for
// the default route classes and window at its largest: every route busy
// in every bucket, with four-digit counts. It is written every
// cluster.interval, so it must stay a few kilobytes.
func TestPublishedRecordStaysSmall(t *testing.T) {
	rec := stats.NewRecorder([]string{"primary"}, route.New(route.Defaults()).Names(), stats.WindowSettings{})
	now := time.Now()
	for i := range stats.DefaultBuckets {
		at := now.Add(-time.Duration(i) * stats.DefaultBucketWidth)
		for r := range rec.Routes() {
			for n := range 1000 {
				o := stats.OK
				if n%7 == 0 {
					o = stats.ServerError
				}
				rec.Record(0, r, o, time.Duration(50+n)*time.Millisecond, at)
			}
		}
	}
	tr := (&Member{}).Traffic(rec, 0)
	summary, _ := json.Marshal(Stats{Replica: "gw-a", At: now, Routes: tr.Summarise()})
	full, _ := json.Marshal(Stats{Replica: "gw-a", At: now, Routes: tr.Summarise(), Buckets: tr.Buckets()})
	t.Logf("%d routes, %d buckets: %d bytes with the buckets, %d without", len(rec.Routes()), stats.DefaultBuckets, len(full), len(summary))
	if len(full) > 4096 {
		t.Fatalf("the published record grew to %d bytes", len(full))
	}
}
