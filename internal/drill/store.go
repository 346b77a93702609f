package drill

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// StoreFile is the drill history's file name inside its directory.
const StoreFile = "drills.jsonl"

// Store keeps drill results as JSON lines in one file, by default beside
// the gateway's own state (escalation.data_dir), one line per drill in the
// order they ran. A line is written whole and synced before Append
// returns, so a crash loses at most the drill being written, and the file
// can be read, copied or grepped without Lifeboat.
type Store struct {
	path string
	mu   sync.Mutex // serialises appends from one process
}

// NewStore keeps the history in dir/drills.jsonl; dir is created on the
// first Append.
func NewStore(dir string) *Store { return &Store{path: filepath.Join(dir, StoreFile)} }

// Path is the history file.
func (s *Store) Path() string { return s.path }

// Record is one drill as the history keeps it: its whole Result, which
// holds figures and summaries, never the load's raw series.
type Record = Result

// Append adds r to the history.
func (s *Store) Append(r Record) error {
	line, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStore, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(s.path), 0o750); err != nil {
		return fmt.Errorf("%w: %w", ErrStore, err)
	}
	f, err := os.OpenFile(s.path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrStore, err)
	}
	_, err = f.Write(append(line, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrStore, s.path, err)
	}
	return nil
}

// Load reads the whole history, oldest first; a missing file is an empty
// history. A line that does not parse is an error naming it, except a
// last line cut short by a crash, which is skipped.
func (s *Store) Load() ([]Record, error) {
	data, err := os.ReadFile(s.path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrStore, err)
	}
	var out []Record
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var r Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			if n == countLines(data) && !bytes.HasSuffix(data, []byte("\n")) {
				break
			}
			return nil, fmt.Errorf("%w: %s line %d: %w", ErrStore, s.path, n, err)
		}
		out = append(out, r)
	}
	return out, sc.Err()
}

func countLines(data []byte) int {
	return bytes.Count(bytes.TrimSuffix(data, []byte("\n")), []byte("\n")) + 1
}

// keep appends the result to the store, when there is one.
func (d *run) keep() error {
	if d.o.Store == nil {
		return nil
	}
	if err := d.o.Store.Append(d.res); err != nil {
		return err
	}
	d.say("result kept in %s", d.o.Store.Path())
	return nil
}

// recovery is the drill's recovery time, when it was measured.
func (r Record) recovery() (time.Duration, bool) {
	f, ok := r.Figure("recovery")
	if !ok || !f.Measured {
		return 0, false
	}
	return f.Duration(), true
}
