package proxy

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The request path's deadlines, drawn:
//
//	request ──► headers ──► body
//	|<-- RequestTimeout -->|            an answer of known shape: one bound for all
//	|<-- RequestTimeout -->|<-- idle -->| a stream: each silence bounded by StreamIdle,
//	                       |<---- StreamMax ---->|   the whole by StreamMax
//
// A stream (server-sent events, NDJSON) may rightly last longer than any
// request: a chat answer streamed for two minutes is alive, not hung.

// errRequestTimeout is the request timeout running out. It wraps
// context.DeadlineExceeded, so it classifies as a timeout (504).
var errRequestTimeout = fmt.Errorf("proxy: no answer within the request timeout: %w", context.DeadlineExceeded)

// errStreamIdle and errStreamMax end a stream; the client sees its
// connection end, as with any body the upstream broke off.
var (
	errStreamIdle = fmt.Errorf("proxy: the stream sent nothing within its idle timeout: %w", context.DeadlineExceeded)
	errStreamMax  = fmt.Errorf("proxy: the stream reached its maximum duration: %w", context.DeadlineExceeded)
)

// streamTypes are the media types of answers that stream.
var streamTypes = map[string]bool{"text/event-stream": true, "application/x-ndjson": true, "application/jsonl": true,
	"application/stream+json": true}

// isStream reports whether resp streams. It runs on every response, so it
// reads the media type without parsing the parameters (no allocation).
func isStream(resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		return false
	}
	mt, _, _ := strings.Cut(ct, ";")
	mt = strings.TrimSpace(mt)
	for t := range streamTypes {
		if strings.EqualFold(mt, t) {
			return true
		}
	}
	return false
}

// deadline is an exchange's cancellable context with its request timer,
// which a stream trades for its idle and maximum timers.
type deadline struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	timer  *time.Timer
}

func newDeadline(parent context.Context, timeout time.Duration) *deadline {
	ctx, cancel := context.WithCancelCause(parent)
	d := &deadline{ctx: ctx, cancel: cancel}
	d.timer = time.AfterFunc(timeout, func() { cancel(errRequestTimeout) })
	return d
}

// stop releases the timers and the context.
func (d *deadline) stop() {
	d.timer.Stop()
	d.cancel(nil)
}

// cause is err, or the deadline that caused it.
func (d *deadline) cause(err error) error {
	if c := context.Cause(d.ctx); err != nil && c != nil && c != context.Canceled {
		return c
	}
	return err
}

// stream trades the request timer for the stream's: body reads that
// return bytes keep it alive; idle silence or max duration end it.
func (d *deadline) stream(body io.ReadCloser, idle, maxDur time.Duration) io.ReadCloser {
	d.timer.Stop()
	w := &watchdog{ReadCloser: body, idle: idle}
	w.timer = time.AfterFunc(idle, func() { d.cancel(errStreamIdle) })
	whole := time.AfterFunc(maxDur, func() { d.cancel(errStreamMax) })
	w.done = func() { w.timer.Stop(); whole.Stop() }
	return w
}

// watchdog resets the idle timer on every read that returns bytes.
type watchdog struct {
	io.ReadCloser
	idle  time.Duration
	timer *time.Timer
	done  func()
	once  sync.Once
}

func (w *watchdog) Read(p []byte) (int, error) {
	n, err := w.ReadCloser.Read(p)
	if n > 0 {
		w.timer.Reset(w.idle)
	}
	return n, err
}

func (w *watchdog) Close() error {
	w.once.Do(w.done)
	return w.ReadCloser.Close()
}

// orDefault is d, or def when d is not positive.
func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
