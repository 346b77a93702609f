package history

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

func TestDowntimeThreeFailingSecondsOfSixty(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := openDB(t, t.TempDir())
		defer db.Close()
		start := time.Now()
		sm := newSampler(t, db, newScripted(steady(20, 21, 45)), Settings{BatchSize: 7})
		runFor(sm, 60*time.Second+500*time.Millisecond)

		down, ok := sm.Downtime(start, start.Add(60*time.Second))
		if !ok || down != 3*time.Second {
			t.Errorf("Downtime = %v, %v; want 3s, true", down, ok)
		}
		// Clipping: the range starts half way through the second failing
		// interval (20s-21s) and ends before the third.
		down, ok = sm.Downtime(start.Add(20500*time.Millisecond), start.Add(40*time.Second))
		if !ok || down != 500*time.Millisecond {
			t.Errorf("clipped Downtime = %v, %v; want 500ms, true", down, ok)
		}
		if _, ok := sm.Downtime(start.Add(time.Hour), start.Add(2*time.Hour)); ok {
			t.Error("Downtime claims to cover a range without samples")
		}
	})
}

func TestDowntimeOf(t *testing.T) {
	base := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	fail := []Figures{{Target: Client, Requests: 2, Failures: 1, Judged: 2}}
	primaryOnly := []Figures{{Target: Primary, Requests: 2, Failures: 2, Judged: 2}}
	samples := []Sample{
		{Time: base.Add(5 * time.Second), Interval: 5 * time.Second, Targets: fail},
		{Time: base.Add(10 * time.Second), Interval: 5 * time.Second, Targets: primaryOnly},
		{Time: base.Add(15 * time.Second), Interval: 5 * time.Second, Targets: fail},
	}
	cases := []struct {
		name       string
		start, end time.Duration
		want       time.Duration
		covered    bool
	}{
		{"all", 0, 15 * time.Second, 10 * time.Second, true},
		{"primary failures are not user-visible", 5 * time.Second, 10 * time.Second, 0, true},
		{"clipped both ends", 3 * time.Second, 12 * time.Second, 4 * time.Second, true},
		{"before the samples", -time.Minute, -time.Second, 0, false},
		{"empty range", 5 * time.Second, 5 * time.Second, 0, false},
	}
	for _, c := range cases {
		got, ok := DowntimeOf(samples, base.Add(c.start), base.Add(c.end))
		if got != c.want || ok != c.covered {
			t.Errorf("%s: got %v, %v; want %v, %v", c.name, got, ok, c.want, c.covered)
		}
	}
}

