package incident

import (
	"context"
	"sync"
	"testing"
	"time"
)

// openBook opens a book in dir and runs it until the returned stop, or
// the test's end.
func openBook(t *testing.T, dir string) (*Book, func()) {
	t.Helper()
	b, err := OpenBook(context.Background(), BookOptions{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { b.Run(ctx) })
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			wg.Wait()
			if err := b.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(stop)
	return b, stop
}

// An incident left open by the previous run comes back to be resumed,
// or, when the engine settled at L0, is resolved with the reason given.
func TestBookPicksUpTheIncidentLeftOpen(t *testing.T) {
	dir := t.TempDir()
	first, stop := openBook(t, dir)
	if _, resume, err := first.LeftOpen(context.Background(), nil, nil); resume || err != nil {
		t.Fatalf("nothing open, yet resume=%v err=%v", resume, err)
	}
	first.Recorder.Emit(fired(at(10*time.Second), "primary_down", t0))
	first.Recorder.Emit(levelChange(at(10*time.Second), "L0", "L2"))
	flush(t, first.Recorder)
	id := current(t, first.Recorder)
	stop()

	again, _ := openBook(t, dir)
	inc, resume, err := again.LeftOpen(context.Background(), func() bool { return false }, nil)
	if !resume || err != nil || inc.ID != id || inc.Level != "L2" {
		t.Fatalf("LeftOpen = %s at %s, resume=%v err=%v; want %s at L2 to resume", inc.ID, inc.Level, resume, err, id)
	}
	reason := func(got string) string { return "settled: " + got }
	if _, resume, err := again.LeftOpen(context.Background(), func() bool { return true }, reason); resume || err != nil {
		t.Fatalf("settled: resume=%v err=%v", resume, err)
	}
	if closed := get(t, again.Recorder, id); closed.Open {
		t.Fatal("the incident left open is still open after LeftOpen settled it")
	}
}
