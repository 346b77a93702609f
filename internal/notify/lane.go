package notify

import (
	"context"
	"fmt"
	"slices"
)

// job is one notice for one notifier.
type job struct {
	n  Notice
	to Notifier
}

// lane is one notifier's queue; its jobs are guarded by Dispatcher.mu.
type lane struct {
	name  string
	jobs  []job
	ready chan struct{} // capacity 1: "look at the queue again"
}

func newLane(name string) *lane { return &lane{name: name, ready: make(chan struct{}, 1)} }

func (l *lane) signal() {
	select {
	case l.ready <- struct{}{}:
	default:
	}
}

// push queues j and returns how many notices it dropped. A repeat
// replaces a queued repeat of the same incident, since only the latest
// one is worth sending; a full queue sheds its oldest repeat.
func (l *lane) push(j job, size int) int {
	dropped := 0
	if j.n.Repeat {
		if i := l.findRepeat(j.n.DedupKey); i >= 0 {
			l.jobs = slices.Delete(l.jobs, i, i+1)
			dropped++
		}
	}
	if len(l.jobs) >= size {
		if i := l.findRepeat(""); i >= 0 {
			l.jobs = slices.Delete(l.jobs, i, i+1)
			dropped++
		} else if j.n.Repeat {
			return dropped + 1
		}
	}
	l.jobs = append(l.jobs, j)
	return dropped
}

// findRepeat returns the oldest queued repeat (of key, unless key is "").
func (l *lane) findRepeat(key string) int {
	return slices.IndexFunc(l.jobs, func(q job) bool {
		return q.n.Repeat && (key == "" || q.n.DedupKey == key)
	})
}

// take pops the next job; stop is true when the queue is empty and the
// Dispatcher is stopping.
func (d *Dispatcher) take(l *lane) (j job, ok, stop bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(l.jobs) == 0 {
		return job{}, false, d.stopped
	}
	j = l.jobs[0]
	l.jobs = slices.Delete(l.jobs, 0, 1)
	return j, true, false
}

// work delivers one lane's jobs in order until ctx ends or, once Stop was
// called, the queue is empty.
func (d *Dispatcher) work(ctx context.Context, l *lane) {
	for ctx.Err() == nil {
		j, ok, stop := d.take(l)
		switch {
		case ok:
			d.deliver(ctx, l.name, j)
		case stop:
			return
		default:
			select {
			case <-ctx.Done():
			case <-l.ready:
			}
		}
	}
}

func (d *Dispatcher) deliver(ctx context.Context, name string, j job) {
	ctx, cancel := context.WithTimeout(ctx, d.opts.Timeout)
	defer cancel()
	attempts, err := call(ctx, j.to, j.n)
	if d.opts.OnResult != nil {
		d.opts.OnResult(Result{Notifier: name, Notice: j.n, Attempts: attempts, Err: err, At: d.opts.Now()})
	}
}

// call runs one notifier, turning a panic into an error so that one
// broken notifier cannot take the lane down.
func call(ctx context.Context, to Notifier, n Notice) (attempts int, err error) {
	defer func() {
		if p := recover(); p != nil {
			attempts, err = max(attempts, 1), fmt.Errorf("%w: %v", ErrPanic, p)
		}
	}()
	if a, ok := to.(Attempter); ok {
		return a.NotifyAttempts(ctx, n)
	}
	return 1, to.Notify(ctx, n)
}
