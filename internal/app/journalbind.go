package app

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
)

// A journal's writes are requests for one primary. The sidecar file beside
// it (Path + ".upstreams") names that primary; at start a journal written
// for another primary is set aside as Path + ".held-<time>", never replayed
// by the drain loop, and a fresh journal takes its place. A person then
// replays the held one to a primary of their choosing or discards it (see
// heldjournal.go).

// kindJournalHeld is the event of a journal set aside at start.
const kindJournalHeld = "journal.held"

// journalBinding is a sidecar's content.
type journalBinding struct {
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

func bindingPath(journalPath string) string { return journalPath + ".upstreams" }

func readBinding(path string) (journalBinding, bool, error) {
	var b journalBinding
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return b, false, nil
	}
	if err != nil {
		return b, false, err
	}
	if err := json.Unmarshal(raw, &b); err != nil {
		return b, false, fmt.Errorf("%s: %w", path, err)
	}
	return b, true, nil
}

// writeBinding replaces the sidecar atomically, so a crash leaves the old
// binding or the new one.
func writeBinding(path string, b journalBinding) error {
	raw, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, append(raw, '\n'), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// sameURL compares base URLs as the configuration does: case and a
// trailing slash aside.
func sameURL(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

// bindJournal makes the journal at path the configured primary's: a
// journal without a sidecar (new, or older than sidecars) is adopted; one
// written for another primary is set aside.
func (a *App) bindJournal(path string) error {
	cur := journalBinding{Primary: a.cfg.Upstreams.Primary.URL, Fallback: a.cfg.Upstreams.Fallback.URL, Since: a.now()}
	old, ok, err := readBinding(bindingPath(path))
	if err != nil {
		return fmt.Errorf("app: journal binding: %w", err)
	}
	_, statErr := os.Stat(path)
	switch {
	case !ok || errors.Is(statErr, fs.ErrNotExist):
	case sameURL(old.Primary, cur.Primary):
		cur.Since = old.Since // the fallback may change: the writes are still this primary's
	default:
		if err := a.setAside(path, old); err != nil {
			return fmt.Errorf("app: journal of %s: %w", old.Primary, err)
		}
	}
	if err := writeBinding(bindingPath(path), cur); err != nil {
		return fmt.Errorf("app: journal binding: %w", err)
	}
	return nil
}

// setAside moves the journal and its companions to a held name and
// reports what they keep.
func (a *App) setAside(path string, old journalBinding) error {
	held := path + ".held-" + a.now().UTC().Format("20060102T150405.000Z")
	if err := journal.Move(path, held); err != nil {
		return err
	}
	if err := writeBinding(bindingPath(held), old); err != nil {
		return err
	}
	a.setAsidePath = held
	pending, err := heldPending(held)
	if err != nil {
		return err
	}
	a.sink.Emit(event.Event{Time: a.now(), Kind: kindJournalHeld, Source: "journal", Severity: event.Warning,
		Message: fmt.Sprintf("the journal was written for primary %s, not %s: kept at %s with %d writes not replayed; "+
			"replay them with `lifeboat journal replay --to URL`, or discard them with `lifeboat journal discard`",
			old.Primary, a.cfg.Upstreams.Primary.URL, held, pending),
		Fields: map[string]any{"path": held, "pending": pending, "found_primary": old.Primary,
			"found_fallback": old.Fallback, "primary": a.cfg.Upstreams.Primary.URL}})
	return nil
}

// heldPending counts the writes a held journal still has to replay.
func heldPending(path string) (int, error) {
	j, err := journal.Open(journal.Options{Path: path})
	if err != nil {
		return 0, err
	}
	n := j.Pending()
	return n, j.Close()
}

// heldPaths lists the journals set aside beside path that still wait for
// a person, oldest first.
func heldPaths(path string) ([]string, error) {
	matches, err := filepath.Glob(path + ".held-*")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, m := range matches {
		if !strings.HasSuffix(m, "Z") {
			continue // a companion: .sessions, .uploads, .upstreams
		}
		if b, ok, err := readBinding(bindingPath(m)); err == nil && ok && b.Resolved == "" {
			out = append(out, m)
		}
	}
	return out, nil
}

// staleIncidentReason is why an incident left open by the previous run is
// closed at start. When the stored state was another pair of upstreams',
// it says so, and a journal set aside from that run is tied to the
// incident, so that its discard is recorded there.
func (a *App) staleIncidentReason(id string) string {
	found, ok := a.engine.Foreign()
	if !ok {
		return "engine at L0 after restart"
	}
	if held := a.setAsidePath; held != "" {
		if b, ok, err := readBinding(bindingPath(held)); err == nil && ok {
			b.Incident = id
			if err := writeBinding(bindingPath(held), b); err != nil {
				a.log.Warn("cannot tie the held journal to its incident", "path", held, "incident", id, "err", err)
			}
		}
	}
	return fmt.Sprintf("upstreams changed: this incident was about primary %s and fallback %s; Lifeboat now fronts %s and %s",
		found.Upstreams.Primary, found.Upstreams.Fallback, a.cfg.Upstreams.Primary.URL, a.cfg.Upstreams.Fallback.URL)
}
