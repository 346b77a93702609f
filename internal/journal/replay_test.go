package journal

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// outage is a primary that cannot be reached: the simulator, down.
func outage(t *testing.T, s *sim.Server) {
	t.Helper()
	mustOK(t, s.SetFault(sim.Fault{Down: true}))
}

func TestReplayToSimulator(t *testing.T) {
	primary, ov := startOV(t)
	fb, j, c := fallbackSide(t)
	bob := []string{"X-OpenViking-User", "bob", "X-API-Key", "k"}
	call(t, c, "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "a"})
	addMessages(t, c, fb.URL(), "a", 3)
	call(t, c, "POST", fb.URL()+"/api/v1/sessions/a/commit", map[string]any{"keep_recent_count": 1})
	call(t, c, "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "b"}, bob...)
	addMessages(t, c, fb.URL(), "b", 2, bob...)
	addMessages(t, c, fb.URL(), "a", 5)
	call(t, c, "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "d"})
	call(t, c, "DELETE", fb.URL()+"/api/v1/sessions/d", nil)
	call(t, c, "POST", fb.URL()+"/api/v1/resources", map[string]any{"path": "https://example.com/kb/replayed.md"})
	if !j.Holds("a") || !j.Holds("b") || !j.Holds("d") || j.Pending() != 16 {
		t.Fatalf("before replay: pending %d", j.Pending())
	}
	rep, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Replayed != 16 || rep.Remaining != 0 || rep.Conflicts != 0 || j.Holds("a") || j.Pending() != 0 {
		t.Fatalf("report %+v", rep)
	}
	va, _ := ov.Session("a")
	want := []string{"a message 2", "a message 0", "a message 1", "a message 2", "a message 3", "a message 4"}
	if got := contents(t, ov, "a"); !reflect.DeepEqual(got, want) || va.Commits != 1 || va.TotalMessages != 8 {
		t.Errorf("a: %v commits %d total %d", got, va.Commits, va.TotalMessages)
	}
	if vb, _ := ov.Session("b"); vb.User != "bob" || len(vb.Messages) != 2 {
		t.Errorf("b: %+v", vb)
	}
	if _, ok := ov.Session("d"); ok {
		t.Error("d was not deleted")
	}
	if rep, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()}); err != nil || rep.Replayed != 0 {
		t.Errorf("second replay: %+v %v", rep, err)
	}
	if got := contents(t, ov, "a"); !reflect.DeepEqual(got, want) {
		t.Errorf("after a second replay: %v", got)
	}
	find := call(t, http.DefaultClient, "POST", primary.URL()+"/api/v1/search/find", map[string]any{"query": "replayed"})
	if find.result()["total"] == 0.0 {
		t.Errorf("resource not on the primary: %s", find.raw)
	}
}

// TestReplayResetsLog: once everything is replayed the file holds only
// the header, and sequence numbers keep growing across the reset and a
// reopen.
func TestReplayResetsLog(t *testing.T) {
	primary, _ := startOV(t)
	path := journalPath(t)
	j := openAt(t, path, nil)
	fill(t, j)
	big := fileSize(t, path)
	if _, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()}); err != nil {
		t.Fatal(err)
	}
	if size := fileSize(t, path); size == 0 || size > 64 || size >= big {
		t.Errorf("file is %d bytes after the reset (was %d)", size, big)
	}
	mustOK(t, j.Close())
	j2 := openAt(t, path, nil)
	mustOK(t, second(j2.addMessage(tenant{}, "s1", Message{Role: "user", Content: "next"}, nil)))
	if o, _ := j2.head(); o == nil || o.rec.Seq != 10 {
		t.Errorf("seq after reset %+v, want 10", o)
	}
}

// TestReplayAfterPreexistingMessages: a session the journal did not create
// gets its messages after the ones already on the primary, silently.
func TestReplayAfterPreexistingMessages(t *testing.T) {
	primary, ov := startOV(t)
	call(t, http.DefaultClient, "POST", primary.URL()+"/api/v1/sessions", map[string]any{"session_id": "p"})
	addMessages(t, http.DefaultClient, primary.URL(), "p", 2)
	j := openAt(t, journalPath(t), nil)
	mustOK(t, second(j.addMessage(tenant{}, "p", Message{Role: "user", Content: "journaled"}, nil)))
	rep, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()})
	if err != nil || rep.Conflicts != 0 || rep.Replayed != 1 {
		t.Fatalf("report %+v %v", rep, err)
	}
	want := []string{"p message 0", "p message 1", "journaled"}
	if got := contents(t, ov, "p"); !reflect.DeepEqual(got, want) {
		t.Errorf("primary holds %v", got)
	}
}

