package proxy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// ErrTruncated means an upstream broke off its response body before the
// end it announced: a short body must never reach a client as a complete
// answer.
var ErrTruncated = errors.New("proxy: upstream response body broke off")

// A response streams to the client as it arrives, so once its status line
// is sent, a body that breaks off can only be signalled by aborting the
// client's connection. For a request that the other upstream could still
// answer, the gateway reads the body whole first, when it is no larger
// than the cache's largest entry: a broken body is then a failed try like
// a 5xx, counted against the upstream and replayed on the other one.

// wholeLimit is how much of target's answer to read before answering, or
// 0 to stream it: only a first try of a replayable request that another
// upstream can still serve is read whole.
func (x *exchange) wholeLimit(p plan, target int) int64 {
	if !p.hasSecond || target != p.first || !x.body.replayable || !x.cls.Replayable(x.r.Method) {
		return 0
	}
	return x.g.cacheStore.MaxEntryBytes()
}

// readWhole reads resp's body up to limit into memory. A larger body is
// left to stream after the part already read; a body that breaks off
// closes resp and returns ErrTruncated.
func readWhole(resp *http.Response, limit int64) error {
	if resp.StatusCode >= 500 || resp.ContentLength > limit || isStream(resp) {
		return nil // a stream is read as it comes, never held back
	}
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	n, err := buf.ReadFrom(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		resp.Body.Close()
		return fmt.Errorf("%w after %d bytes: %w", ErrTruncated, n, err)
	}
	if n > limit {
		resp.Body = readCloser{io.MultiReader(&buf, resp.Body), resp.Body}
		return nil
	}
	resp.Body.Close()
	resp.Body = io.NopCloser(&buf)
	return nil
}
