package incident

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// replica is another gateway's recorder, in a database of its own.
func replica(t *testing.T, clk *clock) running {
	t.Helper()
	_, _, s := tempDB(t)
	return start(t, s, Options{Now: clk.Now})
}

func getJSON(t *testing.T, r *Recorder, id string) []byte {
	t.Helper()
	raw, err := json.Marshal(get(t, r, id))
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func export(t *testing.T, r *Recorder, id string) []byte {
	t.Helper()
	doc, err := r.Export(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func importDoc(t *testing.T, r *Recorder, doc []byte) {
	t.Helper()
	if err := r.Import(context.Background(), doc); err != nil {
		t.Fatal(err)
	}
}

// TestImportReadsTheSame copies a whole outage, closed, to another
// replica: Get answers the same there, to the byte, and importing again
// changes nothing.
func TestImportReadsTheSame(t *testing.T) {
	clk := &clock{t: t0}
	a, b := replica(t, clk), replica(t, clk)
	id := outage(t, a, clk)
	doc := export(t, a.Recorder, id)
	importDoc(t, b.Recorder, doc)
	importDoc(t, b.Recorder, doc)
	want, got := getJSON(t, a.Recorder, id), getJSON(t, b.Recorder, id)
	if !bytes.Equal(got, want) {
		t.Fatalf("imported incident reads\n%s\nwant\n%s", got, want)
	}
	if !bytes.Equal(export(t, b.Recorder, id), doc) {
		t.Fatal("an imported incident exports differently")
	}
	if _, open := b.Current(); open {
		t.Fatal("an imported closed incident is current")
	}
	if list, err := b.List(context.Background(), 0); err != nil || len(list) != 1 || list[0].ID != id {
		t.Fatalf("list after import: %+v, %v", list, err)
	}
}

// TestImportedOpenIncidentContinues hands an open incident to another
// replica, as to a new decider: it becomes current there, the next events
// append to the same timeline, and a stale copy arriving late is ignored.
func TestImportedOpenIncidentContinues(t *testing.T) {
	clk := &clock{t: t0}
	a, b := replica(t, clk), replica(t, clk)
	a.Emit(levelChange(at(0), "L0", "L2"))
	a.Emit(routing(at(time.Second), "primary", "backup"))
	flush(t, a.Recorder)
	id := current(t, a.Recorder)
	stale := export(t, a.Recorder, id)
	a.Emit(simple(at(2*time.Second), "action.ran", "page sent"))
	flush(t, a.Recorder)
	importDoc(t, b.Recorder, export(t, a.Recorder, id))
	if got := current(t, b.Recorder); got != id {
		t.Fatalf("current after import %q, want %q", got, id)
	}
	b.Emit(levelChange(at(10*time.Second), "L2", "L3"))
	b.Emit(ev(at(11*time.Second), event.HealthChanged, "health", event.Warning, "primary down", nil))
	flush(t, b.Recorder)
	importDoc(t, b.Recorder, stale)
	inc := get(t, b.Recorder, id)
	if len(inc.Timeline) != 5 || inc.Timeline[3].Seq != 4 || inc.Level != "L3" || inc.MaxLevel != "L3" || !inc.Open {
		t.Fatalf("continued incident %+v: want 5 entries, at L3, open", inc)
	}
	if got := kinds(inc.Timeline); got[2] != "action.ran" || got[3] != "level.changed" {
		t.Fatalf("timeline %v", got)
	}
	if list, _ := b.List(context.Background(), 0); len(list) != 1 {
		t.Fatalf("%d incidents on the new decider, want the one continued", len(list))
	}
}

// TestImportSupersedesLocalOpen closes a replica's own open incident when
// the cluster's open one arrives, and refuses documents it cannot read.
func TestImportSupersedesLocalOpen(t *testing.T) {
	clk := &clock{t: t0}
	a, b := replica(t, clk), replica(t, clk)
	b.Emit(levelChange(at(0), "L0", "L1"))
	flush(t, b.Recorder)
	own := current(t, b.Recorder)
	a.Emit(levelChange(at(time.Minute), "L0", "L3"))
	flush(t, a.Recorder)
	id := current(t, a.Recorder)
	importDoc(t, b.Recorder, export(t, a.Recorder, id))
	if got := current(t, b.Recorder); got != id || get(t, b.Recorder, own).Open {
		t.Fatalf("current %q, own incident still open: want %q current", got, id)
	}
	for _, doc := range []string{`{`, `{"version":2,"incident":{"id":"x"}}`, `{"version":1}`} {
		if err := b.Import(context.Background(), []byte(doc)); !errors.Is(err, ErrDocument) {
			t.Errorf("import %s: %v, want ErrDocument", doc, err)
		}
	}
	if _, err := b.Export(context.Background(), "INC-none"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("export of an unknown incident: %v", err)
	}
}
