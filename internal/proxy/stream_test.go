package proxy

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"testing/synctest"
	"time"
)

// A stream that keeps sending outlives the request timeout; one that goes
// quiet for the idle timeout is ended; none outlives the maximum. The
// clock is synctest's, so minutes pass at once.
func TestStreamDeadlines(t *testing.T) {
	cases := []struct {
		name  string
		every time.Duration // a byte every this long
		total time.Duration // for this long
		want  error         // how the read ends
	}{
		{"lively for two minutes", 10 * time.Second, 2 * time.Minute, io.EOF},
		{"silent past the idle timeout", 90 * time.Second, 2 * time.Minute, errStreamIdle},
		{"lively past the maximum", 10 * time.Second, 3 * time.Hour, errStreamMax},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				d := newDeadline(context.Background(), time.Minute)
				defer d.stop()
				pr, pw := io.Pipe()
				go func() {
					for sent := time.Duration(0); sent < c.total; sent += c.every {
						select {
						case <-time.After(c.every):
						case <-d.ctx.Done():
							pw.CloseWithError(context.Cause(d.ctx))
							return
						}
						if _, err := pw.Write([]byte("x")); err != nil {
							return
						}
					}
					pw.Close()
				}()
				body := d.stream(pr, time.Minute, time.Hour)
				_, err := io.Copy(io.Discard, body)
				body.Close()
				if err == nil {
					err = io.EOF
				}
				if !errors.Is(err, c.want) {
					t.Fatalf("the stream ended with %v, want %v", err, c.want)
				}
			})
		})
	}
}

// Before its headers, an exchange is bounded by the request timeout, and
// the error is a timeout (504), never a client that went away.
func TestRequestTimeoutBeforeHeaders(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newDeadline(context.Background(), time.Minute)
		defer d.stop()
		<-d.ctx.Done()
		err := d.cause(context.Canceled)
		if !errors.Is(err, errRequestTimeout) || classify(err, func() time.Duration { return 0 }).status != http.StatusGatewayTimeout {
			t.Fatalf("cause %v", err)
		}
	})
}

func TestIsStream(t *testing.T) {
	for ct, want := range map[string]bool{"text/event-stream": true, "text/event-stream; charset=utf-8": true, "Text/Event-Stream": true,
		"application/x-ndjson": true, "application/json": false, "": false} {
		if got := isStream(&http.Response{Header: http.Header{"Content-Type": {ct}}}); got != want {
			t.Errorf("isStream(%q) = %v", ct, got)
		}
	}
}

// isStream runs on every response: it must not allocate.
func TestIsStreamAllocatesNothing(t *testing.T) {
	resp := &http.Response{Header: http.Header{"Content-Type": {"application/json; charset=utf-8"}}}
	if n := testing.AllocsPerRun(100, func() { isStream(resp) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
