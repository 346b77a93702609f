package cluster

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// MirrorFailed is the kind of event a Mirror emits when it could not
// publish or import an incident; it tries again on the next change or
// the next Interval.
const MirrorFailed = "cluster.mirror_failed"

// publishRate bounds, in bytes per second, what the decider's publishes
// on each change put into etcd. Every publish puts the whole document, so
// a long timeline makes each entry cost its length (about 100 bytes an
// entry: 480 KiB at 5,000 entries); without a bound, a burst of entries
// would put such documents back to back, tens a second, into etcd's
// history. After a publish of n bytes the mirror waits n/publishRate (at
// most an Interval) before the next: a few milliseconds for an incident
// of tens of entries, half a second at 5,000.
const publishRate = 1 << 20

// Incidents is the incident record a Mirror copies; *incident.Recorder is
// one.
type Incidents interface {
	// Current names the open incident, if any.
	Current() (string, bool)
	// Export encodes an incident with its whole timeline.
	Export(ctx context.Context, id string) ([]byte, error)
	// Import stores an exported incident, idempotently, never taking
	// timeline entries away; an open one becomes the current incident.
	Import(ctx context.Context, doc []byte) error
	// Flush waits until every event queued before it is recorded.
	Flush(ctx context.Context) error
	// Latest names the incident opened last, open or closed, "" when
	// there is none.
	Latest(ctx context.Context) (string, error)
}

// Mirror keeps every replica's incident record the same as the decider's,
// through the incident documents in etcd. On the decider it publishes,
// fenced, each incident it is told changed (every timeline entry, paced
// by publishRate) and the open incident every Interval (in case a change
// was missed or etcd refused it); on the others
// it imports every document as the watch delivers it. A replica that
// becomes the decider calls Sync first, so it continues the same incident
// with the same id and timeline. A decider never imports from the watch:
// its own record is the newest.
type Mirror struct {
	m    *Member
	r    Incidents
	kick chan struct{}

	// pub makes publishes one at a time, so a document exported earlier
	// is never put after one exported later: Settled publishes from the
	// engine's goroutine while Run publishes from its own.
	pub   sync.Mutex
	mu    sync.Mutex
	dirty map[string]bool
	put   map[string]string // The last document this replica put, per id.
}

// NewMirror mirrors r through m. Run it for the replica's life.
func NewMirror(m *Member, r Incidents) *Mirror {
	return &Mirror{m: m, r: r, kick: make(chan struct{}, 1), dirty: map[string]bool{}, put: map[string]string{}}
}

// Changed asks the decider's Run to publish incident id now, or once the
// pace publishRate sets allows. It never blocks; call it from the
// recorder's OnEntry, so every timeline entry travels.
func (x *Mirror) Changed(id string) {
	x.mark(id)
	select {
	case x.kick <- struct{}{}:
	default:
	}
}

// mark notes id for the next publish.
func (x *Mirror) mark(id string) {
	x.mu.Lock()
	x.dirty[id] = true
	x.mu.Unlock()
}

// Publish exports incident id and stores it in etcd, fenced, unless it is
// what this replica stored last, and returns the bytes it put. It fails
// with ErrNotDecider on a replica that does not decide.
func (x *Mirror) Publish(ctx context.Context, id string) (int, error) {
	x.pub.Lock()
	defer x.pub.Unlock()
	doc, err := x.r.Export(ctx, id)
	if err != nil {
		return 0, err
	}
	x.mu.Lock()
	same := x.put[id] == string(doc)
	x.mu.Unlock()
	if same {
		return 0, nil
	}
	if err := x.m.PutIncident(ctx, id, doc); err != nil {
		return 0, err
	}
	x.mu.Lock()
	x.put[id] = string(doc)
	x.mu.Unlock()
	return len(doc), nil
}

