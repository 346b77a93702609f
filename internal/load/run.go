package load

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// runner is one run's live state.
type runner struct {
	opts     Options
	client   *http.Client
	plan     plan
	rec      *recorder
	deadline time.Time
}

// Run sends the configured traffic for opts.Duration with opts.Concurrency
// workers and returns what it measured. It returns early when ctx ends,
// with the figures so far, Interrupted set and ctx's error; requests in
// flight are abandoned at once. Every goroutine it starts has ended when it
// returns.
func Run(ctx context.Context, opts Options) (Result, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return Result{}, err
	}
	client, release := opts.httpClient()
	defer release()
	if err := setup(ctx, client, opts); err != nil {
		return Result{}, err
	}
	start := time.Now()
	r := &runner{opts: opts, client: client, plan: newPlan(opts),
		rec: newRecorder(start, opts.Duration), deadline: start.Add(opts.Duration)}
	acked, unacked, uploads := r.work(ctx)
	end := time.Now()
	sending := min(end.Sub(start), opts.Duration)
	res := r.rec.result(end.Sub(start), secondsIn(sending))
	res.Acked, res.Unacked, res.Uploads = acked, unacked, uploads
	if err := ctx.Err(); err != nil {
		res.Interrupted = true
		return res, err
	}
	return res, nil
}

// httpClient returns the client to use and what to do when the run ends.
func (o Options) httpClient() (*http.Client, func()) {
	if o.Client != nil {
		return o.Client, func() {}
	}
	t := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: o.Timeout, KeepAlive: 30 * time.Second}).DialContext,
		MaxIdleConns:        o.Concurrency,
		MaxIdleConnsPerHost: o.Concurrency,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: o.Timeout,
		ForceAttemptHTTP2:   true,
	}
	return &http.Client{Transport: t}, t.CloseIdleConnections
}

// setup sends opts.Setup in order; the first failure ends the run.
func setup(ctx context.Context, client *http.Client, o Options) error {
	for _, req := range o.Setup {
		c := compile(o, req)
		status, _, err := exchange(ctx, client, o.Timeout, c)
		if err == nil && (status < 200 || status > 299) {
			err = fmt.Errorf("status %d", status)
		}
		if err != nil {
			return fmt.Errorf("%w: %s: %w", ErrSetup, c.label, err)
		}
	}
	return nil
}

// work runs the workers and the progress reports until the workers stop,
// and returns the acknowledged session writes in the order they arrived.
func (r *runner) work(ctx context.Context) (acked, unacked []Write, uploads []Upload) {
	writers := make([]*writer, r.opts.Concurrency)
	var workers sync.WaitGroup
	for i := range writers {
		if r.opts.Sessions != nil {
			writers[i] = newWriter(r.opts, i, r.opts.Sessions.withDefaults(r.rec.start))
		}
		workers.Go(func() { r.worker(ctx, i, writers[i]) })
	}
	stop := make(chan struct{})
	var reporter sync.WaitGroup
	if r.opts.Progress != nil {
		reporter.Go(func() { r.report(stop) })
	}
	workers.Wait()
	close(stop)
	reporter.Wait()
	if r.opts.Progress != nil {
		r.opts.Progress(r.rec.final(time.Now()))
	}
	return mergeWrites(writers)
}

// worker sends one request after another until the deadline or ctx ends,
// starting its walk of the schedule at its own index.
func (r *runner) worker(ctx context.Context, id int, w *writer) {
	schedule := r.plan.schedule
	for n := id; ctx.Err() == nil && time.Now().Before(r.deadline); n++ {
		slot := schedule[n%len(schedule)]
		if slot != sessionSlot {
			r.send(ctx, r.plan.calls[slot])
			continue
		}
		c := w.call()
		status, body, err := r.exchangeMeasured(ctx, c)
		w.observe(status, body, err, time.Now())
	}
}

// report calls Progress every second until stop is closed.
func (r *runner) report(stop <-chan struct{}) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			r.opts.Progress(r.rec.snapshot(time.Now()))
		case <-stop:
			return
		}
	}
}

// send makes one measured request. A request cut short by ctx is not
// counted: it says nothing about the server.
func (r *runner) send(ctx context.Context, c call) (int, error) {
	status, _, err := r.exchangeMeasured(ctx, c)
	return status, err
}

// exchangeMeasured is send that also returns the answer's body when the
// call keeps it.
func (r *runner) exchangeMeasured(ctx context.Context, c call) (int, []byte, error) {
	sentAt := time.Now()
	status, body, err := exchange(ctx, r.client, r.opts.Timeout, c)
	if err != nil && ctx.Err() != nil {
		return 0, nil, err
	}
	r.rec.record(sentAt, time.Since(sentAt), status, err)
	return status, body, err
}

// maxKept bounds the answer a call keeps.
const maxKept = 64 << 10

// exchange sends c and reads the whole answer within timeout, so the
// connection can be reused; a call that keeps its answer gets up to
// maxKept bytes of it. The status is 0 when err is set.
func exchange(ctx context.Context, client *http.Client, timeout time.Duration, c call) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequestWithContext(ctx, c.method, c.url, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header = c.header.Clone() // a client may add to it (cookies)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var kept []byte
	if c.keep {
		if kept, err = io.ReadAll(io.LimitReader(resp.Body, maxKept)); err != nil {
			return 0, nil, err
		}
	}
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, nil, err
	}
	return resp.StatusCode, kept, nil
}

// mergeWrites joins the writers' acknowledged and unacknowledged writes,
// each in time order, and their acknowledged uploads.
func mergeWrites(writers []*writer) (acked, unacked []Write, uploads []Upload) {
	for _, w := range writers {
		if w != nil {
			acked = append(acked, w.acked...)
			unacked = append(unacked, w.unacked...)
			uploads = append(uploads, w.up.acked...)
		}
	}
	byTime := func(a, b Write) int { return a.At.Compare(b.At) }
	slices.SortStableFunc(acked, byTime)
	slices.SortStableFunc(unacked, byTime)
	return acked, unacked, uploads
}
