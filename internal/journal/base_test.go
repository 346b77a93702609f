package journal

import (
	"encoding/json"
	"net/http"
	"reflect"
	"sync"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// outageCopies stands for the gateway's side of a base: the primary's
// answers to GET /api/v1/sessions/{id}, taken before the outage, and how
// often the journal asked for each session.
type outageCopies struct {
	mu    sync.Mutex
	bases map[string]Base
	calls map[string]int
	probe func() // called inside Base: shows Base runs outside the lock
}

func newOutageCopies() *outageCopies {
	return &outageCopies{bases: map[string]Base{}, calls: map[string]int{}}
}

// take keeps the primary's own answer for session id, decoded as is.
func (oc *outageCopies) take(t *testing.T, primaryURL, id string) {
	t.Helper()
	r := call(t, http.DefaultClient, "GET", primaryURL+"/api/v1/sessions/"+id, nil)
	var res struct {
		Result Base `json:"result"`
	}
	if r.status != 200 || json.Unmarshal(r.raw, &res) != nil {
		t.Fatalf("GET %s on the primary: %d %s", id, r.status, r.raw)
	}
	oc.mu.Lock()
	oc.bases[id] = res.Result
	oc.mu.Unlock()
}

func (oc *outageCopies) lookup(_ *http.Request, id string) (Base, bool) {
	if oc.probe != nil {
		oc.probe()
	}
	oc.mu.Lock()
	defer oc.mu.Unlock()
	oc.calls[id]++
	b, ok := oc.bases[id]
	return b, ok
}

func (oc *outageCopies) asked(id string) int {
	oc.mu.Lock()
	defer oc.mu.Unlock()
	return oc.calls[id]
}

func withBase(oc *outageCopies) func(*Options) {
	return func(o *Options) { o.Base = oc.lookup }
}

// seeded starts a simulator holding session id with n messages.
func seeded(t *testing.T, id string, n int) (string, *sim.OpenViking) {
	t.Helper()
	s, ov := startOV(t)
	call(t, http.DefaultClient, "POST", s.URL()+"/api/v1/sessions", map[string]any{"session_id": id})
	addMessages(t, http.DefaultClient, s.URL(), id, n)
	return s.URL(), ov
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

// viewContents lists the contents of a GET result's messages.
func viewContents(res map[string]any) []string {
	ms, _ := res["messages"].([]any)
	out := make([]string, 0, len(ms))
	for _, m := range ms {
		mm, _ := m.(map[string]any)
		s, _ := mm["content"].(string)
		out = append(out, s)
	}
	return out
}

func journalOf(res map[string]any) map[string]any {
	m, _ := res["journal"].(map[string]any)
	return m
}

// TestBaseContinuesSession: a session with 3 messages on the primary,
// written to through the journal with the primary's last answer as its
// base, counts on from 3, reads whole, survives a reopen, and replays only
// the journal's 2 messages.
func TestBaseContinuesSession(t *testing.T) {
	primary, ov := seeded(t, "s", 3)
	oc := newOutageCopies()
	oc.take(t, primary, "s")
	fb, _ := startOV(t)
	path := journalPath(t)
	j := openAt(t, path, nil, withBase(oc))
	c := client(j)
	for i, want := range []float64{4, 5} {
		res := post(t, c, fb.URL()+"/api/v1/sessions/s/messages", map[string]any{"role": "user", "content": msgText("s", 3+i)})
		if res["message_count"] != want {
			t.Errorf("message %d: %v, want message_count %v", i, res, want)
		}
	}
	view := get(t, c, fb.URL()+"/api/v1/sessions/s")
	want := []string{"s message 0", "s message 1", "s message 2", "s message 3", "s message 4"}
	if got := viewContents(view); !reflect.DeepEqual(got, want) || view["message_count"] != 5.0 || view["total_message_count"] != 5.0 {
		t.Errorf("view %v", view)
	}
	if jr := journalOf(view); jr["complete"] != true || jr["base"] != "outage-copy" {
		t.Errorf("journal %v", jr)
	}
	mustOK(t, j.Close())
	j2 := openAt(t, path, nil, withBase(oc))
	if again := get(t, client(j2), fb.URL()+"/api/v1/sessions/s"); !reflect.DeepEqual(again, view) {
		t.Errorf("after reopen:\n %v\nwant\n %v", again, view)
	}
	if n := oc.asked("s"); n != 1 {
		t.Errorf("Base asked %d times, want 1", n)
	}
	rep, err := j2.Replay(t.Context(), Target{BaseURL: primary})
	if err != nil || rep.Replayed != 2 || rep.Conflicts != 0 {
		t.Fatalf("replay %+v %v", rep, err)
	}
	if got := contents(t, ov, "s"); !reflect.DeepEqual(got, want) {
		t.Errorf("primary holds %v, want %v", got, want)
	}
	onPrimary := call(t, http.DefaultClient, "GET", primary+"/api/v1/sessions/s", nil)
	if w, g := comparable(onPrimary), comparable(httpReply{status: 200, body: map[string]any{"result": view}}); !reflect.DeepEqual(w, g) {
		t.Errorf("primary after replay %v\njournal before %v", w, g)
	}
}

// TestBaseAnswersLikePrimary: with a base, the journal answers a run of
// writes and reads exactly as a twin of the primary does, commits over the
// merged list included; the replay then leaves the primary like the twin.
func TestBaseAnswersLikePrimary(t *testing.T) {
	primary, _ := seeded(t, "s", 3)
	twin, _ := seeded(t, "s", 3)
	oc := newOutageCopies()
	oc.take(t, primary, "s")
	fb, _ := startOV(t)
	j := openAt(t, journalPath(t), nil, withBase(oc))
	jc := client(j)
	steps := []step{
		{"POST", "/api/v1/sessions/s/messages", map[string]any{"role": "assistant", "content": "a longer answer from the agent"}, nil},
		{"POST", "/api/v1/sessions/s/commit", map[string]any{"keep_recent_count": 2}, nil},
		{"GET", "/api/v1/sessions/s", nil, nil},
		{"POST", "/api/v1/sessions/s/commit", map[string]any{"keep_recent_count": 5}, nil},
		{"POST", "/api/v1/sessions/s/messages", map[string]any{"role": "user", "content": "after the commit"}, nil},
		{"GET", "/api/v1/sessions/s", nil, nil},
	}
	for i, s := range steps {
		want := call(t, http.DefaultClient, s.method, twin+s.path, s.body)
		got := call(t, jc, s.method, fb.URL()+s.path, s.body)
		if w, g := comparable(want), comparable(got); !reflect.DeepEqual(w, g) {
			t.Errorf("step %d %s %s:\n twin    %v\n journal %v", i, s.method, s.path, w, g)
		}
		if i == 2 && (got.result()["message_count"] != 2.0 || got.result()["commit_count"] != 1.0) {
			t.Errorf("after commit keep 2: %s", got.raw)
		}
	}
	if _, err := j.Replay(t.Context(), Target{BaseURL: primary}); err != nil {
		t.Fatal(err)
	}
	w := comparable(call(t, http.DefaultClient, "GET", twin+"/api/v1/sessions/s", nil))
	g := comparable(call(t, http.DefaultClient, "GET", primary+"/api/v1/sessions/s", nil))
	if !reflect.DeepEqual(w, g) {
		t.Errorf("after replay:\n twin    %v\n primary %v", w, g)
	}
}

// TestNoBaseKeepsJournalOnlyView: when the owner has no base, the session
// holds only what the journal took, as without the option.
func TestNoBaseKeepsJournalOnlyView(t *testing.T) {
	oc := newOutageCopies()
	fb, _ := startOV(t)
	j := openAt(t, journalPath(t), nil, withBase(oc))
	c := client(j)
	for i, want := range []float64{1, 2} {
		res := post(t, c, fb.URL()+"/api/v1/sessions/s/messages", map[string]any{"role": "user", "content": msgText("s", i)})
		if res["message_count"] != want {
			t.Errorf("message %d: %v", i, res)
		}
	}
	res := post(t, c, fb.URL()+"/api/v1/sessions/s/commit", map[string]any{"keep_recent_count": 5})
	if res["status"] != "accepted" {
		t.Errorf("commit of an incomplete session: %v", res)
	}
	view := get(t, c, fb.URL()+"/api/v1/sessions/s")
	jr := journalOf(view)
	if _, based := jr["base"]; based || jr["complete"] != false || view["total_message_count"] != 2.0 {
		t.Errorf("view %v", view)
	}
	if n := oc.asked("s"); n != 1 {
		t.Errorf("Base asked %d times, want 1", n)
	}
}

// TestBaseAskedOncePerTakenSession: Base is asked once when a session is
// taken, never for a session the journal created or for refused input,
// and outside the journal's lock (the probe takes it).
func TestBaseAskedOncePerTakenSession(t *testing.T) {
	primary, _ := seeded(t, "old", 2)
	oc := newOutageCopies()
	oc.take(t, primary, "old")
	fb, _ := startOV(t)
	var j *Journal
	oc.probe = func() { _ = j.Stats() }
	j = openAt(t, journalPath(t), nil, withBase(oc))
	c := client(j)
	base := fb.URL() + "/api/v1/sessions/"
	post(t, c, fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "new"})
	addMessages(t, c, fb.URL(), "new", 2)
	post(t, c, base+"new/commit", map[string]any{"keep_recent_count": 1})
	addMessages(t, c, fb.URL(), "old", 3)
	post(t, c, base+"old/commit", map[string]any{"keep_recent_count": 1})
	get(t, c, base+"old")
	call(t, c, "DELETE", base+"old", nil)
	call(t, c, "POST", base+"bad/messages", map[string]any{"role": "user"})
	call(t, c, "POST", base+"bad/commit", map[string]any{"keep_recent_count": -1})
	for id, want := range map[string]int{"new": 0, "old": 1, "bad": 0} {
		if n := oc.asked(id); n != want {
			t.Errorf("Base asked %d times for %s, want %d", n, id, want)
		}
	}
	if res := get(t, c, base+"new"); journalOf(res)["base"] != nil || journalOf(res)["complete"] != true {
		t.Errorf("created session %v", res)
	}
}

// TestBaseOnlyForSessionNotHeld: a base arriving for a session another
// write took first is dropped, and on reopen too.
func TestBaseOnlyForSessionNotHeld(t *testing.T) {
	path := journalPath(t)
	j := openAt(t, path, nil)
	first := &Base{Messages: []Message{{"user", "one"}, {"user", "two"}}, TotalMessages: 4, Commits: 1}
	late := &Base{Messages: make([]Message, 10), TotalMessages: 10}
	res, err := j.addMessage(tenant{}, "s", Message{"user", "three"}, first)
	mustOK(t, err)
	first.Messages[0].Content = "changed by the owner"
	res2, err := j.addMessage(tenant{}, "s", Message{"user", "four"}, late)
	mustOK(t, err)
	if res.MessageCount != 3 || res2.MessageCount != 4 {
		t.Errorf("counts %d %d, want 3 4", res.MessageCount, res2.MessageCount)
	}
	want := []Message{{"user", "one"}, {"user", "two"}, {"user", "three"}, {"user", "four"}}
	for _, jj := range []*Journal{j, reopen(t, j, path)} {
		v, err := jj.view(tenant{}, "s")
		mustOK(t, err)
		if !reflect.DeepEqual(v.Messages, want) || v.Total != 6 || v.Commits != 1 || !v.Journal.Complete {
			t.Errorf("view %+v", v)
		}
	}
}

func reopen(t *testing.T, j *Journal, path string) *Journal {
	t.Helper()
	mustOK(t, j.Close())
	return openAt(t, path, nil)
}

// TestBaseCommitAsFirstOp: a commit that takes a session judges "skipped"
// against the base it brings.
func TestBaseCommitAsFirstOp(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	two := []Message{{"user", "one"}, {"assistant", "two"}}
	res, err := j.commit(tenant{}, "a", 5, &Base{Messages: two, TotalMessages: 2})
	if err != nil || res.Status != "skipped" || res.Archived {
		t.Errorf("commit keep 5 of 2: %+v %v", res, err)
	}
	res, err = j.commit(tenant{}, "b", 1, &Base{Messages: two, TotalMessages: 2})
	if err != nil || res.Status != "accepted" {
		t.Errorf("commit keep 1 of 2: %+v %v", res, err)
	}
	v, err := j.view(tenant{}, "b")
	if err != nil || !reflect.DeepEqual(v.Messages, two[1:]) || v.Commits != 1 || v.Total != 2 || v.PendingTokens != 0 {
		t.Errorf("view %+v %v", v, err)
	}
}