// Settled waits until the record holds every event queued before the
// call, then publishes, fenced, the incident those events concern, and
// names it: the open incident, or with closing (a return to L0) the one
// just closed; "" when there is none. A StepRunner calls it before any
// external action, so the level change that opened the incident is in
// etcd, for every replica and the next decider, before anything
// external happens. Waiting for the record is bounded by RequestTimeout.
func (x *Mirror) Settled(ctx context.Context, closing bool) (string, error) {
	fctx, cancel := x.m.op(ctx)
	err := x.r.Flush(fctx)
	cancel()
	if err != nil {
		return "", fmt.Errorf("cluster: record the incident before its actions: %w", err)
	}
	id, open := x.r.Current()
	if !open && closing {
		if id, err = x.r.Latest(ctx); err != nil {
			return "", fmt.Errorf("cluster: read the incident just closed: %w", err)
		}
	}
	if id == "" {
		return "", nil
	}
	if _, err := x.Publish(ctx, id); err != nil {
		return "", fmt.Errorf("cluster: publish incident %s before its actions: %w", id, err)
	}
	return id, nil
}

// Sync imports every incident document now. A replica calls it when it
// becomes the decider, before it records anything, so its record is the
// cluster's.
func (x *Mirror) Sync(ctx context.Context) error {
	_, err := x.load(ctx, true)
	return err
}

// Run imports every document, then follows changes until ctx ends:
// importing them while this replica follows, publishing while it decides.
// The caller owns the goroutine.
func (x *Mirror) Run(ctx context.Context) {
	for ctx.Err() == nil {
		rev, err := x.load(ctx, !x.m.IsDecider())
		if err == nil {
			x.follow(ctx, rev)
		} else if ctx.Err() == nil {
			x.failed("read incidents", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(x.m.s.Interval):
		}
	}
}

// load reads every document, importing them when asked, and returns the
// revision the read saw, from which the watch goes on.
func (x *Mirror) load(ctx context.Context, importing bool) (int64, error) {
	octx, cancel := x.m.op(ctx)
	defer cancel()
	resp, err := x.m.c.Get(octx, x.m.k.incidents(), clientv3.WithPrefix())
	if err != nil {
		return 0, unavailable("read incidents", err)
	}
	if !importing {
		return resp.Header.Revision, nil
	}
	x.mu.Lock()
	clear(x.put) // What this replica put before may have been replaced since.
	x.mu.Unlock()
	var errs []error
	for _, kv := range resp.Kvs {
		if err := x.r.Import(ctx, kv.Value); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", kv.Key, err))
		}
	}
	return resp.Header.Revision, errors.Join(errs...)
}

// follow imports or publishes until the watch breaks or ctx ends.
func (x *Mirror) follow(ctx context.Context, rev int64) {
	wctx, cancel := context.WithCancel(clientv3.WithRequireLeader(ctx))
	defer cancel()
	w := x.m.c.Watch(wctx, x.m.k.incidents(), clientv3.WithPrefix(), clientv3.WithRev(rev+1))
	tick := time.NewTicker(x.m.s.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case resp, ok := <-w:
			if !ok || resp.Err() != nil {
				return
			}
			evs, broken := drain(w, resp.Events)
			x.apply(ctx, evs)
			if broken {
				return
			}
		case <-tick.C:
			x.publish(ctx)
		case <-x.kick:
			x.pace(ctx, x.publish(ctx))
		}
	}
}

// pace waits out what putting n bytes used of publishRate, so changes
// arriving meanwhile coalesce into the next publish.
func (x *Mirror) pace(ctx context.Context, n int) {
	d := min(time.Duration(n)*time.Second/publishRate, x.m.s.Interval)
	if d <= 0 {
		return
	}
	select {
	case <-ctx.Done():
	case <-time.After(d):
	}
}

// publish stores the changed incidents and the open one, on the decider,
// and returns the bytes it put. An incident etcd did not take stays
// marked, to be tried again at the next tick.
func (x *Mirror) publish(ctx context.Context) int {
	x.mu.Lock()
	ids := x.dirty
	x.dirty = map[string]bool{}
	x.mu.Unlock()
	if !x.m.IsDecider() {
		return 0 // The decider publishes; what a follower was told is stale.
	}
	if id, ok := x.r.Current(); ok {
		ids[id] = true
	}
	total := 0
	for id := range ids {
		n, err := x.Publish(ctx, id)
		total += n
		switch {
		case err == nil:
		case errors.Is(err, ErrNotDecider):
			return total
		default:
			x.failed("publish "+id, err)
			if errors.Is(err, ErrUnavailable) {
				x.mark(id)
			}
		}
	}
	return total
}

func (x *Mirror) failed(what string, err error) {
	x.m.emit(MirrorFailed, event.Warning, fmt.Sprintf("incident mirror: %s: %v", what, err))
}
