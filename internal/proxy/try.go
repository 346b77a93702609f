package proxy

import (
	"context"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// A try is bounded from the moment it asks for a connection until its
// response headers arrive. http.Transport bounds only the wait for headers
// after the request is written (ResponseHeaderTimeout): a request waiting
// for one of the MaxConnsPerHost connections, all held by a hung upstream,
// would wait for the whole request timeout. The body that follows the
// headers is bounded by the request timeout alone, so a large answer that
// streams steadily is never cut.

// tryLimit is how long the try at target may wait for headers. A request
// that the other upstream can still serve gets its class's per-try timeout
// (Envoy's per_try_timeout), so a hung primary costs a search 5 s rather
// than 30; one with nowhere else to go waits the full header timeout.
func (x *exchange) tryLimit(p plan, target int) time.Duration {
	last := !p.hasSecond || target == p.second
	if last || x.cls.Timeout <= 0 || !x.body.replayable || !x.cls.Replayable(x.r.Method) {
		return x.g.headerTimeout
	}
	return x.cls.Timeout
}

// roundTrip sends out and bounds the wait for its headers by limit. A try
// that runs out gets ErrTryTimeout, a timeout for statistics and the
// breaker, never the client hanging up.
func (x *exchange) roundTrip(ctx context.Context, target int, limit time.Duration) (*http.Response, error) {
	tctx, cancel := context.WithCancel(ctx)
	var expired atomic.Bool
	timer := time.AfterFunc(limit, func() { expired.Store(true); cancel() })
	resp, err := x.g.transports[target].RoundTrip(x.outbound(tctx, target))
	if timer.Stop() || !expired.Load() {
		if err != nil {
			cancel()
			return nil, err
		}
		// The body goes on under tctx, until it is closed.
		resp.Body = &cancelingBody{ReadCloser: resp.Body, cancel: cancel}
		return resp, nil
	}
	// The timer fired: whatever came back was cut off, even headers that
	// arrived in the same instant, since their body's context is gone.
	discard(resp)
	return nil, ErrTryTimeout
}

// cancelingBody ends a try's context when its body is closed.
type cancelingBody struct {
	io.ReadCloser
	cancel context.CancelFunc
}

func (b *cancelingBody) Close() error {
	err := b.ReadCloser.Close()
	b.cancel()
	return err
}