func TestRangeMergesPendingAndStored(t *testing.T) {
	db := openDB(t, t.TempDir())
	defer db.Close()
	sm := newSampler(t, db, newScripted(steady()), Settings{BatchSize: 100})
	base := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	for i := range 4 {
		sm.take(context.Background(), base.Add(time.Duration(i)*time.Second))
	}
	if err := sm.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i := 4; i < 7; i++ {
		sm.take(context.Background(), base.Add(time.Duration(i)*time.Second))
	}
	got, err := sm.Range(context.Background(), base, base.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 6 {
		t.Fatalf("got %d samples, want 3 stored + 3 pending", len(got))
	}
	for i, smp := range got {
		if want := base.Add(time.Duration(i+1) * time.Second); !smp.Time.Equal(want) {
			t.Errorf("sample %d at %v, want %v", i, smp.Time, want)
		}
	}
	// A range boundary inside an interval includes that interval.
	got, _ = sm.Range(context.Background(), base.Add(2500*time.Millisecond), base.Add(4500*time.Millisecond))
	if len(got) != 3 || !got[0].Time.Equal(base.Add(3*time.Second)) {
		t.Errorf("partial range gave %d samples from %v, want 3 from +3s", len(got), got)
	}
}

func TestBaseline(t *testing.T) {
	db := openDB(t, t.TempDir())
	defer db.Close()
	src := newScripted(steady(3))
	cpu := 40.0
	src.cpu = &cpu
	sm := newSampler(t, db, src, Settings{})
	base := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	for i := range 11 {
		sm.take(context.Background(), base.Add(time.Duration(i)*time.Second))
	}
	sum, err := sm.Baseline(context.Background(), base.Add(10*time.Second), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c := sum.Target(Client)
	if sum.Samples != 10 || sum.Covered != 10*time.Second || c.Requests != 100 || c.Failures != 4 {
		t.Fatalf("summary %+v, client %+v", sum, c)
	}
	if c.Throughput != 10 || c.ErrorRate != 0.04 {
		t.Errorf("throughput %v rps, error rate %v; want 10, 0.04", c.Throughput, c.ErrorRate)
	}
	// Nine intervals at 50ms and one at 300ms, ten judged requests each.
	if c.AvgLatency != 75*time.Millisecond || c.MaxP99 != 900*time.Millisecond {
		t.Errorf("avg %v, max p99 %v; want 75ms, 900ms", c.AvgLatency, c.MaxP99)
	}
	if sum.CPU == nil || sum.CPU.Mean != 40 || sum.Memory != nil {
		t.Errorf("resources cpu %+v memory %+v; want cpu mean 40, no memory", sum.CPU, sum.Memory)
	}
}

func TestDeltasRestartFromZeroWhenTotalsShrink(t *testing.T) {
	var d deltas
	base := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	read := func(req, fail int64) Reading {
		return Reading{Targets: []TargetReading{{Name: Client, Totals: stats.Counts{Requests: req, OK: req - fail, ServerErrors: fail}}}}
	}
	if _, ok := d.next(base, read(100, 5)); ok {
		t.Error("the first reading made a sample")
	}
	s, _ := d.next(base.Add(time.Second), read(130, 5))
	if f := s.Target(Client); f.Requests != 30 || f.Failures != 0 {
		t.Errorf("delta %+v, want 30 requests, 0 failures", f)
	}
	s, _ = d.next(base.Add(2*time.Second), read(7, 2))
	if f := s.Target(Client); f.Requests != 7 || f.Failures != 2 {
		t.Errorf("after a reset %+v, want 7 requests, 2 failures", f)
	}
	s, _ = d.next(base.Add(3*time.Second), read(7, 2))
	if len(s.Targets) != 0 {
		t.Errorf("an idle interval kept targets %+v", s.Targets)
	}
}

func TestRecorderSource(t *testing.T) {
	rec := stats.NewRecorder([]string{Primary, Fallback, Cache, Client}, []string{"search", "other"}, stats.WindowSettings{})
	now := time.Now()
	for range 8 {
		rec.Record(3, 0, stats.OK, 100*time.Millisecond, now)
	}
	rec.Record(3, 1, stats.Timeout, 2*time.Second, now)
	rec.Record(3, 1, stats.ClientGone, time.Millisecond, now)
	mem := 55.0
	src := RecorderSource{Recorder: rec, Targets: []string{Client, "nope"},
		Resources: func(time.Time) (*float64, *float64) { return nil, &mem }}
	r := src.Read(now)
	if len(r.Targets) != 1 || r.Targets[0].Name != Client {
		t.Fatalf("targets %+v, want client only", r.Targets)
	}
	tr := r.Targets[0]
	if tr.Totals.Requests != 10 || tr.Totals.Failures() != 1 || tr.Totals.Judged() != 9 {
		t.Errorf("totals %+v", tr.Totals)
	}
	if tr.AvgLatency <= 100*time.Millisecond || tr.P99 < time.Second {
		t.Errorf("latencies avg %v p99 %v, want them to include the 2s timeout", tr.AvgLatency, tr.P99)
	}
	if r.CPU != nil || r.Memory == nil || *r.Memory != 55 {
		t.Errorf("resources %v %v", r.CPU, r.Memory)
	}
	if all := (RecorderSource{Recorder: rec}).Read(now); len(all.Targets) != 4 {
		t.Errorf("nil Targets read %d targets, want every upstream", len(all.Targets))
	}
}
