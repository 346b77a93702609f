package incident

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// fakeRecords is an incident record with one open incident, or none.
type fakeRecords struct {
	mu        sync.Mutex
	open      string
	artifacts map[string]string
}

func (f *fakeRecords) Flush(context.Context) error { return nil }

func (f *fakeRecords) Current() (string, bool) { return f.open, f.open != "" }

func (f *fakeRecords) AddArtifact(_ context.Context, id, name, location string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.artifacts[id+"/"+name] = location
	return nil
}

// countingRunner counts the runs and fails the action named "snapshot".
type countingRunner struct{ runs []action.Context }

func (r *countingRunner) RunAll(_ context.Context, specs []action.Spec, ac action.Context) []action.Result {
	r.runs = append(r.runs, ac)
	var out []action.Result
	for _, s := range specs {
		out = append(out, action.Result{Name: s.Name, OK: s.Name != "snapshot"})
	}
	return out
}

// State is preserved once per incident, not again for one a restart
// resumed with its artifacts, and each result is an event.
func TestPreserverRunsOncePerIncident(t *testing.T) {
	recs := &fakeRecords{open: "INC-1", artifacts: map[string]string{}}
	runner := &countingRunner{}
	var events []event.Event
	p := &Preserver{Records: recs, Runner: runner, Actions: []action.Spec{{Name: "dump"}, {Name: "snapshot"}},
		Dir: t.TempDir(), Events: event.SinkFunc(func(e event.Event) { events = append(events, e) })}
	p.Run(t.Context())
	p.Run(t.Context())
	if len(runner.runs) != 1 || runner.runs[0].Incident != "INC-1" || runner.runs[0].Reason != "state preservation" {
		t.Fatalf("runs %+v, want one for INC-1", runner.runs)
	}
	if len(events) != 2 || events[0].Kind != KindPreserve || events[0].Severity != event.Info ||
		events[1].Message != "state preservation snapshot: failed" || events[1].Severity != event.Warning {
		t.Fatalf("events %+v", events)
	}
	recs.open = "INC-2"
	p.Preserved("INC-2")
	p.Run(t.Context())
	if len(runner.runs) != 1 {
		t.Fatalf("a resumed incident's state was preserved again")
	}
}

// An artifact lands under the incident's own directory, readable by
// Lifeboat's user alone, and is recorded on the incident.
func TestPreserverWritesArtifacts(t *testing.T) {
	recs := &fakeRecords{artifacts: map[string]string{}}
	dir := t.TempDir()
	p := &Preserver{Records: recs, Dir: dir}
	if _, err := p.WriteConfig(t.Context(), []byte("listen: x\n")); !errors.Is(err, ErrNoIncident) {
		t.Fatalf("no incident: %v", err)
	}
	recs.open = "INC-1"
	path, err := p.WriteConfig(t.Context(), []byte("listen: x\n"))
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "artifacts", "INC-1", "effective-config.yaml"); path != want || recs.artifacts["INC-1/config"] != want {
		t.Fatalf("wrote %s, recorded %v; want %s", path, recs.artifacts, want)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("artifact %v %v, want mode 0600", fi, err)
	}
	if di, err := os.Stat(filepath.Dir(path)); err != nil || di.Mode().Perm() != 0o700 {
		t.Fatalf("artifact directory %v %v, want mode 0700", di, err)
	}
	if path, err = p.WriteEvents(t.Context(), []event.Event{{Kind: "x"}}); err != nil || filepath.Base(path) != "events.jsonl.gz" {
		t.Fatalf("events artifact %s: %v", path, err)
	}
}
