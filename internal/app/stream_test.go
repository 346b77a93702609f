package app_test

import (
	"bufio"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// sseUpstream streams n server-sent events, one every gap, then ends; a
// stall after the first event holds the stream open without sending.
func sseUpstream(t *testing.T, n int, gap time.Duration, stall bool) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/health" {
			_, _ = w.Write([]byte(`{"status":"ok","healthy":true}`))
			return
		}
		w.Header().Set("Content-Type", "text/event-stream")
		rc := http.NewResponseController(w)
		for i := range n {
			if i > 0 {
				select {
				case <-time.After(gap):
				case <-r.Context().Done():
					return
				}
			}
			fmt.Fprintf(w, "data: {\"event\":%d}\n\n", i)
			_ = rc.Flush()
			if stall {
				<-r.Context().Done()
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// readEvents reads a stream's data lines until it ends, and says how.
func readEvents(t *testing.T, url string) (events []string, last time.Duration, err error) {
	t.Helper()
	start := time.Now()
	resp, err := http.Post(url, "application/json", strings.NewReader(`{"message":"hi"}`))
	if err != nil {
		return nil, 0, err
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			events = append(events, line)
			last = time.Since(start)
		}
	}
	return events, last, sc.Err()
}

// A chat answer streamed for two minutes passes the gateway whole, past
// its one-minute request timeout (which once cut every stream at a
// minute), each event flushed as it comes.
func TestTwoMinuteStreamPassesWhole(t *testing.T) {
	if testing.Short() {
		t.Skip("a two-minute stream")
	}
	t.Parallel()
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(sseUpstream(t, 25, 5*time.Second, false), lr.URL())
	c.Routing.Mode = "primary"
	a := startApp(t, c)
	events, last, err := readEvents(t, "http://"+a.Addr()+"/bot/v1/chat/stream")
	if err != nil || len(events) != 25 || last < 2*time.Minute {
		t.Fatalf("got %d of 25 events, the last at %v, ending with %v", len(events), last, err)
	}
}

// A stream that goes silent is ended after stream_idle_timeout, not held
// until the request timeout (or forever).
func TestStalledStreamEndsAtTheIdleTimeout(t *testing.T) {
	t.Parallel()
	lr := startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := testConfig(sseUpstream(t, 2, time.Hour, true), lr.URL())
	c.Routing.Mode = "primary"
	c.Transport.RequestTimeout = time.Hour
	c.Transport.StreamIdleTimeout = 500 * time.Millisecond
	a := startApp(t, c)
	done := make(chan struct{})
	var events []string
	var err error
	go func() {
		defer close(done)
		events, _, err = readEvents(t, "http://"+a.Addr()+"/bot/v1/chat/stream")
	}()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("a stalled stream was not ended")
	}
	if len(events) != 1 || err == nil {
		t.Fatalf("got %d events, ending with %v; want the first, then a broken stream", len(events), err)
	}
}
