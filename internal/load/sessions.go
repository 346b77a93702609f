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
	// Content is the message's text (its first text part), unique in the
	// run.
	Content string `json:"content"`
	// Message is the message exactly as it was sent, every field of it,
	// so a reader can check the server kept each one.
	Message json.RawMessage `json:"message"`
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

// batchEvery makes every batchEvery-th write of a session a batch of two
// messages (messages/batch), as agents send a turn's steps together.
const batchEvery = 3

// writer is one worker's session writes. Only its worker touches it.
type writer struct {
	cfg      SessionWrites
	base     string
	header   http.Header
	worker   int
	session  int    // sessions started so far
	id       string // the current session
	created  bool   // the server acknowledged creating id
	next     int    // the next message's Index
	inflight []Write
	acked    []Write
	unacked  []Write // sent, answered with an error or not at all
	up       uploader
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
	w.up.start(w.session)
}

// call is the writer's next request: create the session, add a message,
// or add a batch of two.
func (w *writer) call() call {
	if !w.created {
		body, _ := json.Marshal(map[string]string{"session_id": w.id})
		return call{label: "create session", method: http.MethodPost, url: joinURL(w.base, "/api/v1/sessions"),
			body: string(body), header: w.header}
	}
	if c, ok := w.up.call(w.base, w.id, w.header); ok {
		return c
	}
	n := 1
	if w.next%batchEvery == batchEvery-1 && w.next+2 <= w.cfg.Messages {
		n = 2
	}
	w.inflight = w.inflight[:0]
	for i := range n {
		w.inflight = append(w.inflight, w.write(w.next+i))
	}
	label, path, body := "add message", "/api/v1/sessions/"+w.id+"/messages", []byte(w.inflight[0].Message)
	if n > 1 {
		label, path = "add messages (batch)", path+"/batch"
		body, _ = json.Marshal(map[string]any{"messages": []json.RawMessage{w.inflight[0].Message, w.inflight[1].Message}})
	}
	return call{label: label, method: http.MethodPost, url: joinURL(w.base, path), body: string(body), header: w.header}
}

// write is message i of the current session as an agent sends it: parts
// of every kind with the fields the server keeps, and every optional
// field of the request set (OpenViking's AddMessageRequest). The parts
// hold exactly what the server lists back, so a reader can compare them
// field by field.
func (w *writer) write(i int) Write {
	text := fmt.Sprintf("lifeboat load write %d of session %s", i, w.id)
	role := [2]string{"user", "assistant"}[i%2]
	kind := [2]string{"user_query", "assistant_step"}[i%2]
	msg := map[string]any{
		"role": role, "peer_id": fmt.Sprintf("agent-w%d", w.worker),
		"created_at": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		"turn_id":    fmt.Sprintf("turn-%d", i/2), "message_kind": kind,
		"source_message_ids": []string{fmt.Sprintf("src-%d", i)},
		"parts": []map[string]any{
			{"type": "text", "text": text},
			{"type": "context", "uri": "viking://resources/lifeboat/load", "context_type": "resource", "abstract": "load context"},
			{"type": "tool", "tool_id": fmt.Sprintf("call-%d", i), "tool_name": "lookup", "tool_uri": "", "skill_uri": "",
				"tool_status": "completed", "tool_input": map[string]any{"q": text}, "tool_output": "ok"},
		},
	}
	raw, _ := json.Marshal(msg) // maps of strings and lists always encode
	return Write{SessionID: w.id, Index: i, Content: text, Message: raw}
}

// observe moves on after the answer to call(): status, or the transport
// error err, at time at. A session the server no longer knows is replaced.
func (w *writer) observe(status int, body []byte, err error, at time.Time) {
	ok := err == nil && status >= 200 && status <= 299
	switch {
	case !w.created:
		w.created = ok
		return
	case w.up.busy():
		w.up.observe(ok, body, at)
		return
	case ok:
		for _, wr := range w.inflight {
			wr.At = at
			w.acked = append(w.acked, wr)
		}
	case status == http.StatusNotFound:
		w.rotate()
		return
	default:
		for _, wr := range w.inflight {
			wr.At = at
			w.unacked = append(w.unacked, wr)
		}
	}
	if w.next += len(w.inflight); w.next >= w.cfg.Messages {
		w.rotate()
	}
}
