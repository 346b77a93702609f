package notify

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Ledger keeps a chain's state across restarts. Save replaces what Load
// returns; both see the state as opaque JSON-ready values.
type Ledger interface {
	Load() (map[string]json.RawMessage, error)
	Save(map[string]json.RawMessage) error
}

// FileLedger keeps the state in one JSON file, replaced atomically (a
// temporary file renamed over it), so a crash leaves the old state or the
// new, never half of one.
type FileLedger struct {
	// Path is the file. Required; its directory must exist.
	Path string
}

// Load reads the file; a missing file is an empty state.
func (f FileLedger) Load() (map[string]json.RawMessage, error) {
	raw, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]json.RawMessage{}, nil
	}
	if err != nil {
		return nil, err
	}
	var out map[string]json.RawMessage
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Path, err)
	}
	return out, nil
}

// Save writes the state.
func (f FileLedger) Save(on map[string]json.RawMessage) error {
	raw, err := json.Marshal(on)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(f.Path), ".notify-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.Write(raw)
	if err == nil {
		err = tmp.Sync() // the rename must not land before the data
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.Path)
}

// restore takes the tracks a ledger kept; an unreadable one is dropped,
// which at worst pages its tiers again.
func (c *Chain) restore(on map[string]json.RawMessage) {
	for id, raw := range on {
		var t track
		if json.Unmarshal(raw, &t) == nil {
			c.on[id] = &t
		}
	}
}

// persist saves the state when the call changed it. A failed save is
// reported through ChainSettings.OnLedgerError; paging goes on.
func (c *Chain) persist() {
	if !c.dirty || c.s.Ledger == nil {
		c.dirty = false
		return
	}
	c.dirty = false
	on := make(map[string]json.RawMessage, len(c.on))
	for id, t := range c.on {
		raw, err := json.Marshal(t)
		if err != nil {
			c.ledgerError(err)
			continue
		}
		on[id] = raw
	}
	if err := c.s.Ledger.Save(on); err != nil {
		c.ledgerError(err)
	}
}

func (c *Chain) ledgerError(err error) {
	if c.s.OnLedgerError != nil {
		c.s.OnLedgerError(fmt.Errorf("%w: %w", ErrLedger, err))
	}
}
