package journal

import (
	"net/http"
	"net/http/httptest"
	"reflect"
	"sync"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// recorder wraps the simulator and keeps every request line and the
// tenant headers it came with.
type recorder struct {
	ov   *sim.OpenViking
	mu   sync.Mutex
	seen []string
	hdrs []http.Header
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.mu.Lock()
	rc.seen = append(rc.seen, r.Method+" "+r.URL.Path)
	rc.hdrs = append(rc.hdrs, r.Header.Clone())
	rc.mu.Unlock()
	rc.ov.ServeHTTP(w, r)
}

func (rc *recorder) count(line string) int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	n := 0
	for _, s := range rc.seen {
		if s == line {
			n++
		}
	}
	return n
}

func startRecorder(t *testing.T, opts sim.OpenVikingOptions) (*recorder, string) {
	rc := &recorder{ov: sim.NewOpenViking(opts)}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	return rc, srv.URL
}

// TestReplayReadsEachSessionOnce: the primary's view of a session is
// learnt once per replay and then tracked from its answers.
func TestReplayReadsEachSessionOnce(t *testing.T) {
	rc, url := startRecorder(t, sim.OpenVikingOptions{})
	j := openAt(t, journalPath(t), nil)
	for _, id := range []string{"a", "b"} {
		for i := range 5 {
			mustOK(t, second(j.addMessage(tenant{}, id, Message{Role: "user", Content: msgText(id, i)}, nil)))
		}
	}
	mustOK(t, second(j.commitKeep(tenant{}, "a", 1, nil)))
	mustOK(t, second(j.addMessage(tenant{}, "a", Message{Role: "user", Content: "after commit"}, nil)))
	if _, err := j.Replay(t.Context(), Target{BaseURL: url}); err != nil {
		t.Fatal(err)
	}
	if a, b := rc.count("GET /api/v1/sessions/a"), rc.count("GET /api/v1/sessions/b"); a != 2 || b != 1 {
		t.Errorf("GETs: a %d (one more after the commit), b %d", a, b)
	}
	if v, _ := rc.ov.Session("a"); len(v.Messages) != 2 || v.Messages[1].Text() != "after commit" {
		t.Errorf("a on the primary: %+v", v)
	}
}

// TestReplayActsAsTenant: every replayed request carries the op's own
// tenant headers, and only those.
func TestReplayActsAsTenant(t *testing.T) {
	rc, url := startRecorder(t, sim.OpenVikingOptions{APIKey: "secret"})
	fb, _ := startOV(t)
	j := openAt(t, journalPath(t), nil)
	headers := []string{"X-API-Key", "secret", "X-OpenViking-Account", "acme", "X-OpenViking-User", "ann", "X-OpenViking-Agent", "bot"}
	call(t, client(j), "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "t"}, headers...)
	call(t, client(j), "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "u"}, "Authorization", "Bearer secret")
	if _, err := j.Replay(t.Context(), Target{BaseURL: url}); err != nil {
		t.Fatal(err)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	for i, h := range rc.hdrs {
		ann := h.Get("X-OpenViking-User") == "ann"
		if ann && (h.Get("X-API-Key") != "secret" || h.Get("X-OpenViking-Account") != "acme" || h.Get("X-OpenViking-Agent") != "bot") {
			t.Errorf("request %d %s: %v", i, rc.seen[i], h)
		}
		if !ann && (h.Get("Authorization") != "Bearer secret" || h.Get("X-API-Key") != "" || h.Get("X-OpenViking-User") != "") {
			t.Errorf("request %d %s: %v", i, rc.seen[i], h)
		}
	}
	if v, ok := rc.ov.Session("t"); !ok || v.User != "ann" {
		t.Errorf("t on the primary: %+v", v)
	}
}

// TestReplayMissingTargets: deleting a session the primary does not have
// is done; committing one is a lost write, reported.
func TestReplayMissingTargets(t *testing.T) {
	_, url := startRecorder(t, sim.OpenVikingOptions{})
	j := openAt(t, journalPath(t), nil)
	mustOK(t, second(j.remove(tenant{}, "ghost", nil)))
	mustOK(t, second(j.commitKeep(tenant{}, "phantom", 0, nil)))
	rep, err := j.Replay(t.Context(), Target{BaseURL: url})
	if err != nil || rep.Replayed != 1 || rep.Failed != 1 || len(rep.Conflicting) != 1 {
		t.Fatalf("report %+v %v", rep, err)
	}
	want := Conflict{Seq: 2, SessionID: "phantom", Kind: ConflictRejected, Lost: true,
		Detail: "primary answered 404 NOT_FOUND: Session phantom not found; the journal's commit of session phantom: POST /api/v1/sessions/phantom/commit {\"keep_recent_count\":0}"}
	if got := rep.Conflicting[0]; !reflect.DeepEqual(got, want) {
		t.Errorf("conflict\n got %+v\nwant %+v", got, want)
	}
}

// TestSequenceSurvivesLiveReset: ops after a reset keep counting up.
func TestSequenceSurvivesLiveReset(t *testing.T) {
	_, url := startRecorder(t, sim.OpenVikingOptions{})
	j := openAt(t, journalPath(t), nil)
	mustCreate(t, j, tenant{}, "s")
	mustCreate(t, j, tenant{}, "t")
	if _, err := j.Replay(t.Context(), Target{BaseURL: url}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, j, tenant{}, "u")
	if o, _ := j.head(); o == nil || o.rec.Seq != 3 {
		t.Errorf("seq after a live reset: %+v", o)
	}
}
