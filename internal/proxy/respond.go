package proxy

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// errClientWrite marks a failure to write to the client, as opposed to a
// failure to read from the upstream.
var errClientWrite = errors.New("proxy: writing to client")

// respond streams an upstream response to the client, teeing it into the
// cache when it may be stored.
func (x *exchange) respond(resp *http.Response, target int) {
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified && x.stale != nil {
		x.serveRevalidated(resp)
		return
	}
	x.invalidate(resp)
	h := x.w.Header()
	copyHeaders(h, resp.Header)
	h[upstreamHeaderKey] = servedBy[target]
	x.w.WriteHeader(resp.StatusCode)
	tee := x.teeFor(resp, target)
	err := copyBody(x.w, resp.Body, tee, resp.ContentLength == -1 || isStream(resp))
	switch {
	case err == nil:
		x.recordClient(resp.StatusCode)
		x.store(resp, tee)
	case errors.Is(err, errClientWrite) || x.r.Context().Err() != nil:
		x.recordClient(StatusClientClosed)
	default:
		// The upstream broke off mid-body. The status line is gone, so the
		// only honest signal left is to abort the client's connection too.
		// Its headers were counted a success; the broken body is counted
		// as the upstream's failure on top, so its error rate sees it.
		x.g.record(target, x.rt, stats.ServerError, x.start)
		x.g.record(client, x.rt, stats.ServerError, x.start)
		panic(http.ErrAbortHandler)
	}
	if tee != nil {
		bufPool.Put(tee.buf)
	}
}

// teeBuffer keeps a response body for the cache up to limit; past it the
// tee is abandoned. A nil tee keeps nothing.
type teeBuffer struct {
	buf   *bytes.Buffer
	limit int64
	over  bool
}

// copyBody streams src to w through a pooled buffer. Streaming responses
// (unknown length, such as server-sent events) are flushed after every
// write so the client sees each event as it comes.
func copyBody(w http.ResponseWriter, src io.Reader, tee *teeBuffer, flush bool) error {
	bp := copyPool.Get().(*[]byte)
	defer copyPool.Put(bp)
	buf := *bp
	rc := http.NewResponseController(w)
	for {
		n, rerr := src.Read(buf)
		if n > 0 {
			if _, werr := w.Write(buf[:n]); werr != nil {
				return errClientWrite
			}
			tee.write(buf[:n])
			if flush {
				_ = rc.Flush()
			}
		}
		if rerr == io.EOF {
			return nil
		}
		if rerr != nil {
			return rerr
		}
	}
}

func (t *teeBuffer) write(p []byte) {
	if t == nil || t.over {
		return
	}
	if int64(t.buf.Len()+len(p)) > t.limit {
		t.over = true
		return
	}
	t.buf.Write(p)
}
