package signal

import (
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// A trigger on a route class the routes do not define reads "no data"
// instead of being refused, and an unknown type is a configuration error.
func TestBuildRouteAndUnknownType(t *testing.T) {
	d := Deps{Stats: newRecorder()}
	src, err := Build(Spec{Type: "route_error_rate", Route: "nowhere"}, d)
	if err != nil {
		t.Fatal(err)
	}
	if r := src.Read(t.Context(), t0); r.Valid || r.Unit != UnitRatio || r.Detail != `no data: route class "nowhere" is not defined` {
		t.Fatalf("unknown route read %+v", r)
	}
	if _, err := Build(Spec{Type: "route_error_rate", Route: "search"}, d); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(Spec{Type: "tea_leaves"}, d); !errors.Is(err, ErrConfig) {
		t.Fatalf("unknown type: %v, want ErrConfig", err)
	}
}

// The probing sources take their transport from Deps, so the app can put
// the drills' fault injector in front of a functional probe.
func TestBuildUsesTheProbeTransport(t *testing.T) {
	called := 0
	d := Deps{Primary: "http://127.0.0.1:1/", ProbeTransport: func() http.RoundTripper { called++; return http.DefaultTransport }}
	if _, err := Build(Spec{Type: "functional_probe", Probe: Probe{Path: "/health", Expect: Expect{Path: "status", Contains: "ok"}}}, d); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(Spec{Type: "error_rate"}, Deps{Stats: newRecorder()}); err != nil {
		t.Fatal(err)
	}
	if called != 1 {
		t.Fatalf("probe transport made %d times, want once", called)
	}
}

// Direct signals read the primary itself; Reads tells a resource trigger
// by its resource, its name, its metric or its query.
func TestSpecClassification(t *testing.T) {
	cases := []struct {
		spec   Spec
		direct bool
		reads  string
	}{
		{Spec{Type: "error_rate", Trigger: "cpu"}, false, ""},
		{Spec{Type: "health_failures"}, true, ""},
		{Spec{Type: "process", Resource: "memory"}, true, "memory"},
		{Spec{Type: "metrics_scrape", Metric: "openviking_cpu_usage_percent"}, true, "cpu"},
		{Spec{Type: "prom_query", Trigger: "Primary_Mem"}, true, "memory"},
		{Spec{Type: "command", Trigger: "disk"}, true, ""},
		{Spec{Type: "functional_probe", Trigger: "cpu_probe"}, true, ""},
	}
	for _, c := range cases {
		if c.spec.Direct() != c.direct || c.spec.Reads() != c.reads {
			t.Errorf("%+v: direct %v reads %q, want %v %q", c.spec, c.spec.Direct(), c.spec.Reads(), c.direct, c.reads)
		}
	}
}

// The baseline survives a restart through its file; a missing file is a
// first start, and a corrupt one is reported and leaves the state alone.
func TestBaselineFileRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "baseline.json")
	rec := newRecorder()
	b, _ := NewBaseline(rec, primary, nil, BaselineSettings{MinSamples: 1})
	if err := b.Load(path); err != nil {
		t.Fatalf("missing file: %v", err)
	}
	learnAt(b, rec, search, 120*time.Millisecond, t0)
	if err := b.Save(path); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("saved file: %v %v, want mode 0600", fi, err)
	}
	restored, _ := NewBaseline(newRecorder(), primary, nil, BaselineSettings{MinSamples: 1})
	if err := restored.Load(path); err != nil {
		t.Fatal(err)
	}
	if v, ok := restored.Value(search); !ok || v != 120*time.Millisecond {
		t.Fatalf("restored search = %s, %v", v, ok)
	}
	if err := os.WriteFile(path, []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := restored.Load(path); err == nil {
		t.Fatal("corrupt file loaded without error")
	}
	if _, ok := restored.Value(search); !ok {
		t.Fatal("a corrupt file erased the learned state")
	}
}
