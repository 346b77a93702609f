package incident

import (
	"context"
	"database/sql"
	"errors"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"slices"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// An open incident survives closing and reopening the database, and the
// new process keeps recording into it.
func TestRestartContinuesOpenIncident(t *testing.T) {
	path, db, s := tempDB(t)
	r := start(t, s, Options{})
	r.Emit(fired(at(10*time.Second), "primary_down", t0))
	r.Emit(levelChange(at(10*time.Second), "L0", "L2"))
	flush(t, r.Recorder)
	id := current(t, r.Recorder)
	r.stop()
	db.Close()

	db2, s2 := openTestDB(t, path)
	defer db2.Close()
	r2 := start(t, s2, Options{Now: func() time.Time { return at(time.Hour) }})
	if got, ok := r2.Current(); !ok || got != id {
		t.Fatalf("after restart Current() = %q, %v; want %q", got, ok, id)
	}
	r2.Emit(ev(at(time.Minute), fact.KindLevelChanged, "level", event.Info, "resumed", map[string]any{"from": "L2", "to": "L2"}))
	r2.Emit(routing(at(2*time.Minute), "backup", "primary"))
	r2.Emit(levelChange(at(3*time.Minute), "L2", "L0"))
	flush(t, r2.Recorder)
	inc := get(t, r2.Recorder, id)
	want := []string{fact.KindTriggerFired, fact.KindLevelChanged, fact.KindLevelChanged, event.ModeChanged, fact.KindLevelChanged}
	if !slices.Equal(kinds(inc.Timeline), want) || inc.Timeline[4].Seq != 5 {
		t.Fatalf("timeline after restart = %v", kinds(inc.Timeline))
	}
	if inc.Open || !inc.ClosedAt.Equal(at(3*time.Minute)) || inc.Metrics.Restore.Duration() != 3*time.Minute {
		t.Fatalf("open=%v closed=%v restore=%+v", inc.Open, inc.ClosedAt, inc.Metrics.Restore)
	}
}

// A closed incident reads back the same after a restart.
func TestRestartKeepsClosedIncident(t *testing.T) {
	path, db, s := tempDB(t)
	clk := &clock{t: t0}
	r := start(t, s, Options{Now: clk.Now})
	id := outage(t, r, clk)
	before := get(t, r.Recorder, id)
	r.stop()
	db.Close()

	db2, s2 := openTestDB(t, path)
	defer db2.Close()
	r2 := NewRecorder(s2, Options{Now: clk.Now})
	if _, ok := r2.Current(); ok {
		t.Fatal("a closed incident is current after restart")
	}
	after := get(t, r2, id)
	if len(after.Timeline) != len(before.Timeline) || after.Checklists[0].Items[6] != before.Checklists[0].Items[6] ||
		after.Metrics != before.Metrics || after.AckedBy != "bob" {
		t.Fatalf("incident changed across restart:\nbefore %+v\nafter  %+v", before.Summary(), after.Summary())
	}
}

// When the engine leaves L0 while an incident is still open, the return to
// L0 was lost: the old incident is closed and a new one opened.
func TestNewIncidentClosesStaleOne(t *testing.T) {
	_, _, s := tempDB(t)
	var seen changes
	r := start(t, s, Options{OnChange: seen.add})
	r.Emit(levelChange(at(0), "L0", "L1"))
	flush(t, r.Recorder)
	old := current(t, r.Recorder)
	r.Emit(levelChange(at(time.Hour), "L0", "L3"))
	flush(t, r.Recorder)
	id := current(t, r.Recorder)
	if id == old {
		t.Fatal("no new incident")
	}
	inc := get(t, r.Recorder, old)
	if inc.Open || !inc.ClosedAt.Equal(at(time.Hour)) || inc.Timeline[1].Kind != KindClosed || inc.Checklists[1].Items[0].Event != 2 {
		t.Fatalf("stale incident = %+v", inc)
	}
	if got := seen.kinds(); !slices.Equal(got, []ChangeKind{Opened, Resolved, Opened}) {
		t.Fatalf("changes = %v", got)
	}
}

// Resolve closes by hand; later events belong to no incident.
func TestResolve(t *testing.T) {
	_, db, s := tempDB(t)
	clk := &clock{t: at(time.Minute)}
	r := start(t, s, Options{Now: clk.Now})
	r.Emit(levelChange(t0, "L0", "L1"))
	flush(t, r.Recorder)
	id := current(t, r.Recorder)
	ctx := context.Background()
	if err := r.Resolve(ctx, id, "frank", "engine at L0 after restart"); err != nil {
		t.Fatal(err)
	}
	if err := r.Resolve(ctx, id, "frank", "again"); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Resolve = %v, want ErrClosed", err)
	}
	if _, ok := r.Current(); ok {
		t.Fatal("still current after Resolve")
	}
	r.Emit(simple(at(2*time.Minute), "action.ran", "late"))
	flush(t, r.Recorder)
	inc := get(t, r.Recorder, id)
	if len(inc.Timeline) != 2 || inc.Timeline[1].Fields["by"] != "frank" || !inc.ClosedAt.Equal(at(time.Minute)) {
		t.Fatalf("timeline = %+v", inc.Timeline)
	}
	if n := countRows(t, db, "incident_entries"); n != 2 {
		t.Fatalf("%d entries stored, want 2", n)
	}
}

// A write that fails is reported and counted, and the writer goes on.
func TestWriteFailureReported(t *testing.T) {
	_, db, s := tempDB(t)
	var errs []error
	r := start(t, s, Options{OnError: func(err error) { errs = append(errs, err) }})
	db.Close()
	r.Emit(levelChange(t0, "L0", "L3"))
	flush(t, r.Recorder)
	if len(errs) != 1 || r.Stats().Failed != 1 {
		t.Fatalf("errors %v, stats %+v", errs, r.Stats())
	}
	if _, ok := r.Current(); ok {
		t.Fatal("an incident is current although it was never stored")
	}
}

func countRows(t *testing.T, db *sql.DB, table string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
