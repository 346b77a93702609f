package sim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const testKey = "secret-key"

func TestOpenVikingHealthAndReady(t *testing.T) {
	open := startServer(t, NewOpenViking(OpenVikingOptions{Version: "9.9.9"}))
	rep := call(t, "GET", open.URL()+"/health", nil)
	wantStatus(t, rep, http.StatusOK)
	want := map[string]any{"status": "ok", "healthy": true, "version": "9.9.9", "auth_mode": "none"}
	for k, v := range want {
		if rep.body[k] != v {
			t.Errorf("health %s = %v, want %v", k, rep.body[k], v)
		}
	}
	locked := startServer(t, NewOpenViking(OpenVikingOptions{APIKey: testKey}))
	if rep := call(t, "GET", locked.URL()+"/health", nil); rep.body["auth_mode"] != "api_key" || rep.body["version"] != "0.2.1" {
		t.Errorf("health with a key: %s", rep.raw)
	}
	rep = call(t, "GET", locked.URL()+"/ready", nil)
	if wantStatus(t, rep, http.StatusOK); rep.body["status"] != "ready" || at(rep.body, "checks", "vectordb") != "ok" {
		t.Errorf("ready: %s", rep.raw)
	}
}

func TestOpenVikingAuth(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{APIKey: testKey}))
	url := s.URL() + "/api/v1/system/status"
	wantOVError(t, call(t, "GET", url, nil), http.StatusUnauthorized, "UNAUTHENTICATED")
	wantOVError(t, call(t, "GET", url, nil, HeaderAPIKey, "wrong"), http.StatusUnauthorized, "UNAUTHENTICATED")
	wantOVError(t, call(t, "GET", s.URL()+"/metrics", nil), http.StatusUnauthorized, "UNAUTHENTICATED")
	res := ovResult(t, call(t, "GET", url, nil, HeaderAPIKey, testKey))
	if res["user"] != "default" || res["initialized"] != true {
		t.Errorf("status result %v", res)
	}
	res = ovResult(t, call(t, "GET", url, nil, "Authorization", "Bearer "+testKey, HeaderUser, "alice"))
	if res["user"] != "alice" {
		t.Errorf("tenant header ignored: %v", res)
	}
	wantOVError(t, call(t, "GET", url, nil, HeaderAPIKey, testKey, HeaderUser, "a/b"), http.StatusBadRequest, "INVALID_ARGUMENT")
}

func TestOpenVikingRouting(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	wantOVError(t, call(t, "GET", s.URL()+"/status", nil), http.StatusNotFound, "NOT_FOUND")
	rep := call(t, "PUT", s.URL()+"/api/v1/sessions/x", nil)
	wantOVError(t, rep, http.StatusMethodNotAllowed, "INVALID_ARGUMENT")
	if allow := rep.header.Get("Allow"); !strings.Contains(allow, "GET") || !strings.Contains(allow, "DELETE") {
		t.Errorf("Allow = %q", allow)
	}
	wantOVError(t, call(t, "POST", s.URL()+"/api/v1/search/find", `{"query":`), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, call(t, "POST", s.URL()+"/api/v1/search/find", ``), http.StatusBadRequest, "INVALID_ARGUMENT")
}

func TestOpenVikingSessionLifecycle(t *testing.T) {
	ov := NewOpenViking(OpenVikingOptions{})
	base := startServer(t, ov).URL() + "/api/v1/sessions"
	res := ovResult(t, call(t, "POST", base, map[string]string{"session_id": "s1"}, HeaderUser, "bob"))
	if res["session_id"] != "s1" || res["uri"] != "viking://user/bob/sessions/s1" || at(res, "user", "user_id") != "bob" ||
		at(res, "user", "account_id") != "default" {
		t.Fatalf("create: %v", res)
	}
	again := ovResult(t, call(t, "POST", base, map[string]string{"session_id": "s1"}, HeaderUser, "bob"))
	if again["uri"] != res["uri"] {
		t.Fatalf("create is not idempotent: %v", again)
	}
	add := ovResult(t, call(t, "POST", base+"/s1/messages", map[string]string{"role": "user", "content": "remember the blue door"}, HeaderUser, "bob"))
	if add["message_count"] != 1.0 || add["pending_tokens"] != 6.0 {
		t.Fatalf("add message: %v", add)
	}
	got := ovResult(t, call(t, "GET", base+"/s1", nil, HeaderUser, "bob"))
	if got["message_count"] != 1.0 || got["pending_tokens"] != 6.0 || got["messages"] != nil {
		t.Fatalf("get (session meta, no messages): %v", got)
	}
	ctx := ovResult(t, call(t, "GET", base+"/s1/context", nil, HeaderUser, "bob"))
	if at(ctx, "messages", 0, "parts", 0, "text") != "remember the blue door" || at(ctx, "messages", 0, "role") != "user" ||
		at(ctx, "messages", 0, "created_at") == "" || ctx["estimatedTokens"] != 6.0 {
		t.Fatalf("context: %v", ctx)
	}
	wantOVError(t, call(t, "GET", base+"/s1", nil), http.StatusNotFound, "NOT_FOUND") // another user
	view, ok := ov.Session("s1")
	if !ok || view.User != "bob" || len(view.Messages) != 1 || view.PendingTokens() != 6 {
		t.Fatalf("Session() = %+v, %v", view, ok)
	}
	// Another user has a session space of its own: the same id is another session.
	if other := ovResult(t, call(t, "POST", base, `{"session_id":"s1"}`)); other["uri"] != "viking://user/default/sessions/s1" {
		t.Fatalf("another user's s1: %v", other)
	}
	if res := ovResult(t, call(t, "GET", base+"/s1", nil)); res["message_count"] != 0.0 {
		t.Fatalf("the other user's s1 holds bob's messages: %v", res)
	}
	ovResult(t, call(t, "DELETE", base+"/s1", nil, HeaderUser, "bob"))
	wantOVError(t, call(t, "GET", base+"/s1", nil, HeaderUser, "bob"), http.StatusNotFound, "NOT_FOUND")
	wantOVError(t, call(t, "DELETE", base+"/s1", nil, HeaderUser, "bob"), http.StatusNotFound, "NOT_FOUND")
}

