package journal

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
)

// roundTripFunc is a transport made of a function.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// step is one request sent both to the simulator and through the journal.
type step struct {
	method, path string
	body         any
	headers      []string
}

// comparable strips what legitimately differs between the two answers:
// the timing, generated task ids and the journal's own annotation.
func comparable(r httpReply) map[string]any {
	out := map[string]any{"http": r.status, "code": r.code()}
	res := r.result()
	if res == nil {
		return out
	}
	for k, v := range res {
		switch k {
		case "journal":
		case "task_id":
			out[k] = v != nil
		case "created_at", "updated_at", "last_message_at", "last_commit_at", "trace_id", "archive_uri":
			out[k] = "present" // times and generated names differ; their keys must not
		default:
			out[k] = v
		}
	}
	return out
}

// TestAnswersMatchSimulator runs the same requests against OpenViking's
// simulator and through the journal and wants the same answers.
func TestAnswersMatchSimulator(t *testing.T) {
	ovSrv, _ := startOV(t)
	fb, _, jc := fallbackSide(t) // other requests go to the fallback side
	steps := []step{
		{"POST", "/api/v1/sessions", map[string]any{"session_id": "s1"}, nil},
		{"POST", "/api/v1/sessions", map[string]any{"session_id": "s1"}, nil},
		{"POST", "/api/v1/sessions/s1/messages", map[string]any{"role": "user", "content": "hello there, primary"}, nil},
		{"POST", "/api/v1/sessions/s1/messages", map[string]any{"role": "assistant", "content": ""}, nil},
		{"POST", "/api/v1/sessions/s1/messages", map[string]any{"role": "user", "content": "third one"}, nil},
		{"GET", "/api/v1/sessions/s1", nil, nil},
		{"POST", "/api/v1/sessions/s1/commit", map[string]any{"keep_recent_count": 1}, nil},
		{"GET", "/api/v1/sessions/s1", nil, nil},
		{"POST", "/api/v1/sessions/s1/commit", map[string]any{"keep_recent_count": 5}, nil},
		{"POST", "/api/v1/sessions/s1/commit", "", nil},
		{"GET", "/api/v1/sessions/s1", nil, nil},
		{"POST", "/api/v1/sessions", map[string]any{"session_id": "s2"}, []string{"X-OpenViking-User", "bob"}},
		{"POST", "/api/v1/sessions/s2/messages", map[string]any{"role": "user", "content": "bob's"}, []string{"X-OpenViking-User", "bob"}},
		{"GET", "/api/v1/sessions/s2", nil, []string{"X-OpenViking-User", "bob"}},
		{"POST", "/api/v1/sessions/s2/messages", map[string]any{"role": "user", "content": "not yours"}, nil},
		{"POST", "/api/v1/sessions", map[string]any{"session_id": "s2"}, nil},
		{"DELETE", "/api/v1/sessions/s2", nil, nil},
		{"DELETE", "/api/v1/sessions/s2", nil, []string{"X-OpenViking-User", "bob"}},
		{"DELETE", "/api/v1/sessions/s2", nil, []string{"X-OpenViking-User", "bob"}},
		{"GET", "/api/v1/sessions/s2", nil, []string{"X-OpenViking-User", "bob"}},
		{"POST", "/api/v1/sessions/s2/messages", map[string]any{"role": "user", "content": "gone"}, []string{"X-OpenViking-User", "bob"}},
		{"POST", "/api/v1/resources", map[string]any{"path": "https://example.com/docs/guide.md", "reason": "docs"}, nil},
	}
	steps = append(steps, badSteps()...)
	for i, s := range steps {
		want := call(t, http.DefaultClient, s.method, ovSrv.URL()+s.path, s.body, s.headers...)
		got := call(t, jc, s.method, fb.URL()+s.path, s.body, s.headers...)
		if w, g := comparable(want), comparable(got); !reflect.DeepEqual(w, g) {
			t.Errorf("step %d %s %s:\n primary %v\n journal %v", i, s.method, s.path, w, g)
		}
	}
}

