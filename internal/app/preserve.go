package app

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// errNoIncident means a preservation built-in ran with no incident open.
var errNoIncident = errors.New("no incident is open")

// preserve runs the configured state-preservation actions once per
// incident, when the primary is isolated (the plan's Phase 2). It runs in
// the background so a slow snapshot never delays the rollback. It first
// lets the recorder catch up: the engine isolates the primary moments
// after the level change that opens the incident, usually before the
// recorder has written it, and asking for the open incident at once would
// find none and skip the preservation.
func (a *App) preserve() {
	a.mu.Lock()
	ctx := a.runCtx
	a.mu.Unlock()
	if ctx == nil || ctx.Err() != nil {
		return
	}
	a.wg.Go(func() {
		if err := a.inc.recorder.Flush(ctx); err != nil {
			return
		}
		id, ok := a.claimPreservation()
		if !ok {
			return
		}
		specs, _ := actionSpecs(a.cfg.Incidents.Preserve)
		for _, r := range a.runner.RunAll(ctx, specs, action.Context{Incident: id, Reason: "state preservation"}) {
			sev := event.Info
			if !r.OK {
				sev = event.Warning
			}
			a.sink.Emit(event.Event{Time: a.now(), Kind: "incident.preserve", Source: "app", Severity: sev,
				Message: fmt.Sprintf("state preservation %s: %s", r.Name, okText(r.OK)), Fields: map[string]any{"result": r}})
		}
	})
}

// claimPreservation returns the open incident when its state has not been
// preserved yet, and marks it preserved.
func (a *App) claimPreservation() (string, bool) {
	id, ok := a.inc.recorder.Current()
	a.mu.Lock()
	defer a.mu.Unlock()
	if !ok || a.preserved == id {
		return "", false
	}
	a.preserved = id
	return id, true
}

func okText(ok bool) string {
	if ok {
		return "done"
	}
	return "failed"
}

// artifactDir is where an incident's preserved state goes.
func (a *App) artifactDir(id string) (string, error) {
	dir := filepath.Join(a.cfg.Escalation.DataDir, "artifacts", id)
	return dir, ensureDir(dir)
}

// builtinExportConfig writes the effective configuration, secrets
// redacted, as an artifact of the open incident.
func (a *App) builtinExportConfig(ctx context.Context, _ map[string]any) (string, error) {
	data, err := yaml.Marshal(a.cfg)
	if err != nil {
		return "", err
	}
	return a.writeArtifact(ctx, "config", "effective-config.yaml", func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// builtinArchiveEvents writes Lifeboat's recent events, its own log of
// what happened, as gzipped JSON lines.
func (a *App) builtinArchiveEvents(ctx context.Context, _ map[string]any) (string, error) {
	events := a.events.Recent(1 << 20)
	return a.writeArtifact(ctx, "events", "events.jsonl.gz", func(f *os.File) error {
		zw := gzip.NewWriter(f)
		enc := json.NewEncoder(zw)
		for _, e := range events {
			if err := enc.Encode(e); err != nil {
				return err
			}
		}
		return zw.Close()
	})
}

// writeArtifact writes one file durably and records it on the incident.
func (a *App) writeArtifact(ctx context.Context, name, file string, write func(*os.File) error) (string, error) {
	id, ok := a.inc.recorder.Current()
	if !ok {
		return "", errNoIncident
	}
	dir, err := a.artifactDir(id)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, file)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return "", err
	}
	if err := write(f); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := a.inc.recorder.AddArtifact(ctx, id, name, path); err != nil {
		return "", err
	}
	return path, nil
}

// ensureDir makes a data directory readable by Lifeboat's user alone: it
// holds incidents, callers' addresses and the configuration. A directory
// left more open by an older version is tightened.
func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("app: data directory: %w", err)
	}
	if err := os.Chmod(dir, 0o700); err != nil {
		return fmt.Errorf("app: data directory: %w", err)
	}
	return nil
}