func TestOpenVikingGeneratedSessionID(t *testing.T) {
	base := startServer(t, NewOpenViking(OpenVikingOptions{})).URL() + "/api/v1/sessions"
	a := ovResult(t, call(t, "POST", base, nil))
	b := ovResult(t, call(t, "POST", base, `{}`))
	id, _ := a["session_id"].(string)
	if len(id) != 36 || id == b["session_id"] || a["uri"] != "viking://user/default/sessions/"+id {
		t.Fatalf("generated ids %v %v", a, b)
	}
	wantOVError(t, call(t, "POST", base, `{"session_id":"bad id"}`), http.StatusBadRequest, "INVALID_ARGUMENT")
}

func TestOpenVikingMessageErrors(t *testing.T) {
	base := startServer(t, NewOpenViking(OpenVikingOptions{})).URL() + "/api/v1/sessions"
	ovResult(t, call(t, "POST", base, `{"session_id":"s"}`))
	wantOVError(t, call(t, "POST", base+"/s/messages", `{"content":"x"}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, call(t, "POST", base+"/s/messages", `{"role":"user"}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, call(t, "POST", base+"/s/messages", `{"role":1}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, call(t, "POST", base+"/s/messages", `{"role":"user","content":"x","message_kind":"chat"}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	ovResult(t, call(t, "POST", base+"/s/messages", `{"role":"user","content":""}`))
	// The server creates a session on its first message.
	if res := ovResult(t, call(t, "POST", base+"/new/messages", `{"role":"user","content":"x"}`)); res["message_count"] != 1.0 {
		t.Fatalf("first add to a new session: %v", res)
	}
}

func TestOpenVikingCommitAndTask(t *testing.T) {
	ov := NewOpenViking(OpenVikingOptions{})
	url := startServer(t, ov).URL()
	base := url + "/api/v1/sessions"
	ovResult(t, call(t, "POST", base, `{"session_id":"c"}`))
	if res := ovResult(t, call(t, "POST", base+"/c/commit", nil)); res["status"] != "skipped" {
		t.Fatalf("empty commit: %v", res)
	}
	for _, text := range []string{"the launch code is zebra", "ok", "thanks"} {
		ovResult(t, call(t, "POST", base+"/c/messages", map[string]string{"role": "user", "content": text}))
	}
	wantOVError(t, call(t, "POST", base+"/c/commit", `{"keep_recent_count":-1}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	res := ovResult(t, call(t, "POST", base+"/c/commit", `{"keep_recent_count":1}`))
	if res["status"] != "accepted" || res["archived"] != true || res["task_id"] == nil {
		t.Fatalf("commit: %v", res)
	}
	if v, _ := ov.Session("c"); len(v.Messages) != 1 || v.TotalMessages != 3 || v.Commits != 1 {
		t.Fatalf("after commit: %+v", v)
	}
	task := ovResult(t, call(t, "GET", url+"/api/v1/tasks/"+res["task_id"].(string), nil))
	if task["status"] != "completed" || task["resource_id"] != "c" || at(task, "result", "archived_messages") != 2.0 {
		t.Fatalf("task: %v", task)
	}
	wantOVError(t, call(t, "GET", url+"/api/v1/tasks/nope", nil), http.StatusNotFound, "NOT_FOUND")
	wantOVError(t, call(t, "POST", base+"/missing/commit", nil), http.StatusNotFound, "NOT_FOUND")
	found := ovResult(t, call(t, "POST", url+"/api/v1/search/find", `{"query":"launch code zebra"}`))
	if at(found, "memories", 0, "context_type") != "memory" {
		t.Fatalf("the committed memory is not searchable: %v", found)
	}
}

func TestOpenVikingConcurrentMessages(t *testing.T) {
	ov := NewOpenViking(OpenVikingOptions{})
	s := NewServer(ov)
	serve := func(method, path, body string) int {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
		return rec.Code
	}
	if code := serve("POST", "/api/v1/sessions", `{"session_id":"busy"}`); code != http.StatusOK {
		t.Fatalf("create: %d", code)
	}
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				serve("POST", "/api/v1/sessions/busy/messages", `{"role":"user","content":"hello"}`)
				serve("POST", "/api/v1/search/find", `{"query":"hello"}`)
			}
		})
	}
	wg.Wait()
	if v, _ := ov.Session("busy"); len(v.Messages) != 160 {
		t.Fatalf("held %d messages, want 160", len(v.Messages))
	}
}

func TestOpenVikingSessionIDsListsEverySession(t *testing.T) {
	ov := NewOpenViking(OpenVikingOptions{})
	s := startServer(t, ov)
	for _, id := range []string{"b", "a"} {
		ovResult(t, call(t, "POST", s.URL()+"/api/v1/sessions", map[string]any{"session_id": id}))
	}
	if got := ov.SessionIDs(); strings.Join(got, ",") != "a,b" {
		t.Fatalf("SessionIDs = %v, want [a b]", got)
	}
}
