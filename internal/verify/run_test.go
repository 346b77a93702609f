package verify

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// startOpenViking runs the OpenViking simulator on a free loopback port.
func startOpenViking(t *testing.T) (*sim.Server, *sim.OpenViking) {
	t.Helper()
	ov := sim.NewOpenViking(sim.OpenVikingOptions{APIKey: "k"})
	srv := sim.NewServer(ov)
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Stop(context.Background()) })
	return srv, ov
}

// builtIn is the built-in suite with the simulator's API key.
func builtIn() Suite {
	s := OpenViking()
	s.Headers = map[string]string{sim.HeaderAPIKey: "k"}
	return s
}

// step finds a step's result by name.
func step(t *testing.T, r Report, name string) StepResult {
	t.Helper()
	for _, s := range r.Steps {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no step %q in %+v", name, r)
	return StepResult{}
}

func TestBuiltInSuitePassesAgainstTheSimulator(t *testing.T) {
	srv, ov := startOpenViking(t)
	r := Run(t.Context(), nil, srv.URL(), builtIn())
	if !r.OK() || len(r.Steps) != 7 || r.Failed() != 0 {
		t.Fatalf("report %+v", r)
	}
	for _, s := range r.Steps {
		if s.Status != 200 || s.Latency <= 0 || strings.Contains(s.Path, "{{") {
			t.Errorf("step %+v", s)
		}
	}
	id := strings.TrimPrefix(step(t, r, "get session").Path, "/api/v1/sessions/")
	if v, ok := ov.Session(id); !ok || v.TotalMessages != 1 || v.Commits != 1 || !strings.HasPrefix(id, "lifeboat-verify-") {
		t.Errorf("session %q on the simulator: %+v", id, v)
	}
}

func TestBuiltInSuiteFailsUnderCorruptSearch(t *testing.T) {
	srv, _ := startOpenViking(t)
	if err := srv.SetFault(sim.Fault{CorruptSearch: true}); err != nil {
		t.Fatal(err)
	}
	r := Run(t.Context(), nil, srv.URL(), builtIn())
	s := step(t, r, "search canary")
	if r.OK() || r.Failed() != 1 || s.Passed || s.Status != 200 {
		t.Fatalf("only the search should fail: %+v", r)
	}
	want := `result.resources[].uri: nothing at that path, want "` + sim.CanaryURI + `"`
	if s.Reason != want {
		t.Errorf("reason %q, want %q", s.Reason, want)
	}
}

func TestBuiltInSuiteAgainstADownServer(t *testing.T) {
	srv, _ := startOpenViking(t)
	if err := srv.SetFault(sim.Fault{Down: true}); err != nil {
		t.Fatal(err)
	}
	r := Run(t.Context(), nil, srv.URL(), builtIn())
	if r.Failed() != 7 {
		t.Fatalf("every step should fail: %+v", r)
	}
	if s := step(t, r, "health"); !strings.HasPrefix(s.Reason, "no answer (connect_refused): dial tcp") {
		t.Errorf("health: %q", s.Reason)
	}
	if s := step(t, r, "add message"); s.Reason != "not run: needs {{.session_id}}, which no earlier step saved" {
		t.Errorf("add message: %q", s.Reason)
	}
}

func TestStepStatusAndTimeoutReasons(t *testing.T) {
	srv, _ := startOpenViking(t)
	suite := Suite{Timeout: 50 * time.Millisecond, Steps: []Step{{Name: "h", Path: "/health"}}}
	if err := srv.SetFault(sim.Fault{ErrorRate: 1}); err != nil {
		t.Fatal(err)
	}
	r := Run(t.Context(), nil, srv.URL(), suite)
	if s := r.Steps[0]; s.Status != 503 || !strings.HasPrefix(s.Reason, `status 503, want 200: {"status":"error"`) {
		t.Errorf("error fault: %+v", s)
	}
	if err := srv.SetFault(sim.Fault{Hang: true}); err != nil {
		t.Fatal(err)
	}
	r = Run(t.Context(), nil, srv.URL(), suite)
	if s := r.Steps[0]; s.Reason != "no answer within 50ms (timeout)" {
		t.Errorf("hang: %+v", s)
	}
}

func TestSavedValuesAndVarsFeedLaterSteps(t *testing.T) {
	var mu sync.Mutex
	var got []string
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		got = append(got, r.Method+" "+r.URL.Path+" "+string(body)+" "+r.Header.Get("X-Who")+" "+r.Header.Get("Content-Type"))
		w.WriteHeader(201)
		_ = json.NewEncoder(w).Encode(map[string]any{"id": "abc", "n": 7, "items": []map[string]any{{"k": "x"}, {"k": "y"}}})
	}))
	t.Cleanup(s.Close)
	suite := Suite{Vars: map[string]string{"who": "alice"}, Headers: map[string]string{"X-Who": "{{.who}}"}, Steps: []Step{
		{Name: "make", Body: `{"a":1}`, Path: "/things", ExpectStatus: 201, Save: map[string]string{"thing": "id", "count": "n"}},
		{Name: "read", Path: "/things/{{ .thing }}/{{.count}}", ExpectStatus: 201, Headers: map[string]string{"X-Who": "bob"},
			Expect: []Expect{{Path: "n", Min: 7}, {Path: "items[].k", OneOf: []string{"z", "y"}}, {Path: "id", Contains: "{{.thing}}"}}},
		{Name: "too few", Path: "/", ExpectStatus: 201, Expect: []Expect{{Path: "n", Min: 8}}},
	}}
	r := Run(t.Context(), s.Client(), s.URL+"/", suite)
	mu.Lock()
	defer mu.Unlock()
	want := []string{"POST /things {\"a\":1} alice application/json", "GET /things/abc/7  bob ", "GET /  alice "}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("requests\n%q\nwant\n%q", got, want)
	}
	if !r.Steps[0].Passed || !r.Steps[1].Passed || r.Steps[2].Passed || r.Steps[2].Reason != "n is [7], want a number >= 8" {
		t.Errorf("report %+v", r)
	}
}

func TestRunReportsStepsLeftWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	r := Run(ctx, nil, "http://127.0.0.1:1", OpenViking())
	if r.OK() || len(r.Steps) != 7 || r.Steps[6].Reason != "not run: context canceled" {
		t.Fatalf("report %+v", r)
	}
}

func TestRunReportsAnInvalidSuite(t *testing.T) {
	r := Run(t.Context(), nil, "http://127.0.0.1:1", Suite{})
	if r.OK() || len(r.Steps) != 1 || r.Steps[0].Name != "suite" || !strings.Contains(r.Steps[0].Reason, "no steps") {
		t.Fatalf("report %+v", r)
	}
	if (Report{}).OK() {
		t.Error("an empty report is not OK")
	}
}
