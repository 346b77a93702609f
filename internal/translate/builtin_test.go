package translate

import (
	"net/http"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// The simulators agree on a canary: LightRAG's answer, translated, finds
// the same URI OpenViking would.
func TestSearchFindsCanary(t *testing.T) {
	_, tr := onSimulator(t)
	for _, path := range []string{"/api/v1/search/find", "/api/v1/search/search"} {
		r := do(t, tr, "POST", path, `{"query":"`+sim.CanaryQuery+`"}`)
		res := resources(t, r)
		if len(res) == 0 || res[0]["uri"] != sim.CanaryURI {
			t.Fatalf("%s: resources %v, want %s first", path, res, sim.CanaryURI)
		}
		first := res[0]
		if first["score"] != 1.0 || first["context_type"] != "resource" || first["level"] != 2.0 || first["abstract"] == "" {
			t.Errorf("first item %v", first)
		}
		result := r.result()
		if result["total"] != float64(len(res)) || len(result["memories"].([]any)) != 0 || len(result["skills"].([]any)) != 0 {
			t.Errorf("result %v", result)
		}
	}
}

func TestSearchScoresDecreaseAndSourcesAreDistinct(t *testing.T) {
	_, tr := onSimulator(t)
	res := resources(t, do(t, tr, "POST", "/api/v1/search/find", `{"query":"agent context database memory"}`))
	if len(res) < 3 {
		t.Fatalf("only %d results", len(res))
	}
	seen := map[any]bool{}
	for i, item := range res {
		if seen[item["uri"]] {
			t.Errorf("uri %v twice", item["uri"])
		}
		seen[item["uri"]] = true
		if s := item["score"].(float64); s <= 0 || s > 1 || (i > 0 && s >= res[i-1]["score"].(float64)) {
			t.Errorf("score %d = %v after %v", i, s, res[max(i-1, 0)]["score"])
		}
		if !strings.HasPrefix(item["uri"].(string), "viking://") {
			t.Errorf("uri %v", item["uri"])
		}
	}
}

func TestSearchHonoursLimitTargetAndThreshold(t *testing.T) {
	_, tr := onSimulator(t)
	const q = `"query":"agent context database memory"`
	if res := resources(t, do(t, tr, "POST", "/api/v1/search/find", `{`+q+`,"limit":2}`)); len(res) != 2 {
		t.Errorf("limit 2: %d results", len(res))
	}
	res := resources(t, do(t, tr, "POST", "/api/v1/search/find", `{`+q+`,"target_uri":"viking://resources/agents/"}`))
	if len(res) == 0 || res[0]["score"] != 1.0 {
		t.Fatalf("target_uri: %v", res)
	}
	for _, item := range res {
		if !strings.HasPrefix(item["uri"].(string), "viking://resources/agents/") {
			t.Errorf("target_uri let %v through", item["uri"])
		}
	}
	if res := resources(t, do(t, tr, "POST", "/api/v1/search/find", `{`+q+`,"score_threshold":0.95}`)); len(res) != 1 {
		t.Errorf("threshold 0.95: %d results, want only the first", len(res))
	}
}

// OpenViking accepts any query, LightRAG none under 3 characters: a short
// query (empty, two letters, two CJK characters) is answered empty in
// OpenViking's shape without asking LightRAG, never refused.
func TestSearchShortQueryIsAnsweredEmpty(t *testing.T) {
	l, tr := onSimulator(t)
	for _, body := range []string{`{"query":"ab"}`, `{"query":"你好"}`, `{}`, `{"query":"   "}`} {
		r := do(t, tr, "POST", "/api/v1/search/find", body)
		if res := resources(t, r); len(res) != 0 || r.result()["total"] != 0.0 {
			t.Errorf("%s: %s", body, r.raw)
		}
	}
	if n := l.Requests(); n != 0 {
		t.Errorf("the fallback got %d requests", n)
	}
}

// What the primary accepts, the fallback side accepts: a list of target
// URIs, a limit beyond LightRAG's top_k bound, optional fields.
func TestSearchAcceptsWhatThePrimaryAccepts(t *testing.T) {
	_, tr := onSimulator(t)
	r := do(t, tr, "POST", "/api/v1/search/search", `{"query":"agents","target_uri":["viking://nowhere","viking://resources"],
		"limit":5000,"session_id":"s1","context_type":"resource","tags":["a"],"level":2,"telemetry":false}`)
	if res := resources(t, r); len(res) == 0 {
		t.Fatalf("no results: %s", r.raw)
	}
	r = do(t, tr, "POST", "/api/v1/search/find", `{"query":"agents","target_uri":["viking://nowhere"]}`)
	if res := resources(t, r); len(res) != 0 {
		t.Errorf("a target list filtered nothing: %s", r.raw)
	}
}

func TestSearchChecksArgumentsBeforeCallingTheFallback(t *testing.T) {
	l, tr := onSimulator(t)
	cases := map[string]string{
		`{"query":"agents","limit":0}`:             "limit must be a positive number",
		`{"query":"agents","limit":"5"}`:           "limit must be a positive number",
		`{"query":"agents","target_uri":7}`:        "target_uri must be a string",
		`{"query":"agents","score_threshold":"x"}`: "score_threshold must be a number",
		`[1]`: "must be a JSON object",
		``:    "must be a JSON object",
	}
	for body, msg := range cases {
		wantError(t, do(t, tr, "POST", "/api/v1/search/find", body), http.StatusBadRequest, "INVALID_ARGUMENT", msg)
	}
	if n := l.Requests(); n != 0 {
		t.Errorf("the fallback got %d requests", n)
	}
}

// The text a client uploaded (handed on by the journal) is indexed, so a
// search during the outage finds it; LightRAG's "duplicated" on a second
// add is said, still a success.
func TestAddResourceThenFindIt(t *testing.T) {
	l, u := startLightRAG(t, sim.LightRAGOptions{})
	tr := newTranslator(t, Options{Fallback: u})
	body := `{"temp_file_id":"lifeboat-upload-1","to":"viking://resources/kraken-runbook","reason":"runbook",
		"_lifeboat_journaled":true,"_lifeboat_upload_text":"Zebrafish escalation runbook"}`
	for i, want := range []string{"success", "duplicated"} {
		r := do(t, tr, "POST", "/api/v1/resources", body)
		res := r.result()
		lb, _ := res["lifeboat"].(map[string]any)
		if r.status != http.StatusOK || res["status"] != "success" || res["root_uri"] != "viking://resources/kraken-runbook" ||
			lb["indexed"] != want || lb["journaled"] != true || (i == 0 && lb["track_id"] == "") {
			t.Fatalf("add %d: %d %s", i, r.status, r.raw)
		}
	}
	waitIndexed(t, l, u)
	found := resources(t, do(t, tr, "POST", "/api/v1/search/find", `{"query":"zebrafish"}`))
	if len(found) == 0 || found[0]["uri"] != "viking://resources/kraken-runbook" {
		t.Fatalf("search after add: %v", found)
	}
}

// A URL is never fetched nor indexed as its address: journaled, the add
// is said so; not journaled, the fallback cannot take it.
func TestAddResourceByURL(t *testing.T) {
	l, tr := onSimulator(t)
	r := do(t, tr, "POST", "/api/v1/resources", `{"path":"https://example.com/manual.md","_lifeboat_journaled":true}`)
	lb, _ := r.result()["lifeboat"].(map[string]any)
	if r.status != http.StatusOK || lb["indexed"] != false || lb["journaled"] != true {
		t.Fatalf("journaled URL: %d %s", r.status, r.raw)
	}
	wantError(t, do(t, tr, "POST", "/api/v1/resources", `{"path":"https://example.com/manual.md"}`),
		http.StatusServiceUnavailable, "UNAVAILABLE", "retry later")
	if n := l.Requests(); n != 0 {
		t.Errorf("the fallback got %d requests", n)
	}
}

func TestAddResourceRefusesBadArguments(t *testing.T) {
	l, tr := onSimulator(t)
	cases := map[string]string{
		`{"reason":"no source"}`:          "path or temp_file_id is required",
		`{"path":""}`:                     "path or temp_file_id is required",
		`{"path":"a.md","to":"s3://x/y"}`: "to must be a viking:// URI",
		`{"path":"a.md","reason":5}`:      "reason must be a string",
	}
	for body, msg := range cases {
		wantError(t, do(t, tr, "POST", "/api/v1/resources", body), http.StatusBadRequest, "INVALID_ARGUMENT", msg)
	}
	if n := l.Requests(); n != 0 {
		t.Errorf("the fallback got %d requests", n)
	}
}

func TestAddResourceFailureIsUnavailable(t *testing.T) {
	got := &causes{}
	u := standIn(t, answer(http.StatusOK, `{"status":"failure","message":"disk full","track_id":""}`))
	tr := newTranslator(t, Options{Fallback: u, OnFallbackError: got.record})
	r := do(t, tr, "POST", "/api/v1/resources", `{"path":"a.md","_lifeboat_journaled":true,"_lifeboat_upload_text":"x"}`)
	wantUnavailable(t, r, got, CauseFailed)
	if !strings.Contains(got.last(), "the fallback could not store the resource: disk full") {
		t.Errorf("reported %q", got.last())
	}
}

// LightRAG's status "failure" in a 200 is the fallback's failure, not an
// empty search; its "nothing found" is an empty search.
func TestSearchFailureIsUnavailable(t *testing.T) {
	got := &causes{}
	u := standIn(t, answer(http.StatusOK, `{"status":"failure","message":"LLM quota exhausted","data":{}}`))
	wantUnavailable(t, do(t, newTranslator(t, Options{Fallback: u, OnFallbackError: got.record}),
		"POST", "/api/v1/search/find", `{"query":"agents"}`), got, CauseFailed)
	empty := standIn(t, answer(http.StatusOK, `{"status":"failure","message":"Query returned empty dataset.","data":{},"metadata":{"failure_reason":"no_results"}}`))
	if res := resources(t, do(t, newTranslator(t, Options{Fallback: empty}), "POST", "/api/v1/search/find", `{"query":"agents"}`)); len(res) != 0 {
		t.Errorf("nothing found answered %v", res)
	}
}

func TestHealthIsRaw(t *testing.T) {
	_, u := startLightRAG(t, sim.LightRAGOptions{CoreVersion: "1.4.9"})
	tr := newTranslator(t, Options{Fallback: u})
	r := do(t, tr, "GET", "/health", "")
	want := `{"auth_mode":"api_key","healthy":true,"status":"ok","version":"lifeboat-fallback (LightRAG 1.4.9)"}`
	if r.status != http.StatusOK || r.raw != want {
		t.Fatalf("health: %d %s", r.status, r.raw)
	}
}

func TestReady(t *testing.T) {
	_, u := startLightRAG(t, sim.LightRAGOptions{})
	r := do(t, newTranslator(t, Options{Fallback: u}), "GET", "/ready", "")
	if r.status != http.StatusOK || r.raw != `{"checks":{"fallback":"healthy"},"status":"ready"}` {
		t.Fatalf("ready: %d %s", r.status, r.raw)
	}
	sick := standIn(t, answer(http.StatusOK, `{"status":"degraded"}`))
	tr := newTranslator(t, Options{Fallback: sick})
	for range 2 { // twice: the status must not be lost after the first run
		r = do(t, tr, "GET", "/ready", "")
		if r.status != http.StatusServiceUnavailable || r.raw != `{"checks":{"fallback":"degraded"},"status":"not_ready"}` {
			t.Fatalf("not ready: %d %s", r.status, r.raw)
		}
	}
}

func TestSystemStatus(t *testing.T) {
	_, tr := onSimulator(t)
	r := do(t, tr, "GET", "/api/v1/system/status", "", "X-OpenViking-User", "alice")
	res := r.result()
	if r.status != http.StatusOK || res["user"] != "alice" || res["mode"] != "fallback" || res["fallback"] != "healthy" || res["initialized"] != true {
		t.Fatalf("status: %d %s", r.status, r.raw)
	}
	if res := do(t, tr, "GET", "/api/v1/system/status", "").result(); res["user"] != "default" {
		t.Errorf("anonymous user = %v", res["user"])
	}
}

func TestBuiltinRulesCompile(t *testing.T) {
	for _, r := range Builtin() {
		if err := Compile(r); err != nil {
			t.Error(err)
		}
	}
	a, b := Builtin(), Builtin()
	a[0].Name = "changed"
	if b[0].Name != "search" {
		t.Error("Builtin shares its rules between calls")
	}
}

// LightRAG holds every tenant's memories; the translation hides other
// users' as OpenViking does.
func TestSearchHidesOtherUsersMemories(t *testing.T) {
	_, tr := onSimulator(t)
	const body = `{"query":"user prefers concise answers"}`
	const memory = "viking://user/default/memories/preferences.md"
	has := func(res []map[string]any) bool {
		for _, item := range res {
			if item["uri"] == memory {
				return true
			}
		}
		return false
	}
	if !has(resources(t, do(t, tr, "POST", "/api/v1/search/find", body))) {
		t.Error("the default user does not find its own memory")
	}
	if has(resources(t, do(t, tr, "POST", "/api/v1/search/find", body, "X-OpenViking-User", "bob"))) {
		t.Error("bob finds the default user's memory")
	}
}
