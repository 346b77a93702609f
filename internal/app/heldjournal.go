package app

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// Kinds of the events of a person's decision on a held journal.
const (
	kindHeldReplayed  = "journal.held_replayed"
	kindHeldDiscarded = "journal.held_discarded"
)

// heldJournals implements admin.HeldJournals over the journals set aside
// beside the live one.
type heldJournals struct {
	a    *App
	path string // the live journal's; held ones are beside it
	// client replays to the primary a person names, with the upstreams'
	// TLS settings and without the drills' fault injector.
	client *http.Client
	// mu lets one decision run at a time: two replays of one journal would
	// send its writes twice.
	mu chan struct{}
}

func (a *App) newHeldJournals(path string) *heldJournals {
	return &heldJournals{a: a, path: path, mu: make(chan struct{}, 1),
		client: &http.Client{Timeout: 10 * time.Second, Transport: a.transport(proxy.TransportSettings{MaxIdleConnsPerHost: 8})}}
}

// heldView is one held journal as the admin API shows it.
type heldView struct {
	Path     string    `json:"path"`
	Primary  string    `json:"primary"`
	Fallback string    `json:"fallback"`
	Since    time.Time `json:"since"`
	Incident string    `json:"incident,omitempty"`
	Pending  int       `json:"pending"`
}

func (h *heldJournals) Held(ctx context.Context) (any, error) {
	unlock, err := h.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	paths, err := heldPaths(h.path)
	if err != nil {
		return nil, err
	}
	out := []heldView{}
	for _, p := range paths {
		v, err := h.view(p)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (h *heldJournals) view(p string) (heldView, error) {
	b, _, err := readBinding(bindingPath(p))
	if err != nil {
		return heldView{}, err
	}
	n, err := heldPending(p)
	return heldView{Path: p, Primary: b.Primary, Fallback: b.Fallback, Since: b.Since, Incident: b.Incident, Pending: n}, err
}

// pick resolves the path a call named, or the only held journal.
func (h *heldJournals) pick(path string) (string, error) {
	paths, err := heldPaths(h.path)
	switch {
	case err != nil:
		return "", err
	case path != "" && slices.Contains(paths, path):
		return path, nil
	case path != "":
		return "", fmt.Errorf("%w: %s", admin.ErrNoHeldJournal, path)
	case len(paths) == 0:
		return "", fmt.Errorf("%w: none is held", admin.ErrNoHeldJournal)
	case len(paths) > 1:
		return "", fmt.Errorf("%w: %v", admin.ErrWhichHeldJournal, paths)
	}
	return paths[0], nil
}

func (h *heldJournals) lock(ctx context.Context) (func(), error) {
	select {
	case h.mu <- struct{}{}:
		return func() { <-h.mu }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// begin takes the lock for a decision on the journal a call named (or the
// only one), and returns its path and the unlock.
func (h *heldJournals) begin(ctx context.Context, path string) (string, func(), error) {
	unlock, err := h.lock(ctx)
	if err != nil {
		return "", nil, err
	}
	if path, err = h.pick(path); err != nil {
		unlock()
		return "", nil, err
	}
	return path, unlock, nil
}

// ReplayHeld replays a held journal to the primary a person named, bounded
// by journal.replay_timeout. Once nothing is left it is marked replayed;
// its files stay for the record.
func (h *heldJournals) ReplayHeld(ctx context.Context, path, to, by string) (any, error) {
	path, unlock, err := h.begin(ctx, path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rep, err := h.replay(ctx, path, to)
	if err != nil {
		return nil, fmt.Errorf("app: replay of %s to %s: %w", path, to, err)
	}
	b, _, _ := readBinding(bindingPath(path))
	h.a.sink.Emit(event.Event{Time: h.a.now(), Kind: kindHeldReplayed, Source: "journal", Severity: event.Info,
		Message: fmt.Sprintf("held journal %s (written for %s) replayed to %s by %s: %d applied, %d already there, %d lost, %d waiting",
			path, b.Primary, to, by, rep.Replayed, rep.Already, rep.Failed, rep.Remaining),
		Fields: map[string]any{"path": path, "to": to, "by": by, "replayed": rep.Replayed, "already": rep.Already,
			"lost": rep.Failed, "remaining": rep.Remaining}})
	if rep.Remaining == 0 {
		b.Resolved = fmt.Sprintf("replayed to %s by %s at %s", to, by, h.a.now().UTC().Format(time.RFC3339))
		if err := writeBinding(bindingPath(path), b); err != nil {
			return nil, err
		}
	}
	return map[string]any{"path": path, "to": to, "replayed": rep.Replayed, "already": rep.Already,
		"lost": rep.Failed, "remaining": rep.Remaining}, nil
}

func (h *heldJournals) replay(ctx context.Context, path, to string) (journal.Report, error) {
	j, err := journal.Open(journal.Options{Path: path, Now: h.a.now, ReplayWorkers: h.a.cfg.Journal.ReplayWorkers})
	if err != nil {
		return journal.Report{}, err
	}
	defer j.Close()
	ctx, cancel := context.WithTimeout(ctx, h.a.cfg.Journal.ReplayTimeout)
	defer cancel()
	return j.Replay(ctx, journal.Target{BaseURL: to, Client: h.client})
}

// DiscardHeld marks a held journal given up, with who and why, on its
// incident when one was open, and as an event. The files stay on disk.
func (h *heldJournals) DiscardHeld(ctx context.Context, path, by, reason string) (any, error) {
	path, unlock, err := h.begin(ctx, path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	v, err := h.view(path)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("held journal %s discarded by %s: %d writes for primary %s will not be replayed (%s)",
		path, by, v.Pending, v.Primary, reason)
	fields := map[string]any{"path": path, "by": by, "reason": reason, "lost": v.Pending, "primary": v.Primary}
	if v.Incident != "" && h.a.inc != nil {
		if err := h.a.inc.recorder.Note(ctx, v.Incident, by, msg, fields); err != nil {
			return nil, err
		}
	}
	b, _, _ := readBinding(bindingPath(path))
	b.Resolved = fmt.Sprintf("discarded by %s at %s: %s", by, h.a.now().UTC().Format(time.RFC3339), reason)
	if err := writeBinding(bindingPath(path), b); err != nil {
		return nil, err
	}
	h.a.sink.Emit(event.Event{Time: h.a.now(), Kind: kindHeldDiscarded, Source: "journal", Severity: event.Warning,
		Message: msg, Fields: fields})
	return map[string]any{"path": path, "discarded": v.Pending, "incident": v.Incident}, nil
}

// heldOption is the admin API's view of the held journals: nil, not a
// typed nil, when the journal is off.
func (a *App) heldOption() admin.HeldJournals {
	if a.held == nil {
		return nil
	}
	return a.held
}
