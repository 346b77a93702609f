package incident

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// ErrNoIncident is returned when an artifact is written with no incident
// open. Its text has no package prefix because a preservation action
// reports it as its result, which reads as it always has.
var ErrNoIncident = errors.New("no incident is open")

// WriteConfig writes the effective configuration, already rendered with
// its secrets redacted, as an artifact of the open incident.
func (p *Preserver) WriteConfig(ctx context.Context, yaml []byte) (string, error) {
	return p.WriteArtifact(ctx, "config", "effective-config.yaml", func(f *os.File) error {
		_, err := f.Write(yaml)
		return err
	})
}

// WriteEvents writes Lifeboat's recent events, its own log of what
// happened, as gzipped JSON lines.
func (p *Preserver) WriteEvents(ctx context.Context, events []event.Event) (string, error) {
	return p.WriteArtifact(ctx, "events", "events.jsonl.gz", func(f *os.File) error {
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

// WriteArtifact writes one file of the open incident durably, named file
// in its artifact directory, and records it on the incident as name.
func (p *Preserver) WriteArtifact(ctx context.Context, name, file string, write func(*os.File) error) (string, error) {
	id, ok := p.Records.Current()
	if !ok {
		return "", ErrNoIncident
	}
	dir, err := p.artifactDir(id)
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, file)
	if err := writeSynced(path, write); err != nil {
		return "", err
	}
	if err := p.Records.AddArtifact(ctx, id, name, path); err != nil {
		return "", err
	}
	return path, nil
}

// writeSynced writes path and syncs it before closing, so a recorded
// artifact survives a crash.
func writeSynced(path string, write func(*os.File) error) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

var _ Records = (*Recorder)(nil)
