package journal

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// TestConcurrentAppendsKeepOrder: many clients at once, each session's
// writes keep their order and counts, through the journal and on the
// primary after the replay.
func TestConcurrentAppendsKeepOrder(t *testing.T) {
	const sessions, perSession, writers, perWriter = 12, 25, 6, 20
	primary, ov := startOV(t)
	fb, j, c := fallbackSide(t)
	var wg sync.WaitGroup
	counts := make(chan float64, writers*perWriter)
	for s := range sessions {
		id := fmt.Sprintf("s%d", s)
		wg.Go(func() {
			for i := range perSession {
				r := call(t, c, "POST", fb.URL()+"/api/v1/sessions/"+id+"/messages", map[string]any{"role": "user", "content": msgText(id, i)})
				if got := r.result()["message_count"]; got != float64(i+1) {
					t.Errorf("%s message %d: count %v", id, i, got)
				}
			}
		})
	}
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				r := call(t, c, "POST", fb.URL()+"/api/v1/sessions/shared/messages", map[string]any{"role": "user", "content": fmt.Sprintf("w%d %d", w, i)})
				counts <- r.result()["message_count"].(float64)
			}
		})
	}
	wg.Wait()
	close(counts)
	seen := map[float64]bool{}
	for n := range counts {
		seen[n] = true
	}
	if len(seen) != writers*perWriter {
		t.Errorf("shared session counts are not unique: %d distinct of %d", len(seen), writers*perWriter)
	}
	if _, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()}); err != nil {
		t.Fatal(err)
	}
	for s := range sessions {
		id := fmt.Sprintf("s%d", s)
		want := make([]string, perSession)
		for i := range want {
			want[i] = msgText(id, i)
		}
		if got := contents(t, ov, id); !reflect.DeepEqual(got, want) {
			t.Errorf("%s on the primary: %v", id, got)
		}
	}
	checkWriterOrder(t, contents(t, ov, "shared"), writers, perWriter)
}

// checkWriterOrder wants every writer's messages present once, in order.
func checkWriterOrder(t *testing.T, got []string, writers, perWriter int) {
	t.Helper()
	if len(got) != writers*perWriter {
		t.Fatalf("shared holds %d messages", len(got))
	}
	next := make([]int, writers)
	for _, m := range got {
		var w, i int
		if _, err := fmt.Sscanf(m, "w%d %d", &w, &i); err != nil || i != next[w] {
			t.Fatalf("message %q out of order (want w%d %d)", m, w, next[w])
		}
		next[w]++
	}
}

func TestHoldsWhilePending(t *testing.T) {
	primary, _ := startOV(t)
	j := openAt(t, journalPath(t), nil)
	req := func(path string) *http.Request { return httptest.NewRequest("GET", path, nil) }
	if j.Holds("s") || j.HoldsRequest(req("/api/v1/sessions/s")) {
		t.Error("an empty journal holds s")
	}
	mustOK(t, second(j.addMessage(tenant{}, "s", Message{Role: "user", Content: "x"}, nil)))
	for _, p := range []string{"/api/v1/sessions/s", "/api/v1/sessions/s/messages", "/api/v1/sessions/s/commit"} {
		if !j.HoldsRequest(req(p)) {
			t.Errorf("%s not held", p)
		}
	}
	for _, p := range []string{"/api/v1/sessions/t", "/api/v1/sessions", "/api/v1/sessions/", "/api/v1/search/find", "/health"} {
		if j.HoldsRequest(req(p)) {
			t.Errorf("%s held", p)
		}
	}
	if !j.Holds("s") || j.Holds("t") || j.Pending() != 1 {
		t.Error("Holds wrong while pending")
	}
	if _, err := j.Replay(t.Context(), Target{BaseURL: primary.URL()}); err != nil {
		t.Fatal(err)
	}
	if j.Holds("s") || j.HoldsRequest(req("/api/v1/sessions/s")) || j.Pending() != 0 {
		t.Error("still held after the replay")
	}
}

// TestAppendsDuringReplayAreReplayed: a write taken while a replay runs is
// replayed by the same call.
func TestAppendsDuringReplayAreReplayed(t *testing.T) {
	ov := sim.NewOpenViking(sim.OpenVikingOptions{})
	j := openAt(t, journalPath(t), nil)
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/messages") {
			once.Do(func() {
				if _, err := j.addMessage(tenant{}, "late", Message{Role: "user", Content: "late"}, nil); err != nil {
					t.Error(err)
				}
			})
		}
		ov.ServeHTTP(w, r)
	}))
	defer srv.Close()
	mustOK(t, second(j.addMessage(tenant{}, "early", Message{Role: "user", Content: "early"}, nil)))
	rep, err := j.Replay(t.Context(), Target{BaseURL: srv.URL})
	if err != nil || rep.Replayed != 2 || rep.Remaining != 0 || j.Holds("late") {
		t.Fatalf("report %+v %v", rep, err)
	}
	if got := contents(t, ov, "late"); !reflect.DeepEqual(got, []string{"late"}) {
		t.Errorf("late on the primary: %v", got)
	}
}
