package fallback

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
)

// Kinds of the events of a person's decision on a held journal.
const (
	KindHeldReplayed  = "journal.held_replayed"
	KindHeldDiscarded = "journal.held_discarded"
)

// Held are the journals set aside beside the live one, as the admin API
// lists, replays and discards them.
type Held struct {
	path    string // the live journal's; held ones are beside it
	client  *http.Client
	timeout time.Duration
	workers int
	note    NoteFunc
	events  event.Sink
	now     func() time.Time
	// mu lets one decision run at a time: two replays of one journal would
	// send its writes twice.
	mu chan struct{}
}

var _ admin.HeldJournals = (*Held)(nil)

func newHeld(o JournalOptions) *Held {
	return &Held{path: o.Path, client: o.HeldClient, timeout: o.ReplayTimeout, workers: o.ReplayWorkers,
		note: o.Note, events: o.Events, now: o.Now, mu: make(chan struct{}, 1)}
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

// Held lists the journals waiting for a person.
func (h *Held) Held(ctx context.Context) (any, error) {
	unlock, err := h.lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	paths, err := journal.HeldBeside(h.path)
	if err != nil {
		return nil, err
	}
	out := []heldView{}
	for _, p := range paths {
		v, err := view(p)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func view(p string) (heldView, error) {
	b, _, err := journal.ReadBinding(p)
	if err != nil {
		return heldView{}, err
	}
	n, err := journal.PendingAt(p)
	return heldView{Path: p, Primary: b.Primary, Fallback: b.Fallback, Since: b.Since, Incident: b.Incident, Pending: n}, err
}

// pick resolves the path a call named, or the only held journal.
func (h *Held) pick(path string) (string, error) {
	paths, err := journal.HeldBeside(h.path)
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

func (h *Held) lock(ctx context.Context) (func(), error) {
	select {
	case h.mu <- struct{}{}:
		return func() { <-h.mu }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// begin takes the lock for a decision on the journal a call named (or the
// only one), and returns its path and the unlock.
func (h *Held) begin(ctx context.Context, path string) (string, func(), error) {
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
// by the replay timeout. Once nothing is left it is marked replayed; its
// files stay for the record.
func (h *Held) ReplayHeld(ctx context.Context, path, to, by string) (any, error) {
	path, unlock, err := h.begin(ctx, path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	rep, err := h.replay(ctx, path, to)
	if err != nil {
		return nil, fmt.Errorf("fallback: replay of %s to %s: %w", path, to, err)
	}
	b, _, _ := journal.ReadBinding(path)
	h.events.Emit(event.Event{Time: h.now(), Kind: KindHeldReplayed, Source: "journal", Severity: event.Info,
		Message: fmt.Sprintf("held journal %s (written for %s) replayed to %s by %s: %d applied, %d already there, %d lost, %d waiting",
			path, b.Primary, to, by, rep.Replayed, rep.Already, rep.Failed, rep.Remaining),
		Fields: map[string]any{"path": path, "to": to, "by": by, "replayed": rep.Replayed, "already": rep.Already,
			"lost": rep.Failed, "remaining": rep.Remaining}})
	if rep.Remaining == 0 {
		b.Resolved = fmt.Sprintf("replayed to %s by %s at %s", to, by, h.now().UTC().Format(time.RFC3339))
		if err := journal.WriteBinding(path, b); err != nil {
			return nil, err
		}
	}
	return map[string]any{"path": path, "to": to, "replayed": rep.Replayed, "already": rep.Already,
		"lost": rep.Failed, "remaining": rep.Remaining}, nil
}

func (h *Held) replay(ctx context.Context, path, to string) (journal.Report, error) {
	j, err := journal.Open(journal.Options{Path: path, Now: h.now, ReplayWorkers: h.workers})
	if err != nil {
		return journal.Report{}, err
	}
	defer j.Close()
	ctx, cancel := context.WithTimeout(ctx, h.timeout)
	defer cancel()
	return j.Replay(ctx, journal.Target{BaseURL: to, Client: h.client})
}

// DiscardHeld marks a held journal given up, with who and why, on its
// incident when one was open, and as an event. The files stay on disk.
func (h *Held) DiscardHeld(ctx context.Context, path, by, reason string) (any, error) {
	path, unlock, err := h.begin(ctx, path)
	if err != nil {
		return nil, err
	}
	defer unlock()
	v, err := view(path)
	if err != nil {
		return nil, err
	}
	msg := fmt.Sprintf("held journal %s discarded by %s: %d writes for primary %s will not be replayed (%s)",
		path, by, v.Pending, v.Primary, reason)
	fields := map[string]any{"path": path, "by": by, "reason": reason, "lost": v.Pending, "primary": v.Primary}
	if v.Incident != "" && h.note != nil {
		if err := h.note(ctx, v.Incident, by, msg, fields); err != nil {
			return nil, err
		}
	}
	b, _, _ := journal.ReadBinding(path)
	b.Resolved = fmt.Sprintf("discarded by %s at %s: %s", by, h.now().UTC().Format(time.RFC3339), reason)
	if err := journal.WriteBinding(path, b); err != nil {
		return nil, err
	}
	h.events.Emit(event.Event{Time: h.now(), Kind: KindHeldDiscarded, Source: "journal", Severity: event.Warning,
		Message: msg, Fields: fields})
	return map[string]any{"path": path, "discarded": v.Pending, "incident": v.Incident}, nil
}
