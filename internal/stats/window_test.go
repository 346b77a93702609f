package stats

import (
	"testing"
	"time"
)

// t0 falls on a bucket boundary for every width used in these tests.
var t0 = time.Unix(1_700_000_000, 0)

func at(d time.Duration) time.Time { return t0.Add(d) }

func TestWindowRotationAndExpiry(t *testing.T) {
	w := NewWindow(WindowSettings{}) // 12 x 5s
	for i := range 12 {
		for range i + 1 { // i+1 requests in bucket i
			w.Record(OK, time.Millisecond, at(time.Duration(i)*5*time.Second))
		}
	}
	cases := []struct {
		now  time.Duration
		want int64
	}{
		{59*time.Second + 999*time.Millisecond, 78}, // 1+2+...+12
		{60 * time.Second, 77},                      // bucket 0 left the window
		{70 * time.Second, 78 - 1 - 2 - 3},
		{114 * time.Second, 12},
		{115 * time.Second, 0},
		{120 * time.Second, 0},
		{2 * time.Hour, 0},
	}
	for _, c := range cases {
		if got := w.Summary(at(c.now)).Requests; got != c.want {
			t.Errorf("at +%s: Requests = %d, want %d", c.now, got, c.want)
		}
	}
}

func TestWindowReusesBucketLazily(t *testing.T) {
	w := NewWindow(WindowSettings{})
	w.Record(ServerError, time.Millisecond, at(0))
	w.Record(OK, time.Millisecond, at(61*time.Second)) // Same slot, one lap later.
	s := w.Summary(at(61 * time.Second))
	if s.Requests != 1 || s.OK != 1 || s.ServerErrors != 0 {
		t.Errorf("after reuse: %+v, want only the new OK", s.Counts)
	}
	// A sample older than the slot's interval is dropped from the window
	// but still counted in the lifetime totals.
	w.Record(Timeout, time.Millisecond, at(time.Second))
	if s := w.Summary(at(61 * time.Second)); s.Timeouts != 0 {
		t.Errorf("stale sample entered the window: %+v", s.Counts)
	}
	if tot := w.Totals(); tot.Requests != 3 || tot.Timeouts != 1 || tot.ServerErrors != 1 {
		t.Errorf("Totals() = %+v, want 3 requests", tot)
	}
}

func TestWindowSpan(t *testing.T) {
	w := NewWindow(WindowSettings{})
	if got := w.Summary(at(62 * time.Second)).Window; got != 57*time.Second {
		t.Errorf("Window = %s, want 55s of full buckets + 2s", got)
	}
	if got := w.Summary(at(60 * time.Second)).Window; got != 55*time.Second {
		t.Errorf("Window at a boundary = %s, want 55s", got)
	}
}

func TestErrorRateExcludesClientGoneAndRejected(t *testing.T) {
	w := NewWindow(WindowSettings{})
	record := func(o Outcome, n int, d time.Duration) {
		for range n {
			w.Record(o, d, at(time.Second))
		}
	}
	record(OK, 10, 100*time.Millisecond)
	record(ClientError, 3, 100*time.Millisecond)
	record(ServerError, 2, 100*time.Millisecond)
	record(ConnectError, 1, 100*time.Millisecond)
	record(Timeout, 1, 100*time.Millisecond)
	record(ClientGone, 5, time.Minute) // Would wreck the average if counted.
	record(Rejected, 4, 0)

	s := w.Summary(at(2 * time.Second))
	if s.Requests != 26 || s.Judged() != 17 || s.Failures() != 4 {
		t.Fatalf("counts = %+v, judged %d, failures %d", s.Counts, s.Judged(), s.Failures())
	}
	if want := 4.0 / 17.0; s.ErrorRate != want {
		t.Errorf("ErrorRate = %v, want 4/17", s.ErrorRate)
	}
	if s.AvgLatency != 100*time.Millisecond || s.P99 > 150*time.Millisecond {
		t.Errorf("AvgLatency = %s, P99 = %s; want client-gone latency excluded", s.AvgLatency, s.P99)
	}
	if s.Enough {
		t.Error("Enough with 17 judged requests, want false below MinVolume 20")
	}
	record(OK, 3, 100*time.Millisecond)
	if s := w.Summary(at(2 * time.Second)); !s.Enough || s.ErrorRate != 0.2 {
		t.Errorf("after 20 judged: Enough=%v ErrorRate=%v, want true and 0.2", s.Enough, s.ErrorRate)
	}
}

func TestOnlyExcludedRequestsAreNotEnough(t *testing.T) {
	w := NewWindow(WindowSettings{MinVolume: 5})
	for range 50 {
		w.Record(Rejected, 0, at(0))
	}
	if s := w.Summary(at(0)); s.Enough || s.ErrorRate != 0 || s.AvgLatency != 0 || s.P50 != 0 {
		t.Errorf("summary of rejected requests = %+v, want no verdict", s)
	}
}

func TestWindowPercentiles(t *testing.T) {
	w := NewWindow(WindowSettings{})
	for i := range 100 {
		d := 10 * time.Millisecond
		if i >= 90 {
			d = 6 * time.Second // The slow tail the >5000ms trigger looks for.
		}
		w.Record(OK, d, at(time.Duration(i)*100*time.Millisecond))
	}
	s := w.Summary(at(10 * time.Second))
	within := func(got, want time.Duration) bool {
		return float64(got) >= float64(want)/1.5 && float64(got) <= float64(want)*1.5
	}
	if !within(s.P50, 10*time.Millisecond) || !within(s.P95, 6*time.Second) || !within(s.P99, 6*time.Second) {
		t.Errorf("P50=%s P95=%s P99=%s, want about 10ms, 6s, 6s", s.P50, s.P95, s.P99)
	}
	if want := (90*10*time.Millisecond + 10*6*time.Second) / 100; s.AvgLatency != want {
		t.Errorf("AvgLatency = %s, want %s", s.AvgLatency, want)
	}
}

func TestWindowBeforeFirstRecord(t *testing.T) {
	w := NewWindow(WindowSettings{Buckets: 2, BucketWidth: time.Second, MinVolume: 1})
	if s := w.Summary(time.Now()); s.Requests != 0 || s.Enough {
		t.Errorf("empty window = %+v", s)
	}
	w.Record(OK, time.Millisecond, time.Now())
	if s := w.Summary(time.Now()); s.Requests != 1 || !s.Enough {
		t.Errorf("after one record with real time = %+v", s)
	}
}
