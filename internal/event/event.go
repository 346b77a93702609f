// Package event is the vocabulary engines use to report what they decided.
//
// Engines never log: they emit Events, and the app routes them to the log,
// the recent-events buffer shown by /status, metrics and, later, incidents.
package event

import (
	"sync"
	"time"
)

// Severity ranks events for people and for alert routing.
type Severity string

// Severities, lowest first.
const (
	Info     Severity = "info"
	Warning  Severity = "warning"
	Critical Severity = "critical"
)

// Kinds of events the gateway core emits.
const (
	HealthChanged  = "health.changed"
	BreakerChanged = "breaker.changed"
	ModeChanged    = "routing.changed"
	AdminChanged   = "admin.changed"
)

// Event is one decision or observation with its evidence in Fields.
type Event struct {
	Time     time.Time      `json:"time"`
	Kind     string         `json:"kind"`
	Source   string         `json:"source"`
	Severity Severity       `json:"severity"`
	Message  string         `json:"message"`
	Fields   map[string]any `json:"fields,omitempty"`
}

// Sink receives events. Implementations must be safe for concurrent use
// and must not block for long: they are called on the engines' paths.
type Sink interface {
	Emit(Event)
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(Event)

// Emit calls f.
func (f SinkFunc) Emit(e Event) { f(e) }

// Fanout sends each event to every sink in order.
type Fanout []Sink

// Emit forwards e to every sink.
func (f Fanout) Emit(e Event) {
	for _, s := range f {
		s.Emit(e)
	}
}

// Ring keeps the most recent events in memory for /status.
type Ring struct {
	mu    sync.Mutex
	buf   []Event
	next  int
	total int
}

// NewRing keeps up to n events.
func NewRing(n int) *Ring { return &Ring{buf: make([]Event, n)} }

// Emit records e, overwriting the oldest event when full.
func (r *Ring) Emit(e Event) {
	r.mu.Lock()
	r.buf[r.next] = e
	r.next = (r.next + 1) % len(r.buf)
	r.total++
	r.mu.Unlock()
}

// Recent returns up to n events, oldest first.
func (r *Ring) Recent(n int) []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	have := min(r.total, len(r.buf), n)
	out := make([]Event, 0, have)
	for i := have; i > 0; i-- {
		out = append(out, r.buf[(r.next-i+len(r.buf))%len(r.buf)])
	}
	return out
}
