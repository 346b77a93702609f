package level

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// FileStore keeps the state in one JSON file, replaced atomically: written
// to a temporary file, synced, renamed over the old one, and the directory
// synced, so a crash leaves either the old state or the new one.
type FileStore struct {
	Path string
}

// Load reads the state; ok is false when none was saved yet.
func (f FileStore) Load() (State, bool, error) {
	b, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return State{}, false, nil
	}
	if err != nil {
		return State{}, false, err
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return State{}, false, fmt.Errorf("%s: %w", f.Path, err)
	}
	return st, true, nil
}

// Save writes the state durably.
func (f FileStore) Save(st State) error {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(f.Path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".level-*.json")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), f.Path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// MemStore keeps the state in memory, for tests and dry runs.
type MemStore struct {
	mu sync.Mutex
	st State
	ok bool
}

// Load returns the saved state.
func (m *MemStore) Load() (State, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.st, m.ok, nil
}

// Save remembers st.
func (m *MemStore) Save(st State) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.st, m.ok = st, true
	return nil
}
