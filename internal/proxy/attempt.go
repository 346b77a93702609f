package proxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/breaker"
	"github.com/lifeboat-sre/lifeboat/internal/queue"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// rejected reports whether err means the request was never sent because a
// guard on the primary turned it away.
func rejected(err error) bool {
	return errors.Is(err, breaker.ErrOpen) || errors.Is(err, queue.ErrFull) || errors.Is(err, queue.ErrTimeout)
}

// attempt sends the request to one upstream. Toward the primary it first
// passes the breaker, then the queue; the queue slot is held until the
// response body is closed, because that is how long the primary is busy.
//
// whole, when positive, reads a body up to that size before the outcome
// is judged (see whole.go), so a body that breaks off is a failure.
func (x *exchange) attempt(ctx context.Context, target int, limit time.Duration, whole int64) (*http.Response, error) {
	g := x.g
	var b *breaker.Breaker
	var q *queue.Queue
	var tk breaker.Ticket
	if target == primary {
		b, q = g.breaker.Load(), g.queue.Load()
		if err := x.guard(ctx, b, q, &tk); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	resp, err := x.roundTrip(ctx, target, limit)
	if err == nil && whole > 0 {
		if err = readWhole(resp, whole); err != nil {
			resp = nil
		}
	}
	status := 0
	if err == nil {
		status = resp.StatusCode
	}
	o := stats.Classify(status, err, x.r.Context().Err() != nil)
	if b != nil {
		settle(b, tk, o)
	}
	if q != nil {
		if err != nil {
			q.Release()
		} else {
			resp.Body = &releasingBody{ReadCloser: resp.Body, q: q}
		}
	}
	g.record(target, x.rt, o, start)
	return resp, err
}

// guard passes the breaker and the queue, recording a rejection.
func (x *exchange) guard(ctx context.Context, b *breaker.Breaker, q *queue.Queue, tk *breaker.Ticket) error {
	start := time.Now()
	if b != nil {
		t, err := b.Allow()
		if err != nil {
			x.g.record(primary, x.rt, stats.Rejected, start)
			return err
		}
		*tk = t
	}
	if q != nil {
		if err := q.Acquire(ctx); err != nil {
			if b != nil {
				b.Cancel(*tk)
			}
			o := stats.Rejected
			if x.r.Context().Err() != nil {
				o = stats.ClientGone
			}
			x.g.record(primary, x.rt, o, start)
			return err
		}
	}
	return nil
}

// settle reports an outcome to the breaker. A client that hung up says
// nothing about the upstream, so its ticket is handed back unjudged.
func settle(b *breaker.Breaker, tk breaker.Ticket, o stats.Outcome) {
	if o == stats.ClientGone {
		b.Cancel(tk)
		return
	}
	b.Done(tk, !o.Failure())
}

// outbound builds the upstream request.
func (x *exchange) outbound(ctx context.Context, target int) *http.Request {
	up := x.g.upstreams[target]
	body, n := x.body.next()
	out := (&http.Request{
		Method:        x.r.Method,
		URL:           up.url(x.r.URL),
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        outboundHeader(x.r),
		Body:          body,
		ContentLength: n,
		Host:          up.host,
	}).WithContext(ctx)
	if x.stale != nil {
		x.addValidators(out.Header)
	}
	return out
}

// releasingBody gives the queue slot back when the response is done.
type releasingBody struct {
	io.ReadCloser
	q    *queue.Queue
	done bool
}

func (r *releasingBody) Close() error {
	err := r.ReadCloser.Close()
	if !r.done {
		r.done = true
		r.q.Release()
	}
	return err
}

// discard drops a response the client will not see. It reads a little of
// the body so the connection can be reused, but never waits long for it.
func discard(resp *http.Response) {
	if resp == nil {
		return
	}
	_, _ = io.CopyN(io.Discard, resp.Body, 4<<10)
	resp.Body.Close()
}
