package app

import (
	"context"
	"fmt"
	"os"

	"go.yaml.in/yaml/v3"
)

// preserve runs the incident's state preservation in the background when
// the primary is isolated, so a slow snapshot never delays the rollback;
// the app's wait group owns the goroutine and Stop ends it.
func (a *App) preserve() {
	a.mu.Lock()
	ctx := a.runCtx
	a.mu.Unlock()
	if ctx == nil || ctx.Err() != nil || a.preserver == nil {
		return
	}
	a.wg.Go(func() { a.preserver.Run(ctx) })
}

// builtinExportConfig writes the effective configuration, secrets
// redacted, as an artifact of the open incident.
func (a *App) builtinExportConfig(ctx context.Context, _ map[string]any) (string, error) {
	data, err := yaml.Marshal(a.cfg)
	if err != nil {
		return "", err
	}
	return a.preserver.WriteConfig(ctx, data)
}

// builtinArchiveEvents writes Lifeboat's recent events as an artifact of
// the open incident.
func (a *App) builtinArchiveEvents(ctx context.Context, _ map[string]any) (string, error) {
	return a.preserver.WriteEvents(ctx, a.events.Recent(1<<20))
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
