package sim

import (
	"net/http"
	"testing"
)

func TestControlRejectsBadFaults(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	url := s.URL() + "/_sim/fault"
	wantStatus(t, call(t, "POST", url, `{"latency_ms":250}`), http.StatusOK)
	cases := []struct{ body, field string }{
		{`{"latency_ms":`, ""},
		{``, ""},
		{`{"latency_ms":1} {}`, ""},
		{`{"latency":5}`, "latency"},
		{`{"latency_ms":"slow"}`, "latency_ms"},
		{`{"error_rate":1.5}`, "error_rate"},
		{`{"error_status":302,"error_rate":0.1}`, "error_status"},
		{`{"cpu_percent":120}`, "cpu_percent"},
		{`{"duration_ms":-1}`, "duration_ms"},
	}
	for _, c := range cases {
		rep := call(t, "POST", url, c.body)
		wantStatus(t, rep, http.StatusBadRequest)
		if at(rep.body, "error") == nil || at(rep.body, "field") != nilIfEmpty(c.field) {
			t.Errorf("body %q: got %s, want field %q", c.body, rep.raw, c.field)
		}
	}
	if got := call(t, "GET", url, nil); at(got.body, "latency_ms") != 250.0 || len(got.body) != 1 {
		t.Fatalf("a rejected POST changed the fault: %s", got.raw)
	}
	cleared := call(t, "POST", url, `{}`)
	if wantStatus(t, cleared, http.StatusOK); len(cleared.body) != 0 || !s.Fault().IsZero() {
		t.Fatalf("{} did not clear: %s", cleared.raw)
	}
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func TestControlBypassesFaults(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	rep := call(t, "POST", s.URL()+"/_sim/fault", `{"error_rate":1,"error_status":500,"latency_ms":60000}`)
	wantStatus(t, rep, http.StatusOK)
	if at(rep.body, "error_status") != 500.0 {
		t.Fatalf("POST should echo the fault: %s", rep.raw)
	}
	wantStatus(t, call(t, "GET", s.URL()+"/_sim/stats", nil), http.StatusOK)
	wantStatus(t, call(t, "GET", s.URL()+"/_sim/nope", nil), http.StatusNotFound)
	rep = call(t, "DELETE", s.URL()+"/_sim/fault", nil)
	if wantStatus(t, rep, http.StatusMethodNotAllowed); rep.header.Get("Allow") == "" {
		t.Fatal("405 without Allow")
	}
}

func TestStatsEndpoint(t *testing.T) {
	ov := NewOpenViking(OpenVikingOptions{})
	s := startServer(t, ov)
	call(t, "GET", s.URL()+"/health", nil)
	call(t, "POST", s.URL()+"/api/v1/sessions", `{"session_id":"a"}`)
	rep := call(t, "GET", s.URL()+"/_sim/stats", nil)
	wantStatus(t, rep, http.StatusOK)
	checks := map[string]any{"service": "openviking", "requests": 2.0, "served": 2.0, "service_requests": 2.0, "listening": true}
	for k, want := range checks {
		if got := at(rep.body, k); got != want {
			t.Errorf("%s = %v, want %v (%s)", k, got, want, rep.raw)
		}
	}
	if at(rep.body, "detail", "sessions") != 1.0 || at(rep.body, "detail", "documents") != float64(len(DefaultCorpus())) {
		t.Errorf("detail: %s", rep.raw)
	}
	if s.Requests() != 2 || ov.Requests() != 2 {
		t.Errorf("Requests() = %d/%d", s.Requests(), ov.Requests())
	}
}
