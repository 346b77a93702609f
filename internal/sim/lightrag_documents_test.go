package sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"
)

// serveLocal answers one request in-process, so a synctest bubble holds
// every goroutine involved.
func serveLocal(t *testing.T, h http.Handler, method, path, body string) map[string]any {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(method, path, strings.NewReader(body)))
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
	return m
}

func TestLightRAGIndexesInTheBackground(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lr := NewLightRAG(LightRAGOptions{Seed: []Document{}, IndexDelay: time.Second})
		defer lr.Close()
		ins := serveLocal(t, lr, "POST", "/documents/text", `{"text":"The quartermaster keeps the spare oars.","file_source":"ship.txt"}`)
		track, _ := ins["track_id"].(string)
		if ins["status"] != "success" || !strings.HasPrefix(track, "insert_") {
			t.Fatalf("insert: %v", ins)
		}
		st := serveLocal(t, lr, "GET", "/documents/track_status/"+track, "")
		if at(st, "documents", 0, "status") != DocPending || at(st, "documents", 0, "chunks_count") != nil {
			t.Fatalf("before the delay: %v", st)
		}
		if q := serveLocal(t, lr, "POST", "/query/data", `{"query":"spare oars"}`); q["status"] != "failure" {
			t.Fatalf("pending text was searchable: %v", q)
		}
		if ps := serveLocal(t, lr, "GET", "/documents/pipeline_status", ""); ps["busy"] != true {
			t.Fatalf("pipeline idle with a queued text: %v", ps)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		st = serveLocal(t, lr, "GET", "/documents/track_status/"+track, "")
		if st["total_count"] != 1.0 || at(st, "documents", 0, "status") != DocProcessed || at(st, "status_summary", "processed") != 1.0 {
			t.Fatalf("after the delay: %v", st)
		}
		if q := serveLocal(t, lr, "POST", "/query", `{"query":"spare oars"}`); at(q, "references", 0, "file_path") != "ship.txt" {
			t.Fatalf("indexed text not found: %v", q)
		}
		if ps := serveLocal(t, lr, "GET", "/documents/pipeline_status", ""); ps["busy"] != false || !strings.Contains(ps["latest_message"].(string), "ship.txt") {
			t.Fatalf("pipeline: %v", ps)
		}
	})
}

func TestLightRAGDuplicates(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lr := NewLightRAG(LightRAGOptions{Seed: []Document{}})
		defer lr.Close()
		first := serveLocal(t, lr, "POST", "/documents/text", `{"text":"Oars are spare.","file_source":"ship.txt"}`)
		bySource := serveLocal(t, lr, "POST", "/documents/text", `{"text":"Other text entirely.","file_source":"ship.txt"}`)
		if bySource["status"] != "duplicated" || bySource["track_id"] != first["track_id"] ||
			bySource["message"] != "File source 'ship.txt' already exists in document storage (Status: pending)." {
			t.Fatalf("same file source: %v", bySource)
		}
		byContent := serveLocal(t, lr, "POST", "/documents/text", `{"text":"  Oars are spare. "}`)
		if byContent["status"] != "duplicated" || !strings.HasPrefix(byContent["message"].(string), "Identical content already exists") {
			t.Fatalf("same content: %v", byContent)
		}
		unnamed := serveLocal(t, lr, "POST", "/documents/text", `{"text":"A third text.","file_source":"unknown_source"}`)
		if unnamed["status"] != "success" {
			t.Fatalf("the default source is not a name: %v", unnamed)
		}
	})
}

func TestLightRAGInsertRefusals(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lr := NewLightRAG(LightRAGOptions{})
		if rep := serveLocal(t, lr, "POST", "/documents/text", `{"text":"  "}`); at(rep, "detail", 0, "type") != "string_too_short" {
			t.Fatalf("blank text: %v", rep)
		}
		if rep := serveLocal(t, lr, "POST", "/documents/text", `{}`); at(rep, "detail", 0, "type") != "missing" {
			t.Fatalf("missing text: %v", rep)
		}
		lr.Close()
		if rep := serveLocal(t, lr, "POST", "/documents/text", `{"text":"after close"}`); rep["detail"] != "the pipeline has stopped" {
			t.Fatalf("insert after Close: %v", rep)
		}
		if st := serveLocal(t, lr, "GET", "/documents/track_status/unknown", ""); st["total_count"] != 0.0 {
			t.Fatalf("unknown track: %v", st)
		}
	})
}

func TestLightRAGFailureAnswers(t *testing.T) {
	s := startServer(t, NewLightRAG(LightRAGOptions{}))
	rep := call(t, "POST", s.URL()+"/query/data", `{"query":"zzz qqq xxx"}`)
	wantStatus(t, rep, http.StatusOK)
	if rep.body["status"] != "failure" || rep.body["message"] != "Query returned empty dataset." || at(rep.body, "data", "chunks") == nil {
		t.Fatalf("nothing found: %s", rep.raw)
	}
	_ = s.SetFault(Fault{RAGFailure: true})
	rep = call(t, "POST", s.URL()+"/query/data", `{"query":"lifeboat canary","mode":"naive"}`)
	if rep.body["status"] != "failure" || rep.body["message"] != "No relevant document chunks found." || at(rep.body, "metadata", "failure_reason") != "no_results" {
		t.Fatalf("rag_failure query: %s", rep.raw)
	}
	rep = call(t, "POST", s.URL()+"/documents/text", `{"text":"anything at all"}`)
	if wantStatus(t, rep, http.StatusOK); rep.body["status"] != "failure" || rep.body["track_id"] != "" {
		t.Fatalf("rag_failure insert: %s", rep.raw)
	}
}

func TestLightRAGQueryLength(t *testing.T) {
	url := startServer(t, NewLightRAG(LightRAGOptions{})).URL() + "/query/data"
	for body, status := range map[string]int{
		`{"query":"ab"}`: 422, `{"query":"  ab  "}`: 422, `{"query":"abc"}`: 200,
		`{"query":"éé"}`: 422, `{"query":"ééé"}`: 200, // three characters, six bytes
		`{"query":"知"}`: 422, `{"query":"知识"}`: 200, // CJK weighs two
		`{"query":"ab","mode":"bypass"}`:  200,
		`{"query":"abc","top_k":1000}`:    200,
		`{"query":"abc","top_k":1001}`:    422,
		`{"query":"abc","chunk_top_k":0}`: 422,
	} {
		if rep := call(t, "POST", url, body); rep.status != status {
			t.Errorf("%s: %d, want %d: %s", body, rep.status, status, rep.raw)
		}
	}
}
