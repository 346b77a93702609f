package notify

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Options configure a Dispatcher.
type Options struct {
	// QueueSize bounds the notices waiting for one notifier. When it is
	// full, the oldest queued repeat is dropped (or the new notice, if it
	// is a repeat and nothing queued is); other notices are never dropped
	// and may take the queue past QueueSize. Default 64.
	QueueSize int
	// Timeout bounds one delivery to one notifier, retries included.
	// Default 2m.
	Timeout time.Duration
	// OnResult is called after every delivery, on the notifier's own
	// goroutine, so it should be quick: the notifier's next notice waits
	// for it. Nil discards results.
	OnResult func(Result)
	// Now stamps Result.At. Default time.Now.
	Now func() time.Time
}

// Result is the outcome of delivering one notice to one notifier.
type Result struct {
	Notifier string
	Notice   Notice
	Attempts int
	Err      error
	At       time.Time
}

// Dispatcher delivers notices in the background. Each notifier (by Name)
// has its own queue and goroutine, so a hanging receiver delays only its
// own notices, and each notifier receives notices in the order they were
// sent. Send never blocks.
type Dispatcher struct {
	opts    Options
	mu      sync.Mutex
	lanes   map[string]*lane
	fresh   []*lane // lanes Run has not started yet
	running bool
	stopped bool
	cancel  context.CancelFunc
	wake    chan struct{} // tells Run about fresh lanes
	quit    chan struct{} // closed by Stop
	done    chan struct{} // closed when Run returns
	dropped atomic.Uint64
}

// New makes a Dispatcher; call Run to start delivering.
func New(opts Options) *Dispatcher {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 64
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 2 * time.Minute
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Dispatcher{
		opts: opts, lanes: map[string]*lane{},
		wake: make(chan struct{}, 1), quit: make(chan struct{}), done: make(chan struct{}),
	}
}

// Send queues n for every notifier in to and returns at once. After Stop,
// notices are dropped and counted.
func (d *Dispatcher) Send(n Notice, to []Notifier) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.stopped {
		d.dropped.Add(uint64(len(to)))
		return
	}
	for _, nf := range to {
		l := d.lane(nf.Name())
		d.dropped.Add(uint64(l.push(job{n: n, to: nf}, d.opts.QueueSize)))
		l.signal()
	}
}

// lane returns the lane for name, creating it; d.mu is held.
func (d *Dispatcher) lane(name string) *lane {
	if l := d.lanes[name]; l != nil {
		return l
	}
	l := newLane(name)
	d.lanes[name] = l
	d.fresh = append(d.fresh, l)
	select {
	case d.wake <- struct{}{}:
	default:
	}
	return l
}

// Dropped counts notices dropped because a queue was full or the
// Dispatcher had stopped.
func (d *Dispatcher) Dropped() uint64 { return d.dropped.Load() }

// Pending counts queued notices not yet being delivered.
func (d *Dispatcher) Pending() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	n := 0
	for _, l := range d.lanes {
		n += len(l.jobs)
	}
	return n
}

// Run delivers until ctx ends (abandoning what is queued) or Stop is
// called (draining first). It returns once every delivery goroutine has
// finished. Calling it again, or after Stop, returns at once.
func (d *Dispatcher) Run(ctx context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if !d.start(cancel) {
		return
	}
	var wg sync.WaitGroup
	defer close(d.done)
	defer wg.Wait()
	for {
		d.startLanes(ctx, &wg)
		select {
		case <-ctx.Done():
			return
		case <-d.quit:
			d.startLanes(ctx, &wg) // lanes made just before Stop still drain
			return
		case <-d.wake:
		}
	}
}

func (d *Dispatcher) start(cancel context.CancelFunc) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.running || d.stopped {
		return false
	}
	d.running, d.cancel = true, cancel
	return true
}

func (d *Dispatcher) startLanes(ctx context.Context, wg *sync.WaitGroup) {
	d.mu.Lock()
	fresh := d.fresh
	d.fresh = nil
	d.mu.Unlock()
	for _, l := range fresh {
		wg.Go(func() { d.work(ctx, l) })
	}
}

// Stop refuses new notices and lets Run deliver what is queued until ctx
// ends, then abandons the rest. It returns an error wrapping ErrStopped
// when notices were left undelivered. It is safe to call twice.
func (d *Dispatcher) Stop(ctx context.Context) error {
	d.mu.Lock()
	first, running := !d.stopped, d.running
	d.stopped = true
	for _, l := range d.lanes {
		l.signal()
	}
	d.mu.Unlock()
	if first {
		close(d.quit)
	}
	if running {
		select {
		case <-d.done:
		case <-ctx.Done():
			d.cancel()
			<-d.done
		}
	}
	if left := d.Pending(); left > 0 {
		return fmt.Errorf("%w: %d notices undelivered", ErrStopped, left)
	}
	return nil
}