// badSteps are requests OpenViking refuses with 400.
func badSteps() []step {
	return []step{
		{"POST", "/api/v1/sessions", map[string]any{"session_id": "bad id!"}, nil},
		{"POST", "/api/v1/sessions", map[string]any{"session_id": strings.Repeat("x", 129)}, nil},
		{"POST", "/api/v1/sessions", `{"session_id": 7}`, nil},
		{"POST", "/api/v1/sessions", `{} {}`, nil},
		{"POST", "/api/v1/sessions", map[string]any{"session_id": "s3"}, []string{"X-OpenViking-User", "no/slash"}},
		{"POST", "/api/v1/sessions/s1/messages", map[string]any{"role": "user"}, nil},
		{"POST", "/api/v1/sessions/s1/messages", map[string]any{"content": "x"}, nil},
		{"POST", "/api/v1/sessions/s1/messages", "", nil},
		{"POST", "/api/v1/sessions/s1/messages", "not json", nil},
		{"POST", "/api/v1/sessions/s1/commit", map[string]any{"keep_recent_count": -1}, nil},
		{"POST", "/api/v1/resources", map[string]any{"reason": "no path"}, nil},
		{"POST", "/api/v1/resources", map[string]any{"path": "https://example.com/a.md", "to": "http://x"}, nil},
		{"POST", "/api/v1/resources", "", nil},
	}
}

// TestBadInputAppendsNothing: every refused request leaves the journal
// and its file exactly as they were.
func TestBadInputAppendsNothing(t *testing.T) {
	fb, _ := startOV(t)
	path := journalPath(t)
	j := openAt(t, path, nil)
	c := client(j)
	call(t, c, "POST", fb.URL()+"/api/v1/sessions", map[string]any{"session_id": "s1"})
	before, size := j.Stats(), fileSize(t, path)
	bad := append(badSteps(), step{"POST", "/api/v1/sessions/s1/messages", strings.Repeat("x", maxBody+1), nil})
	for _, s := range bad {
		r := call(t, c, s.method, fb.URL()+s.path, s.body, s.headers...)
		if code := r.code(); r.status != 400 || code != "INVALID_ARGUMENT" && code != "INVALID_URI" || r.body["status"] != "error" {
			t.Errorf("%s %s %v: %d %s", s.method, s.path, s.body, r.status, r.raw)
		}
	}
	if after := j.Stats(); after != before {
		t.Errorf("stats changed: %+v -> %+v", before, after)
	}
	if got := fileSize(t, path); got != size {
		t.Errorf("file grew from %d to %d bytes", size, got)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}

func TestBodyTooLarge(t *testing.T) {
	fb, _, c := fallbackSide(t)
	big := `{"role":"user","content":"` + strings.Repeat("x", maxBody) + `"}`
	r := call(t, c, "POST", fb.URL()+"/api/v1/sessions/s1/messages", big)
	if r.status != 400 || !strings.Contains(string(r.raw), "body too large") {
		t.Fatalf("got %d %s", r.status, r.raw)
	}
}

// TestEnvelopeAndHeaders checks the envelope, the journal header and a
// correct Content-Length on appended, held and error answers.
func TestEnvelopeAndHeaders(t *testing.T) {
	fb, _, c := fallbackSide(t)
	cases := []struct {
		method, path string
		body         any
		status       int
		mark         string
	}{
		{"POST", "/api/v1/sessions", map[string]any{"session_id": "s1"}, 200, markAppended},
		{"POST", "/api/v1/sessions", map[string]any{"session_id": "s1"}, 200, markHeld},
		{"POST", "/api/v1/sessions/s1/messages", map[string]any{"role": "user", "content": "hi"}, 200, markAppended},
		{"GET", "/api/v1/sessions/s1", nil, 200, markHeld},
		{"GET", "/api/v1/sessions/elsewhere", nil, 503, markHeld},
		{"POST", "/api/v1/sessions/s1/messages", "{", 400, markHeld},
	}
	for _, tc := range cases {
		r := call(t, c, tc.method, fb.URL()+tc.path, tc.body)
		if r.status != tc.status || r.header.Get(headerJournal) != tc.mark {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, r.status, r.header.Get(headerJournal), tc.status, tc.mark)
		}
		if r.header.Get("Content-Type") != "application/json" || r.length != int64(len(r.raw)) {
			t.Errorf("%s %s: type %q length %d for %d bytes", tc.method, tc.path, r.header.Get("Content-Type"), r.length, len(r.raw))
		}
		if _, ok := r.body["time"].(float64); !ok {
			t.Errorf("%s %s: no time in %s", tc.method, tc.path, r.raw)
		}
	}
	r := call(t, c, "GET", fb.URL()+"/api/v1/sessions/elsewhere", nil)
	if r.code() != "UNAVAILABLE" || !strings.Contains(string(r.raw), "session elsewhere is on the primary, which is unavailable") {
		t.Errorf("unheld read: %s", r.raw)
	}
}

