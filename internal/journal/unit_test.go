package journal

import (
	"bytes"
	"errors"
	"hash/crc32"
	"reflect"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/message"
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
		{Kind: kindMessage, Seq: 7, Session: "s", Req: tenant{APIKey: "k", Auth: "Bearer k"}.req("POST", "/p", Message{"user", `<b>&"é\`}.body())},
		{Kind: kindResource, Seq: 8, Req: tenant{}.req("POST", resourcesPath, []byte(`{"path":"/x"}`))},
		{Kind: kindBegin, Op: 7, Pre: &pre{Count: 2}},
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
	if !reflect.DeepEqual(got[0].Req, recs[0].Req) || got[2].Pre.Count != 2 ||
		string(got[1].Req.Body) != `{"path":"/x"}` || got[4].Next != 9 {
		t.Errorf("decoded %+v", got)
	}
}

// nopFile is an in-memory file for framing tests.
type nopFile struct{ *bytes.Buffer }

func (nopFile) Sync() error                   { return nil }
func (f nopFile) Truncate(n int64) error      { f.Buffer.Truncate(int(n)); return nil }
func (nopFile) Close() error                  { return nil }
func (f nopFile) Write(p []byte) (int, error) { return f.Buffer.Write(p) }

// TestLegacyRecordsUpgrade: a log of the previous format, which kept a
// digest of each op, still rebuilds and replays as requests.
func TestLegacyRecordsUpgrade(t *testing.T) {
	st := newState()
	legacy := []*record{
		{Kind: kindCreate, Seq: 1, Session: "s", Tenant: legacyTenant{User: "bob", APIKey: "k"}},
		{Kind: kindMessage, Seq: 2, Session: "s", Tenant: legacyTenant{User: "bob", APIKey: "k"}, Role: "user", Content: "hi"},
		{Kind: kindCommit, Seq: 3, Session: "s", Tenant: legacyTenant{User: "bob"}, Keep: 1},
		{Kind: kindResource, Seq: 4, Body: []byte(`{"path":"/x"}`)},
	}
	for _, r := range legacy {
		mustOK(t, st.apply(r, 0))
	}
	q := st.ops[1].rec.Req
	if q.Method != "POST" || q.Path != "/api/v1/sessions/s/messages" || q.Header[headerUser] != "bob" ||
		q.Header[headerAPIKey] != "k" || string(q.Body) != `{"content":"hi","role":"user"}` {
		t.Fatalf("upgraded message %+v %s", q, q.Body)
	}
	if s := st.sessions[sessionKey{"default", "bob", "s"}]; s.count != 1 || s.keep != 1 || s.tenant != "default/bob" {
		t.Fatalf("upgraded session %+v", s)
	}
	if string(st.ops[3].rec.Req.Body) != `{"path":"/x"}` {
		t.Fatalf("upgraded resource %+v", st.ops[3].rec.Req)
	}
}

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
	res, err := j.commitKeep(tn, "s", 2, nil)
	if err != nil || res.Status != "accepted" || res.TaskID == nil || len(*res.TaskID) != len("lifeboat-")+36 {
		t.Fatalf("commit %+v %v", res, err)
	}
	v, _ := j.viewAs(tn, "s")
	// Two messages kept by a commit keeping two: none lies outside the
	// keep window, so nothing is pending (Session._rebuild_pending_tokens).
	if v.MessageCount != 2 || v.PendingTokens != 0 || v.Total != 3 || v.Commits != 1 || v.Messages[0].Text() != "bbbbbbbb" {
		t.Errorf("after commit %+v", v)
	}
	if res, _ := j.commitKeep(tn, "s", 2, nil); res.Status != "skipped" || res.Archived || res.TaskID != nil {
		t.Errorf("nothing beyond keep: %+v", res)
	}
	if res, _ := j.commitKeep(tn, "unknown", 2, nil); res.Status != "accepted" {
		t.Errorf("commit of a session the journal cannot see: %+v", res)
	}
	// Each user has a session space of its own, as on the primary: bob's
	// s is another session, which the journal does not hold.
	if _, err := j.viewAs(bob, "s"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("bob sees s: %v", err)
	}
	if _, appended, err := j.createAs(bob, "s"); err != nil || !appended {
		t.Errorf("bob creates his own s: %v %v", appended, err)
	}
	if v, _ := j.viewAs(bob, "s"); v.User != "bob" || v.MessageCount != 0 || v.Total != 0 || !v.Journal.Complete {
		t.Errorf("bob's s %+v", v)
	}
	mustOK(t, second(j.remove(tn, "s", nil)))
	if _, err := j.viewAs(tn, "s"); !errors.Is(err, ErrNotFound) {
		t.Errorf("a deleted session reads: %v", err)
	}
	if _, err := j.commitKeep(tn, "s", 0, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("commit of a deleted session: %v", err)
	}
	// A message to a deleted session creates it again, as the primary does.
	if res, err := j.addMessage(tn, "s", Message{Role: "user", Content: "x"}, nil); err != nil || res.MessageCount != 1 {
		t.Errorf("message to a deleted session: %+v %v", res, err)
	}
	if _, err := j.viewAs(tn, "never"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("unheld view: %v", err)
	}
}

func TestUUIDIsAValidID(t *testing.T) {
	a, b := newUUID(), newUUID()
	if a == b || len(a) != 36 || a[14] != '4' || !message.ValidID(a) || (a[19] != '8' && a[19] != '9' && a[19] != 'a' && a[19] != 'b') {
		t.Errorf("uuids %s %s", a, b)
	}
}
