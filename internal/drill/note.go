package drill

import (
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// Note is one line of a drill's narration.
type Note struct {
	// At is when it happened: the event's own time for the gateway's
	// events, so a note read late still tells when.
	At time.Time `json:"at"`
	// Tag says who speaks: "drill", "clients", or the gateway's "level",
	// "trigger", "routing", "health", "action", "rollback", "restore",
	// "alert", "breaker", "incident", "admin", "fault".
	Tag string `json:"tag"`
	// Text is the line itself.
	Text string `json:"text"`
	// Severity is "info", "warning" or "critical".
	Severity string `json:"severity"`
}

// tagOf maps the gateway's event kinds to narration tags; "" for kinds
// people need not follow, such as state saves.
func tagOf(kind string) string {
	group, _, _ := strings.Cut(kind, ".")
	switch {
	case group == "notify":
		return "alert"
	case group == "level" && kind != "level.state_save_failed":
		return "level"
	case slices.Contains([]string{"trigger", "routing", "health", "action", "rollback", "restore",
		"breaker", "incident", "admin", "fault"}, group):
		return group
	}
	return ""
}

// noteOf turns a gateway event into a narration line; false for events
// people need not follow.
func noteOf(e event.Event) (Note, bool) {
	tag := tagOf(e.Kind)
	return Note{At: e.Time, Tag: tag, Text: e.Message, Severity: string(e.Severity)}, tag != ""
}

// eventKey identifies an event across polls of /status.
func eventKey(e event.Event) string {
	return e.Time.Format(time.RFC3339Nano) + "\x00" + e.Kind + "\x00" + e.Message
}

// eventFeed turns the recent events of successive /status reads into new
// notes, each once. It is owned by one goroutine.
type eventFeed struct {
	since time.Time            // events before this are not the drill's
	seen  map[string]time.Time // keys of events already narrated, by time
}

func newEventFeed(since time.Time) *eventFeed {
	return &eventFeed{since: since, seen: map[string]time.Time{}}
}

// next returns the notes of events not seen before, in the order given,
// and forgets keys older than the oldest event given: the events come from
// a ring, so one older than everything in it can no longer come back.
func (f *eventFeed) next(events []event.Event) []Note {
	var out []Note
	for _, e := range events {
		k := eventKey(e)
		if _, dup := f.seen[k]; dup || e.Time.Before(f.since) {
			continue
		}
		f.seen[k] = e.Time
		if n, ok := noteOf(e); ok {
			out = append(out, n)
		}
	}
	if len(events) > 0 {
		oldest := events[0].Time
		for _, e := range events {
			oldest = earliest(oldest, e.Time)
		}
		f.forget(oldest)
	}
	return out
}

func (f *eventFeed) forget(before time.Time) {
	for k, at := range f.seen {
		if at.Before(before) {
			delete(f.seen, k)
		}
	}
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}