// TestReplaySessionExists: a session the journal created already holds
// messages on the primary; the conflict is reported and the journal's
// messages follow.
func TestReplaySessionExists(t *testing.T) {
	primary, ov := startOV(t)
	call(t, http.DefaultClient, "POST", primary.URL()+"/api/v1/sessions", map[string]any{"session_id": "x"})
	addMessages(t, http.DefaultClient, primary.URL(), "x", 1)
	var seen []Conflict
	j := openAt(t, journalPath(t), nil, func(o *Options) { o.OnConflict = func(c Conflict) { seen = append(seen, c) } })
	mustCreate(t, j, tenant{}, "x")
	mustOK(t, second(j.addMessage(tenant{}, "x", Message{Role: "user", Content: "mine"}, nil)))
	rep, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()})
	if err != nil || rep.Conflicts != 1 || rep.Replayed != 2 || len(rep.Conflicting) != 1 {
		t.Fatalf("report %+v %v", rep, err)
	}
	c := rep.Conflicting[0]
	if c.Kind != ConflictSessionExists || c.Lost || c.Seq != 1 || c.SessionID != "x" || !strings.Contains(c.Detail, "1 messages on the primary") {
		t.Errorf("conflict %+v", c)
	}
	if !reflect.DeepEqual(seen, rep.Conflicting) {
		t.Errorf("OnConflict saw %+v", seen)
	}
	if got := contents(t, ov, "x"); !reflect.DeepEqual(got, []string{"x message 0", "mine"}) {
		t.Errorf("primary holds %v", got)
	}
	if st := j.Stats(); st.Conflicts != 1 || st.Replayed != 2 {
		t.Errorf("stats %+v", st)
	}
}

// TestReplayMessageToMissingSession: OpenViking creates a session on its
// first message, so a message for a session the primary does not have
// simply lands; a primary that answers 404 instead (strictPrimary) gets
// the session created first, and the replay says so.
func TestReplayMessageToMissingSession(t *testing.T) {
	for _, strict := range []bool{false, true} {
		ov := sim.NewOpenViking(sim.OpenVikingOptions{})
		var h http.Handler = ov
		if strict {
			h = strictPrimary(ov)
		}
		srv := httptest.NewServer(h)
		j := openAt(t, journalPath(t), nil)
		mustOK(t, second(j.addMessage(tenant{User: "eve"}, "m", Message{Role: "user", Content: "orphan"}, nil)))
		rep, err := j.Replay(t.Context(), Target{BaseURL: srv.URL})
		srv.Close()
		missing := len(rep.Conflicting) == 1 && rep.Conflicting[0].Kind == ConflictSessionMissing && !rep.Conflicting[0].Lost
		if err != nil || rep.Replayed != 1 || missing != strict || !strict && len(rep.Conflicting) != 0 {
			t.Fatalf("strict %v: report %+v %v", strict, rep, err)
		}
		if v, _ := ov.Session("m"); v.User != "eve" || len(v.Messages) != 1 {
			t.Errorf("strict %v: primary: %+v", strict, v)
		}
	}
}

