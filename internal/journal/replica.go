package journal

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
)

// replica is the shared mode's engine. Writers append records to the
// shared log and wait; one follower goroutine applies what the log
// delivers, in its order, to the Journal's state, and hands each writer
// its own record's outcome. The replica owns the follower: openShared
// starts it, close stops it and waits for it.
type replica struct {
	j      *Journal
	log    Shared
	id     string        // names this replica's records, so it knows them back
	serial atomic.Uint64 // numbers this replica's records
	chunk  int           // upload bytes per chunk record

	cancel context.CancelFunc
	dead   chan struct{} // closed once the follower has ended
	err    error         // why the follower ended; read only after dead is closed
	broken atomic.Bool   // the follower ended on an error: nothing more applies

	wmu     sync.Mutex
	waiters map[string]*waiter // by record origin

	// Guarded by the Journal's lock.
	applied int64               // position of the last record applied
	partial map[string]*partial // uploads whose op has not applied yet
	kept    map[string]int64    // bytes of each upload whose op applied and is not replayed

	// Used only by Replay, which runs one at a time.
	header  int64 // position of the last idle header this replica appended
	target  int64 // where the next idle trim may cut: see trimIfIdle
	trimmed int64
}

// waiter is a writer waiting for its record to apply.
type waiter struct {
	rec    *record      // the writer's copy: given the applied one's sequence number and task
	answer func(*state) // called under the lock right after the record applied; may be nil
	err    error        // why the record did not apply; set before done is closed
	done   chan struct{}
}

// errExists is a create the shared order found already made: the
// session is returned as is, as a local create does.
var errExists = errors.New("journal: session already held")

// openShared opens a journal on o.Shared: it starts following the log
// from the start of what it keeps and returns once its own join record
// has applied, so its state holds every record appended before Open.
func openShared(o Options) (*Journal, error) {
	max := o.Shared.MaxPayload()
	if max < minSharedPayload {
		return nil, fmt.Errorf("%w: Shared.MaxPayload %d is below %d", ErrInvalid, max, minSharedPayload)
	}
	j := &Journal{o: o, st: newState(), replaying: make(chan struct{}, 1), stop: make(chan struct{})}
	if j.o.SeenPath == "" {
		j.o.SeenPath = o.Path + seenSuffix
	}
	var err error
	if j.seen, err = newSeen(j.o.SeenPath, o.SeenSessions); err != nil {
		return nil, err
	}
	if err := clearUploads(j.uploadDir()); err != nil {
		return nil, err
	}
	r := &replica{j: j, log: o.Shared, id: newUUID(), chunk: (max - chunkOverhead) * 3 / 4,
		dead: make(chan struct{}), waiters: map[string]*waiter{}, partial: map[string]*partial{}, kept: map[string]int64{}}
	j.sh = r
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go r.follow(ctx)
	if _, err := r.submit(&record{Kind: kindHeader, At: o.Now().UnixMilli()}, nil); err != nil {
		_ = r.close()
		return nil, err
	}
	return j, nil
}

// follow applies the log until close; any other end breaks the replica.
func (r *replica) follow(ctx context.Context) {
	defer close(r.dead)
	err := r.log.Follow(ctx, 0, r.apply)
	if ctx.Err() != nil {
		return
	}
	if err == nil {
		err = errors.New("journal: Follow returned")
	}
	r.err = err
	r.broken.Store(true)
}

// close stops the follower and waits for it; writers still waiting get
// ErrClosed. It is safe twice.
func (r *replica) close() error {
	r.j.mu.Lock()
	r.j.closed = true
	r.j.mu.Unlock()
	r.cancel()
	<-r.dead
	return nil
}

// submit appends rec and waits until it has applied here, so its writer
// reads what it wrote. It returns rec's position; an error means rec is
// not acknowledged (it may still apply later, when Append failed after
// storing it or the wait timed out).
func (r *replica) submit(rec *record, answer func(*state)) (int64, error) {
	r.j.mu.RLock()
	err := r.j.writableLocked()
	r.j.mu.RUnlock()
	if err != nil {
		return 0, err
	}
	rec.Origin = r.id + "-" + strconv.FormatUint(r.serial.Add(1), 10)
	payload, err := r.encode(rec)
	if err != nil {
		return 0, err
	}
	w := &waiter{rec: rec, answer: answer, done: make(chan struct{})}
	r.register(w)
	defer r.unregister(rec.Origin)
	ctx, cancel := context.WithTimeout(context.Background(), r.j.sharedTimeout())
	defer cancel()
	pos, err := r.log.Append(ctx, payload)
	if err != nil {
		return 0, fmt.Errorf("%w: append: %w", ErrShared, err)
	}
	return pos, r.wait(ctx, w)
}

// wait returns w's outcome once its record applied, or why it never will.
func (r *replica) wait(ctx context.Context, w *waiter) error {
	select {
	case <-w.done:
		return w.err
	case <-r.dead:
	case <-ctx.Done():
	}
	select {
	case <-w.done: // applied just as the other case came
		return w.err
	default:
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%w: waiting for the record to apply: %w", ErrShared, ctx.Err())
	}
	return r.deadErr()
}

// deadErr is why a stopped follower applies nothing more.
func (r *replica) deadErr() error {
	if r.broken.Load() {
		return fmt.Errorf("%w: following the shared log: %w", ErrBroken, r.err)
	}
	return ErrClosed
}

// appendOnly appends rec without waiting for it: its writer waits for a
// later record of its own, which applies after it.
func (r *replica) appendOnly(rec *record) error {
	payload, err := r.encode(rec)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.j.sharedTimeout())
	defer cancel()
	if _, err := r.log.Append(ctx, payload); err != nil {
		return fmt.Errorf("%w: append: %w", ErrShared, err)
	}
	return nil
}

// encode is rec's payload. An op too large for the log goes without its
// base (the session then starts from the journal's writes alone, as when
// none was seen); one still too large is refused like a large body.
func (r *replica) encode(rec *record) ([]byte, error) {
	for {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(rec); err != nil {
			return nil, fmt.Errorf("journal: encoding a %s record: %w", rec.Kind, err)
		}
		b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		switch {
		case len(b) <= r.log.MaxPayload():
			return b, nil
		case rec.Base != nil:
			rec.Base = nil
		default:
			return nil, invalid("body too large for the shared log")
		}
	}
}

func (r *replica) register(w *waiter) {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	r.waiters[w.rec.Origin] = w
}

func (r *replica) unregister(origin string) {
	r.wmu.Lock()
	defer r.wmu.Unlock()
	delete(r.waiters, origin)
}

// take removes and returns the waiter of the record named origin, if it
// is this replica's and still waited for.
func (r *replica) take(origin string) *waiter {
	if origin == "" {
		return nil
	}
	r.wmu.Lock()
	defer r.wmu.Unlock()
	w := r.waiters[origin]
	delete(r.waiters, origin)
	return w
}
