package sim

import (
	"net/http"
	"strings"
	"testing"
)

func TestLightRAGHealthAndRouting(t *testing.T) {
	s := startServer(t, NewLightRAG(LightRAGOptions{APIKey: testKey, CoreVersion: "1.2.3"}))
	rep := call(t, "GET", s.URL()+"/health", nil)
	wantStatus(t, rep, http.StatusOK)
	if rep.body["status"] != "healthy" || rep.body["pipeline_busy"] != false || rep.body["core_version"] != "1.2.3" || rep.body["api_version"] != "0251" {
		t.Fatalf("health %s", rep.raw)
	}
	rep = call(t, "GET", s.URL()+"/status", nil)
	if wantStatus(t, rep, http.StatusNotFound); rep.body["detail"] != "Not Found" {
		t.Fatalf("no /status should look like FastAPI: %s", rep.raw)
	}
	rep = call(t, "GET", s.URL()+"/query", nil, HeaderAPIKey, testKey)
	if wantStatus(t, rep, http.StatusMethodNotAllowed); rep.body["detail"] != "Method Not Allowed" || rep.header.Get("Allow") == "" {
		t.Fatalf("405: %s", rep.raw)
	}
}

func TestLightRAGAuth(t *testing.T) {
	s := startServer(t, NewLightRAG(LightRAGOptions{APIKey: testKey}))
	url := s.URL() + "/documents/pipeline_status"
	if rep := call(t, "GET", url, nil); rep.status != http.StatusForbidden || rep.body["detail"] != "API Key required" {
		t.Fatalf("no key: %s", rep.raw)
	}
	if rep := call(t, "GET", url, nil, HeaderAPIKey, "nope"); rep.status != http.StatusForbidden || rep.body["detail"] != "Invalid API Key" {
		t.Fatalf("wrong key: %s", rep.raw)
	}
	wantStatus(t, call(t, "GET", url, nil, HeaderAPIKey, testKey), http.StatusOK)
}

func TestLightRAGQueryValidation(t *testing.T) {
	url := startServer(t, NewLightRAG(LightRAGOptions{})).URL() + "/query"
	cases := []struct{ body, typ, field string }{
		{`{"query":"   "}`, "value_error", "query"},
		{`{"mode":"mix"}`, "missing", "query"},
		{`{"query":"agent memory","mode":"fast"}`, "literal_error", "mode"},
		{`{"query":"agent memory","top_k":0}`, "greater_than_equal", "top_k"},
		{`{"query":5}`, "string_type", "query"},
	}
	for _, c := range cases {
		rep := call(t, "POST", url, c.body)
		wantStatus(t, rep, http.StatusUnprocessableEntity)
		if at(rep.body, "detail", 0, "type") != c.typ || at(rep.body, "detail", 0, "loc", 1) != c.field {
			t.Errorf("%s: %s", c.body, rep.raw)
		}
	}
	if rep := call(t, "POST", url, `{"query":`); at(rep.body, "detail", 0, "type") != "json_invalid" {
		t.Errorf("malformed JSON: %s", rep.raw)
	}
	if rep := call(t, "POST", url, ``); rep.status != 422 || at(rep.body, "detail", 0, "type") != "missing" {
		t.Errorf("empty body: %s", rep.raw)
	}
}

func TestLightRAGQuery(t *testing.T) {
	url := startServer(t, NewLightRAG(LightRAGOptions{})).URL()
	rep := call(t, "POST", url+"/query", `{"query":"What is a context database?"}`)
	wantStatus(t, rep, http.StatusOK)
	if at(rep.body, "references", 0, "file_path") != "resources/openviking/context-database.md" || at(rep.body, "references", 0, "reference_id") != "1" {
		t.Fatalf("references: %s", rep.raw)
	}
	if answer, _ := rep.body["response"].(string); !strings.Contains(answer, "[1]") {
		t.Fatalf("response: %s", rep.raw)
	}
	rep = call(t, "POST", url+"/query", `{"query":"context database","include_references":false}`)
	if v, ok := rep.body["references"]; !ok || v != nil {
		t.Fatalf("include_references=false: %s", rep.raw)
	}
	rep = call(t, "POST", url+"/query", `{"query":"zzz qqq xxx"}`)
	if rep.body["response"] != failResponse || len(rep.body["references"].([]any)) != 0 {
		t.Fatalf("no context: %s", rep.raw)
	}
	rep = call(t, "POST", url+"/query", `{"query":"context database","mode":"bypass"}`)
	if len(rep.body["references"].([]any)) != 0 {
		t.Fatalf("bypass retrieved: %s", rep.raw)
	}
}

func TestLightRAGQueryData(t *testing.T) {
	url := startServer(t, NewLightRAG(LightRAGOptions{})).URL()
	rep := call(t, "POST", url+"/query/data", `{"query":"lifeboat canary","top_k":1}`)
	wantStatus(t, rep, http.StatusOK)
	if rep.body["status"] != "success" || at(rep.body, "metadata", "query_mode") != "mix" {
		t.Fatalf("data: %s", rep.raw)
	}
	chunks := at(rep.body, "data", "chunks").([]any)
	if len(chunks) != 1 || at(chunks, 0, "file_path") != CanaryFilePath || at(chunks, 0, "reference_id") != "1" {
		t.Fatalf("chunks: %s", rep.raw)
	}
	if id, _ := at(chunks, 0, "chunk_id").(string); !strings.HasPrefix(id, "chunk-") || at(chunks, 0, "content") == "" {
		t.Fatalf("chunk: %v", chunks[0])
	}
	if at(rep.body, "data", "entities", 0, "entity_name") != "Lifeboat canary" || at(rep.body, "data", "relationships") == nil {
		t.Fatalf("entities: %s", rep.raw)
	}
}

func TestLightRAGCorruptSearch(t *testing.T) {
	s := startServer(t, NewLightRAG(LightRAGOptions{}))
	_ = s.SetFault(Fault{CorruptSearch: true})
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
	if rep := call(t, "POST", s.URL()+"/query", map[string]string{"query": CanaryQuery}); rep.body["response"] != failResponse {
		t.Fatalf("corrupt query: %s", rep.raw)
	}
	rep := call(t, "POST", s.URL()+"/query/data", map[string]string{"query": CanaryQuery})
	if len(at(rep.body, "data", "chunks").([]any)) != 0 {
		t.Fatalf("corrupt data: %s", rep.raw)
	}
}
