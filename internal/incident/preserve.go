package incident

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// KindPreserve is the event reporting one state-preservation action's
// result.
const KindPreserve = "incident.preserve"

// Records is what a Preserver needs of the incident record; *Recorder
// implements it.
type Records interface {
	// Flush waits until every event emitted so far is applied.
	Flush(ctx context.Context) error
	// Current returns the open incident, if any.
	Current() (id string, ok bool)
	// AddArtifact records a preserved file on an incident.
	AddArtifact(ctx context.Context, id, name, location string) error
}

// ActionRunner runs the preservation actions; *action.Runner implements it.
type ActionRunner interface {
	RunAll(ctx context.Context, specs []action.Spec, ac action.Context) []action.Result
}

// Preserver keeps the state of the primary's failure once per incident,
// when the primary is isolated (the plan's Phase 2): it runs the
// configured preservation actions, and writes artifacts under
// Dir/artifacts/<incident>. Set its fields before first use and do not
// copy it afterwards.
type Preserver struct {
	// Records is the incident record. Required.
	Records Records
	// Runner runs Actions. Required when Actions is not empty.
	Runner ActionRunner
	// Actions are the configured preservation actions. Default nil: none.
	Actions []action.Spec
	// Dir is the data directory. Required.
	Dir string
	// Events receives each action's result. Nil means none.
	Events event.Sink
	// Now stamps the events. Nil means time.Now.
	Now func() time.Time

	mu        sync.Mutex
	preserved string // the incident whose state was preserved
}

// Run preserves the open incident's state unless that was done already.
// It first lets the record catch up: the engine isolates the primary
// moments after the level change that opens the incident, usually before
// the recorder has written it, and asking for the open incident at once
// would find none and skip the preservation. It blocks while the actions
// run, so callers run it in the background: a slow snapshot must never
// delay the rollback.
func (p *Preserver) Run(ctx context.Context) {
	if err := p.Records.Flush(ctx); err != nil {
		return
	}
	id, ok := p.claim()
	if !ok {
		return
	}
	for _, r := range p.Runner.RunAll(ctx, p.Actions, action.Context{Incident: id, Reason: "state preservation"}) {
		p.report(r)
	}
}

// report emits one action's result. The event's source stays "app", where
// preservation used to live, so the log and the events read as before.
func (p *Preserver) report(r action.Result) {
	if p.Events == nil {
		return
	}
	sev, word := event.Info, "done"
	if !r.OK {
		sev, word = event.Warning, "failed"
	}
	p.Events.Emit(event.Event{Time: p.now(), Kind: KindPreserve, Source: "app", Severity: sev,
		Message: fmt.Sprintf("state preservation %s: %s", r.Name, word), Fields: map[string]any{"result": r}})
}

// Preserved marks an incident's state as preserved, as one resumed after
// a restart that already has artifacts: this run's (nearly empty) state
// must not overwrite it.
func (p *Preserver) Preserved(id string) {
	p.mu.Lock()
	p.preserved = id
	p.mu.Unlock()
}

// claim returns the open incident when its state has not been preserved
// yet, and marks it preserved.
func (p *Preserver) claim() (string, bool) {
	id, ok := p.Records.Current()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !ok || p.preserved == id {
		return "", false
	}
	p.preserved = id
	return id, true
}

func (p *Preserver) now() time.Time {
	if p.Now == nil {
		return time.Now()
	}
	return p.Now()
}

// artifactDir is where an incident's preserved state goes, readable by
// Lifeboat's user alone.
func (p *Preserver) artifactDir(id string) (string, error) {
	dir := filepath.Join(p.Dir, "artifacts", id)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("incident: artifacts: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return "", fmt.Errorf("incident: artifacts: %w", err)
	}
	return dir, nil
}
