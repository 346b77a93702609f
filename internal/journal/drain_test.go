package journal

import (
	"context"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// ofKind are the events of one kind a ring holds.
func ofKind(r *event.Ring, kind string) []event.Event {
	return slices.DeleteFunc(r.Recent(64), func(e event.Event) bool { return e.Kind != kind })
}

// runDrainer starts d's loop and stops it, waiting, when the test ends.
func runDrainer(t *testing.T, d *Drainer) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); d.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting until %s", what)
}

// The loop leaves the journal alone while the primary may not take its
// writes, and drains it, reporting the replay, once it may and it is
// woken: long before its hourly look.
func TestDrainerReplaysOnceReadyAndWoken(t *testing.T) {
	primary, ov := startOV(t)
	fb, j, c := fallbackSide(t)
	var ready atomic.Bool
	log := event.NewRing(64)
	d := NewDrainer(j, DrainOptions{Target: Target{BaseURL: primary.URL()}, Ready: ready.Load, Every: time.Hour, Events: log})
	runDrainer(t, d)
	call(t, c, "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "a"})
	addMessages(t, c, fb.URL(), "a", 2)
	d.Wake()
	time.Sleep(50 * time.Millisecond)
	if j.Pending() != 3 {
		t.Fatalf("pending %d while the primary may not take writes, want 3", j.Pending())
	}
	ready.Store(true)
	d.Wake()
	eventually(t, "the journal drained", func() bool { return j.Pending() == 0 })
	if got := contents(t, ov, "a"); len(got) != 2 {
		t.Fatalf("the primary holds %q, want 2 messages", got)
	}
	eventually(t, "the replay was reported", func() bool { return len(ofKind(log, KindReplayed)) == 1 })
	if f := ofKind(log, KindReplayed)[0].Fields; f["replayed"] != 3 || f["lost"] != 0 || f["remaining"] != 0 {
		t.Fatalf("replay event fields %v, want 3 replayed, none lost or remaining", f)
	}
}

// The journal's OnAppend rings the drainer's bell, so a write is drained
// at once when the primary may take it.
func TestBellFromOnAppendWakesTheDrainer(t *testing.T) {
	primary, _ := startOV(t)
	fb, _ := startOV(t)
	bell := NewBell()
	j := openAt(t, journalPath(t), nil, func(o *Options) { o.OnAppend = bell.Ring })
	d := NewDrainer(j, DrainOptions{Target: Target{BaseURL: primary.URL()}, Ready: func() bool { return true },
		Every: time.Hour, Wake: bell})
	runDrainer(t, d)
	call(t, client(j), "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "a"})
	eventually(t, "the write drained", func() bool { return j.Pending() == 0 })
}

// Before a restore the journal is replayed; a primary that cannot take
// the writes stops the restore, and its error is reported once however
// often it repeats.
func TestBeforeRestoreStopsOnWritesLeftBehind(t *testing.T) {
	primary, _ := startOV(t)
	fb, j, c := fallbackSide(t)
	log := event.NewRing(64)
	d := NewDrainer(j, DrainOptions{Target: Target{BaseURL: primary.URL()}, Ready: func() bool { return true }, Events: log})
	call(t, c, "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "a"})
	outage(t, primary)
	for range 2 {
		if err := d.BeforeRestore(t.Context()); err == nil {
			t.Fatal("a restore went ahead with the primary down and a write journaled")
		}
	}
	if n := len(ofKind(log, KindReplayFailed)); n != 1 {
		t.Fatalf("%d replay-failed events for one repeated error, want 1", n)
	}
	mustOK(t, primary.SetFault(sim.Fault{}))
	if err := d.BeforeRestore(t.Context()); err != nil || j.Pending() != 0 {
		t.Fatalf("restore after the primary came back: %v, pending %d", err, j.Pending())
	}
}
