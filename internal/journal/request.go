package journal

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
)

// Headers the journal keeps with every op, so the replay acts as the same
// caller (OpenViking's auth and tenant headers, the actor peer included)
// and sends the same kind of body.
const (
	headerAPIKey    = "X-API-Key"
	headerAuth      = "Authorization"
	headerAccount   = "X-OpenViking-Account"
	headerUser      = "X-OpenViking-User"
	headerAgent     = "X-OpenViking-Agent"
	headerActorPeer = "X-OpenViking-Actor-Peer"
	headerType      = "Content-Type"
	defaultUser     = "default"
)

var keptHeaderNames = []string{headerAPIKey, headerAuth, headerAccount, headerUser, headerAgent, headerActorPeer, headerType}

// request is an accepted write as its client sent it: replayed as is, so
// no field the API has today or adds tomorrow is lost. The only change
// the journal makes is created_at on messages that carry none, so a
// message keeps the time its client sent it.
type request struct {
	Method string            `json:"method"`
	Path   string            `json:"path"`
	Query  string            `json:"query,omitempty"`
	Header map[string]string `json:"header,omitempty"`
	Body   json.RawMessage   `json:"body,omitempty"`
}

// keptHeaders picks the headers the journal keeps from h; none is nil,
// as a kept request reads back from the log.
func keptHeaders(h http.Header) map[string]string {
	var out map[string]string
	for _, name := range keptHeaderNames {
		if v := h.Get(name); v != "" {
			if out == nil {
				out = map[string]string{}
			}
			out[name] = v
		}
	}
	return out
}

// capture makes the request the journal keeps of r, with body.
func capture(r *http.Request, body []byte) *request {
	q := &request{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: keptHeaders(r.Header)}
	if len(bytes.TrimSpace(body)) > 0 {
		q.Body = body
	}
	return q
}

// user is the OpenViking user the request acts as.
func (q *request) user() string {
	if u := q.Header[headerUser]; u != "" {
		return u
	}
	return defaultUser
}

// account is the OpenViking account the request acts as.
func (q *request) account() string {
	if a := q.Header[headerAccount]; a != "" {
		return a
	}
	return defaultUser
}

// key names session id in the caller's space: two tenants' sessions of
// the same id are different sessions, as on the primary. A struct of
// strings is a map key that costs no allocation to build.
func (q *request) key(id string) sessionKey {
	return sessionKey{account: q.account(), user: q.user(), id: id}
}

type sessionKey struct{ account, user, id string }

// tenant is the key of the caller's space: sessions of other tenants do
// not exist for it.
func (q *request) tenant() string { return q.account() + "/" + q.user() }

// build makes the outgoing request to base, as the client sent it.
func (q *request) build(ctx context.Context, base string) (*http.Request, error) {
	u := base + q.Path
	if q.Query != "" {
		u += "?" + q.Query
	}
	var body io.Reader
	if q.Body != nil {
		body = bytes.NewReader(q.Body)
	}
	req, err := http.NewRequestWithContext(ctx, q.Method, u, body)
	if err != nil {
		return nil, err
	}
	for k, v := range q.Header {
		req.Header.Set(k, v)
	}
	if q.Body != nil && req.Header.Get(headerType) == "" {
		req.Header.Set(headerType, "application/json")
	}
	return req, nil
}

// as is a request of the same caller for another call: the replay's own
// reads of the primary, sent with the caller's identity.
func (q *request) as(method, path, query string, body []byte) *request {
	var h map[string]string
	for k, v := range q.Header {
		if h == nil {
			h = map[string]string{}
		}
		if !strings.EqualFold(k, headerType) {
			h[k] = v
		}
	}
	return &request{Method: method, Path: path, Query: query, Header: h, Body: body}
}
