package fallback

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
)

// KindHeld is the event of a journal set aside at start because it was
// written for another primary.
const KindHeld = "journal.held"

// replayClientTimeout bounds each request of a replay.
const replayClientTimeout = 10 * time.Second

// JournalOptions configure OpenJournal.
type JournalOptions struct {
	// Path is the live journal's file; its directory must exist. Required.
	Path string
	// Primary and Fallback are the configured upstreams' URLs, which the
	// journal is bound to. Required.
	Primary, Fallback string
	// ToPrimary carries the drain loop's replays to Primary: the fault
	// injector, so a drill's fault holds replays back as it holds
	// clients. Required.
	ToPrimary http.RoundTripper
	// Ready reports whether the primary may take the journaled writes now
	// (see journal.DrainOptions). Required.
	Ready func() bool
	// DrainEvery is how often the drain loop looks without being woken.
	// Default 0 (or less): journal.DefaultDrainEvery.
	DrainEvery time.Duration
	// ReplayTimeout bounds one replay, of the live journal or of a held
	// one. Default 0 (or less): journal.DefaultReplayTimeout.
	ReplayTimeout time.Duration
	// ReplayWorkers is how many lanes a replay runs at once. Default 0
	// (or less): the journal's default.
	ReplayWorkers int
	// HeldClient carries a held journal's replay to the primary a person
	// names, which drills' faults have nothing to do with. Default nil: a
	// client with a 10 s timeout over http.DefaultTransport.
	HeldClient *http.Client
	// Note records a held journal's discard on the incident it was set
	// aside during. Default nil: the discard is only an event.
	Note NoteFunc
	// Events receives the journal's events. It must not block. Default
	// nil: none.
	Events event.Sink
	// Now is the clock of the journal, its binding and its events.
	// Default nil: time.Now.
	Now func() time.Time
	// Shared keeps the journal's records in a replicated log (cluster
	// mode; see journal.Options.Shared). Default nil: the local file.
	Shared journal.Shared
}

// NoteFunc records a note by a person on an incident, as
// incident.Recorder.Note does.
type NoteFunc func(ctx context.Context, incident, by, msg string, fields map[string]any) error

// Journal is the fallback side's write journal with what runs around it:
// its drain loop, and the journals set aside for another primary.
type Journal struct {
	// Log is the live journal, which Transport puts in front of the
	// translation.
	Log *journal.Journal
	// Drainer replays Log; its Run is the owner's to start.
	Drainer *journal.Drainer
	// Held are the journals set aside beside Log, for the admin API.
	Held *Held
	// setAside is the journal this start set aside, "" when none.
	setAside string
}

// OpenJournal binds the journal at o.Path to o.Primary, setting aside one
// written for another primary, and opens it with its drainer and held
// journals. Close closes it.
func OpenJournal(o JournalOptions) (*Journal, error) {
	o = o.withDefaults()
	held, err := bind(o)
	if err != nil {
		return nil, err
	}
	bell := journal.NewBell()
	lg, err := journal.Open(journal.Options{Path: o.Path, Now: o.Now, OnAppend: bell.Ring, ReplayWorkers: o.ReplayWorkers, Shared: o.Shared,
		OnConflict: func(c journal.Conflict) { o.Events.Emit(journal.ConflictEvent(c, o.Now())) }})
	if err != nil {
		return nil, fmt.Errorf("fallback: journal: %w", err)
	}
	target := journal.Target{BaseURL: o.Primary, Client: &http.Client{Transport: o.ToPrimary, Timeout: replayClientTimeout}}
	d := journal.NewDrainer(lg, journal.DrainOptions{Target: target, Ready: o.Ready, Every: o.DrainEvery,
		Timeout: o.ReplayTimeout, Wake: bell, Events: o.Events, Now: o.Now})
	return &Journal{Log: lg, Drainer: d, Held: newHeld(o), setAside: held}, nil
}

func (o JournalOptions) withDefaults() JournalOptions {
	if o.DrainEvery <= 0 {
		o.DrainEvery = journal.DefaultDrainEvery
	}
	if o.ReplayTimeout <= 0 {
		o.ReplayTimeout = journal.DefaultReplayTimeout
	}
	if o.HeldClient == nil {
		o.HeldClient = &http.Client{Timeout: replayClientTimeout}
	}
	if o.Events == nil {
		o.Events = event.SinkFunc(func(event.Event) {})
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// bind makes the journal o.Path o.Primary's, and reports a journal set
// aside, whose path it returns.
func bind(o JournalOptions) (string, error) {
	held, old, err := journal.Bind(o.Path, journal.Binding{Primary: o.Primary, Fallback: o.Fallback, Since: o.Now()})
	if err != nil {
		return "", fmt.Errorf("fallback: journal binding: %w", err)
	}
	if held == "" {
		return "", nil
	}
	pending, err := journal.PendingAt(held)
	if err != nil {
		return "", fmt.Errorf("fallback: journal of %s: %w", old.Primary, err)
	}
	o.Events.Emit(event.Event{Time: o.Now(), Kind: KindHeld, Source: "journal", Severity: event.Warning,
		Message: fmt.Sprintf("the journal was written for primary %s, not %s: kept at %s with %d writes not replayed; "+
			"replay them with `lifeboat journal replay --to URL`, or discard them with `lifeboat journal discard`",
			old.Primary, o.Primary, held, pending),
		Fields: map[string]any{"path": held, "pending": pending, "found_primary": old.Primary,
			"found_fallback": old.Fallback, "primary": o.Primary}})
	return held, nil
}

// TieIncident ties the journal this start set aside, if any, to the
// incident id, left open by the previous run, so that its discard is
// recorded there.
func (j *Journal) TieIncident(id string) error {
	if j.setAside == "" {
		return nil
	}
	b, ok, err := journal.ReadBinding(j.setAside)
	if err != nil || !ok {
		return nil // nothing to tie: the held journal lists no incident
	}
	b.Incident = id
	return journal.WriteBinding(j.setAside, b)
}

// Stats is /status's journal section.
func (j *Journal) Stats() any { return j.Log.Stats() }

// Close closes the live journal.
func (j *Journal) Close() error { return j.Log.Close() }
