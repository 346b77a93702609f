package load

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"testing/synctest"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

func TestRunAgainstTheSimulator(t *testing.T) {
	srv, _ := startOpenViking(t)
	res := mustRun(t, Options{BaseURL: srv.URL(), Requests: OpenVikingMix("load-test"),
		Setup: OpenVikingSetup("load-test"), Concurrency: 8, Duration: 300 * time.Millisecond})
	if res.Total == 0 || res.Status[200] != res.Total || res.Failed() != 0 || len(res.Errors) != 0 {
		t.Fatalf("total %d, status %v, errors %v", res.Total, res.Status, res.Errors)
	}
	if got := srv.Requests(); got != res.Total+1 {
		t.Errorf("the simulator saw %d requests, the run counted %d and one setup", got, res.Total)
	}
	if sent, failed := sumSeconds(res.Seconds); sent != res.Total || failed != 0 || len(res.Seconds) != 1 {
		t.Errorf("seconds %v do not add up to %d", res.Seconds, res.Total)
	}
	l := res.Latency
	if !(0 < l.P50 && l.P50 <= l.P90 && l.P90 <= l.P95 && l.P95 <= l.P99 && l.P99 <= l.Max && l.Mean <= l.Max) {
		t.Errorf("latency out of order: %+v", l)
	}
	if res.Duration < 300*time.Millisecond || res.Throughput != float64(res.Total)/res.Duration.Seconds() {
		t.Errorf("duration %v, throughput %g", res.Duration, res.Throughput)
	}
}

func TestRunCountsErrorsByStatus(t *testing.T) {
	srv, _ := startOpenViking(t)
	if err := srv.SetFault(sim.Fault{ErrorRate: 1, ErrorStatus: 502}); err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, Options{BaseURL: srv.URL(), Requests: []Request{{Path: "/health"}},
		Concurrency: 4, Duration: 200 * time.Millisecond})
	if res.Total == 0 || res.Status[502] != res.Total || res.Failed() != res.Total {
		t.Fatalf("total %d, status %v, failed %d", res.Total, res.Status, res.Failed())
	}
	if _, failed := sumSeconds(res.Seconds); failed != res.Total {
		t.Errorf("seconds %v: failed %d, want %d", res.Seconds, failed, res.Total)
	}
}

func TestRunCountsPartialErrors(t *testing.T) {
	srv, _ := startOpenViking(t)
	srv.SetRand(alternate())
	if err := srv.SetFault(sim.Fault{ErrorRate: 0.5}); err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, Options{BaseURL: srv.URL(), Requests: []Request{{Path: "/health"}},
		Concurrency: 4, Duration: 200 * time.Millisecond})
	ok, bad := res.Status[200], res.Status[503]
	if ok+bad != res.Total || ok-bad > 1 || bad-ok > 1 || res.Failed() != bad {
		t.Fatalf("every other request should fail: status %v, failed %d", res.Status, res.Failed())
	}
}

func TestRunClassifiesConnectRefused(t *testing.T) {
	srv, _ := startOpenViking(t)
	if err := srv.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, Options{BaseURL: srv.URL(), Requests: []Request{{Path: "/health"}},
		Concurrency: 2, Duration: 100 * time.Millisecond})
	if res.Total == 0 || res.Errors[ClassRefused] != res.Total || len(res.Status) != 0 || res.Latency.Max != 0 {
		t.Fatalf("total %d, errors %v, status %v, latency %+v", res.Total, res.Errors, res.Status, res.Latency)
	}
}

func TestRunClassifiesReset(t *testing.T) {
	s := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { panic(http.ErrAbortHandler) }))
	t.Cleanup(s.Close)
	res := mustRun(t, Options{BaseURL: s.URL, Requests: []Request{{Path: "/x"}},
		Concurrency: 2, Duration: 100 * time.Millisecond})
	if res.Total == 0 || res.Errors[ClassReset] != res.Total {
		t.Fatalf("total %d, errors %v", res.Total, res.Errors)
	}
}

func TestRunFailsOnSetup(t *testing.T) {
	srv, _ := startOpenViking(t)
	_, err := Run(t.Context(), Options{BaseURL: srv.URL(), Requests: []Request{{Path: "/health"}},
		Setup: []Request{{Name: "make it", Path: "/nope"}}, Duration: time.Millisecond})
	if !errors.Is(err, ErrSetup) || srv.Requests() != 1 {
		t.Fatalf("err %v after %d requests", err, srv.Requests())
	}
}

func TestRunSeriesAndProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var snaps []Snapshot
		res := mustRun(t, Options{BaseURL: "http://lifeboat.test", Requests: []Request{{Path: "/a"}, {Path: "/b", Weight: 2}},
			Client: sleepy(120 * time.Millisecond), Concurrency: 2, Duration: 2500 * time.Millisecond,
			Progress: func(s Snapshot) { snaps = append(snaps, s) }})
		// Each worker sends at 0, 0.12, ... 2.40 s: 21 requests, 9, 8 and 4 per second.
		want := []Second{{Requests: 18}, {Requests: 16}, {Requests: 8}}
		if res.Total != 42 || len(res.Seconds) != 3 || res.Seconds[0] != want[0] || res.Seconds[1] != want[1] || res.Seconds[2] != want[2] {
			t.Fatalf("total %d, seconds %v, want 42 in %v", res.Total, res.Seconds, want)
		}
		if res.Duration != 2520*time.Millisecond || res.Latency.P50 != 120*time.Millisecond || res.Latency.Max != 120*time.Millisecond {
			t.Errorf("duration %v, latency %+v", res.Duration, res.Latency)
		}
		if len(snaps) != 3 || snaps[0].Requests != 16 || snaps[0].Rate != 16 || snaps[1].Requests != 32 ||
			snaps[2].Requests != 42 || snaps[2].Elapsed != res.Duration || snaps[2].P99 != 120*time.Millisecond {
			t.Errorf("progress %+v", snaps)
		}
		// The last line's rate is the run's: 42 in 2.52 s, not the 10
		// that ended in the 0.52 s tail (19.2 req/s).
		if want := 42 / 2.52; len(snaps) == 3 && snaps[2].Rate != want {
			t.Errorf("last progress rate %.2f req/s, want the run's %.2f", snaps[2].Rate, want)
		}
	})
}

func TestRunTimesRequestsOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		res := mustRun(t, Options{BaseURL: "http://lifeboat.test", Requests: []Request{{Path: "/hang"}},
			Client: sleepy(time.Hour), Concurrency: 3, Duration: 2500 * time.Millisecond, Timeout: time.Second})
		// Sent at 0, 1 and 2 s; the last times out at 3 s.
		if res.Total != 9 || res.Errors[ClassTimeout] != 9 || res.Duration != 3*time.Second || res.Seconds[2] != (Second{3, 3}) {
			t.Fatalf("total %d, errors %v, duration %v, seconds %v", res.Total, res.Errors, res.Duration, res.Seconds)
		}
	})
}

func TestRunStopsWhenCancelled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(2*time.Second, cancel)
		start := time.Now()
		res, err := Run(ctx, Options{BaseURL: "http://lifeboat.test", Requests: []Request{{Path: "/hang"}},
			Client: sleepy(time.Hour), Concurrency: 50, Duration: time.Minute})
		if !errors.Is(err, context.Canceled) || !res.Interrupted || time.Since(start) != 2*time.Second {
			t.Fatalf("err %v, interrupted %v, after %v", err, res.Interrupted, time.Since(start))
		}
		if res.Total != 0 || len(res.Seconds) != 2 {
			t.Errorf("abandoned requests must not count: total %d, seconds %v", res.Total, res.Seconds)
		}
	})
}

func TestRunRejectsBadOptions(t *testing.T) {
	good := Request{Path: "/health"}
	for name, o := range map[string]Options{
		"no url":           {Requests: []Request{good}},
		"relative url":     {BaseURL: "localhost:1933", Requests: []Request{good}},
		"no traffic":       {BaseURL: "http://x"},
		"negative workers": {BaseURL: "http://x", Requests: []Request{good}, Concurrency: -1},
		"bad path":         {BaseURL: "http://x", Requests: []Request{{Path: "health"}}},
		"negative weight":  {BaseURL: "http://x", Requests: []Request{{Path: "/", Weight: -1}}},
		"bad setup":        {BaseURL: "http://x", Requests: []Request{good}, Setup: []Request{{}}},
		"bad sessions":     {BaseURL: "http://x", Sessions: &SessionWrites{Messages: -1}},
	} {
		if _, err := Run(t.Context(), o); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: err = %v, want ErrConfig", name, err)
		}
	}
}
