package sim

import (
	"net/http"
	"testing"
)

func TestOpenVikingFindTargetsAndFilters(t *testing.T) {
	url := startServer(t, NewOpenViking(OpenVikingOptions{})).URL()
	list := find(t, url, `{"query":"context","target_uri":["viking://agent","viking://resources/openviking/"]}`)
	for _, kind := range []string{"resources", "skills"} {
		for _, it := range list[kind].([]any) {
			uri := at(it, "uri").(string)
			if !under(uri, "viking://agent") && !under(uri, "viking://resources/openviking") {
				t.Errorf("a list of targets let %s through", uri)
			}
		}
	}
	if len(list["skills"].([]any)) != 1 || len(list["resources"].([]any)) == 0 {
		t.Fatalf("a list of targets: %v", list)
	}
	if res := find(t, url, `{"query":"preferences","target_uri":"viking://~/memories"}`); res["total"] != 1.0 {
		t.Fatalf("~ is the caller's user root: %v", res)
	}
	if res := find(t, url, `{"query":"context","context_type":"skill,memory"}`); len(res["resources"].([]any)) != 0 || res["total"] != 1.0 {
		t.Fatalf("context_type: %v", res)
	}
	if res := find(t, url, `{"query":"context","level":[0,"1"]}`); res["total"] != 0.0 {
		t.Fatalf("level: every seeded document is level 2: %v", res)
	}
	item := at(find(t, url, `{"query":"canary","node_limit":1}`), "resources", 0).(map[string]any)
	for _, k := range []string{"context_type", "uri", "level", "score", "abstract", "tags"} {
		if _, ok := item[k]; !ok {
			t.Errorf("item without %q: %v", k, item)
		}
	}
}

func TestOpenVikingFindTakesWhatTheSDKSends(t *testing.T) {
	url := startServer(t, NewOpenViking(OpenVikingOptions{})).URL()
	body := `{"query":"agent memory","target_uri":"","limit":3,"score_threshold":0.1,"filter":{"op":"and","conds":[]},
		"context_type":["resource"],"tags":[],"telemetry":false,"include_provenance":false,"since":"7d","time_field":"updated_at"}`
	if res := find(t, url, body); res["total"] == 0.0 {
		t.Fatalf("find with every field: %v", res)
	}
	ss := ovResult(t, call(t, "POST", url+"/api/v1/search/search", `{"query":"canary","session_id":"s1","mode":"list","limit":1}`))
	if ss["total"] != 1.0 {
		t.Fatalf("search: %v", ss)
	}
}

func TestOpenVikingFindRefusesLikePydantic(t *testing.T) {
	url := startServer(t, NewOpenViking(OpenVikingOptions{})).URL()
	cases := []struct{ path, body, code, message string }{
		{"find", `{"query":"x","top_k":3}`, "INVALID_ARGUMENT", "Invalid request parameters: body.top_k: Extra inputs are not permitted"},
		{"find", `{"query":"x","session_id":"s"}`, "INVALID_ARGUMENT", "Invalid request parameters: body.session_id: Extra inputs are not permitted"},
		{"find", `{"query":7}`, "INVALID_ARGUMENT", "Invalid request parameters: body.query: Input should be a valid string"},
		{"find", `{"query":"x","limit":"many"}`, "INVALID_ARGUMENT", "Invalid request parameters: body.limit: Input should be a valid integer"},
		{"find", `{"query":"x","target_uri":5}`, "INVALID_ARGUMENT", "Invalid request parameters: body.target_uri: Input should be a valid string or a list of strings"},
		{"find", `{"query":"x","target_uri":"s3://bucket"}`, "INVALID_URI", "Invalid URI: s3://bucket (URI must start with 'viking://')"},
		{"find", `{"query":"x","target_uri":["viking://nowhere/a"]}`, "INVALID_URI", "Invalid URI: viking://nowhere/a (Invalid scope 'nowhere'. Must be one of: agent, resources, session, user)"},
		{"find", `{"query":"x","context_type":"pictures"}`, "INVALID_ARGUMENT", "context_type must be one or more of: memory, resource, skill"},
		{"find", `[1]`, "INVALID_ARGUMENT", "Invalid request parameters: body: Input should be a valid dictionary or object to extract fields from"},
		{"find", ``, "INVALID_ARGUMENT", "Invalid request parameters: body: Field required"},
		{"search", `{"query":"x","max_tokens":500}`, "INVALID_ARGUMENT", "Invalid request parameters: body: Value error, max_tokens require mode='context'; set mode='context' or drop these fields"},
		{"search", `{"query":"x","mode":"stream"}`, "INVALID_ARGUMENT", "Invalid request parameters: body.mode: Input should be 'list' or 'context'"},
	}
	for _, c := range cases {
		rep := call(t, "POST", url+"/api/v1/search/"+c.path, c.body)
		wantOVError(t, rep, http.StatusBadRequest, c.code)
		if got := at(rep.body, "error", "message"); got != c.message {
			t.Errorf("%s %s: message %q, want %q", c.path, c.body, got, c.message)
		}
	}
	rep := call(t, "POST", url+"/api/v1/search/find", `{"query":"x","bogus":1,"also":2}`)
	issues, _ := at(rep.body, "error", "details", "validation_errors").([]any)
	if len(issues) != 2 || at(issues[0], "type") != "extra_forbidden" || at(issues[1], "loc", 1) != "bogus" {
		t.Fatalf("every extra field is listed in details: %s", rep.raw)
	}
}
