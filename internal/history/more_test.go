package history

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

func TestSettingsValidateNamesEachBadField(t *testing.T) {
	bad := Settings{Interval: 2 * time.Hour, Retention: -1, BatchSize: -1, FlushEvery: -1, PruneEvery: -1, MaxPending: -1}
	err := bad.Validate()
	if !errors.Is(err, ErrInvalidSettings) {
		t.Fatalf("got %v, want ErrInvalidSettings", err)
	}
	for _, field := range []string{"Interval", "Retention", "BatchSize", "FlushEvery", "PruneEvery", "MaxPending"} {
		if !strings.Contains(err.Error(), field) {
			t.Errorf("error does not name %s: %v", field, err)
		}
	}
	if err := (Settings{Interval: 10 * time.Millisecond}).Validate(); err != nil {
		t.Errorf("10ms interval rejected: %v", err)
	}
}

func TestRunPrunesAtStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := openDB(t, t.TempDir())
		defer db.Close()
		old := newSampler(t, db, newScripted(steady()), Settings{})
		past := time.Now().Add(-30 * 24 * time.Hour)
		for i := range 3 {
			old.take(context.Background(), past.Add(time.Duration(i)*time.Second))
		}
		if err := old.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
		sm := newSampler(t, db, nil, Settings{})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); sm.Run(ctx) }()
		synctest.Wait()
		got, _ := sm.Range(ctx, past.Add(-time.Hour), time.Now())
		if len(got) != 0 {
			t.Errorf("%d month-old samples survived the start of Run", len(got))
		}
		cancel()
		<-done
	})
}

func TestQueriesRunConcurrentlyWithRun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := openDB(t, t.TempDir())
		defer db.Close()
		start := time.Now()
		sm := newSampler(t, db, newScripted(steady(5, 6, 7)), Settings{BatchSize: 3})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); sm.Run(ctx) }()
		var last time.Duration
		for range 20 {
			time.Sleep(500 * time.Millisecond)
			d, _ := sm.Downtime(start, time.Now())
			if d < last {
				t.Fatalf("downtime went back from %v to %v", last, d)
			}
			last = d
		}
		cancel()
		<-done
		if last != 3*time.Second {
			t.Errorf("downtime %v after 10s with 3 failing seconds, want 3s", last)
		}
	})
}

func TestSummarizeSeveralTargetsUnsorted(t *testing.T) {
	base := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	mk := func(sec int, figs ...Figures) Sample {
		return Sample{Time: base.Add(time.Duration(sec) * time.Second), Interval: 2 * time.Second, Targets: figs}
	}
	s := Summarize([]Sample{
		mk(4, Figures{Target: Primary, Requests: 4, Failures: 4, Judged: 4, P99: time.Second}),
		mk(2, Figures{Target: Client, Requests: 10, Judged: 8, AvgLatency: 10 * time.Millisecond},
			Figures{Target: Primary, Requests: 6, Judged: 6, P99: 2 * time.Second}),
	})
	if !s.Start.Equal(base) || !s.End.Equal(base.Add(4*time.Second)) || s.Covered != 4*time.Second {
		t.Errorf("span %v to %v covering %v", s.Start, s.End, s.Covered)
	}
	if len(s.Targets) != 2 || s.Targets[0].Target != Client {
		t.Fatalf("targets %+v, want client then primary", s.Targets)
	}
	p := s.Target(Primary)
	if p.ErrorRate != 0.4 || p.Throughput != 2.5 || p.MaxP99 != 2*time.Second || p.P99 != 1600*time.Millisecond {
		t.Errorf("primary %+v", p)
	}
	if idle := s.Target(Cache); idle.Requests != 0 || idle.Target != Cache {
		t.Errorf("idle target %+v", idle)
	}
}

func TestSourceFunc(t *testing.T) {
	var called time.Time
	f := SourceFunc(func(now time.Time) Reading { called = now; return Reading{} })
	now := time.Now()
	f.Read(now)
	if !called.Equal(now) {
		t.Error("SourceFunc did not call the function")
	}
}
