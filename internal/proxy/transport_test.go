package proxy

import (
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// A burst of clients shares at most MaxConnsPerHost upstream connections,
// and every request is still answered.
func TestUpstreamConnectionsAreCapped(t *testing.T) {
	var open, peak atomic.Int64
	release := make(chan struct{})
	up := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Write([]byte(`{"status":"ok"}`))
	}))
	up.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		switch s {
		case http.StateNew:
			if n := open.Add(1); n > peak.Load() {
				peak.Store(n)
			}
		case http.StateClosed, http.StateHijacked:
			open.Add(-1)
		}
	}
	up.Start()
	t.Cleanup(up.Close)
	f := newFixtureWith(t, nil, nil, ModePrimary, func(o *Options) {
		o.Primary = mustURL(t, up.URL)
		o.Transport = NewTransport(TransportSettings{MaxConnsPerHost: 3})
	})
	var wg sync.WaitGroup
	codes := make(chan int, 12)
	for range 12 {
		wg.Go(func() {
			resp, err := http.Get(f.front.URL + "/api/v1/tasks/x")
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	time.Sleep(100 * time.Millisecond) // let the burst pile up against the cap
	close(release)
	wg.Wait()
	close(codes)
	for c := range codes {
		if c != http.StatusOK {
			t.Fatalf("a request of the burst got %d", c)
		}
	}
	if p := peak.Load(); p > 3 {
		t.Fatalf("%d upstream connections at once, want at most 3", p)
	}
}

// In the configuration file 0 connections per host means no cap; in code a
// zero field keeps the 256 default.
func TestFileZeroConnsMeansNoCap(t *testing.T) {
	if got := NewTransport(TransportSettings{}.FromFile()).MaxConnsPerHost; got != 0 {
		t.Fatalf("file's 0: http.Transport.MaxConnsPerHost = %d, want 0 (no cap)", got)
	}
	if got := NewTransport(TransportSettings{}).MaxConnsPerHost; got != 256 {
		t.Fatalf("code's zero: MaxConnsPerHost = %d, want 256", got)
	}
	if got := NewTransport(TransportSettings{MaxConnsPerHost: 8}.FromFile()).MaxConnsPerHost; got != 8 {
		t.Fatalf("file's 8: MaxConnsPerHost = %d", got)
	}
}
