package sim

import (
	"net/http"
	"strings"
	"testing"
)

func find(t *testing.T, url string, body any, headers ...string) map[string]any {
	t.Helper()
	return ovResult(t, call(t, "POST", url+"/api/v1/search/find", body, headers...))
}

func TestOpenVikingSearchShapes(t *testing.T) {
	url := startServer(t, NewOpenViking(OpenVikingOptions{})).URL()
	res := find(t, url, `{"query":"context database"}`)
	top, _ := at(res, "resources", 0).(map[string]any)
	if top["uri"] != "viking://resources/openviking/context-database.md" || top["context_type"] != "resource" {
		t.Fatalf("top resource %v", top)
	}
	for _, k := range []string{"level", "score", "abstract"} {
		if top[k] == nil {
			t.Errorf("item without %s: %v", k, top)
		}
	}
	if res["total"].(float64) < 2 || res["memories"] == nil || res["skills"] == nil {
		t.Fatalf("result %v", res)
	}
	mem := find(t, url, `{"query":"agent memory"}`)
	if at(mem, "resources", 0, "uri") != "viking://resources/agents/agent-memory.md" {
		t.Fatalf("agent memory: %v", mem)
	}
	ss := ovResult(t, call(t, "POST", url+"/api/v1/search/search", `{"query":"lifeboat canary","session_id":"any"}`))
	if at(ss, "resources", 0, "uri") != CanaryURI {
		t.Fatalf("canary: %v", ss)
	}
}

func TestOpenVikingSearchFilters(t *testing.T) {
	url := startServer(t, NewOpenViking(OpenVikingOptions{})).URL()
	res := find(t, url, `{"query":"context","target_uri":"viking://agent/","limit":5}`)
	if res["total"] != 1.0 || at(res, "skills", 0, "uri") != "viking://agent/skills/search-context.md" {
		t.Fatalf("target_uri: %v", res)
	}
	if res := find(t, url, `{"query":"context","limit":2}`); res["total"] != 2.0 {
		t.Fatalf("limit: %v", res)
	}
	if res := find(t, url, `{"query":"context database tiers","score_threshold":0.95}`); res["total"] != 0.0 {
		t.Fatalf("score_threshold: %v", res)
	}
	if res := find(t, url, `{"query":"preferences"}`, HeaderUser, "mallory"); len(res["memories"].([]any)) != 0 {
		t.Fatalf("another user's memory leaked: %v", res)
	}
	if res := find(t, url, `{"query":"preferences"}`); at(res, "memories", 0, "context_type") != "memory" {
		t.Fatalf("own memory missing: %v", res)
	}
	if res := find(t, url, `{"query":"  "}`); res["total"] != 0.0 {
		t.Fatalf("a blank query is accepted and finds nothing, as in OpenViking: %v", res)
	}
	wantOVError(t, call(t, "POST", url+"/api/v1/search/find", `{"query":"x","limit":0}`), http.StatusBadRequest, "INVALID_ARGUMENT")
}

func TestOpenVikingCorruptSearchKeepsHealthGreen(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	_ = s.SetFault(Fault{CorruptSearch: true})
	wantStatus(t, call(t, "GET", s.URL()+"/health", nil), http.StatusOK)
	wantStatus(t, call(t, "GET", s.URL()+"/ready", nil), http.StatusOK)
	res := find(t, s.URL(), map[string]string{"query": CanaryQuery})
	if res["total"] != 0.0 || len(res["resources"].([]any)) != 0 {
		t.Fatalf("corrupt search found %v", res)
	}
	_ = s.SetFault(Fault{})
	if res := find(t, s.URL(), map[string]string{"query": CanaryQuery}); res["total"] == 0.0 {
		t.Fatal("search still empty after the fault cleared")
	}
}

func TestOpenVikingMetrics(t *testing.T) {
	s := startServer(t, NewOpenViking(OpenVikingOptions{}))
	call(t, "GET", s.URL()+"/health", nil)
	rep := call(t, "GET", s.URL()+"/metrics", nil)
	wantStatus(t, rep, http.StatusOK)
	for _, line := range []string{
		"# TYPE " + MetricCPUPercent + " gauge",
		MetricCPUPercent + " 12\n",
		MetricMemoryPercent + " 30\n",
		MetricRequests + `{route="GET /health"} 1` + "\n",
		"openviking_documents 12\n",
	} {
		if !strings.Contains(rep.raw, line) {
			t.Errorf("metrics lack %q:\n%s", line, rep.raw)
		}
	}
	if ct := rep.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain; version=0.0.4") {
		t.Errorf("content type %q", ct)
	}
	_ = s.SetFault(Fault{CPUPercent: 95.5, MemoryPercent: 91})
	rep = call(t, "GET", s.URL()+"/metrics", nil)
	if !strings.Contains(rep.raw, MetricCPUPercent+" 95.5\n") || !strings.Contains(rep.raw, MetricMemoryPercent+" 91\n") {
		t.Errorf("pressure not reported:\n%s", rep.raw)
	}
}
