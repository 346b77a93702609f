package drill

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/level"
)

// revertTimeout bounds reverting the fault, which happens on a fresh
// context so that an interrupted drill still reverts.
const revertTimeout = 10 * time.Second

// run is one drill's live state, owned by the goroutine calling Run.
type run struct {
	o       Options
	sc      Scenario
	cl      *client.Client
	res     Result
	feed    *eventFeed
	guard   guardState
	clients clientView
	left    bool // the gateway left L0 after the fault was injected
	primary string

	mu sync.Mutex // serialises OnNote: the load's progress calls it too
}

// Run plays one drill against the gateway and returns what it measured.
// The fault is reverted whatever happens: when its duration ends, when the
// guard aborts, when ctx ends, and by the fault source itself should the
// drill die. It returns an error wrapping ErrInterrupted when ctx ended
// the drill and ErrAborted when the guard did, each with the figures so
// far; a drill that ran to the end returns a nil error, whether or not it
// met its targets (see Result.Passed).
func Run(ctx context.Context, o Options) (Result, error) {
	o = o.withDefaults()
	if err := o.validate(); err != nil {
		return Result{}, err
	}
	sc, err := Lookup(o.Scenario)
	if err != nil {
		return Result{}, err
	}
	d := &run{o: o, sc: sc, cl: client.New(o.Gateway, o.Token, o.Client), guard: guardState{g: o.Guard}}
	d.clients.note = d.note
	d.res = Result{ID: newID(time.Now()), Scenario: sc.Name, Fault: o.fault(sc), DryRun: o.DryRun, Gateway: o.Gateway}
	return d.run(ctx)
}

func (d *run) run(ctx context.Context) (Result, error) {
	st, err := d.preflight(ctx)
	if err != nil {
		return d.res, err
	}
	d.primary = cmp.Or(d.o.PrimaryURL, st.Upstreams["primary"].URL)
	d.res.Started = time.Now()
	d.feed = newEventFeed(d.res.Started)
	d.say("steady load: %d workers sending OpenViking searches, session reads and writes to %s", d.o.Concurrency, d.o.Gateway)
	ld := startLoad(ctx, d.loadOptions())
	err = d.drive(ctx, ld)
	lr, lerr := ld.stop()
	d.res.Load = summarize(lr)
	if err == nil {
		err = lerr
	}
	if errors.Is(err, ErrInterrupted) || (err != nil && !errors.Is(err, ErrAborted)) {
		d.res.Interrupted = errors.Is(err, ErrInterrupted)
		return d.res, err
	}
	d.measure(context.WithoutCancel(ctx), lr)
	return d.res, errors.Join(err, d.keep())
}

// drive walks the drill: warm up, inject, hold, revert, await Level 0.
func (d *run) drive(ctx context.Context, ld *loadRun) error {
	if _, err := d.watch(ctx, ld, d.o.Warmup, stayNormal); err != nil {
		return err
	}
	f := d.res.Fault
	// The fault is in force before Set returns, and a trigger may fire in
	// between: the clock is read first, so the figures measured from the
	// injection include that instant rather than start after the trigger.
	injected := time.Now()
	if err := d.o.Faults.Set(ctx, f); err != nil {
		return err
	}
	defer d.revert(ctx)
	d.res.Injected = injected
	d.say("FAULT injected into the primary for %s: %s", d.o.Duration, f)
	if _, err := d.watch(ctx, ld, d.o.Duration, d.sawExcursion); err != nil {
		return err
	}
	if err := d.revert(ctx); err != nil {
		return err
	}
	return d.awaitNormal(ctx, ld)
}

// revert clears the fault on a fresh context, so it runs even when ctx
// has ended; reverting twice is harmless.
func (d *run) revert(ctx context.Context) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), revertTimeout)
	defer cancel()
	err := d.o.Faults.Clear(rctx)
	if d.res.Reverted.IsZero() {
		d.res.Reverted = time.Now()
		if err != nil {
			d.sayAs("critical", "could not revert the fault (it reverts itself after %s): %v", d.o.Duration, err)
		} else {
			d.say("fault reverted: the primary is itself again")
		}
	}
	return err
}

// awaitNormal waits for the engine to walk the restore back to Level 0,
// when the fault made it leave.
func (d *run) awaitNormal(ctx context.Context, ld *loadRun) error {
	if !d.left {
		d.sayAs("warning", "the gateway never left L0 during the fault")
		return nil
	}
	ok, err := d.watch(ctx, ld, d.o.MaxWait, func(st gatewayStatus) (bool, error) { return st.level() == level.L0, nil })
	if err == nil && !ok {
		d.sayAs("warning", "not back at L0 after %s; judging the incident as it stands", d.o.MaxWait)
	}
	return err
}

func stayNormal(st gatewayStatus) (bool, error) {
	if st.level() != level.L0 {
		return false, fmt.Errorf("%w: the gateway left L0 during the warmup, before any fault (%s)", ErrNotReady, st.level())
	}
	return false, nil
}

// sawExcursion never ends the wait; it records that the level moved.
func (d *run) sawExcursion(st gatewayStatus) (bool, error) {
	if st.level() != level.L0 {
		d.left = true
	}
	return false, nil
}

// note hands one line to OnNote, stamped now when it has no time.
func (d *run) note(n Note) {
	if d.o.OnNote == nil {
		return
	}
	if n.At.IsZero() {
		n.At = time.Now()
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.o.OnNote(n)
}

func (d *run) say(format string, args ...any) { d.sayAs("info", format, args...) }

func (d *run) sayAs(sev, format string, args ...any) {
	d.note(Note{Tag: "drill", Text: fmt.Sprintf(format, args...), Severity: sev})
}
