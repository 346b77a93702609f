package journal

import (
	"net/http"
	"testing"
)

// crashAfterBegin journals a session with three identical messages and
// plays a replay that crashed after writing the begin of the second one:
// before the message was sent, or (sent) after the primary took it. The
// resumed replay must leave exactly three messages on the primary.
func crashAfterBegin(t *testing.T, sent bool) {
	primary, ov := startOV(t)
	path := journalPath(t)
	j := openAt(t, path, nil)
	tn := tenant{}
	mustCreate(t, j, tn, "s")
	for range 3 {
		mustOK(t, second(j.addMessage(tn, "s", Message{Role: "user", Content: "same"}, nil)))
	}
	call(t, http.DefaultClient, "POST", primary.URL()+"/api/v1/sessions", map[string]any{"session_id": "s"})
	call(t, http.DefaultClient, "POST", primary.URL()+"/api/v1/sessions/s/messages", map[string]any{"role": "user", "content": "same"})
	o, _ := j.head()
	mustOK(t, j.finish(o, result{outcome: outcomeApplied}))
	o, _ = j.head()
	mustOK(t, j.finish(o, result{outcome: outcomeApplied}))
	o, _ = j.head()
	mustOK(t, j.begin(o, pre{Count: 1}))
	if sent { // the replay sent the kept request, then crashed
		call(t, http.DefaultClient, "POST", primary.URL()+o.rec.Req.Path, string(o.rec.Req.Body))
	}
	mustOK(t, j.Close())

	j2 := openAt(t, path, nil)
	rep, err := j2.Replay(t.Context(), Target{BaseURL: primary.URL()})
	if err != nil {
		t.Fatal(err)
	}
	if got := contents(t, ov, "s"); len(got) != 3 {
		t.Errorf("primary holds %d messages, want exactly 3", len(got))
	}
	wantAlready := 0
	if sent {
		wantAlready = 1
	}
	if rep.Already != wantAlready || rep.Replayed+rep.Already != 2 || rep.Remaining != 0 {
		t.Errorf("report %+v", rep)
	}
}

func TestReplayResumeUnsentMessage(t *testing.T) { crashAfterBegin(t, false) }
func TestReplayResumeSentMessage(t *testing.T)   { crashAfterBegin(t, true) }

// TestReplayResumeCommit: a commit whose begin was written and which
// reached the primary before the crash is not sent again.
func TestReplayResumeCommit(t *testing.T) {
	primary, ov := startOV(t)
	path := journalPath(t)
	j := openAt(t, path, nil)
	mustOK(t, second(j.commitKeep(tenant{}, "s", 0, nil)))
	call(t, http.DefaultClient, "POST", primary.URL()+"/api/v1/sessions", map[string]any{"session_id": "s"})
	addMessages(t, http.DefaultClient, primary.URL(), "s", 2)
	o, _ := j.head()
	mustOK(t, j.begin(o, pre{Count: 2}))
	call(t, http.DefaultClient, "POST", primary.URL()+"/api/v1/sessions/s/commit", map[string]any{"keep_recent_count": 0})
	addMessages(t, http.DefaultClient, primary.URL(), "s", 1)
	mustOK(t, j.Close())
	j2 := openAt(t, path, nil)
	rep, err := j2.Replay(t.Context(), Target{BaseURL: primary.URL()})
	if err != nil || rep.Already != 1 {
		t.Fatalf("report %+v %v", rep, err)
	}
	if v, _ := ov.Session("s"); v.Commits != 1 || len(v.Messages) != 1 {
		t.Errorf("primary: %d commits, %d messages", v.Commits, len(v.Messages))
	}
}
