package incident

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Emit never waits: with nobody writing, a full queue drops and counts.
func TestFullQueueDropsWithoutBlocking(t *testing.T) {
	_, _, s := tempDB(t)
	r := NewRecorder(s, Options{QueueSize: 8})
	r.Emit(levelChange(t0, "L0", "L1"))
	for i := range 999 {
		r.Emit(simple(at(time.Duration(i)*time.Millisecond), "action.ran", "x"))
	}
	if st := r.Stats(); st.Dropped != 992 || st.Queued != 8 || st.Written != 0 {
		t.Fatalf("stats = %+v, want 992 dropped, 8 queued", st)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); r.Run(ctx) }()
	flush(t, r)
	cancel()
	<-done
	inc := get(t, r, current(t, r))
	if len(inc.Timeline) != 8 || r.Stats().Written != 8 {
		t.Fatalf("%d entries written, stats %+v; want the 8 queued", len(inc.Timeline), r.Stats())
	}
}

// Run writes what is still queued when its context ends.
func TestRunDrainsOnShutdown(t *testing.T) {
	_, _, s := tempDB(t)
	r := NewRecorder(s, Options{})
	r.Emit(levelChange(t0, "L0", "L2"))
	r.Emit(simple(at(time.Second), "action.ran", "x"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r.Run(ctx)
	if inc := get(t, r, current(t, r)); len(inc.Timeline) != 2 {
		t.Fatalf("%d entries after shutdown, want 2", len(inc.Timeline))
	}
}

func TestFlushWithoutWriterEndsWithContext(t *testing.T) {
	_, _, s := tempDB(t)
	r := NewRecorder(s, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Flush(ctx); err != context.Canceled {
		t.Fatalf("Flush = %v, want context.Canceled", err)
	}
}

// Events from many goroutines are all stored, each goroutine's in order,
// with gapless sequence numbers, while people read and act concurrently.
func TestConcurrentEmit(t *testing.T) {
	const writers, each = 8, 100
	_, _, s := tempDB(t)
	r := start(t, s, Options{QueueSize: writers*each + 16})
	r.Emit(levelChange(t0, "L0", "L3"))
	flush(t, r.Recorder)
	id := current(t, r.Recorder)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				r.Emit(ev(at(time.Second), "action.ran", "test", event.Info, "", map[string]any{"w": w, "i": i}))
			}
		})
	}
	var ackErr error
	wg.Go(func() {
		for range 20 {
			r.Current()
			r.Get(context.Background(), id)
			if err := r.Ack(context.Background(), id, "bob"); err != nil {
				ackErr = err
			}
		}
	})
	wg.Wait()
	if ackErr != nil {
		t.Fatalf("Ack during a burst of events: %v", ackErr)
	}
	flush(t, r.Recorder)
	inc := get(t, r.Recorder, id)
	if want := 1 + writers*each + 20; len(inc.Timeline) != want || r.Stats().Dropped != 0 {
		t.Fatalf("%d entries, want %d; stats %+v", len(inc.Timeline), want, r.Stats())
	}
	last := map[float64]float64{}
	for i, e := range inc.Timeline {
		if e.Seq != i+1 {
			t.Fatalf("entry %d has seq %d", i, e.Seq)
		}
		if e.Kind != "action.ran" {
			continue
		}
		w, n := e.Fields["w"].(float64), e.Fields["i"].(float64)
		if prev, ok := last[w]; ok && n != prev+1 {
			t.Fatalf("writer %v: %v after %v", w, n, prev)
		}
		last[w] = n
	}
}

// Nothing is stored while no incident is open.
func TestEventsOutsideIncidentsNotStored(t *testing.T) {
	_, db, s := tempDB(t)
	r := start(t, s, Options{})
	r.Emit(ev(t0, event.HealthChanged, "health", event.Warning, "primary unhealthy", nil))
	r.Emit(fired(t0, "x", t0))
	r.Emit(routing(t0, "primary", "backup"))
	r.Emit(levelChange(t0, "L1", "L0")) // a return to L0 with nothing open
	flush(t, r.Recorder)
	if n := countRows(t, db, "incidents") + countRows(t, db, "incident_entries"); n != 0 {
		t.Fatalf("%d rows stored outside an incident", n)
	}
	list, err := r.List(context.Background(), 0)
	if err != nil || len(list) != 0 {
		t.Fatalf("List = %v, %v", list, err)
	}
}

// Only triggers of the minute before the opening join its timeline.
func TestTriggerLookback(t *testing.T) {
	_, _, s := tempDB(t)
	r := start(t, s, Options{})
	r.Emit(fired(at(-90*time.Second), "old", at(-100*time.Second)))
	r.Emit(fired(at(-30*time.Second), "recent", at(-40*time.Second)))
	r.Emit(levelChange(t0, "L0", "L1"))
	flush(t, r.Recorder)
	inc := get(t, r.Recorder, current(t, r.Recorder))
	if len(inc.Timeline) != 2 || inc.Trigger != "recent" || inc.Metrics.Detection.Duration() != 10*time.Second {
		t.Fatalf("timeline %v trigger %q detection %+v", kinds(inc.Timeline), inc.Trigger, inc.Metrics.Detection)
	}
}

func TestListNewestFirst(t *testing.T) {
	_, _, s := tempDB(t)
	r := start(t, s, Options{})
	for i := range 3 {
		base := at(time.Duration(i) * time.Hour)
		r.Emit(levelChange(base, "L0", "L1"))
		r.Emit(levelChange(base.Add(time.Minute), "L1", "L0"))
	}
	flush(t, r.Recorder)
	list, err := r.List(context.Background(), 2)
	if err != nil || len(list) != 2 || !list[0].OpenedAt.Equal(at(2*time.Hour)) || !list[1].OpenedAt.Equal(at(time.Hour)) {
		t.Fatalf("List(2) = %+v, %v", list, err)
	}
	if _, err := r.Get(context.Background(), "INC-nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(unknown) = %v", err)
	}
}

func BenchmarkEmit(b *testing.B) {
	path := b.TempDir() + "/bench.db"
	db, err := OpenDB(path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	s, err := NewStore(db)
	if err != nil {
		b.Fatal(err)
	}
	r := NewRecorder(s, Options{QueueSize: 1})
	e := simple(t0, "action.ran", "x")
	b.ReportAllocs()
	for b.Loop() {
		r.Emit(e)
	}
}