// strictPrimary answers 404 to a message for a session that does not
// exist, as OpenViking did before it created sessions on first add.
func strictPrimary(ov *sim.OpenViking) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rest, ok := strings.CutPrefix(r.URL.Path, sessionsPrefix)
		id, sub, _ := strings.Cut(rest, "/")
		if _, exists := ov.Session(id); ok && r.Method == http.MethodPost && strings.HasPrefix(sub, "messages") && !exists {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"status":"error","error":{"code":"NOT_FOUND","message":"Session ` + id + ` not found"}}`))
			return
		}
		ov.ServeHTTP(w, r)
	})
}

// refusing wraps the simulator and refuses messages saying "poison" with
// a 400, as a stricter primary might.
func refusing(ov *sim.OpenViking) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if strings.HasSuffix(r.URL.Path, "/messages") && bytes.Contains(body, []byte("poison")) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(400)
			_, _ = w.Write([]byte(`{"status":"error","error":{"code":"INVALID_ARGUMENT","message":"content refused"},"time":0}`))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		ov.ServeHTTP(w, r)
	})
}

func TestReplayRejectedIsLost(t *testing.T) {
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	srv := httptest.NewServer(refusing(ov))
	defer srv.Close()
	j := openAt(t, journalPath(t), nil)
	mustCreate(t, j, tenant{}, "r")
	for _, s := range []string{"ok 1", "poison pill", "ok 2"} {
		mustOK(t, second(j.addMessage(tenant{}, "r", Message{Role: "user", Content: s}, nil)))
	}
	rep, err := j.Replay(t.Context(), Target{BaseURL: srv.URL})
	if err != nil || rep.Failed != 1 || rep.Replayed != 3 || rep.Conflicts != 1 {
		t.Fatalf("report %+v %v", rep, err)
	}
	c := rep.Conflicting[0]
	if c.Kind != ConflictRejected || !c.Lost || c.Seq != 3 || !strings.Contains(c.Detail, "400") ||
		!strings.Contains(c.Detail, "content refused") || !strings.Contains(c.Detail, "poison pill") {
		t.Errorf("conflict %+v", c)
	}
	if got := contents(t, ov, "r"); !reflect.DeepEqual(got, []string{"ok 1", "ok 2"}) {
		t.Errorf("primary holds %v", got)
	}
	if st := j.Stats(); st.Failed != 1 || st.Conflicts != 1 || st.Pending != 0 {
		t.Errorf("stats %+v", st)
	}
}

// TestReplayPrimaryDown: an unreachable primary stops the replay with
// ErrPrimary, loses nothing, and a later replay completes.
func TestReplayPrimaryDown(t *testing.T) {
	primary, ov := startOV(t)
	j := openAt(t, journalPath(t), nil)
	mustCreate(t, j, tenant{}, "s")
	mustOK(t, second(j.addMessage(tenant{}, "s", Message{Role: "user", Content: "kept"}, nil)))
	outage(t, primary)
	rep, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()})
	if !errors.Is(err, ErrPrimary) || rep.Remaining != 2 || !j.Holds("s") {
		t.Fatalf("replay to a down primary: %+v %v", rep, err)
	}
	mustOK(t, primary.SetFault(sim.Fault{}))
	rep, err = j.Replay(t.Context(), Target{BaseURL: primary.URL()})
	if err != nil || rep.Replayed != 2 || j.Holds("s") {
		t.Fatalf("replay after recovery: %+v %v", rep, err)
	}
	if got := contents(t, ov, "s"); !reflect.DeepEqual(got, []string{"kept"}) {
		t.Errorf("primary holds %v", got)
	}
}

// TestReplayStopsOnRetryableStatus: 503, 429, 500 and 401 stop the replay and
// keep the op pending.
func TestReplayStopsOnRetryableStatus(t *testing.T) {
	for _, status := range []int{503, 429, 500} {
		primary, _ := startOV(t)
		mustOK(t, primary.SetFault(sim.Fault{ErrorRate: 1, ErrorStatus: status}))
		j := openAt(t, journalPath(t), nil)
		mustCreate(t, j, tenant{}, "s")
		if _, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()}); !errors.Is(err, ErrPrimary) || j.Pending() != 1 {
			t.Errorf("status %d: %v, pending %d", status, err, j.Pending())
		}
	}
	ov := sim.NewOpenViking(sim.OpenVikingOptions{APIKey: "right"})
	srv := httptest.NewServer(ov)
	defer srv.Close()
	j := openAt(t, journalPath(t), nil)
	mustCreate(t, j, tenant{APIKey: "wrong"}, "s")
	if _, err := j.Replay(t.Context(), Target{BaseURL: srv.URL}); !errors.Is(err, ErrPrimary) || j.Pending() != 1 {
		t.Errorf("401: %v", err)
	}
}

// TestConcurrentReplaysSingleFlight: concurrent Replays never send an op
// twice.
func TestConcurrentReplaysSingleFlight(t *testing.T) {
	primary, ov := startOV(t)
	j := openAt(t, journalPath(t), nil)
	mustCreate(t, j, tenant{}, "s")
	for i := range 40 {
		mustOK(t, second(j.addMessage(tenant{}, "s", Message{Role: "user", Content: msgText("s", i)}, nil)))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	total := 0
	for range 4 {
		wg.Go(func() {
			rep, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			total += rep.Replayed + rep.Already
			mu.Unlock()
		})
	}
	wg.Wait()
	if got := contents(t, ov, "s"); total != 41 || len(got) != 40 || got[39] != "s message 39" {
		t.Errorf("replayed %d ops; primary holds %d messages", total, len(got))
	}
}

func TestReplayCanceled(t *testing.T) {
	primary, _ := startOV(t)
	j := openAt(t, journalPath(t), nil)
	mustCreate(t, j, tenant{}, "s")
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := j.Replay(ctx, Target{BaseURL: primary.URL()}); !errors.Is(err, context.Canceled) || j.Pending() != 1 {
		t.Errorf("canceled replay: %v, pending %d", err, j.Pending())
	}
}
