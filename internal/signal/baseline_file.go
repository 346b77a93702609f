package signal

import (
	"encoding/json"
	"fmt"
	"os"
)

// The latency baseline is what "normal" looked like; it is kept in a file
// beside the level state so a restart mid-incident still judges against it.

// Load replaces the learned state with the file at path, written by Save.
// A file it cannot read, usually one not written yet, leaves the state
// alone and is no error: nothing was learned before.
func (b *Baseline) Load(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	if err := json.Unmarshal(data, b); err != nil {
		return fmt.Errorf("signal: latency baseline %s: %w", path, err)
	}
	return nil
}

// Save writes the learned state to path, readable by Lifeboat's user
// alone, replacing the file at once so a crash leaves the old one whole.
// The directory must exist.
func (b *Baseline) Save(path string) error {
	data, err := json.Marshal(b)
	if err != nil {
		return fmt.Errorf("signal: latency baseline: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("signal: latency baseline: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("signal: latency baseline: %w", err)
	}
	return nil
}
