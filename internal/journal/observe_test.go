package journal

import (
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// throughObserver is a primary simulator reached through the journal's observer,
// as the gateway reaches it while it is up.
func throughObserver(t *testing.T, j *Journal) (string, *sim.OpenViking, *http.Client) {
	t.Helper()
	s, ov := startOV(t)
	return s.URL(), ov, &http.Client{Transport: j.Observe(http.DefaultTransport, nil), Timeout: 10 * time.Second}
}

func post(t *testing.T, c *http.Client, url string, body any) map[string]any {
	t.Helper()
	r := call(t, c, "POST", url, body)
	if r.status != 200 {
		t.Fatalf("POST %s: %d %s", url, r.status, r.raw)
	}
	return r.result()
}

func get(t *testing.T, c *http.Client, url string) map[string]any {
	t.Helper()
	r := call(t, c, "GET", url, nil)
	if r.status != 200 {
		t.Fatalf("GET %s: %d %s", url, r.status, r.raw)
	}
	return r.result()
}

// contextTexts lists the texts of a context answer's messages.
func contextTexts(res map[string]any) []string {
	ms, _ := res["messages"].([]any)
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		mm, _ := m.(map[string]any)
		parts, _ := mm["parts"].([]any)
		p, _ := parts[0].(map[string]any)
		s, _ := p["text"].(string)
		out = append(out, s)
	}
	return out
}

func journalOf(res map[string]any) map[string]any {
	m, _ := res["journal"].(map[string]any)
	return m
}

// TestSeenSessionCarriesOn: a session with 3 messages written through the
// gateway while the primary was up, then written to through the journal,
// counts on from 3 (message_count and pending_tokens), lists all its
// messages, survives a reopen, and replays only the journal's 2.
func TestSeenSessionCarriesOn(t *testing.T) {
	path := journalPath(t)
	j := openAt(t, path, nil)
	primary, ov, up := throughObserver(t, j)
	for range 3 {
		post(t, up, primary+"/api/v1/sessions/s/messages", map[string]any{"role": "user", "content": "abcdabcd"})
	}
	get(t, up, primary+"/api/v1/sessions/s/context")
	fb, _ := startOV(t)
	down := client(j)
	for i, want := range []float64{4, 5} {
		res := post(t, down, fb.URL()+"/api/v1/sessions/s/messages", map[string]any{"role": "user", "content": msgText("s", 3+i)})
		if res["message_count"] != want || res["pending_tokens"] != 6+float64(i+1)*3 || journalOf(res)["complete"] != true {
			t.Fatalf("message %d: %v", i, res)
		}
	}
	want := []string{"abcdabcd", "abcdabcd", "abcdabcd", "s message 3", "s message 4"}
	if got := contextTexts(get(t, down, fb.URL()+"/api/v1/sessions/s/context")); !reflect.DeepEqual(got, want) {
		t.Fatalf("context lists %q, want %q", got, want)
	}
	mustOK(t, j.Close())
	j2 := openAt(t, path, nil)
	if v, err := j2.viewAs(tenant{}, "s"); err != nil || v.MessageCount != 5 || !reflect.DeepEqual(texts(v.Messages), want) {
		t.Fatalf("after reopen: %+v %v", v, err)
	}
	rep, err := j2.Replay(t.Context(), Target{BaseURL: primary})
	if err != nil || rep.Replayed != 2 {
		t.Fatalf("replay: %+v %v", rep, err)
	}
	if got := contents(t, ov, "s"); !reflect.DeepEqual(got, want) {
		t.Fatalf("primary holds %q, want %q", got, want)
	}
}

// TestSeenSessionReadsDuringTheOutage: a session the journal never took
// is read from what the primary last said of it, and is unknown (503)
// when nothing was seen.
func TestSeenSessionReadsDuringTheOutage(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	primary, _, up := throughObserver(t, j)
	post(t, up, primary+"/api/v1/sessions/r/messages", map[string]any{"role": "user", "content": "seen before"})
	fb, _ := startOV(t)
	down := client(j)
	if got := get(t, down, fb.URL()+"/api/v1/sessions/r"); got["message_count"] != 1.0 || journalOf(got)["base"] != baseSeen {
		t.Fatalf("read of a seen session: %v", got)
	}
	if got := contextTexts(get(t, down, fb.URL()+"/api/v1/sessions/r/context")); !reflect.DeepEqual(got, []string{"seen before"}) {
		t.Fatalf("context of a seen session: %q", got)
	}
	if r := call(t, down, "GET", fb.URL()+"/api/v1/sessions/never", nil); r.status != 503 || r.code() != "UNAVAILABLE" {
		t.Fatalf("read of an unknown session: %d %s", r.status, r.raw)
	}
	if got := get(t, down, fb.URL()+"/api/v1/sessions/never?auto_create=true"); got["message_count"] != 0.0 {
		t.Fatalf("auto_create: %v", got)
	}
}

