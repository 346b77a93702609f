package load

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// SessionWrites configure sessions mode: each worker, on its turn in the
// mix, creates an OpenViking session, then adds Messages messages to it one
// per turn, then starts another.
type SessionWrites struct {
	// Messages is how many messages each session gets. Default 0: 5.
	Messages int `json:"messages,omitempty"`
	// Weight is the writes' share of the mix, as Request.Weight. Default
	// 0: 1.
	Weight int `json:"weight,omitempty"`
	// Prefix starts every session id; ids are Prefix-w<worker>-s<n>, and
	// must stay within OpenViking's characters (letters, digits, - _ .).
	// Default "lbload-" and a base-36 timestamp, unique per run.
	Prefix string `json:"prefix,omitempty"`
}

// Write is one message the server acknowledged (answered 2xx).
type Write struct {
	SessionID string `json:"session_id"`
	// Index is the message's number in its session as the writer counts,
	// from 0. A write that failed still uses up its number, so the
	// server's position may be lower.
	Index int `json:"index"`
	// Content is the message text, unique in the run.
	Content string `json:"content"`
	// At is when the acknowledgement arrived.
	At time.Time `json:"at"`
}

func (s *SessionWrites) validate() error {
	if s == nil {
		return nil
	}
	if s.Messages < 0 || s.Weight < 0 {
		return fmt.Errorf("%w: session writes: messages and weight must not be negative", ErrConfig)
	}
	return nil
}

// withDefaults fills the defaults documented on SessionWrites.
func (s SessionWrites) withDefaults(now time.Time) SessionWrites {
	if s.Messages == 0 {
		s.Messages = 5
	}
	if s.Prefix == "" {
		s.Prefix = "lbload-" + strconv.FormatInt(now.UnixNano(), 36)
	}
	return s
}

// writer is one worker's session writes. Only its worker touches it.
type writer struct {
	cfg     SessionWrites
	base    string
	header  http.Header
	worker  int
	session int    // sessions started so far
	id      string // the current session
	created bool   // the server acknowledged creating id
	next    int    // the next message's Index
	acked   []Write
	unacked []Write // sent, answered with an error or not at all
}

func newWriter(o Options, worker int, cfg SessionWrites) *writer {
	w := &writer{cfg: cfg, base: o.BaseURL, header: mergeHeader(o.Header, nil, true), worker: worker}
	w.rotate()
	return w
}

// rotate starts the next session.
func (w *writer) rotate() {
	w.session++
	w.id = fmt.Sprintf("%s-w%d-s%d", w.cfg.Prefix, w.worker, w.session)
	w.created, w.next = false, 0
}

// call is the writer's next request: create the session, or add a message.
func (w *writer) call() call {
	if !w.created {
		body, _ := json.Marshal(map[string]string{"session_id": w.id})
		return call{label: "create session", method: http.MethodPost, url: joinURL(w.base, "/api/v1/sessions"),
			body: string(body), header: w.header}
	}
	body, _ := json.Marshal(map[string]string{"role": "user", "content": w.content()})
	return call{label: "add message", method: http.MethodPost, url: joinURL(w.base, "/api/v1/sessions/"+w.id+"/messages"),
		body: string(body), header: w.header}
}

func (w *writer) content() string {
	return fmt.Sprintf("lifeboat load write %d of session %s", w.next, w.id)
}

// observe moves on after the answer to call(): status, or the transport
// error err, at time at. A session the server no longer knows is replaced.
func (w *writer) observe(status int, err error, at time.Time) {
	ok := err == nil && status >= 200 && status <= 299
	switch {
	case !w.created:
		w.created = ok
		return
	case ok:
		w.acked = append(w.acked, Write{SessionID: w.id, Index: w.next, Content: w.content(), At: at})
	case status == http.StatusNotFound:
		w.rotate()
		return
	default:
		w.unacked = append(w.unacked, Write{SessionID: w.id, Index: w.next, Content: w.content(), At: at})
	}
	if w.next++; w.next >= w.cfg.Messages {
		w.rotate()
	}
}
