package signal

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// Route and upstream indices of the test recorder.
const (
	primary  = 0
	fallback = 1
	search   = 0
	sessions = 1
	other    = 2
)

// t0 is a fixed evaluation time; tests move time by adding to it.
var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// newRecorder returns a recorder with a 60s window (12 x 5s) that speaks
// from 10 judged requests.
func newRecorder() *stats.Recorder {
	return stats.NewRecorder([]string{"primary", "fallback"}, []string{"search", "sessions", "other"},
		stats.WindowSettings{Buckets: 12, BucketWidth: 5 * time.Second, MinVolume: 10})
}

// record adds n requests with one outcome and latency at time at.
func record(rec *stats.Recorder, up, route, n int, o stats.Outcome, d time.Duration, at time.Time) {
	for range n {
		rec.Record(up, route, o, d, at)
	}
}

// startOpenViking runs the OpenViking simulator on loopback until the test ends.
func startOpenViking(t *testing.T, opts sim.OpenVikingOptions) *sim.Server {
	t.Helper()
	return startSim(t, sim.NewOpenViking(opts))
}

func startSim(t *testing.T, svc sim.Service) *sim.Server {
	t.Helper()
	srv := sim.NewServer(svc)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Stop(ctx)
	})
	return srv
}

func setFault(t *testing.T, srv *sim.Server, f sim.Fault) {
	t.Helper()
	if err := srv.SetFault(f); err != nil {
		t.Fatal(err)
	}
}

// wantValid fails unless r is a valid reading of want.
func wantValid(t *testing.T, r Reading, want float64) {
	t.Helper()
	if !r.Valid || r.Err != nil {
		t.Fatalf("reading invalid: %+v", r)
	}
	if diff := r.Value - want; diff > 1e-9 || diff < -1e-9 {
		t.Fatalf("value = %g, want %g (detail %q)", r.Value, want, r.Detail)
	}
}

// wantInvalid fails unless r is invalid with an error wrapping target
// (nil target: any or no error).
func wantInvalid(t *testing.T, r Reading, target error) {
	t.Helper()
	if r.Valid {
		t.Fatalf("reading valid, want invalid: %+v", r)
	}
	if target != nil && !errors.Is(r.Err, target) {
		t.Fatalf("err = %v, want %v", r.Err, target)
	}
}

// wantCheck fails unless r is a valid integrity reading of failed (1) or passed (0).
func wantCheck(t *testing.T, r Reading, failed bool) {
	t.Helper()
	if !r.Valid || r.Unit != UnitFailed {
		t.Fatalf("integrity reading not valid: %+v", r)
	}
	switch {
	case failed && (r.Value != 1 || !errors.Is(r.Err, ErrCheckFailed)):
		t.Fatalf("want failed check, got %+v", r)
	case !failed && (r.Value != 0 || r.Err != nil):
		t.Fatalf("want passed check, got %+v", r)
	}
}

func wantDetail(t *testing.T, r Reading, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(r.Detail, p) {
			t.Errorf("detail %q lacks %q", r.Detail, p)
		}
	}
}

// cancelledCtx is a context that has already ended.
func cancelledCtx() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}
