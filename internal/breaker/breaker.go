// Package breaker is a circuit breaker for one upstream.
//
// A closed breaker lets every request through and opens after
// FailureThreshold consecutive failures. An open breaker rejects requests
// with ErrOpen for an open period that doubles on each consecutive re-open,
// up to a cap. After the open period the breaker is half-open: a few probe
// requests go through, and enough consecutive successes close it while any
// failure opens it again.
//
// The closed path (Allow and Done while closed) is lock-free and does not
// allocate, because it runs on every request to the primary upstream.
// Transitions take a mutex; they are rare.
//
// The package never logs. It reports transitions through the onChange
// callback given to New.
package breaker

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

var (
	// ErrOpen is returned by Allow while the breaker rejects requests.
	ErrOpen = errors.New("breaker: circuit open")
	// ErrProbeLimit is returned by Allow while half-open when every probe slot
	// is taken. It wraps ErrOpen, so errors.Is(err, ErrOpen) holds for both.
	ErrProbeLimit = fmt.Errorf("%w: half-open probe limit reached", ErrOpen)
	// ErrSettings is wrapped by every error from Settings.Validate.
	ErrSettings = errors.New("breaker: invalid settings")
)

// Ticket is the permission Allow grants to one request. Hand it back to Done
// with the request's outcome. It carries the generation it was granted in,
// so a result that arrives after the breaker has moved on is ignored. The
// zero Ticket (returned with an error) is ignored by Done.
type Ticket struct {
	gen uint32
}

// Breaker is a circuit breaker for one upstream. It is safe for concurrent
// use. Create it with New.
type Breaker struct {
	// word is the lock-free state; see the word type. Only the failure count
	// changes without mu held, and only while closed.
	word atomic.Uint64
	// openUntil is the end of the open period, in nanoseconds since epoch. It
	// is written under mu before word publishes the Open state.
	openUntil atomic.Int64

	settings Settings
	epoch    time.Time // Monotonic reference point for openUntil.
	onChange func(Transition)

	mu         sync.Mutex
	reopens    int           // Consecutive re-opens; sets the backoff level.
	opens      uint64        // Total transitions to Open.
	probes     int           // Probes in flight while half-open.
	probeOK    int           // Consecutive probe successes while half-open.
	pending    []Transition  // Transitions not yet delivered to onChange.
	delivering bool          // A goroutine is delivering pending.
	openFor    time.Duration // The current open period, for Snapshot.
}

// New returns a closed Breaker. It panics if s.Validate fails, so validate
// operator input first. onChange, if not nil, receives every transition in
// order; see Transition for when it runs. A nil onChange means transitions
// are not reported.
func New(s Settings, onChange func(Transition)) *Breaker {
	if err := s.Validate(); err != nil {
		panic(err)
	}
	b := &Breaker{settings: s.withDefaults(), epoch: time.Now(), onChange: onChange}
	b.word.Store(uint64(pack(1, Closed, 0)))
	return b
}

// Allow asks to send one request. On success the caller must call Done with
// the Ticket once the request's outcome is known. While open, and while
// half-open with every probe slot taken, it returns an error that satisfies
// errors.Is(err, ErrOpen); RetryAfter tells when to try again.
func (b *Breaker) Allow() (Ticket, error) {
	w := b.load()
	switch w.state() {
	case Closed:
		return Ticket{gen: w.gen()}, nil
	case Open:
		if b.now() < b.openUntil.Load() {
			return Ticket{}, ErrOpen
		}
	}
	return b.allowSlow()
}

// allowSlow handles the open period ending and the half-open probe limit.
func (b *Breaker) allowSlow() (Ticket, error) {
	b.mu.Lock()
	defer b.unlockAndNotify()
	w := b.load()
	if w.state() == Open {
		if b.now() < b.openUntil.Load() {
			return Ticket{}, ErrOpen
		}
		w = b.moveLocked(w, HalfOpen, 0)
	}
	switch {
	case w.state() == Closed:
		return Ticket{gen: w.gen()}, nil
	case b.probes >= b.settings.HalfOpenProbes:
		return Ticket{}, ErrProbeLimit
	}
	b.probes++
	return Ticket{gen: w.gen()}, nil
}

// Done records the outcome of a request admitted by Allow. success should
// be false only for failures that are the upstream's fault; a client that
// hung up is neither, and its Ticket may simply be dropped. Results from a
// generation the breaker has already left are ignored.
func (b *Breaker) Done(t Ticket, success bool) {
	w := b.load()
	if t.gen == 0 || w.gen() != t.gen {
		return
	}
	// A matching generation means the state is the one the ticket was
	// granted in, and tickets are never granted while open.
	switch {
	case w.state() == HalfOpen:
		b.probeDone(t, success)
	case success:
		b.succeedClosed(t)
	default:
		b.failClosed(t)
	}
}

func (b *Breaker) load() word { return word(b.word.Load()) }

// now returns monotonic nanoseconds since the breaker was created.
func (b *Breaker) now() int64 { return int64(time.Since(b.epoch)) }
