package translate

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/itchyny/gojq"
)

var _ http.RoundTripper = (*Translator)(nil)

// RoundTrip translates one OpenViking request. Only r.Method, r.URL.Path,
// r.URL.RawQuery, r.Header, r.Body and r.Context() are used; the body is
// always closed. Every problem that can be said in OpenViking's terms is
// answered with its error envelope and a nil error; an error is returned
// only when the fallback could not be reached or the context ended, so the
// gateway classifies it like any upstream failure.
func (t *Translator) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		defer r.Body.Close()
	}
	start := time.Now()
	c := t.find(r.Method, r.URL.Path)
	if kind, ok := contentPaths[r.URL.Path]; ok && c == nil && r.Method == http.MethodGet {
		return t.content(r, kind), nil
	}
	if c == nil {
		return respond(r, "", http.StatusServiceUnavailable, unmatched(r)), nil
	}
	if c.stream {
		return t.streamTranslate(r, c, start)
	}
	status, body, err := t.translate(r, c, start)
	if err != nil && r.Context().Err() == nil && !isFailure(err) {
		err = t.transportFailure(err) // the fallback, not the client, ended the call
	}
	var f *failure
	if errors.As(err, &f) {
		status, body, err = f.status, f.body(since(start)), nil
		t.report(c, f)
	}
	if err != nil {
		return nil, err
	}
	resp := respond(r, c.name, status, body)
	if f != nil && f.cause != "" {
		resp.Header["Retry-After"] = []string{retryAfter}
	}
	return resp, nil
}

func isFailure(err error) bool {
	var f *failure
	return errors.As(err, &f)
}

// transportFailure is a fallback call that ended without an answer while
// the client still waited: it hung past CallTimeout, or could not connect.
func (t *Translator) transportFailure(err error) *failure {
	if errors.Is(err, context.DeadlineExceeded) {
		return unusable(CauseTimeout, "no answer within "+t.timeout.String())
	}
	return unusable(CauseUnreachable, err.Error())
}

// report tells the owner of a fallback failure.
func (t *Translator) report(c *compiled, f *failure) {
	if f.cause != "" && t.onError != nil {
		t.onError(c.name, f.cause, f.detail)
	}
}

// translate runs the steps of one translation; each may stop it with a
// *failure (answered in an envelope) or a transport or context error.
func (t *Translator) translate(r *http.Request, c *compiled, start time.Time) (int, []byte, error) {
	in, err := t.input(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	payload, ask, err := c.requestBody(ctx, in)
	if err != nil {
		return 0, nil, err
	}
	status, answer := http.StatusOK, any(nil)
	if ask {
		if status, answer, err = t.call(ctx, c, payload); err != nil {
			return 0, nil, err
		}
	}
	if status < 200 || status > 299 {
		return 0, nil, fallbackFailure(status, answer)
	}
	t.docs.remember(answer)
	out, err := c.response.first(ctx, map[string]any{"status": status, "body": answer, "request": in})
	if err != nil {
		f := c.internal(err.Error())
		if m, ok := answer.(map[string]any); ok && m["status"] == "failure" {
			f.cause = CauseFailed // the fallback said it failed; the rule only said so
		}
		return 0, nil, stopped(ctx, f)
	}
	return c.encode(out, start)
}

// requestBody runs the Request program; ask is false when it output null:
// there is nothing to ask the fallback, and Response answers alone. Its
// errors are the client's: a missing field, a value of the wrong type.
func (c *compiled) requestBody(ctx context.Context, in map[string]any) (payload []byte, ask bool, err error) {
	if c.request == nil {
		return nil, true, nil
	}
	v, err := c.request.first(ctx, in)
	if err != nil {
		f := invalid(err.Error())
		var d *detailed
		if errors.As(err, &d) {
			f.details = d.details
		}
		return nil, false, stopped(ctx, f)
	}
	if v == nil {
		return nil, false, nil
	}
	b, _ := gojq.Marshal(v)
	return b, true, nil
}

// stopped prefers the context's error: a program cut short by a client
// that went away failed for that reason, not its own.
func stopped(ctx context.Context, f *failure) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return f
}
