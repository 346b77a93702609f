package fault

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"syscall"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

func TestNoFaultPassesEverythingThrough(t *testing.T) {
	p := newPair(t, nil)
	code, body, err := do(t, p.inj, "GET", p.primary.URL+"/health", "")
	if err != nil || code != 200 || !strings.Contains(body, "primary") || p.primary.hits.Load() != 1 {
		t.Fatalf("got %d %q %v", code, body, err)
	}
}

func TestDownRefusesThePrimaryOnly(t *testing.T) {
	p := newPair(t, nil)
	if _, err := p.inj.Set(long(Fault{Down: true}), "test"); err != nil {
		t.Fatal(err)
	}
	_, _, err := do(t, p.inj, "POST", p.primary.URL+"/api/v1/sessions", "{}")
	if !errors.Is(err, syscall.ECONNREFUSED) || stats.Classify(0, err, false) != stats.ConnectError {
		t.Fatalf("primary: got %v (%v), want a refused dial", err, stats.Classify(0, err, false))
	}
	if p.primary.hits.Load() != 0 {
		t.Fatal("the primary was reached during an outage")
	}
	if code, body, err := do(t, p.inj, "GET", p.fallback.URL+"/health", ""); err != nil || code != 200 || !strings.Contains(body, "fallback") {
		t.Fatalf("fallback: %d %q %v", code, body, err)
	}
}

func TestErrorRateAnswersInTheEnvelope(t *testing.T) {
	p := newPair(t, sequence(0.1, 0.6, 0.3, 0.9))
	if _, err := p.inj.Set(long(Fault{ErrorRate: 0.5, ErrorStatus: 429}), "test"); err != nil {
		t.Fatal(err)
	}
	var codes []int
	for range 4 {
		code, body, err := do(t, p.inj, "GET", p.primary.URL+"/api/v1/sessions/x", "")
		if err != nil {
			t.Fatal(err)
		}
		codes = append(codes, code)
		if code == 429 {
			var env struct {
				Status string `json:"status"`
				Error  struct{ Code, Message string }
			}
			if json.Unmarshal([]byte(body), &env) != nil || env.Status != "error" || env.Error.Code != "RESOURCE_EXHAUSTED" {
				t.Fatalf("injected error body %s", body)
			}
		}
	}
	if want := []int{429, 200, 429, 200}; !slices.Equal(codes, want) || p.primary.hits.Load() != 2 {
		t.Fatalf("statuses %v (want %v), primary hits %d", codes, want, p.primary.hits.Load())
	}
	p.inj.Set(long(Fault{ErrorRate: 1}), "test")
	if code, _, _ := do(t, p.inj, "GET", p.primary.URL+"/x", ""); code != 503 {
		t.Fatalf("default status %d, want 503", code)
	}
	if code, _, _ := do(t, p.inj, "GET", p.fallback.URL+"/x", ""); code != 200 {
		t.Fatalf("fallback status %d under an error rate of 1", code)
	}
}

func TestCorruptSearchEmptiesResultsOnly(t *testing.T) {
	p := newPair(t, nil)
	p.inj.Set(long(Fault{CorruptSearch: true}), "test")
	for _, path := range []string{"/api/v1/search/find", "/api/v1/search/search"} {
		_, body, err := do(t, p.inj, "POST", p.primary.URL+path, `{"query":"q"}`)
		var env struct{ Result map[string]any }
		if err != nil || json.Unmarshal([]byte(body), &env) != nil {
			t.Fatalf("%s: %v %s", path, err, body)
		}
		r := env.Result
		if r["total"] != 0.0 || len(r["resources"].([]any)) != 0 || len(r["memories"].([]any)) != 0 ||
			len(r["skills"].([]any)) != 0 || r["query_plan"] != "kept" {
			t.Fatalf("%s: corrupted answer %s", path, body)
		}
	}
	if _, body, _ := do(t, p.inj, "POST", p.fallback.URL+"/api/v1/search/find", "{}"); body != searchAnswer {
		t.Fatalf("the fallback's search was corrupted: %s", body)
	}
	if code, body, _ := do(t, p.inj, "GET", p.primary.URL+"/health", ""); code != 200 || !strings.Contains(body, "primary") {
		t.Fatalf("health under corrupt_search: %d %s", code, body)
	}
}

func TestCorruptSearchReplacesEncodedAnswers(t *testing.T) {
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Encoding", "gzip")
		zw := gzip.NewWriter(w)
		io.WriteString(zw, searchAnswer)
		zw.Close()
	}))
	defer up.Close()
	inj := New(Options{Primary: mustURL(t, up.URL), Transport: &http.Transport{DisableCompression: true}})
	defer inj.Stop()
	inj.Set(long(Fault{CorruptSearch: true}), "")
	req, _ := http.NewRequest("POST", up.URL+"/api/v1/search/find", strings.NewReader("{}"))
	resp, err := inj.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(b) != emptySearch || resp.Header.Get("Content-Encoding") != "" || resp.ContentLength != int64(len(b)) {
		t.Fatalf("got %q, encoding %q, length %d", b, resp.Header.Get("Content-Encoding"), resp.ContentLength)
	}
}

func TestEmptiedFallsBackOnNonEnvelopes(t *testing.T) {
	for _, raw := range []string{"not json", `{"status":"ok"}`, `{"result":[1]}`} {
		if got := emptied([]byte(raw)); !bytes.Equal(got, []byte(emptySearch)) {
			t.Errorf("%s: got %s", raw, got)
		}
	}
}

func TestWrapSharesTheFault(t *testing.T) {
	p := newPair(t, nil)
	checks := p.inj.Wrap(&http.Transport{})
	p.inj.Set(long(Fault{Down: true}), "test")
	if _, _, err := do(t, checks, "GET", p.primary.URL+"/health", ""); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("wrapped transport during an outage: %v", err)
	}
	p.inj.Clear("test")
	if code, _, err := do(t, checks, "GET", p.primary.URL+"/health", ""); err != nil || code != 200 {
		t.Fatalf("wrapped transport after clear: %d %v", code, err)
	}
}

func TestEventsCarryTheFaultsFields(t *testing.T) {
	p := newPair(t, nil)
	p.inj.Set(Fault{LatencyMS: 300, ErrorRate: 0.2, DurationMS: 60_000}, "alice")
	p.inj.Clear("bob")
	p.events.mu.Lock()
	defer p.events.mu.Unlock()
	set, cleared := p.events.evs[0], p.events.evs[1]
	if set.Kind != KindSet || set.Source != "fault" || set.Fields["latency_ms"] != 300 || set.Fields["error_status"] != 503 ||
		set.Fields["duration_ms"] != 60_000 || set.Fields["by"] != "alice" || set.Fields["until"] == nil {
		t.Fatalf("set event %+v", set)
	}
	if cleared.Kind != KindCleared || cleared.Fields["reason"] != ReasonCleared || cleared.Fields["by"] != "bob" ||
		cleared.Fields["error_rate"] != 0.2 || !strings.Contains(cleared.Message, "latency 300ms") {
		t.Fatalf("cleared event %+v", cleared)
	}
}
