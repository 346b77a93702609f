package journal

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/envelope"
)

// Target is the primary a replay writes to.
type Target struct {
	// BaseURL is the primary's address, e.g. http://127.0.0.1:1933.
	// Required.
	BaseURL string
	// Client sends the replay. Default nil: a client with a 10 s timeout.
	Client *http.Client
}

// defaultReplayTimeout bounds each replay request when Target.Client is nil.
const defaultReplayTimeout = 10 * time.Second

// primary sends one tenant's requests to the target.
type primary struct {
	base string
	c    *http.Client
}

// newPrimary makes the replay's client for t. Without one of the caller's,
// it gets its own connection pool, as wide as the lanes running at once,
// so parallel lanes do not open and drop connections on every write (the
// default transport keeps 2 per host); done closes that pool.
func newPrimary(t Target, workers int) (p primary, done func()) {
	p = primary{base: strings.TrimSuffix(t.BaseURL, "/"), c: t.Client}
	if p.c != nil {
		return p, func() {}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = workers
	p.c = &http.Client{Timeout: defaultReplayTimeout, Transport: tr}
	return p, tr.CloseIdleConnections
}

// reply is the primary's answer, its envelope decoded.
type reply struct {
	status int
	result json.RawMessage
	code   string
	msg    string
}

// rejection is a 4xx the primary will answer again on every retry: the op
// cannot be applied. It is reported as a lost write, never dropped silently.
type rejection struct {
	status    int
	code, msg string
}

func (e *rejection) Error() string {
	return fmt.Sprintf("primary answered %d %s: %s", e.status, e.code, e.msg)
}

// do sends one kept request. A success or a 404 comes back as a
// reply for the caller to judge; a 4xx that retrying cannot fix is a
// *rejection; everything else (transport errors, 5xx, 429, 401, 403)
// wraps ErrPrimary and stops the replay with the op still pending.
func (p primary) do(ctx context.Context, q *request) (reply, error) {
	method, path := q.Method, q.Path
	req, err := q.build(ctx, p.base)
	if err != nil {
		return reply{}, fmt.Errorf("%w: %v", ErrPrimary, err)
	}
	resp, err := p.c.Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%w: %s %s: %v", ErrPrimary, method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16*maxBody))
	if err != nil {
		return reply{}, fmt.Errorf("%w: %s %s: reading the answer: %v", ErrPrimary, method, path, err)
	}
	rp := parseReply(resp.StatusCode, raw)
	return rp, rp.judge(method, path)
}

func parseReply(status int, raw []byte) reply {
	var env struct { // only what the journal reads, so other fields never fail the decode
		Result json.RawMessage `json:"result"`
		Error  envelope.Detail `json:"error"`
	}
	rp := reply{status: status}
	if json.Unmarshal(raw, &env) != nil {
		rp.msg = strings.TrimSpace(string(raw))
		return rp
	}
	rp.result, rp.code, rp.msg = env.Result, env.Error.Code, env.Error.Message
	return rp
}

// judge sorts an answer: see do.
func (rp reply) judge(method, path string) error {
	switch s := rp.status; {
	case s/100 == 2, s == http.StatusNotFound:
		return nil
	case s == http.StatusUnauthorized, s == http.StatusForbidden, s == http.StatusTooManyRequests,
		s < 400, s >= 500:
		return fmt.Errorf("%w: %s %s: %d %s: %s", ErrPrimary, method, path, s, rp.code, rp.msg)
	}
	return rp.rejection()
}

func (rp reply) rejection() *rejection {
	return &rejection{status: rp.status, code: rp.code, msg: rp.msg}
}

func (rp reply) found() bool { return rp.status != http.StatusNotFound }
