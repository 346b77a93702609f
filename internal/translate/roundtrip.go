package translate

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/itchyny/gojq"
)

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
	if c == nil {
		return respond(r, "", http.StatusServiceUnavailable, unmatched(r)), nil
	}
	status, body, err := t.translate(r, c, start)
	var f *failure
	if errors.As(err, &f) {
		status, body, err = f.status, f.body(since(start)), nil
	}
	if err != nil {
		return nil, err
	}
	return respond(r, c.name, status, body), nil
}

// translate runs the steps of one translation; each may stop it with a
// *failure (answered in an envelope) or a transport or context error.
func (t *Translator) translate(r *http.Request, c *compiled, start time.Time) (int, []byte, error) {
	in, err := t.input(r)
	if err != nil {
		return 0, nil, err
	}
	ctx := r.Context()
	payload, err := c.requestBody(ctx, in)
	if err != nil {
		return 0, nil, err
	}
	status, answer, err := t.call(ctx, c, payload)
	if err != nil {
		return 0, nil, err
	}
	if status < 200 || status > 299 {
		return 0, nil, fallbackFailure(status, answer)
	}
	out, err := c.response.first(ctx, map[string]any{"status": status, "body": answer, "request": in})
	if err != nil {
		return 0, nil, stopped(ctx, c.internal(err.Error()))
	}
	return c.encode(out, start)
}

// requestBody runs the Request program. Its errors are the client's: a
// missing field, a value of the wrong type.
func (c *compiled) requestBody(ctx context.Context, in map[string]any) ([]byte, error) {
	if c.request == nil {
		return nil, nil
	}
	v, err := c.request.first(ctx, in)
	if err != nil {
		f := invalid(err.Error())
		var d *detailed
		if errors.As(err, &d) {
			f.details = d.details
		}
		return nil, stopped(ctx, f)
	}
	b, _ := gojq.Marshal(v)
	return b, nil
}

// stopped prefers the context's error: a program cut short by a client
// that went away failed for that reason, not its own.
func stopped(ctx context.Context, f *failure) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return f
}
