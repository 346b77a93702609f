package stats

import (
	"slices"
	"testing"
	"time"
)

func newTestRecorder() *Recorder {
	return NewRecorder([]string{"openviking", "smp"}, []string{"search", "sessions", "health"},
		WindowSettings{MinVolume: 2})
}

func TestRecorderKeepsPairsApart(t *testing.T) {
	r := newTestRecorder()
	r.Record(0, 0, ServerError, time.Millisecond, at(0))
	r.Record(0, 1, OK, time.Millisecond, at(0))
	r.Record(1, 0, Timeout, time.Millisecond, at(0))
	cases := []struct {
		up, route int
		want      Counts
	}{
		{0, 0, Counts{Requests: 1, ServerErrors: 1}},
		{0, 1, Counts{Requests: 1, OK: 1}},
		{0, 2, Counts{}},
		{1, 0, Counts{Requests: 1, Timeouts: 1}},
		{1, 1, Counts{}},
	}
	for _, c := range cases {
		if got := r.Window(c.up, c.route, at(time.Second)).Counts; got != c.want {
			t.Errorf("pair (%d,%d) = %+v, want %+v", c.up, c.route, got, c.want)
		}
	}
}

func TestRecorderAggregatesKeyEndpoints(t *testing.T) {
	r := newTestRecorder()
	for range 4 {
		r.Record(0, 0, OK, 10*time.Millisecond, at(0))
	}
	r.Record(0, 1, ServerError, 30*time.Millisecond, at(0))
	for range 10 {
		r.Record(0, 2, ServerError, time.Millisecond, at(0)) // health route, not key
	}
	key := r.Upstream(0, []int{0, 1}, at(time.Second))
	if key.Requests != 5 || key.ErrorRate != 0.2 || !key.Enough {
		t.Errorf("key endpoints = %+v, want 5 requests at 20%% errors", key)
	}
	if want := (4*10*time.Millisecond + 30*time.Millisecond) / 5; key.AvgLatency != want {
		t.Errorf("AvgLatency = %s, want %s", key.AvgLatency, want)
	}
	if key.Window != 56*time.Second {
		t.Errorf("Window = %s, want 56s", key.Window)
	}
	if all := r.Upstream(0, nil, at(time.Second)); all.Requests != 15 {
		t.Errorf("all routes = %d requests, want 15", all.Requests)
	}
	if none := r.Upstream(0, []int{}, at(time.Second)); none.Requests != 0 || none.Enough {
		t.Errorf("no routes = %+v, want empty", none)
	}
}

func TestRecorderTotals(t *testing.T) {
	r := newTestRecorder()
	r.Record(1, 0, OK, 0, at(0))
	r.Record(1, 2, Rejected, 0, at(0))
	r.Record(1, 2, OK, 0, at(time.Hour))
	if got := r.Totals(1, nil); got != (Counts{Requests: 3, OK: 2, Rejected: 1}) {
		t.Errorf("Totals(all) = %+v", got)
	}
	if got := r.Totals(1, []int{2}); got != (Counts{Requests: 2, OK: 1, Rejected: 1}) {
		t.Errorf("Totals(route 2) = %+v", got)
	}
	if got := r.Window(1, 0, at(time.Hour)); got.Requests != 0 {
		t.Errorf("window an hour later still holds %d requests", got.Requests)
	}
}

func TestRecorderNames(t *testing.T) {
	names := []string{"openviking", "smp"}
	r := NewRecorder(names, []string{"search"}, WindowSettings{})
	names[0] = "changed"
	if got := r.Upstreams(); !slices.Equal(got, []string{"openviking", "smp"}) {
		t.Errorf("Upstreams() = %v; the recorder must keep its own copy", got)
	}
	if i, ok := r.UpstreamIndex("smp"); !ok || i != 1 {
		t.Errorf("UpstreamIndex(smp) = %d, %v", i, ok)
	}
	if i, ok := r.RouteIndex("search"); !ok || i != 0 || !slices.Equal(r.Routes(), []string{"search"}) {
		t.Errorf("RouteIndex(search) = %d, %v; Routes() = %v", i, ok, r.Routes())
	}
	if _, ok := r.RouteIndex("nope"); ok {
		t.Error("RouteIndex(nope) found something")
	}
}

func TestRecorderRejectsBadIndexes(t *testing.T) {
	r := newTestRecorder()
	for name, call := range map[string]func(){
		"route": func() { r.Record(0, 3, OK, 0, at(0)) },
		"up":    func() { r.Record(2, 0, OK, 0, at(0)) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("out-of-range index did not panic")
				}
			}()
			call()
		})
	}
}
