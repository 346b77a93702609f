package incident

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Options configure a Recorder. The zero value works.
type Options struct {
	// Now is the clock for entries people add and for measuring an open
	// incident. Default time.Now.
	Now func() time.Time
	// QueueSize bounds the events waiting to be written; Emit drops events
	// beyond it rather than wait. Default 4096.
	QueueSize int
	// OnChange is told, after the write committed, when an incident opens,
	// changes level or rollback verdict, is acknowledged or is resolved;
	// the notifiers hang off it. It runs on the writer goroutine (or the
	// caller's, for Ack and Resolve), must return quickly and must not call
	// Flush, which would wait for itself. Nil: nobody is told.
	OnChange func(Change)
	// OnEntry is told, after the write committed, the incident every new
	// timeline entry joined, whatever wrote it (the engines' events, Ack,
	// Tick, artifacts, notes, Resolve), so a cluster's decider can publish
	// each entry rather than lose the ones since its last publish when it
	// dies. Imports do not tell it. It runs on the writing goroutine, must
	// return quickly and must not call Flush. Nil: nobody is told.
	OnEntry func(id string)
	// OnError is told when a write fails; the event is then lost. Nil:
	// failures are only counted in Stats.
	OnError func(error)
	// Downtime returns the user-visible downtime within [start, end], from
	// the per-second client error history. Nil: downtime is not measured.
	Downtime func(start, end time.Time) (time.Duration, bool)
	// DataLoss returns the acknowledged session writes of an incident and
	// how many were lost, from the write journal's entries on its
	// timeline. Nil: not measured.
	DataLoss func(inc Incident) (lost, total int, ok bool)
}

// ChangeKind says what happened to an incident.
type ChangeKind string

// Changes reported to Options.OnChange.
const (
	Opened   ChangeKind = "opened"
	Updated  ChangeKind = "updated" // level or rollback verdict changed
	Acked    ChangeKind = "acked"
	Resolved ChangeKind = "resolved"
)

// Change is one report to Options.OnChange.
type Change struct {
	Kind ChangeKind `json:"kind"`
	// Incident is the incident after the change, with metrics but without
	// timeline, checklists and artifacts.
	Incident Incident `json:"incident"`
	// Entry is the timeline entry that caused the change.
	Entry Entry `json:"entry"`
}

// Stats count the Recorder's work since it started.
type Stats struct {
	Queued  int64 `json:"queued"`  // waiting to be written
	Written int64 `json:"written"` // events handled by the writer, stored or not
	Dropped int64 `json:"dropped"` // refused because the queue was full
	Failed  int64 `json:"failed"`  // lost to a failed write
}

// Recorder turns the engines' events into incidents. It is an event.Sink:
// Emit only queues, and the goroutine running Run writes, in order, so a
// slow disk never holds up the engines.
type Recorder struct {
	s *Store
	o Options
	q chan op

	written, dropped, failed atomic.Int64

	mu  sync.Mutex
	cur string // the open incident, "" when none

	// Owned by the writer goroutine.
	pending []Entry // trigger.fired events of the last minute with no incident open
}

// op is an event to record, or a flush marker to close once reached.
type op struct {
	e     event.Event
	flush chan struct{}
}

// NewRecorder records into s. An incident left open by an earlier run
// stays open and keeps recording.
func NewRecorder(s *Store, o Options) *Recorder {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.QueueSize <= 0 {
		o.QueueSize = 4096
	}
	r := &Recorder{s: s, o: o, q: make(chan op, o.QueueSize)}
	id, _, err := s.openID(context.Background())
	r.fail(err)
	r.cur = id
	return r
}

// Emit queues e for the writer and returns at once; when the queue is
// full, e is dropped and counted. The caller must not change e.Fields
// afterwards.
func (r *Recorder) Emit(e event.Event) {
	if e.Time.IsZero() {
		e.Time = r.o.Now()
	}
	select {
	case r.q <- op{e: e}:
	default:
		r.dropped.Add(1)
	}
}

// Run writes queued events until ctx ends, then writes what is still
// queued and returns. Call it once; the caller owns the goroutine.
func (r *Recorder) Run(ctx context.Context) {
	// Writes outlive ctx so an event being written at shutdown commits.
	wctx := context.WithoutCancel(ctx)
	for {
		select {
		case <-ctx.Done():
			r.drain(wctx)
			return
		case o := <-r.q:
			r.do(wctx, o)
		}
	}
}

func (r *Recorder) drain(ctx context.Context) {
	for {
		select {
		case o := <-r.q:
			r.do(ctx, o)
		default:
			return
		}
	}
}

func (r *Recorder) do(ctx context.Context, o op) {
	if o.flush != nil {
		close(o.flush)
		return
	}
	r.record(ctx, o.e)
	r.written.Add(1)
}

// Flush waits until every event queued before it was written, or ctx
// ends. It needs Run to be running.
func (r *Recorder) Flush(ctx context.Context) error {
	done := make(chan struct{})
	select {
	case r.q <- op{flush: done}:
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Stats reports the counters.
func (r *Recorder) Stats() Stats {
	return Stats{Queued: int64(len(r.q)), Written: r.written.Load(), Dropped: r.dropped.Load(), Failed: r.failed.Load()}
}

// Current returns the open incident, if any.
func (r *Recorder) Current() (id string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.cur, r.cur != ""
}

func (r *Recorder) setCurrent(id string) {
	r.mu.Lock()
	r.cur = id
	r.mu.Unlock()
}

func (r *Recorder) fail(err error) {
	if err == nil {
		return
	}
	r.failed.Add(1)
	if r.o.OnError != nil {
		r.o.OnError(err)
	}
}

// entered tells OnEntry that incident id's timeline grew.
func (r *Recorder) entered(id string) {
	if r.o.OnEntry != nil {
		r.o.OnEntry(id)
	}
}

func (r *Recorder) changed(ctx context.Context, kind ChangeKind, id string, e Entry) {
	if r.o.OnChange == nil {
		return
	}
	inc, err := r.Get(ctx, id)
	if err != nil {
		r.fail(err)
		return
	}
	r.o.OnChange(Change{Kind: kind, Incident: inc.Summary(), Entry: e})
}
