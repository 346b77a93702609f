package load

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// startOpenViking runs the OpenViking simulator on a free loopback port.
func startOpenViking(t *testing.T) (*sim.Server, *sim.OpenViking) {
	t.Helper()
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	srv := sim.NewServer(ov)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	return srv, ov
}

// mustRun runs opts and fails the test on an error.
func mustRun(t *testing.T, opts Options) Result {
	t.Helper()
	res, err := Run(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// roundTrip is an in-memory transport, for runs inside a synctest bubble.
type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// sleepy answers 200 after d, or fails when the request's context ends.
func sleepy(d time.Duration) *http.Client {
	return &http.Client{Transport: roundTrip(func(r *http.Request) (*http.Response, error) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"status":"ok"}`)), Request: r}, nil
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	})}
}

// sumSeconds adds up the per-second series.
func sumSeconds(s []Second) (requests, failed int64) {
	for _, x := range s {
		requests += x.Requests
		failed += x.Failed
	}
	return requests, failed
}

// alternate returns a random source for the simulator that alternates
// between 0 and 0.99, so an error rate of 0.5 fails every other request.
func alternate() func() float64 {
	n := 0
	return func() float64 {
		n++
		return float64(n%2) * 0.99
	}
}

func contextWithPastDeadline() (context.Context, context.CancelFunc) {
	return context.WithDeadline(context.Background(), time.Unix(0, 0))
}
