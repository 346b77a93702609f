package signal

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// learnAt records a window of n requests of latency d on route and learns.
func learnAt(b *Baseline, rec *stats.Recorder, route int, d time.Duration, at time.Time) {
	record(rec, primary, route, 10, stats.OK, d, at)
	b.Learn(at)
}

func TestBaselineLearnsOnlyFromEnoughVolume(t *testing.T) {
	rec := newRecorder()
	b, err := NewBaseline(rec, primary, []int{search}, BaselineSettings{MinSamples: 2, Interval: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	record(rec, primary, search, 9, stats.OK, 50*time.Millisecond, t0)
	b.Learn(t0)
	if snap := b.Snapshot(); snap[0].Samples != 0 {
		t.Fatalf("learnt from 9 requests: %+v", snap)
	}
	learnAt(b, rec, search, 50*time.Millisecond, t0)
	if _, ok := b.Value(search); ok {
		t.Fatal("ready after one sample with MinSamples 2")
	}
	// A second Learn inside the interval adds no sample.
	b.Learn(t0.Add(20 * time.Second))
	if snap := b.Snapshot(); snap[0].Samples != 1 {
		t.Fatalf("samples = %d, want 1 inside the interval", snap[0].Samples)
	}
	b.Learn(t0.Add(30 * time.Second))
	if v, ok := b.Value(search); !ok || v != 50*time.Millisecond {
		t.Fatalf("Value = %s, %v; want 50ms, true", v, ok)
	}
}

func TestBaselineMovingAverage(t *testing.T) {
	rec := newRecorder()
	b, err := NewBaseline(rec, primary, nil, BaselineSettings{Alpha: 0.5, MinSamples: 1})
	if err != nil {
		t.Fatal(err)
	}
	learnAt(b, rec, search, 100*time.Millisecond, t0)
	// Two minutes on, the first window has slid out: the sample is 300ms.
	learnAt(b, rec, search, 300*time.Millisecond, t0.Add(2*time.Minute))
	if v, _ := b.Value(search); v != 200*time.Millisecond {
		t.Fatalf("EWMA = %s, want 200ms", v)
	}
	if _, ok := b.Value(sessions); ok {
		t.Fatal("route without traffic has a baseline")
	}
	if _, ok := b.Value(99); ok {
		t.Fatal("out-of-range route has a baseline")
	}
	snap := b.Snapshot()
	if len(snap) != 3 || snap[0].Route != "search" || !snap[0].Ready || snap[0].Samples != 2 || snap[1].Ready {
		t.Fatalf("snapshot = %+v", snap)
	}
}

func TestBaselineJSONRoundTrip(t *testing.T) {
	rec := newRecorder()
	b, _ := NewBaseline(rec, primary, nil, BaselineSettings{MinSamples: 1})
	learnAt(b, rec, search, 120*time.Millisecond, t0)
	learnAt(b, rec, sessions, 40*time.Millisecond, t0)
	data, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"latency_ms":120`) {
		t.Fatalf("persisted form %s lacks readable latency", data)
	}

	// A restarted process watching only search restores that route.
	restored, _ := NewBaseline(newRecorder(), primary, []int{search}, BaselineSettings{MinSamples: 1})
	if err := json.Unmarshal(data, restored); err != nil {
		t.Fatal(err)
	}
	if v, ok := restored.Value(search); !ok || v != 120*time.Millisecond {
		t.Fatalf("restored search = %s, %v", v, ok)
	}
	if _, ok := restored.Value(sessions); ok {
		t.Fatal("unwatched route was restored")
	}
	if got := restored.Snapshot()[0].Updated; !got.Equal(t0) {
		t.Fatalf("updated = %s, want %s", got, t0)
	}
}

func TestBaselineUnmarshalRejectsBadInput(t *testing.T) {
	b, _ := NewBaseline(newRecorder(), primary, nil, BaselineSettings{MinSamples: 1})
	good := `{"version":1,"routes":{"search":{"latency_ms":5,"samples":3}}}`
	if err := json.Unmarshal([]byte(good), b); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`{"version":2,"routes":{}}`,
		`{"version":1,"routes":{"search":{"latency_ms":-1,"samples":1}}}`,
		`{"version":1,"routes":{"search":{"latency_ms":1,"samples":-1}}}`,
		`[1,2]`,
	} {
		if err := b.UnmarshalJSON([]byte(bad)); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: err = %v, want ErrMalformed", bad, err)
		}
	}
	if v, ok := b.Value(search); !ok || v != 5*time.Millisecond {
		t.Fatalf("bad input changed the state: %s, %v", v, ok)
	}
}

func TestBaselineSettingsValidate(t *testing.T) {
	rec := newRecorder()
	for _, s := range []BaselineSettings{
		{Interval: -1}, {Alpha: 1.5}, {Alpha: -0.1}, {MinSamples: -1}, {Floor: -time.Millisecond},
	} {
		if _, err := NewBaseline(rec, primary, nil, s); !errors.Is(err, ErrConfig) {
			t.Errorf("%+v: err = %v, want ErrConfig", s, err)
		}
	}
	if _, err := NewBaseline(rec, primary, []int{7}, BaselineSettings{}); !errors.Is(err, ErrConfig) {
		t.Errorf("route out of range: err = %v", err)
	}
}
