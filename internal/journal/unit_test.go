package journal

import (
	"bytes"
	"errors"
	"hash/crc32"
	"testing"
)

func TestRouteOf(t *testing.T) {
	cases := []struct {
		method, path string
		want         route
		id           string
	}{
		{"POST", "/api/v1/sessions", routeCreate, ""},
		{"GET", "/api/v1/sessions", routeNone, ""},
		{"GET", "/api/v1/sessions/a.b-c_d", routeGet, "a.b-c_d"},
		{"DELETE", "/api/v1/sessions/a", routeDelete, "a"},
		{"POST", "/api/v1/sessions/a", routeNone, ""},
		{"POST", "/api/v1/sessions/a/messages", routeMessage, "a"},
		{"GET", "/api/v1/sessions/a/messages", routeNone, ""},
		{"POST", "/api/v1/sessions/a/commit", routeCommit, "a"},
		{"POST", "/api/v1/sessions/a/commit/x", routeNone, ""},
		{"GET", "/api/v1/sessions/a/", routeNone, ""},
		{"POST", "/api/v1/sessions//messages", routeNone, ""},
		{"POST", "/api/v1/resources", routeResource, ""},
		{"GET", "/api/v1/resources", routeNone, ""},
		{"GET", "/api/v1/tasks/t", routeNone, ""},
	}
	for _, c := range cases {
		if got, id := routeOf(c.method, c.path); got != c.want || id != c.id {
			t.Errorf("%s %s: %v %q, want %v %q", c.method, c.path, got, id, c.want, c.id)
		}
	}
}

// TestReplyJudge: which answers stop a replay, which lose the op, and
// which the caller judges itself.
func TestReplyJudge(t *testing.T) {
	for status, want := range map[int]string{
		200: "ok", 201: "ok", 404: "ok",
		400: "rejected", 409: "rejected", 410: "rejected", 412: "rejected", 422: "rejected",
		401: "stop", 403: "stop", 429: "stop", 500: "stop", 502: "stop", 503: "stop", 504: "stop", 302: "stop",
	} {
		err := reply{status: status, code: "C", msg: "m"}.judge("POST", "/p")
		var rj *rejection
		got := "ok"
		switch {
		case errors.As(err, &rj):
			got = "rejected"
		case errors.Is(err, ErrPrimary):
			got = "stop"
		case err != nil:
			got = err.Error()
		}
		if got != want {
			t.Errorf("%d: %s, want %s", status, got, want)
		}
	}
}

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	w := newWAL(nopFile{&buf})
	recs := []*record{
		{Kind: kindMessage, Seq: 7, Session: "s", Role: "user", Content: `<b>&"é\`, Tenant: tenant{APIKey: "k", Auth: "Bearer k"}},
		{Kind: kindResource, Seq: 8, Body: []byte(`{"path":"/x"}`)},
		{Kind: kindBegin, Op: 7, Pre: &pre{Count: 2, Last: &Message{Role: "a", Content: "b"}}},
		{Kind: kindDone, Op: 7, Outcome: outcomeConflict, Note: "n"},
		{Kind: kindHeader, Next: 9},
	}
	for _, r := range recs {
		mustOK(t, second(w.write(r)))
	}
	var got []*record
	valid, err := scan(buf.Bytes(), crc32.MakeTable(crc32.Castagnoli), func(r *record) error {
		got = append(got, r)
		return nil
	})
	if err != nil || valid != buf.Len() || len(got) != len(recs) {
		t.Fatalf("scan: %d of %d bytes, %d records, %v", valid, buf.Len(), len(got), err)
	}
	if got[0].Content != recs[0].Content || got[0].Tenant != recs[0].Tenant || got[2].Pre.Last.Content != "b" ||
		string(got[1].Body) != `{"path":"/x"}` || got[4].Next != 9 {
		t.Errorf("decoded %+v", got)
	}
}

// nopFile is an in-memory file for framing tests.
type nopFile struct{ *bytes.Buffer }

func (nopFile) Sync() error                   { return nil }
func (f nopFile) Truncate(n int64) error      { f.Buffer.Truncate(int(n)); return nil }
func (nopFile) Close() error                  { return nil }
func (f nopFile) Write(p []byte) (int, error) { return f.Buffer.Write(p) }

func TestUnknownKindIsCorrupt(t *testing.T) {
	st := newState()
	if err := st.apply(&record{Kind: "teleport"}, 0); !errors.Is(err, ErrCorrupt) {
		t.Errorf("unknown kind: %v", err)
	}
}

// TestStateSemantics: the held session follows OpenViking's rules.
func TestStateSemantics(t *testing.T) {
	j := openAt(t, journalPath(t), nil)
	tn, bob := tenant{}, tenant{User: "bob"}
	mustCreate(t, j, tn, "s")
	for _, c := range []string{"aaaa", "bbbbbbbb", "cccccccccccc"} {
		mustOK(t, second(j.addMessage(tn, "s", Message{Role: "user", Content: c}, nil)))
	}
	res, err := j.commit(tn, "s", 2, nil)
	if err != nil || res.Status != "accepted" || len(res.TaskID) != len("lifeboat-")+36 {
		t.Fatalf("commit %+v %v", res, err)
	}
	v, _ := j.view(tn, "s")
	if v.MessageCount != 2 || v.PendingTokens != 5 || v.Total != 3 || v.Commits != 1 || v.Messages[0].Content != "bbbbbbbb" {
		t.Errorf("after commit %+v", v)
	}
	if res, _ := j.commit(tn, "s", 2, nil); res.Status != "skipped" || res.Archived || res.TaskID != "" {
		t.Errorf("nothing beyond keep: %+v", res)
	}
	if res, _ := j.commit(tn, "unknown", 2, nil); res.Status != "accepted" {
		t.Errorf("commit of a session the journal cannot see: %+v", res)
	}
	if _, err := j.view(bob, "s"); !errors.Is(err, ErrNotFound) {
		t.Errorf("bob sees s: %v", err)
	}
	if _, _, err := j.create(bob, "s"); !errors.Is(err, ErrForbidden) {
		t.Errorf("bob creates s: %v", err)
	}
	mustOK(t, second(j.remove(tn, "s", nil)))
	if _, err := j.addMessage(tn, "s", Message{Role: "user", Content: "x"}, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("message to a deleted session: %v", err)
	}
	if _, appended, err := j.create(bob, "s"); err != nil || !appended {
		t.Errorf("bob re-creates the deleted s: %v %v", appended, err)
	}
	if v, _ := j.view(bob, "s"); v.User != "bob" || v.MessageCount != 0 || v.Total != 0 || !v.Journal.Complete {
		t.Errorf("re-created %+v", v)
	}
	if _, err := j.view(tn, "never"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("unheld view: %v", err)
	}
}

func TestValidIDAndUUID(t *testing.T) {
	for id, want := range map[string]bool{"a": true, "A-z_0.9": true, "": false, "a b": false, "é": false, "a/b": false} {
		if validID(id) != want {
			t.Errorf("validID(%q) = %v", id, !want)
		}
	}
	a, b := newUUID(), newUUID()
	if a == b || len(a) != 36 || a[14] != '4' || !validID(a) || (a[19] != '8' && a[19] != '9' && a[19] != 'a' && a[19] != 'b') {
		t.Errorf("uuids %s %s", a, b)
	}
}
