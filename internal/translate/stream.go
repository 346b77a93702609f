package translate

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/itchyny/gojq"
)

// maxStreamLine bounds one line of a streamed fallback answer.
const maxStreamLine = 1 << 20

// streamTranslate answers a Stream rule: the fallback's NDJSON answer is
// re-framed line by line, as server-sent events, while it comes. Problems
// before the first byte (a refused request, a fallback failure) are
// answered in OpenViking's error envelope as usual; a problem mid-stream
// is an error event, then the end of the stream.
func (t *Translator) streamTranslate(r *http.Request, c *compiled, start time.Time) (*http.Response, error) {
	resp, in, err := t.openStream(r, c)
	if err != nil && r.Context().Err() == nil && !isFailure(err) {
		err = t.transportFailure(err)
	}
	var f *failure
	if errors.As(err, &f) {
		t.report(c, f)
		out := respond(r, c.name, f.status, f.body(since(start)))
		if f.cause != "" {
			out.Header["Retry-After"] = []string{retryAfter}
		}
		return out, nil
	}
	if err != nil {
		return nil, err
	}
	pr, pw := io.Pipe()
	go t.pump(r.Context(), c, resp.Body, pw, in)
	h := http.Header{"Content-Type": {"text/event-stream"}, "Cache-Control": {"no-cache"}, HeaderRule: {c.name}}
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h, Body: streamBody{pr, resp.Body}, ContentLength: -1, Request: r}, nil
}

// streamBody is the client's side of a translated stream: closing it also
// closes the fallback's answer, so pump ends even while the fallback is
// silent.
type streamBody struct {
	*io.PipeReader
	upstream io.Closer
}

func (b streamBody) Close() error {
	_ = b.upstream.Close()
	return b.PipeReader.Close()
}

// openStream runs the Request program and calls the fallback, returning
// its answer unread once its headers came within CallTimeout, with the
// request's input for the Response program.
func (t *Translator) openStream(r *http.Request, c *compiled) (*http.Response, map[string]any, error) {
	in, err := t.input(r)
	if err != nil {
		return nil, nil, err
	}
	payload, _, err := c.requestBody(r.Context(), in) // a stream always asks; null is a call without a body
	if err != nil {
		return nil, nil, err
	}
	req, err := t.newCall(r.Context(), c, payload)
	if err != nil {
		return nil, nil, err
	}
	req.Header["Accept"] = []string{"application/x-ndjson"}
	ctx, cancel := context.WithCancelCause(r.Context())
	req = req.WithContext(ctx)
	timer := time.AfterFunc(t.timeout, func() { cancel(context.DeadlineExceeded) })
	resp, err := t.transport.RoundTrip(req)
	timer.Stop() // the headers came: the stream is bounded by the gateway's stream timeouts
	if err != nil {
		cancel(nil)
		if errors.Is(context.Cause(ctx), context.DeadlineExceeded) {
			return nil, nil, context.DeadlineExceeded
		}
		return nil, nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		defer cancel(nil)
		defer resp.Body.Close()
		answer, rerr := t.readAnswer(c, resp)
		if rerr != nil {
			return nil, nil, rerr
		}
		return nil, nil, fallbackFailure(resp.StatusCode, answer)
	}
	resp.Body = cancelOnClose{resp.Body, cancel}
	return resp, in, nil
}

// pump re-frames the fallback's lines into w until the answer ends, the
// client goes away (w's reader closed) or ctx ends. It owns body.
func (t *Translator) pump(ctx context.Context, c *compiled, body io.ReadCloser, w *io.PipeWriter, in map[string]any) {
	defer body.Close()
	sc := bufio.NewScanner(body)
	sc.Buffer(make([]byte, 0, 64<<10), maxStreamLine)
	for sc.Scan() {
		if len(sc.Bytes()) == 0 {
			continue
		}
		line, err := decodeJSON(sc.Bytes())
		if err == nil {
			err = t.emit(ctx, c, w, line, in)
		}
		if err != nil {
			t.report(c, unusable(CauseShape, fmt.Sprintf("rule %q: a streamed line: %v", c.name, err)))
			_ = writeEvent(w, map[string]any{"event": "error", "data": map[string]any{"error": "the fallback's stream broke off"}})
			w.Close()
			return
		}
	}
	w.CloseWithError(sc.Err())
}

// emit runs the Response program on one line and writes its outputs.
func (t *Translator) emit(ctx context.Context, c *compiled, w io.Writer, line any, in map[string]any) error {
	iter := c.response.code.RunWithContext(ctx, map[string]any{"status": http.StatusOK, "body": line, "request": in})
	for {
		v, ok := iter.Next()
		if !ok {
			return nil
		}
		if err, isErr := v.(error); isErr {
			return jqError(err)
		}
		if err := writeEvent(w, v); err != nil {
			return err
		}
	}
}

// writeEvent writes one server-sent event holding v as JSON.
func writeEvent(w io.Writer, v any) error {
	b, _ := gojq.Marshal(v)
	_, err := fmt.Fprintf(w, "data: %s\n\n", b)
	return err
}

// cancelOnClose cancels the fallback call when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelCauseFunc
}

func (c cancelOnClose) Close() error {
	c.cancel(nil)
	return c.ReadCloser.Close()
}