// TestHeldSessionView: a session held, not created here, reports what the
// journal took and that it is incomplete.
func TestHeldSessionView(t *testing.T) {
	fb, _, c := fallbackSide(t)
	addMessages(t, c, fb.URL(), "old", 2)
	res := call(t, c, "GET", fb.URL()+"/api/v1/sessions/old", nil).result()
	if res["message_count"] != 2.0 || res["total_message_count"] != 2.0 || res["uri"] != "viking://user/default/sessions/old" {
		t.Errorf("view %v", res)
	}
	if jr, _ := res["journal"].(map[string]any); jr["complete"] != false {
		t.Errorf("journal %v, want complete false", res["journal"])
	}
	created := call(t, c, "POST", fb.URL()+"/api/v1/sessions", nil).result()
	id, _ := created["session_id"].(string)
	if user, _ := created["user"].(map[string]any); len(id) != 36 || id[14] != '4' || user["user_id"] != "default" {
		t.Errorf("generated session %v", created)
	}
	res = call(t, c, "GET", fb.URL()+"/api/v1/sessions/"+id, nil).result()
	if jr, _ := res["journal"].(map[string]any); jr["complete"] != true {
		t.Errorf("journal %v, want complete true", res["journal"])
	}
}

// TestOtherRoutesPassThrough: requests the journal does not own reach next
// untouched.
func TestOtherRoutesPassThrough(t *testing.T) {
	fb, ov := startOV(t)
	j := openAt(t, journalPath(t), nil)
	c := client(j)
	before := ov.Requests()
	for _, p := range []string{"/health", "/api/v1/sessions/s1/other", "/api/v1/system/status"} {
		r := call(t, c, "GET", fb.URL()+p, nil)
		if r.header.Get(headerJournal) != "" {
			t.Errorf("%s answered by the journal", p)
		}
	}
	r := call(t, c, "POST", fb.URL()+"/api/v1/search/find", map[string]any{"query": "x"})
	if r.status != 200 || r.header.Get(headerJournal) != "" {
		t.Errorf("search: %d %s", r.status, r.raw)
	}
	if got := ov.Requests() - before; got != 4 {
		t.Errorf("next saw %d requests, want 4", got)
	}
	if j.Stats().Appended != 0 {
		t.Errorf("pass-through appended: %+v", j.Stats())
	}
}

// TestResourceJournaledAndForwarded: a resource is journaled and also given
// to next, annotated for the translation (journaled, and the text of an
// upload the journal kept); next's answer is used when it succeeds, the
// journal's otherwise.
func TestResourceJournaledAndForwarded(t *testing.T) {
	var got []map[string]any
	next := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		got = append(got, body)
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: io.NopCloser(strings.NewReader(`{"status":"ok","result":{"status":"success","root_uri":"viking://resources/runbook","from":"next"}}`)), Request: r}, nil
	})
	j := openAt(t, journalPath(t), nil)
	c := &http.Client{Transport: j.Transport(next)}
	r := call(t, c, "POST", "http://fallback/api/v1/resources", map[string]any{"path": "https://example.com/docs/runbook.md", "reason": "ops"})
	if r.status != 200 || r.header.Get(headerJournal) != markAppended || r.result()["from"] != "next" {
		t.Errorf("forwarded: %d %v %s", r.status, r.header, r.raw)
	}
	if len(got) != 1 || got[0][fieldJournaled] != true || got[0][fieldUploadText] != nil || got[0]["reason"] != "ops" {
		t.Errorf("next got %v", got)
	}
	ctype, upload := multipartBody(t, "notes.md", "the notes")
	id, _ := call(t, c, "POST", "http://fallback"+uploadPath, string(upload), "Content-Type", ctype).result()["temp_file_id"].(string)
	call(t, c, "POST", "http://fallback/api/v1/resources", map[string]any{"temp_file_id": id})
	if len(got) != 2 || got[1][fieldUploadText] != "the notes" {
		t.Errorf("next got %v", got[len(got)-1])
	}
	down := &http.Client{Transport: j.Transport(roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errors.New("down") }))}
	r = call(t, down, "POST", "http://fallback/api/v1/resources", map[string]any{"path": "https://example.com/a/b.txt", "to": "viking://resources/x"})
	jr, _ := r.result()["journal"].(map[string]any)
	if r.status != 200 || r.result()["root_uri"] != "viking://resources/x" || jr["queued"] != true {
		t.Errorf("journal answer: %d %s", r.status, r.raw)
	}
	if j.Pending() != 4 {
		t.Errorf("pending %d, want 4", j.Pending())
	}
}
