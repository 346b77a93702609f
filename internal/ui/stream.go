package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// minGap keeps a burst of events (a rollback emits several at once) to
// one update, while still well within the page's one-second promise.
const minGap = 100 * time.Millisecond

// message is one Server-Sent Event's data: a full snapshot first, then
// updates carrying what is new since the previous message.
type message struct {
	Now     int64 `json:"now"`
	EveryMS int64 `json:"every_ms"`
	// TokenRequired is true when the admin calls need a token.
	TokenRequired bool           `json:"token_required"`
	Status        map[string]any `json:"status"`
	Incident      string         `json:"incident"`
	Points        []Point        `json:"points"`
	Marks         []Mark         `json:"marks"`
	Drills        []Drill        `json:"drills,omitempty"`
}

// stream serves /ui/stream until the client leaves or the page is closed.
func (p *Page) stream(w http.ResponseWriter, r *http.Request) {
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	var cur cursor
	drills := -1
	tick := time.NewTicker(p.o.Every)
	defer tick.Stop()
	for kind := "snapshot"; ; kind = "update" {
		wake := p.bell.wait() // before building, so a change during it is not missed
		msg := p.message(&cur, &drills)
		if err := send(w, rc, kind, msg); err != nil {
			return // the client left
		}
		select {
		case <-r.Context().Done():
			return
		case <-p.done:
			return
		case <-tick.C:
		case <-wake:
			if !p.pause(r, minGap) {
				return
			}
		}
	}
}

// pause waits d unless the client leaves or the page closes first.
func (p *Page) pause(r *http.Request, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-p.done:
	}
	return false
}

// message builds the next message; drills is how many drills the stream
// has sent, so the history goes out again only when it grew.
func (p *Page) message(cur *cursor, drills *int) message {
	now := p.o.Now()
	m := message{Now: now.UnixMilli(), EveryMS: p.o.Every.Milliseconds(), Status: p.o.Status(now), TokenRequired: p.o.TokenRequired}
	m.Points, m.Marks, *cur = p.series.since(*cur)
	if p.o.OpenIncident != nil {
		m.Incident = p.o.OpenIncident()
	}
	if p.o.Drills != nil {
		if d := listDrills(p.o.Drills()); len(d) != *drills {
			m.Drills, *drills = d, len(d)
		}
	}
	return m
}

// writeBound bounds one message's write, so a client that stopped reading
// cannot hold its stream, and with it the gateway's shutdown, forever.
const writeBound = 10 * time.Second

func send(w http.ResponseWriter, rc *http.ResponseController, kind string, m message) error {
	_ = rc.SetWriteDeadline(time.Now().Add(writeBound)) // not every writer has deadlines; a test recorder has none
	data, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("ui: encode %s: %w", kind, err)
	}
	if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", kind, data); err != nil {
		return fmt.Errorf("ui: send %s: %w", kind, err)
	}
	if err := rc.Flush(); err != nil {
		return fmt.Errorf("ui: flush %s: %w", kind, err)
	}
	return nil
}
