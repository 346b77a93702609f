package load

import (
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

func TestSessionsModeRecordsEveryAcknowledgedWrite(t *testing.T) {
	srv, ov := startOpenViking(t)
	res := mustRun(t, Options{BaseURL: srv.URL(), Sessions: &SessionWrites{Messages: 3, Prefix: "t1"},
		Concurrency: 4, Duration: 200 * time.Millisecond})
	if len(res.Acked) == 0 || res.Failed() != 0 {
		t.Fatalf("%d writes acknowledged, %d requests failed", len(res.Acked), res.Failed())
	}
	for i, w := range res.Acked {
		v, ok := ov.Session(w.SessionID)
		if !ok || w.Index >= len(v.Messages) || v.Messages[w.Index].Text() != w.Content {
			t.Fatalf("write %+v is not on the simulator (session found %v: %+v)", w, ok, v.Messages)
		}
		if !strings.HasPrefix(w.SessionID, "t1-w") || w.Index > 2 || (i > 0 && w.At.Before(res.Acked[i-1].At)) {
			t.Fatalf("write %d %+v: wrong id, index or order", i, w)
		}
	}
	// Sessions hold no more messages than the run says were written.
	if n := messagesIn(ov, res.Acked); n != len(res.Acked) {
		t.Errorf("the simulator holds %d messages, %d were acknowledged", n, len(res.Acked))
	}
}

func TestSessionsModeSkipsFailedWrites(t *testing.T) {
	srv, ov := startOpenViking(t)
	srv.SetRand(alternate())
	if err := srv.SetFault(sim.Fault{ErrorRate: 0.5}); err != nil {
		t.Fatal(err)
	}
	res := mustRun(t, Options{BaseURL: srv.URL(), Requests: []Request{{Path: "/health"}},
		Sessions: &SessionWrites{Messages: 4, Weight: 3}, Concurrency: 3, Duration: 200 * time.Millisecond})
	if len(res.Acked) == 0 || res.Failed() == 0 {
		t.Fatalf("%d writes acknowledged, %d failed", len(res.Acked), res.Failed())
	}
	for _, w := range res.Acked {
		v, _ := ov.Session(w.SessionID)
		if !hasMessage(v, w.Content) {
			t.Fatalf("acknowledged write %+v is missing", w)
		}
	}
	if n := messagesIn(ov, res.Acked); n != len(res.Acked) {
		t.Errorf("the simulator holds %d messages, %d were acknowledged", n, len(res.Acked))
	}
	// The failed writes are listed apart, and the simulator (which
	// refuses before storing) holds none of them.
	if len(res.Unacked) == 0 {
		t.Fatal("no unacknowledged write listed although writes failed")
	}
	for _, w := range res.Unacked {
		if v, _ := ov.Session(w.SessionID); hasMessage(v, w.Content) {
			t.Fatalf("refused write %+v is on the simulator", w)
		}
	}
	// The failed writes are listed apart, and the simulator (which
	// refuses before storing) holds none of them.
	if len(res.Unacked) == 0 {
		t.Fatal("no unacknowledged write listed although writes failed")
	}
	for _, w := range res.Unacked {
		if v, _ := ov.Session(w.SessionID); hasMessage(v, w.Content) {
			t.Fatalf("refused write %+v is on the simulator", w)
		}
	}
}

func TestWriterRotatesSessions(t *testing.T) {
	w := newWriter(Options{BaseURL: "http://x/"}, 7, SessionWrites{Messages: 2, Prefix: "p"})
	if c := w.call(); c.url != "http://x/api/v1/sessions" || c.body != `{"session_id":"p-w7-s1"}` {
		t.Fatalf("first call %+v", c)
	}
	w.observe(503, nil, nil, time.Time{}) // create failed: try again
	w.observe(200, nil, nil, time.Time{})
	// The first session of every uploadEvery begins with an upload.
	if c := w.call(); c.url != "http://x/api/v1/resources/temp_upload" || !c.keep || !strings.HasPrefix(c.header.Get("Content-Type"), "multipart/form-data") {
		t.Fatalf("upload call %+v", c)
	}
	w.observe(200, []byte(`{"status":"ok","result":{"temp_file_id":"upload_1"}}`), nil, time.Time{})
	if c := w.call(); c.url != "http://x/api/v1/resources" || !strings.Contains(c.body, `"temp_file_id":"upload_1"`) {
		t.Fatalf("resource call %+v", c)
	}
	w.observe(200, nil, nil, time.Time{})
	if len(w.up.acked) != 1 || w.up.acked[0].URI != "viking://resources/lifeboat-load/p-w7-s1" {
		t.Fatalf("uploads %+v", w.up.acked)
	}
	if c := w.call(); c.url != "http://x/api/v1/sessions/p-w7-s1/messages" || !strings.Contains(c.body, `"role":"user"`) {
		t.Fatalf("message call %+v", c)
	}
	w.observe(200, nil, nil, time.Time{})
	w.observe(500, nil, nil, time.Time{}) // failed: uses up index 1, session full
	if len(w.acked) != 1 || w.acked[0].Index != 0 || w.id != "p-w7-s2" || w.created {
		t.Fatalf("acked %+v, session %s created %v", w.acked, w.id, w.created)
	}
	w.observe(200, nil, nil, time.Time{})
	w.observe(404, nil, nil, time.Time{}) // the server lost the session
	if w.id != "p-w7-s3" || w.created || len(w.acked) != 1 {
		t.Fatalf("after 404: session %s created %v", w.id, w.created)
	}
}

func hasMessage(v sim.SessionView, content string) bool {
	for _, m := range v.Messages {
		if m.Text() == content {
			return true
		}
	}
	return false
}

// messagesIn counts the messages held in the sessions writes name.
func messagesIn(ov *sim.OpenViking, writes []Write) int {
	seen := map[string]bool{}
	n := 0
	for _, w := range writes {
		if !seen[w.SessionID] {
			seen[w.SessionID] = true
			v, _ := ov.Session(w.SessionID)
			n += len(v.Messages)
		}
	}
	return n
}
