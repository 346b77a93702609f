package journal

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// ErrIncomplete stops a restore that would leave journaled writes behind
// the primary's back.
var ErrIncomplete = errors.New("journal: journaled writes are not all on the primary")

// Defaults of DrainOptions, which owners replaying a journal of their own
// use too.
const (
	DefaultDrainEvery    = time.Second
	DefaultReplayTimeout = 5 * time.Minute
)

// DrainOptions configure a Drainer.
type DrainOptions struct {
	// Target is the primary the replays write to. Required.
	Target Target
	// Ready reports whether the primary may take the writes now: its
	// checks say it is usable and traffic is not isolated on the
	// fallback. The loop asks it each time it looks. Required.
	Ready func() bool
	// Every is how often the loop looks without being woken, and how long
	// it waits after a failed replay. Default 0 (or less): one second.
	Every time.Duration
	// Timeout bounds one replay. Default 0 (or less): five minutes.
	Timeout time.Duration
	// Wake is the bell that makes the loop look at once: rung by the
	// journal's OnAppend, a health change or a routing change. Default
	// zero: a bell of the drainer's own, rung only through Wake.
	Wake Bell
	// Events receives a report of every replay that moved writes and of
	// every distinct replay error. It must not block. Default nil: none.
	Events event.Sink
	// Now stamps the events. Default nil: time.Now.
	Now func() time.Time
}

// Drainer replays a journal to its primary as soon as the primary can
// take the writes and traffic is not isolated on the fallback, so a short
// outage that never reached Level 3, or the writes a restore's split
// still sends to the fallback side, do not wait; and once more before a
// restore's first step (BeforeRestore). It is safe for concurrent use.
type Drainer struct {
	j *Journal
	o DrainOptions

	mu         sync.Mutex
	lastFailed string // the last replay error reported, so a flapping primary is reported once
}

// NewDrainer returns the drainer of j; Run starts its loop.
func NewDrainer(j *Journal, o DrainOptions) *Drainer {
	if o.Every <= 0 {
		o.Every = DefaultDrainEvery
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultReplayTimeout
	}
	if o.Wake.c == nil {
		o.Wake = NewBell()
	}
	if o.Events == nil {
		o.Events = event.SinkFunc(func(event.Event) {})
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Drainer{j: j, o: o}
}

// Wake makes the loop look at once, without ever blocking the caller.
func (d *Drainer) Wake() { d.o.Wake.Ring() }

// Run is the drain loop: it looks every period and whenever woken, and
// replays when there is something to replay and the primary may take it.
// After a failed replay it waits one period, so a primary refusing
// connections is not hammered per write. It returns when ctx ends.
func (d *Drainer) Run(ctx context.Context) {
	t := time.NewTicker(d.o.Every)
	defer t.Stop()
	var retryAt time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.o.Wake.c:
		}
		if !d.mayDrain() || time.Now().Before(retryAt) {
			continue
		}
		if _, err := d.Replay(ctx, "the primary can take them"); err != nil {
			retryAt = time.Now().Add(d.o.Every)
		}
	}
}

// mayDrain holds when there is something to replay and the primary may
// take it.
func (d *Drainer) mayDrain() bool { return d.j.Pending() > 0 && d.o.Ready() }

// BeforeRestore replays the journal before traffic steps back to the
// primary. The restore waits for it, and stops on its error, or with
// ErrIncomplete when writes are still journaled afterwards.
func (d *Drainer) BeforeRestore(ctx context.Context) error {
	rep, err := d.Replay(ctx, "before the restore")
	if err != nil {
		return err
	}
	if rep.Remaining > 0 {
		return fmt.Errorf("%w: %d still journaled", ErrIncomplete, rep.Remaining)
	}
	return nil
}

// Replay runs one replay bounded by Timeout and reports it as an event,
// which the incident records and its data-loss metric sums; why says
// what prompted it, in the event's message.
func (d *Drainer) Replay(ctx context.Context, why string) (Report, error) {
	ctx, cancel := context.WithTimeout(ctx, d.o.Timeout)
	defer cancel()
	rep, err := d.j.Replay(ctx, d.o.Target)
	if moved := rep.Replayed + rep.Already + rep.Failed; moved > 0 {
		d.o.Events.Emit(replayedEvent(d.o.Now(), rep, why))
	}
	d.reportError(err)
	return rep, err
}

// reportError emits a failed replay once per distinct error, so a
// primary that refuses every second does not flood the timeline.
func (d *Drainer) reportError(err error) {
	msg := ""
	if err != nil {
		msg = err.Error()
	}
	d.mu.Lock()
	same := msg == d.lastFailed
	d.lastFailed = msg
	d.mu.Unlock()
	if err == nil || same {
		return
	}
	d.o.Events.Emit(event.Event{Time: d.o.Now(), Kind: KindReplayFailed, Source: "journal", Severity: event.Warning,
		Message: "journal replay stopped: " + msg, Fields: map[string]any{"error": msg}})
}

// Bell wakes a Drainer without ever blocking whoever rings it: rings that
// come while one is pending merge into it. Make one with NewBell.
type Bell struct{ c chan struct{} }

// NewBell returns a bell nobody has rung.
func NewBell() Bell { return Bell{c: make(chan struct{}, 1)} }

// Ring wakes the drainer listening to the bell.
func (b Bell) Ring() {
	select {
	case b.c <- struct{}{}:
	default:
	}
}