// TestUnseenSessionSaysSo: nothing seen of a session, the journal counts
// only its own messages and says its answer is not complete.
func TestUnseenSessionSaysSo(t *testing.T) {
	fb, j, c := fallbackSide(t)
	res := post(t, c, fb.URL()+"/api/v1/sessions/x/messages", map[string]any{"role": "user", "content": "hi"})
	if res["message_count"] != 1.0 || journalOf(res)["complete"] != false {
		t.Fatalf("answer %v", res)
	}
	if v, _ := j.viewAs(tenant{}, "x"); v.Journal.Complete || v.Journal.Base != "" {
		t.Fatalf("view %+v", v)
	}
}

// TestSeenSurvivesRestartAndIsBounded: what the observer learnt is saved
// on Close and read back; the least recently used session goes first.
func TestSeenSurvivesRestartAndIsBounded(t *testing.T) {
	path := journalPath(t)
	j := openAt(t, path, nil, func(o *Options) { o.SeenSessions = 2 })
	primary, _, up := throughObserver(t, j)
	for _, id := range []string{"a", "b", "c"} {
		post(t, up, primary+"/api/v1/sessions/"+id+"/messages", map[string]any{"role": "user", "content": "x"})
	}
	mustOK(t, j.Close())
	j2 := openAt(t, path, nil, func(o *Options) { o.SeenSessions = 2 })
	q := tenant{}.req(http.MethodGet, "", nil)
	for id, want := range map[string]bool{"a": false, "b": true, "c": true} {
		if b, ok := j2.seen.get(q.tenant(), id); ok != want || ok && b.MessageCount != 1 {
			t.Errorf("session %s remembered %v (%+v), want %v", id, ok, b, want)
		}
	}
}

// TestObserverForgetsDeletedAndLearnsCommits: a delete forgets the
// session; a commit keeps keep_recent_count messages and counts a commit.
func TestObserverForgetsDeletedAndLearnsCommits(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	primary, _, up := throughObserver(t, j)
	q := tenant{}.req(http.MethodGet, "", nil)
	for range 3 {
		post(t, up, primary+"/api/v1/sessions/k/messages", map[string]any{"role": "user", "content": "abcd"})
	}
	post(t, up, primary+"/api/v1/sessions/k/commit", map[string]any{"keep_recent_count": 1})
	if b, ok := j.seen.get(q.tenant(), "k"); !ok || b.MessageCount != 1 || b.Commits != 1 || b.Keep != 1 || len(b.Messages) != 1 {
		t.Fatalf("after commit: %+v %v", b, ok)
	}
	if r := call(t, up, "DELETE", primary+"/api/v1/sessions/k", nil); r.status != 200 {
		t.Fatalf("delete: %d", r.status)
	}
	if _, ok := j.seen.get(q.tenant(), "k"); ok {
		t.Fatal("a deleted session is still remembered")
	}
}

// TestCommitAsFirstOpUsesTheSeenCount: a commit is "skipped" only when
// the journal knows nothing lies beyond keep.
func TestCommitAsFirstOpUsesTheSeenCount(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	res, err := j.commitKeep(tenant{}, "a", 5, &Base{MessageCount: 2})
	if err != nil || res.Status != "skipped" || res.Archived {
		t.Fatalf("commit within keep: %+v %v", res, err)
	}
	res, err = j.commitKeep(tenant{}, "b", 1, &Base{MessageCount: 2, PendingTokens: 7})
	if err != nil || res.Status != "accepted" {
		t.Fatalf("commit beyond keep: %+v %v", res, err)
	}
	if v, _ := j.viewAs(tenant{}, "b"); v.MessageCount != 1 || v.Commits != 1 || v.PendingTokens != 0 {
		t.Fatalf("after commit: %+v", v)
	}
	if res, _ := j.commitKeep(tenant{}, "unknown", 2, nil); res.Status != "accepted" {
		t.Fatalf("commit of an unseen session: %+v", res)
	}
}

// TestSeenMessagesAreBounded: a session whose messages exceed the bound is
// remembered by its counts alone.
func TestSeenMessagesAreBounded(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	primary, _, up := throughObserver(t, j)
	big := make([]byte, seenMessageBytes)
	for i := range big {
		big[i] = 'x'
	}
	post(t, up, primary+"/api/v1/sessions/big/messages", map[string]any{"role": "user", "content": string(big)})
	q := tenant{}.req(http.MethodGet, "", nil)
	if b, ok := j.seen.get(q.tenant(), "big"); !ok || b.MessageCount != 1 || b.Messages != nil {
		t.Fatalf("remembered %+v %v, want the count without the message", b, ok)
	}
}
