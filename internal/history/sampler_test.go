package history

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"
)

func TestRunSamplesEveryInterval(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := openDB(t, t.TempDir())
		defer db.Close()
		start := time.Now()
		sm := newSampler(t, db, newScripted(steady()), Settings{})
		runFor(sm, 5500*time.Millisecond)

		got := stored(t, db)
		if len(got) != 5 {
			t.Fatalf("got %d samples after 5.5s at 1s, want 5 (Run must flush on exit)", len(got))
		}
		for i, smp := range got {
			if want := start.Add(time.Duration(i+1) * time.Second); !smp.Time.Equal(want) {
				t.Errorf("sample %d at %v, want %v", i, smp.Time, want)
			}
			if smp.Interval != time.Second {
				t.Errorf("sample %d interval %v, want 1s", i, smp.Interval)
			}
			if c := smp.Target(Client); c.Requests != 10 || c.Failures != 0 || c.AvgLatency != 50*time.Millisecond {
				t.Errorf("sample %d client figures %+v, want 10 requests, 0 failures, 50ms", i, c)
			}
		}
	})
}

func TestBatchWrittenWhenFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := openDB(t, t.TempDir())
		defer db.Close()
		sm := newSampler(t, db, newScripted(steady()), Settings{BatchSize: 10, FlushEvery: time.Hour})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); sm.Run(ctx) }()

		time.Sleep(9500 * time.Millisecond)
		synctest.Wait()
		if n := len(stored(t, db)); n != 0 {
			t.Errorf("%d samples written before the batch was full", n)
		}
		all, _ := sm.Range(ctx, time.Unix(0, 0), time.Now())
		if len(all) != 9 {
			t.Errorf("Range sees %d samples, want the 9 pending", len(all))
		}
		time.Sleep(time.Second)
		synctest.Wait()
		if n := len(stored(t, db)); n != 10 {
			t.Errorf("%d samples written after the 10th, want 10", n)
		}
		cancel()
		<-done
	})
}

func TestFlushEveryBoundsTheWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := openDB(t, t.TempDir())
		defer db.Close()
		sm := newSampler(t, db, newScripted(steady()), Settings{BatchSize: 1000, FlushEvery: 9500 * time.Millisecond})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); sm.Run(ctx) }()

		time.Sleep(9250 * time.Millisecond)
		synctest.Wait()
		if n := len(stored(t, db)); n != 0 {
			t.Errorf("%d samples written before FlushEvery", n)
		}
		time.Sleep(500 * time.Millisecond)
		synctest.Wait()
		if n := len(stored(t, db)); n != 9 {
			t.Errorf("%d samples written at FlushEvery, want 9", n)
		}
		cancel()
		<-done
	})
}

func TestFlushIsDurable(t *testing.T) {
	dir := t.TempDir()
	db := openDB(t, dir)
	src := newScripted(steady(2))
	sm := newSampler(t, db, src, Settings{BatchSize: 100})
	base := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	for i := range 4 {
		sm.take(context.Background(), base.Add(time.Duration(i)*time.Second))
	}
	if err := sm.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(sm.snapshot()) != 0 {
		t.Error("samples still pending after a successful Flush")
	}
	db.Close()

	db = openDB(t, dir) // a restart: nothing of the old Sampler survives
	defer db.Close()
	got := stored(t, db)
	if len(got) != 3 {
		t.Fatalf("got %d samples after reopening, want 3", len(got))
	}
	if f := got[1].Target(Client); f.Failures != 4 || f.ErrorRate != 0.4 || f.P99 != 900*time.Millisecond {
		t.Errorf("second sample's client figures %+v, want 4 failures, rate 0.4, p99 900ms", f)
	}
}

func TestFailedWriteStaysPendingAndIsRetried(t *testing.T) {
	db := openDB(t, t.TempDir())
	defer db.Close()
	var reported []error
	sm, err := New(context.Background(), Options{DB: db, Source: newScripted(steady()),
		OnError: func(err error) { reported = append(reported, err) }}, Settings{BatchSize: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TABLE history_targets`); err != nil {
		t.Fatal(err)
	}
	base := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	for i := range 3 {
		sm.take(context.Background(), base.Add(time.Duration(i)*time.Second))
	}
	if len(reported) != 1 || !errors.Is(reported[0], ErrStore) {
		t.Fatalf("reported %v, want one ErrStore", reported)
	}
	if n := len(sm.snapshot()); n != 2 {
		t.Fatalf("%d samples pending after a failed write, want 2", n)
	}
	if err := sm.store.create(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := sm.Flush(context.Background()); err != nil {
		t.Fatalf("retry failed: %v", err)
	}
	if n := len(stored(t, db)); n != 2 {
		t.Errorf("%d samples stored after the retry, want 2", n)
	}
}

func TestMaxPendingDropsOldest(t *testing.T) {
	db := openDB(t, t.TempDir())
	defer db.Close()
	sm := newSampler(t, db, newScripted(steady()), Settings{BatchSize: 100, MaxPending: 3})
	base := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	for i := range 6 {
		sm.take(context.Background(), base.Add(time.Duration(i)*time.Second))
	}
	p := sm.snapshot()
	if len(p) != 3 || !p[0].Time.Equal(base.Add(3*time.Second)) {
		t.Errorf("pending %d samples from %v, want the newest 3 from +3s", len(p), p[0].Time)
	}
}

func TestRetentionPrunesOnSchedule(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := openDB(t, t.TempDir())
		defer db.Close()
		sm := newSampler(t, db, newScripted(steady()), Settings{
			Retention: time.Minute, PruneEvery: 10 * time.Second, BatchSize: 1,
		})
		runFor(sm, 150*time.Second+500*time.Millisecond)
		got := stored(t, db)
		// The last prune ran at 150s and kept samples ending at 90s or later.
		if len(got) == 0 || got[0].Time.Before(time.Now().Add(-61*time.Second)) {
			t.Fatalf("oldest sample at %v, more than the retention before %v", got[0].Time, time.Now())
		}
		if len(got) != 61 {
			t.Errorf("kept %d samples, want 61 (90s through 150s)", len(got))
		}
	})
}

func TestReadOnlySamplerOnlyPrunes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		db := openDB(t, t.TempDir())
		defer db.Close()
		sm := newSampler(t, db, nil, Settings{})
		runFor(sm, 5*time.Second)
		if n := len(stored(t, db)); n != 0 {
			t.Errorf("a Sampler without Source stored %d samples", n)
		}
	})
}

func TestNewRejects(t *testing.T) {
	if _, err := New(context.Background(), Options{}, Settings{}); !errors.Is(err, ErrNoDB) {
		t.Errorf("nil DB: %v, want ErrNoDB", err)
	}
	_, err := New(context.Background(), Options{DB: openDB(t, t.TempDir())}, Settings{Interval: time.Millisecond, BatchSize: -1})
	if !errors.Is(err, ErrInvalidSettings) {
		t.Errorf("bad settings: %v, want ErrInvalidSettings", err)
	}
}

func TestDefaults(t *testing.T) {
	s := newSampler(t, openDB(t, t.TempDir()), nil, Settings{}).Settings()
	if s.Interval != time.Second || s.Retention != 7*24*time.Hour || s.BatchSize != 10 || s.FlushEvery != 10*time.Second {
		t.Errorf("defaults %+v", s)
	}
}
