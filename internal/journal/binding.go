package journal

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// A journal's writes are requests for one primary. The sidecar file
// beside it (path + ".upstreams") names that primary; a journal written
// for another primary is set aside as path + ".held-<time>" (see Bind),
// never replayed by a drainer, and a fresh journal takes its place. A
// person then replays the held one to a primary of their choosing or
// discards it.

// bindingSuffix names a journal's sidecar.
const bindingSuffix = ".upstreams"

// Binding is a sidecar's content: the upstreams a journal's writes were
// made for, and what became of a journal set aside.
type Binding struct {
	Primary  string    `json:"primary"`
	Fallback string    `json:"fallback"`
	Since    time.Time `json:"since"`
	// Incident is the incident open when the journal was set aside, which
	// its discard is recorded on. Empty when none was open.
	Incident string `json:"incident,omitempty"`
	// Resolved says what a person did with a held journal; empty while it
	// waits for one.
	Resolved string `json:"resolved,omitempty"`
}

// ReadBinding reads the sidecar of the journal at path; ok is false when
// there is none.
func ReadBinding(path string) (b Binding, ok bool, err error) {
	raw, err := os.ReadFile(path + bindingSuffix)
	if errors.Is(err, fs.ErrNotExist) {
		return b, false, nil
	}
	if err != nil {
		return b, false, fmt.Errorf("journal: %w", err)
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return b, false, fmt.Errorf("journal: %s: %w", path+bindingSuffix, err)
	}
	return b, true, nil
}

// WriteBinding replaces the sidecar of the journal at path atomically, so
// a crash leaves the old binding or the new one.
func WriteBinding(path string, b Binding) error {
	raw, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	side := path + bindingSuffix
	if err := os.WriteFile(side+".tmp", append(raw, '\n'), 0o600); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	if err := os.Rename(side+".tmp", side); err != nil {
		return fmt.Errorf("journal: %w", err)
	}
	return nil
}

// Bind makes the journal at path cur's primary's. A journal without a
// sidecar (new, or older than sidecars) is adopted; one written for the
// same primary keeps its Since, since the fallback may change and the
// writes are still that primary's; one written for another primary is
// moved, with its files and its binding, to path + ".held-" + the time
// cur.Since, and held names where. The journal must not be open.
func Bind(path string, cur Binding) (held string, old Binding, err error) {
	old, ok, err := ReadBinding(path)
	if err != nil {
		return "", old, err
	}
	_, statErr := os.Stat(path)
	switch {
	case !ok || errors.Is(statErr, fs.ErrNotExist):
	case sameURL(old.Primary, cur.Primary):
		cur.Since = old.Since
	default:
		held = path + ".held-" + cur.Since.UTC().Format("20060102T150405.000Z")
		if err := setAside(path, held, old); err != nil {
			return "", old, fmt.Errorf("journal of %s: %w", old.Primary, err)
		}
	}
	return held, old, WriteBinding(path, cur)
}

// setAside moves the journal at path to held, with its binding.
func setAside(path, held string, b Binding) error {
	if err := Move(path, held); err != nil {
		return err
	}
	return WriteBinding(held, b)
}

// sameURL compares base URLs as the configuration does: case and a
// trailing slash aside.
func sameURL(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

// HeldBeside lists the journals set aside beside the journal at path
// that still wait for a person, oldest first.
func HeldBeside(path string) ([]string, error) {
	matches, err := filepath.Glob(path + ".held-*")
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	var out []string
	for _, m := range matches {
		if !strings.HasSuffix(m, "Z") {
			continue // a companion: .sessions, .uploads, .upstreams
		}
		if b, ok, err := ReadBinding(m); err == nil && ok && b.Resolved == "" {
			out = append(out, m)
		}
	}
	return out, nil
}

// PendingAt counts the writes the journal at path, which must not be
// open, still has to replay.
func PendingAt(path string) (int, error) {
	j, err := Open(Options{Path: path})
	if err != nil {
		return 0, err
	}
	n := j.Pending()
	return n, j.Close()
}
