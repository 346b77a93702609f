package verify

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/signal"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// fixedTraffic is the primary's traffic as the test sets it.
type fixedTraffic stats.Summary

func (f fixedTraffic) Upstream(int, []int, time.Time) stats.Summary { return stats.Summary(f) }

// baselines are learned latencies by route.
type baselines map[int]time.Duration

func (b baselines) Value(route int) (time.Duration, bool) { d, ok := b[route]; return d, ok }

// A restore step passes with too little traffic to judge, and fails on
// errors or on latency above the limit's multiple of the baseline.
func TestJudgeStep(t *testing.T) {
	limits := Limits{MaxErrorRate: 0.05, MaxLatencyRatio: 2}
	cases := []struct {
		s   stats.Summary
		ok  bool
		why string
	}{
		{stats.Summary{ErrorRate: 1}, true, "too few to judge"},
		{stats.Summary{Enough: true, ErrorRate: 0.2}, false, "error rate 20.0% above 5.0%"},
		{stats.Summary{Enough: true, AvgLatency: 300 * time.Millisecond}, false, "latency 3.0x the baseline"},
		{stats.Summary{Enough: true, AvgLatency: 150 * time.Millisecond}, true, "avg 150ms"},
	}
	for _, c := range cases {
		v := &Verifier{Traffic: fixedTraffic(c.s), Keys: []int{0, 1}, Baseline: baselines{0: 100 * time.Millisecond}, Limits: limits}
		ok, why := v.JudgeStep(t.Context(), time.Time{}, time.Time{})
		if ok != c.ok || !strings.Contains(why, c.why) {
			t.Errorf("%+v: %v %q, want %v %q", c.s, ok, why, c.ok, c.why)
		}
	}
}

// A probe without an expectation on the answer judges its status alone,
// sending its headers and a JSON body.
func TestStatusProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Key") != "k" || r.Header.Get("Content-Type") != "application/json" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	v := &Verifier{Client: srv.Client()}
	p := signal.Probe{Method: http.MethodPost, Path: "/x", Body: "{}", Header: http.Header{"X-Key": {"k"}}, ExpectStatus: []int{202}}
	if err := v.runProbe(t.Context(), srv.URL, p); err != nil {
		t.Fatal(err)
	}
	p.ExpectStatus = nil
	if err := v.runProbe(t.Context(), srv.URL, p); !errors.Is(err, ErrFailed) || !strings.Contains(err.Error(), "answered 202, want [200]") {
		t.Fatalf("wrong status: %v", err)
	}
}
