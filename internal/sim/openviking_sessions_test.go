package sim

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

// fullMessage sets every optional field AddMessageRequest has, with parts
// of each kind the plugin sends.
const fullMessage = `{"role":"assistant","peer_id":"peer-1","created_at":"2026-12-01T10:00:00.000Z",
 "turn_id":"turn-7","message_kind":"assistant_step","source_message_ids":["m1","m2"],
 "parts":[{"type":"text","text":"the answer"},
          {"type":"context","uri":"viking://resources/doc","context_type":"resource","abstract":"a doc"},
          {"type":"tool","tool_id":"call-1","tool_name":"grep","tool_input":{"q":"x"},"tool_output":"found","tool_status":"completed","duration_ms":12.5}]}`

func TestMessagesKeepEveryFieldTheClientSent(t *testing.T) {
	ov := NewOpenViking(OpenVikingOptions{})
	base := startServer(t, ov).URL() + "/api/v1/sessions"
	ovResult(t, call(t, "POST", base+"/f/messages", fullMessage))
	ctx := ovResult(t, call(t, "GET", base+"/f/context", nil))
	got, _ := at(ctx, "messages", 0).(map[string]any)
	var want map[string]any
	if err := json.Unmarshal([]byte(fullMessage), &want); err != nil {
		t.Fatal(err)
	}
	for k, v := range want {
		if !reflect.DeepEqual(got[k], v) {
			t.Errorf("field %s: got %v, want %v", k, got[k], v)
		}
	}
	if id, _ := got["id"].(string); id == "" {
		t.Errorf("the listed message has no id: %v", got)
	}
}

func TestBatchListAutoCreateAndUsed(t *testing.T) {
	ov := NewOpenViking(OpenVikingOptions{})
	base := startServer(t, ov).URL() + "/api/v1/sessions"
	batch := `{"messages":[{"role":"user","content":"abcdabcd"},{"role":"assistant","parts":[{"type":"text","text":"abcd"}]}]}`
	res := ovResult(t, call(t, "POST", base+"/b/messages/batch", batch))
	if res["message_count"] != 2.0 || res["added"] != 2.0 || res["pending_tokens"] != 3.0 {
		t.Fatalf("batch: %v", res)
	}
	wantOVError(t, call(t, "POST", base+"/b/messages/batch", `{"messages":[{"content":"no role"}]}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	list := call(t, "GET", base, nil)
	var env struct{ Result []map[string]any }
	_ = json.Unmarshal([]byte(list.raw), &env)
	if len(env.Result) != 1 || env.Result[0]["session_id"] != "b" || env.Result[0]["uri"] != "viking://user/default/sessions/b" {
		t.Fatalf("list: %s", list.raw)
	}
	wantOVError(t, call(t, "GET", base+"/auto", nil), http.StatusNotFound, "NOT_FOUND")
	if got := ovResult(t, call(t, "GET", base+"/auto?auto_create=true", nil)); got["message_count"] != 0.0 || got["session_id"] != "auto" {
		t.Fatalf("auto_create: %v", got)
	}
	used := ovResult(t, call(t, "POST", base+"/b/used", `{"contexts":["viking://resources/a"],"skill":{"uri":"viking://agent/skills/s"}}`))
	if used["contexts_used"] != 1.0 || used["skills_used"] != 1.0 {
		t.Fatalf("used: %v", used)
	}
	wantOVError(t, call(t, "POST", base+"/missing/used", `{}`), http.StatusNotFound, "NOT_FOUND")
}

func TestCommitRetentionFieldsAndPendingTokens(t *testing.T) {
	ov := NewOpenViking(OpenVikingOptions{})
	base := startServer(t, ov).URL() + "/api/v1/sessions"
	for range 3 {
		ovResult(t, call(t, "POST", base+"/k/messages", `{"role":"user","content":"abcdabcd"}`)) // 2 tokens each
	}
	wantOVError(t, call(t, "POST", base+"/k/commit", `{"keep_recent_turn_count":2}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, call(t, "POST", base+"/k/commit", `{"retention_mode":"other"}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	wantOVError(t, call(t, "POST", base+"/k/commit", `{"extraction_metadata":{"bogus":1}}`), http.StatusBadRequest, "INVALID_ARGUMENT")
	res := ovResult(t, call(t, "POST", base+"/k/commit",
		`{"keep_recent_count":1,"retention_mode":"turn_budget","keep_recent_turn_count":2,"extraction_metadata":{"event":{"tags":["a=b"]}}}`))
	if res["status"] != "accepted" || res["archive_uri"] != "viking://user/default/sessions/k/history/archive_001" {
		t.Fatalf("commit: %v", res)
	}
	// One message kept, inside the keep window: nothing pending until the
	// next add pushes it out.
	meta := ovResult(t, call(t, "GET", base+"/k", nil))
	if meta["message_count"] != 1.0 || meta["pending_tokens"] != 0.0 || meta["keep_recent_count"] != 1.0 || meta["commit_count"] != 1.0 {
		t.Fatalf("after commit: %v", meta)
	}
	if add := ovResult(t, call(t, "POST", base+"/k/messages", `{"role":"user","content":"abcd"}`)); add["pending_tokens"] != 2.0 {
		t.Fatalf("pending after add: %v", add)
	}
	skipped := ovResult(t, call(t, "POST", base+"/k/commit", `{"keep_recent_count":5}`))
	if skipped["status"] != "skipped" || skipped["task_id"] != nil || skipped["reason"] != "no_messages" {
		t.Fatalf("skipped commit: %v", skipped)
	}
}
