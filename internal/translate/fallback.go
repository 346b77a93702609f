package translate

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
)

// call sends the translated request to the fallback and decodes its answer.
// A rule without a fallback path answers by itself: status 200, null body.
// Errors other than *failure are transport or context errors, for the
// gateway to classify.
func (t *Translator) call(ctx context.Context, c *compiled, payload []byte) (int, any, error) {
	if c.target == "" {
		return http.StatusOK, nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, t.timeout)
	defer cancel()
	req, err := t.newCall(ctx, c, payload)
	if err != nil {
		return 0, nil, err
	}
	resp, err := t.transport.RoundTrip(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	answer, err := t.readAnswer(c, resp)
	return resp.StatusCode, answer, err
}

// newCall builds the fallback request. Its headers are built afresh: the
// client's Authorization and X-API-Key hold OpenViking keys and must not
// reach the fallback.
func (t *Translator) newCall(ctx context.Context, c *compiled, payload []byte) (*http.Request, error) {
	var body io.Reader
	if payload != nil {
		body = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.target, body)
	if err != nil {
		return nil, err
	}
	h := make(http.Header, len(t.header)+2)
	for k, v := range t.header {
		h[k] = v
	}
	h["Accept"] = []string{"application/json"}
	if payload != nil {
		h["Content-Type"] = []string{"application/json"}
	}
	req.Header = h
	return req, nil
}

// readAnswer decodes the fallback's answer. An unreadable error answer is
// not a problem of its own: its status is mapped all the same.
func (t *Translator) readAnswer(c *compiled, resp *http.Response) (any, error) {
	buf := t.getBuffer()
	defer t.putBuffer(buf)
	tooLarge, err := t.readLimited(buf, resp.Body)
	if err != nil {
		return nil, err
	}
	ok := resp.StatusCode >= 200 && resp.StatusCode <= 299
	if tooLarge {
		if ok {
			return nil, c.internal("the fallback's answer is larger than " + strconv.FormatInt(t.maxBody, 10) + " bytes")
		}
		return nil, nil
	}
	v, err := decodeJSON(buf.Bytes())
	if err != nil && ok {
		return nil, c.internal("the fallback's answer is not JSON: " + err.Error())
	}
	return v, nil
}

// clipHeader copies Options.Header with canonical names and full-capacity
// value slices, which calls then share: a transport appending to a value
// of one call reallocates instead of writing into another call's.
func clipHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		out[http.CanonicalHeaderKey(k)] = slices.Clip(slices.Clone(v))
	}
	return out
}
