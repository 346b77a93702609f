package incident

import (
	"context"
	"slices"
	"testing"
	"time"
)

// entries collects OnEntry reports.
type entries struct{ collector[string] }

func (e *entries) count() int { return len(e.all()) }

// Every committed timeline entry is told to OnEntry once, whoever wrote
// it, so a cluster's decider can publish each one: the opening (with the
// triggers held before it, one write), an event between changes, an ack,
// a tick, an artifact, a note and the close; an event after the close
// joins nothing and is not told.
func TestOnEntryTellsEveryEntry(t *testing.T) {
	_, _, s := tempDB(t)
	var seen entries
	r := start(t, s, Options{Now: func() time.Time { return at(time.Minute) }, OnEntry: seen.add})
	r.Emit(fired(t0, "health_checks", t0))
	r.Emit(levelChange(at(time.Second), "L0", "L3"))
	r.Emit(simple(at(2*time.Second), "action.ran", "paged"))
	flush(t, r.Recorder)
	id := current(t, r.Recorder)
	ctx := context.Background()
	steps := []func() error{
		func() error { return r.Ack(ctx, id, "bob") },
		func() error { return r.Tick(undone(t, r.Recorder, id)) },
		func() error { return r.AddArtifact(ctx, id, "state", "/tmp/state") },
		func() error { return r.Note(ctx, id, "bob", "looked", nil) },
		func() error { return r.Resolve(ctx, id, "bob", "fixed") },
	}
	for i, step := range steps {
		if err := step(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
	}
	r.Emit(simple(at(3*time.Minute), "action.ran", "late"))
	flush(t, r.Recorder)
	want := slices.Repeat([]string{id}, 7)
	if got := seen.all(); !slices.Equal(got, want) {
		t.Fatalf("OnEntry told %v, want %v", got, want)
	}
}

// undone names a checklist and an item of incident id not ticked yet,
// and who ticks it, as Tick takes them.
func undone(t *testing.T, r *Recorder, id string) (ctx context.Context, inc, checklist, item, by string) {
	t.Helper()
	for _, c := range get(t, r, id).Checklists {
		for _, it := range c.Items {
			if !it.Done {
				return context.Background(), id, c.Name, it.Text, "bob"
			}
		}
	}
	t.Fatal("every item is ticked")
	return
}
