package app

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// errNoIncident means a preservation built-in ran with no incident open.
var errNoIncident = errors.New("no incident is open")

// preserve runs the configured state-preservation actions once per
// incident, when the primary is isolated (the plan's Phase 2). It runs in
// the background so a slow snapshot never delays the rollback.
func (a *App) preserve() {
	id, ok := a.inc.recorder.Current()
	a.mu.Lock()
	if !ok || a.preserved == id || a.runCtx == nil {
		a.mu.Unlock()
		return
	}
	a.preserved = id
	ctx := a.runCtx
	a.mu.Unlock()
	specs, _ := actionSpecs(a.cfg.Incidents.Preserve)
	a.wg.Go(func() {
		for _, r := range a.runner.RunAll(ctx, specs, action.Context{Incident: id, Reason: "state preservation"}) {
			sev := event.Info
			if !r.OK {
				sev = event.Warning
			}
			a.sink.Emit(event.Event{Time: time.Now(), Kind: "incident.preserve", Source: "app", Severity: sev,
				Message: fmt.Sprintf("state preservation %s: %s", r.Name, okText(r.OK)), Fields: map[string]any{"result": r}})
		}
	})
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
	f, err := os.Create(path)
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

func ensureDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("app: data directory: %w", err)
	}
	return nil
}
