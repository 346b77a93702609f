// Package event is the vocabulary engines use to report what they decided.
//
// Engines never log: they emit Events, and the app routes them to the log,
// the recent-events buffer shown by /status, metrics and, later, incidents.
package event

import (
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// Severity ranks events for people and for alert routing.
type Severity string

// Severities, lowest first.
const (
	Info     Severity = "info"
	Warning  Severity = "warning"
	Critical Severity = "critical"
)

// Kinds of events the gateway core emits; the typed ones are facts.
const (
	HealthChanged  = fact.KindHealthChanged
	BreakerChanged = fact.KindBreakerChanged
	ModeChanged    = fact.KindRoutingChanged
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
	// Fact is the typed fact Kind and Fields were derived from (see Of);
	// nil for an event built field by field. Readers call Typed, which
	// decodes those.
	Fact fact.Fact `json:"-"`
}

// Of is the event reporting f: its Kind and Fields are f's, so the log
// and the JSON events read as they did before facts had types.
func Of(at time.Time, source string, sev Severity, msg string, f fact.Fact) Event {
	return Event{Time: at, Kind: f.Kind(), Source: source, Severity: sev, Message: msg, Fields: fact.Fields(f), Fact: f}
}

// Typed returns the event's fact: the one it was built from, or else the
// one its kind and fields decode to; nil for a kind that has none.
func (e Event) Typed() fact.Fact {
	if e.Fact != nil {
		return e.Fact
	}
	f, _ := fact.Decode(e.Kind, e.Fields)
	return f
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
