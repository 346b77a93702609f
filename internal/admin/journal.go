package admin

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
)

// HeldJournals are journals set aside at start because their writes were
// made for another primary. They are never replayed by themselves: a
// person replays one to a primary they name, or discards it.
type HeldJournals interface {
	// Held lists the journals waiting for a person.
	Held(ctx context.Context) (any, error)
	// ReplayHeld replays the held journal at path ("" when there is only
	// one) to the primary at to.
	ReplayHeld(ctx context.Context, path, to, by string) (any, error)
	// DiscardHeld gives the held journal up, recorded on its incident.
	DiscardHeld(ctx context.Context, path, by, reason string) (any, error)
}

// ErrNoHeldJournal means there is no held journal at the path asked for,
// or none at all. Implementations wrap it.
var ErrNoHeldJournal = errors.New("no such held journal")

// ErrWhichHeldJournal means several journals are held and the call named
// none. Implementations wrap it.
var ErrWhichHeldJournal = errors.New("several journals are held; name one with path")

var errJournalOff = &callError{status: http.StatusNotFound, code: "NOT_FOUND", field: "journal",
	msg: "the write journal is off (journal.enabled: false)"}

func (a *API) journalRoutes() {
	a.handle("GET /admin/journal/held", a.heldJournals)
	a.handle("POST /admin/journal/held/replay", a.replayHeld)
	a.handle("POST /admin/journal/held/discard", a.discardHeld)
}

func (a *API) heldJournals(r *http.Request) (any, error) {
	if a.o.Held == nil {
		return nil, errJournalOff
	}
	return a.o.Held.Held(r.Context())
}

type replayHeldRequest struct {
	Path *string `json:"path"`
	To   *string `json:"to"`
	By   *string `json:"by"`
}

// replayHeld is {"to": "https://openviking:1933", "by": "alice", "path": …}.
func (a *API) replayHeld(r *http.Request) (any, error) {
	if a.o.Held == nil {
		return nil, errJournalOff
	}
	var in replayHeldRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	by, err := nameOf("by", in.By)
	if err != nil {
		return nil, err
	}
	if in.To == nil {
		return nil, bad("to", "is required: the base URL of the primary to replay to")
	}
	if u, err := url.Parse(*in.To); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, bad("to", "must be an absolute http or https URL, got %q", *in.To)
	}
	res, err := a.o.Held.ReplayHeld(r.Context(), deref(in.Path), *in.To, by)
	if err != nil {
		return nil, heldErr(err)
	}
	return res, nil
}

type discardHeldRequest struct {
	Path   *string `json:"path"`
	By     *string `json:"by"`
	Reason *string `json:"reason"`
}

// discardHeld is {"by": "alice", "reason": "the old deployment is gone", "path": …}.
func (a *API) discardHeld(r *http.Request) (any, error) {
	if a.o.Held == nil {
		return nil, errJournalOff
	}
	var in discardHeldRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	by, err := nameOf("by", in.By)
	if err != nil {
		return nil, err
	}
	if in.Reason == nil || strings.TrimSpace(*in.Reason) == "" {
		return nil, bad("reason", "is required: why these writes may be lost")
	}
	res, err := a.o.Held.DiscardHeld(r.Context(), deref(in.Path), by, *in.Reason)
	if err != nil {
		return nil, heldErr(err)
	}
	return res, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// heldErr maps the held journals' refusals to statuses.
func heldErr(err error) error {
	switch {
	case errors.Is(err, ErrNoHeldJournal):
		return &callError{status: http.StatusNotFound, code: "NOT_FOUND", field: "path", msg: err.Error()}
	case errors.Is(err, ErrWhichHeldJournal):
		return &callError{status: http.StatusBadRequest, code: "INVALID_ARGUMENT", field: "path", msg: err.Error()}
	}
	return err
}
