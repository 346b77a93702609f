package fault

import (
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Options configures an Injector. Zero values are documented per field.
type Options struct {
	// Primary is the primary's base URL. Only requests whose URL host
	// (host and port) equals its host are faulted, so the fallback is never
	// touched as long as it lives at another address. Nil faults nothing.
	Primary *url.URL
	// Transport carries the requests the Injector lets through. Nil means
	// http.DefaultTransport.
	Transport http.RoundTripper
	// Events receives a KindSet event when a fault is set and a KindCleared
	// event when it ends, whatever the reason. It is called with the
	// Injector's lock held, so events arrive in order; it must not call
	// back into the Injector. Nil means none.
	Events event.Sink
	// Rand returns numbers in [0, 1) for error_rate and jitter. It is
	// called concurrently by requests in flight and must be safe for that.
	// Nil means math/rand/v2.Float64.
	Rand func() float64
}

// Injector applies at most one active fault to requests toward the
// primary. It is an http.RoundTripper over Options.Transport, and Wrap puts
// the same fault in front of other transports (the primary's health
// checks). Set, Clear, Status and Stop are safe for concurrent use.
type Injector struct {
	host   string
	events event.Sink
	rand   func() float64
	self   transport

	// cur is the active fault, nil when none: the whole cost of the
	// Injector on the hot path is loading it.
	cur atomic.Pointer[active]

	mu      sync.Mutex     // serialises Set, Clear, expiry and Stop
	timers  sync.WaitGroup // expiry callbacks scheduled or running
	stopped bool
}

// active is a fault in force, immutable once published except for done.
type active struct {
	f            Fault
	by           string
	since, until time.Time
	timer        *time.Timer
	// done is closed when the fault ends, releasing requests that wait
	// in its latency or hang, as a primary that recovered answers late.
	done    chan struct{}
	errBody []byte // the injected error's body, built once per fault
}

// New returns an Injector with no fault active.
func New(o Options) *Injector {
	i := &Injector{events: o.Events, rand: o.Rand}
	if o.Primary != nil {
		i.host = o.Primary.Host
	}
	if i.rand == nil {
		i.rand = rand.Float64
	}
	next := o.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	i.self = newTransport(i, next)
	return i
}

// Set makes f the active fault for f.Duration, replacing any fault in
// force (which ends with the reason "replaced"). by names who asked, for
// the event. It returns a *field.Error wrapping ErrInvalid when f is
// invalid, and ErrStopped after Stop; either way nothing changes.
func (i *Injector) Set(f Fault, by string) (Status, error) {
	if err := f.Validate(); err != nil {
		return Status{}, err
	}
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.stopped {
		return Status{}, ErrStopped
	}
	i.end(ReasonReplaced, by)
	now := time.Now()
	a := &active{f: f, by: by, since: now, until: now.Add(f.Duration()), done: make(chan struct{}),
		errBody: errorBody(f.errorStatus())}
	i.timers.Add(1)
	a.timer = time.AfterFunc(f.Duration(), func() {
		defer i.timers.Done()
		i.expire(a)
	})
	i.cur.Store(a)
	i.emitSet(a)
	return a.status(now), nil
}

// Clear ends the active fault at once and reports whether there was one.
// by names who asked, for the event.
func (i *Injector) Clear(by string) bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.end(ReasonCleared, by)
}

// Status describes the active fault, or reports Active false.
func (i *Injector) Status() Status {
	a := i.cur.Load()
	if a == nil {
		return Status{}
	}
	return a.status(time.Now())
}

// Stop clears the active fault (reason "stopped"), cancels its timer and
// waits for an expiry already running. Later calls to Set fail with
// ErrStopped; requests pass through untouched. Stop is safe to call twice.
func (i *Injector) Stop() {
	i.mu.Lock()
	i.stopped = true
	i.end(ReasonStopped, "")
	i.mu.Unlock()
	i.timers.Wait()
}

// expire ends a when its duration is over, unless it was already
// replaced or cleared.
func (i *Injector) expire(a *active) {
	i.mu.Lock()
	defer i.mu.Unlock()
	if i.cur.Load() == a {
		i.end(ReasonExpired, "")
	}
}

// end retires the active fault, if any; i.mu must be held. A timer that
// has not fired yet will not, so its share of the wait group is given
// back here; one that has fired gives it back itself.
func (i *Injector) end(reason, by string) bool {
	a := i.cur.Load()
	if a == nil {
		return false
	}
	i.cur.Store(nil)
	if a.timer.Stop() {
		i.timers.Done()
	}
	close(a.done)
	i.emitCleared(a, reason, by)
	return true
}
