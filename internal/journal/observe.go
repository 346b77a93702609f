package journal

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/message"
)

// maxObserved bounds the answer the observer reads to learn a session's
// state; a larger answer passes through unread.
const maxObserved = 1 << 20

// Observe wraps the transport to the primary: the primary's answers about
// sessions (reads, context, message writes, commits, deletes) are
// remembered in passing, so that when the primary goes away the journal
// carries each session on from its last known state. Nothing is changed
// on the way; the observer only reads copies. A resource add naming an
// upload the journal took while the primary was away is journaled behind
// it instead, and also given to fallback (what Transport passes on to:
// the translation, which indexes what clients uploaded); nil gives it
// nowhere.
func (j *Journal) Observe(next, fallback http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	if fallback == nil {
		fallback = rejecting{}
	}
	return &observer{j: j, next: next, fallback: fallback}
}

type observer struct {
	j        *Journal
	next     http.RoundTripper
	fallback http.RoundTripper
}

// The journal's transports are http.RoundTrippers; the compiler checks it.
var (
	_ http.RoundTripper = (*observer)(nil)
	_ http.RoundTripper = (*transport)(nil)
	_ http.RoundTripper = rejecting{}
)

func (o *observer) RoundTrip(r *http.Request) (*http.Response, error) {
	if id, ok := taskRoute(r.Method, r.URL.Path); ok {
		return o.task(r, id)
	}
	rt, id := routeOf(r.Method, r.URL.Path)
	if rt == routeResource {
		return o.resource(r)
	}
	if id == "" || o.j.seen == nil || !observed(rt) {
		return o.next.RoundTrip(r)
	}
	q := capture(r, nil)
	if r.Method == http.MethodPost && r.Body != nil && r.Body != http.NoBody {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		_ = r.Body.Close()
		if err != nil {
			return nil, err
		}
		q.Body = body
		r = r.Clone(r.Context())
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	}
	resp, err := o.next.RoundTrip(r)
	if err != nil {
		return resp, err
	}
	switch {
	case resp.StatusCode == http.StatusNotFound && rt == routeGet:
		o.j.seen.update(q.tenant(), id, func(*Base) bool { return false })
	case resp.StatusCode == http.StatusOK:
		resp.Body = &tee{rc: resp.Body, done: func(b []byte) { o.learn(rt, id, q, b) }}
	}
	return resp, nil
}

func observed(rt route) bool {
	switch rt {
	case routeGet, routeContext, routeMessage, routeBatch, routeCommit, routeDelete:
		return true
	}
	return false
}

// learn updates what is remembered of session id from one of the
// primary's answers.
func (o *observer) learn(rt route, id string, q *request, raw []byte) {
	var env struct {
		Status string          `json:"status"`
		Result json.RawMessage `json:"result"`
	}
	if json.Unmarshal(raw, &env) != nil || env.Status != "ok" {
		return
	}
	o.j.seen.update(q.tenant(), id, func(b *Base) bool { return learnFrom(rt, b, q, env.Result) })
	o.j.seenChanged()
}

// learnFrom applies one answer to b; false forgets the session.
func learnFrom(rt route, b *Base, q *request, res json.RawMessage) bool {
	var c struct {
		MessageCount  *int              `json:"message_count"`
		PendingTokens int               `json:"pending_tokens"`
		Total         *int              `json:"total_message_count"`
		Commits       int               `json:"commit_count"`
		Keep          int               `json:"keep_recent_count"`
		Added         *int              `json:"added"`
		Status        string            `json:"status"`
		Messages      []message.Message `json:"messages"`
	}
	if json.Unmarshal(res, &c) != nil {
		return false
	}
	switch rt {
	case routeDelete:
		return false
	case routeGet:
		if c.MessageCount == nil {
			return false
		}
		if *c.MessageCount != b.MessageCount {
			b.Messages, b.MessageBytes = nil, 0
		}
		b.MessageCount, b.PendingTokens, b.Commits, b.Keep, b.Meta = *c.MessageCount, c.PendingTokens, c.Commits, c.Keep, res
		b.TotalMessages = max(b.TotalMessages, b.MessageCount)
		if c.Total != nil {
			b.TotalMessages = *c.Total
		}
	case routeContext:
		if c.Messages != nil && len(c.Messages) == b.MessageCount {
			b.Messages, b.MessageBytes = c.Messages, messageBytes(c.Messages)
		}
	case routeMessage, routeBatch:
		return learnWrite(b, q, c.MessageCount, c.PendingTokens)
	case routeCommit:
		return learnCommit(b, q, c.Status)
	}
	return true
}

// learnWrite applies the primary's answer to a message write: its counts,
// and the messages themselves when the remembered list was whole.
func learnWrite(b *Base, q *request, count *int, pending int) bool {
	if count == nil {
		return false
	}
	reqs, ok := writtenMessages(q)
	if !ok {
		return false
	}
	before := b.MessageCount
	at := time.Now().UTC().Format("2006-01-02T15:04:05.000Z")
	ms := make([]message.Message, len(reqs))
	for i := range reqs {
		ms[i] = reqs[i].Message("", at)
	}
	b.MessageCount, b.PendingTokens = *count, pending
	b.TotalMessages += len(reqs)
	if *count == before+len(reqs) {
		appendMessages(b, before, ms)
	} else {
		b.Messages, b.MessageBytes = nil, 0
	}
	return true
}

func writtenMessages(q *request) ([]message.Request, bool) {
	var b message.Batch
	if json.Unmarshal(q.Body, &b) == nil && b.Messages != nil {
		return b.Messages, true
	}
	var m message.Request
	if json.Unmarshal(q.Body, &m) != nil {
		return nil, false
	}
	return []message.Request{m}, true
}

// learnCommit applies an accepted commit: all but keep messages archived.
func learnCommit(b *Base, q *request, status string) bool {
	var c commitRequest
	if len(bytes.TrimSpace(q.Body)) > 0 && json.Unmarshal(q.Body, &c) != nil {
		return false
	}
	b.Keep = c.KeepRecentCount
	if status != "accepted" || b.MessageCount <= b.Keep {
		return true
	}
	b.MessageCount, b.PendingTokens = b.Keep, 0
	if len(b.Messages) > b.Keep {
		b.Messages = append([]message.Message(nil), b.Messages[len(b.Messages)-b.Keep:]...)
		b.MessageBytes = messageBytes(b.Messages)
	}
	b.Commits++
	return true
}

// tee hands what was read of a body to done once it is read to its end;
// a body abandoned early is not learnt from.
type tee struct {
	rc   io.ReadCloser
	buf  bytes.Buffer
	done func([]byte)
	over bool
}

func (t *tee) Read(p []byte) (int, error) {
	n, err := t.rc.Read(p)
	if !t.over {
		if t.buf.Len()+n > maxObserved {
			t.over, t.buf = true, bytes.Buffer{}
		} else {
			t.buf.Write(p[:n])
		}
	}
	if err == io.EOF && !t.over && t.done != nil {
		t.done(t.buf.Bytes())
		t.done = nil
	}
	return n, err
}

func (t *tee) Close() error { return t.rc.Close() }
