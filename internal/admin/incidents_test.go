package admin_test

import (
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client/clienttest"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// These tests run the real admin API over a real incident store and
// metric history in SQLite (see clienttest.Incidents for the story).

// do makes one request and returns the status, content type and body.
func do(t *testing.T, method, url, body string, hdr ...string) (int, string, []byte) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Content-Type"), raw
}

// envelope is the admin API's JSON answer.
type envelope struct {
	Status string          `json:"status"`
	Result json.RawMessage `json:"result"`
	Error  struct{ Code, Field, Message string }
}

func callJSON(t *testing.T, method, url, body string, hdr ...string) (int, envelope) {
	t.Helper()
	code, ctype, raw := do(t, method, url, body, hdr...)
	var env envelope
	if err := json.Unmarshal(raw, &env); err != nil || ctype != "application/json" {
		t.Fatalf("%s %s: %d %q is not the JSON envelope: %s", method, url, code, ctype, raw)
	}
	return code, env
}

func decodeResult[T any](t *testing.T, env envelope) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(env.Result, &v); err != nil {
		t.Fatalf("result %s: %v", env.Result, err)
	}
	return v
}

func seeded(t *testing.T) (*clienttest.Server, *clienttest.Incidents) {
	t.Helper()
	s := clienttest.Start(t, clienttest.Options{Incidents: true})
	return s, s.Incidents
}

func TestListIncidentsNewestFirst(t *testing.T) {
	s, in := seeded(t)
	code, env := callJSON(t, "GET", s.URL+"/admin/incidents", "")
	list := decodeResult[[]map[string]any](t, env)
	if code != 200 || len(list) != 2 || list[0]["id"] != in.Open || list[1]["id"] != in.Outage {
		t.Fatalf("list: %d %s, want %s then %s", code, env.Result, in.Open, in.Outage)
	}
	if list[1]["max_level"] != "L3" || list[1]["open"] != false || list[0]["open"] != true || list[1]["trigger"] != "primary_down" {
		t.Fatalf("summaries: %v", list)
	}
	if _, ok := list[0]["metrics"]; ok {
		t.Fatalf("list shows unmeasured metrics: %v", list[0])
	}
	if code, env := callJSON(t, "GET", s.URL+"/admin/incidents?limit=1", ""); code != 200 || len(decodeResult[[]any](t, env)) != 1 {
		t.Fatalf("limit=1: %d %s", code, env.Result)
	}
}

func TestListIncidentsBadQueryNamesTheParameter(t *testing.T) {
	s, _ := seeded(t)
	for query, field := range map[string]string{"limit=0": "limit", "limit=1001": "limit", "limit=x": "limit",
		"limit=1&limit=2": "limit", "page=2": "page"} {
		code, env := callJSON(t, "GET", s.URL+"/admin/incidents?"+query, "")
		if code != 400 || env.Error.Code != "INVALID_ARGUMENT" || env.Error.Field != field {
			t.Errorf("?%s: %d %+v, want 400 naming %s", query, code, env.Error, field)
		}
	}
}

func TestGetIncidentHasTimelineMetricsChecklistsArtifacts(t *testing.T) {
	s, in := seeded(t)
	code, env := callJSON(t, "GET", s.URL+"/admin/incidents/"+in.Outage, "")
	inc := decodeResult[incident.Incident](t, env)
	if code != 200 || inc.ID != in.Outage || inc.Open || inc.MaxLevel != "L3" || len(inc.Timeline) != 12 {
		t.Fatalf("get: %d %+v", code, inc.Summary())
	}
	m := inc.Metrics
	if m.Detection.Value != 10 || !m.Detection.Pass || m.Containment.Value != 20 || m.Recovery.Value != 40 ||
		m.Restore.Duration() != 6*time.Minute || !m.Restore.Pass {
		t.Fatalf("metrics: %+v", m)
	}
	if !m.Downtime.Measured || m.Downtime.Duration() != 20*time.Second || !m.Downtime.Pass {
		t.Fatalf("downtime from the history: %+v, want 20s measured and passed", m.Downtime)
	}
	if len(inc.Artifacts) != 1 || inc.Artifacts[0].Name != "redis_bgsave" {
		t.Fatalf("artifacts: %+v", inc.Artifacts)
	}
	if it := item(inc, incident.EmergencyRollback, "OpenViking traffic isolated"); !it.Done || it.By != incident.ByAutomation || it.Event != 4 {
		t.Fatalf("isolation item: %+v, want ticked by automation citing entry 4", it)
	}
}

func item(inc incident.Incident, checklist, text string) incident.Item {
	for _, c := range inc.Checklists {
		for _, it := range c.Items {
			if c.Name == checklist && it.Text == text {
				return it
			}
		}
	}
	return incident.Item{}
}

func TestUnknownIncidentIs404(t *testing.T) {
	s, _ := seeded(t)
	for _, c := range []struct{ method, path, body string }{
		{"GET", "/admin/incidents/INC-nope", ""},
		{"GET", "/admin/incidents/INC-nope/report", ""},
		{"GET", "/admin/incidents/INC-nope/chart.svg", ""},
		{"POST", "/admin/incidents/INC-nope/ack", `{"by":"alice"}`},
		{"POST", "/admin/incidents/INC-nope/checklist", `{"checklist":"emergency_rollback","item":1,"by":"alice"}`},
	} {
		code, env := callJSON(t, c.method, s.URL+c.path, c.body)
		if code != 404 || env.Error.Code != "NOT_FOUND" || env.Error.Field != "id" {
			t.Errorf("%s %s: %d %+v, want 404 naming id", c.method, c.path, code, env.Error)
		}
	}
}

func TestAckOpenIncident(t *testing.T) {
	s, in := seeded(t)
	code, env := callJSON(t, "POST", s.URL+"/admin/incidents/"+in.Open+"/ack", `{"by":"alice"}`)
	sum := decodeResult[incident.Incident](t, env)
	if code != 200 || sum.AckedBy != "alice" || !sum.AckedAt.Equal(in.Now) {
		t.Fatalf("ack: %d %s", code, env.Result)
	}
	inc, err := in.Recorder.Get(t.Context(), in.Open)
	if err != nil || inc.Timeline[len(inc.Timeline)-1].Kind != incident.KindAcked {
		t.Fatalf("timeline after the ack: %v %v", kinds(inc.Timeline), err)
	}
	if !slices.ContainsFunc(s.Events.Recent(64), func(e event.Event) bool {
		return e.Kind == event.AdminChanged && e.Fields["by"] == "alice" && e.Fields["incident"] == in.Open
	}) {
		t.Fatal("no admin event records the ack")
	}
}

func kinds(tl []incident.Entry) []string {
	out := make([]string, len(tl))
	for i, e := range tl {
		out[i] = e.Kind
	}
	return out
}

func TestAckRefusals(t *testing.T) {
	s, in := seeded(t)
	cases := []struct {
		id, body    string
		code        int
		field, text string
	}{
		{in.Open, ``, 400, "by", "required"},
		{in.Open, `{"by":"  "}`, 400, "by", "blank"},
		{in.Open, `{"by":"a\u0007"}`, 400, "by", "control"},
		{in.Open, `{"by":"alice","now":true}`, 400, "now", "unknown"},
		{in.Outage, `{"by":"alice"}`, 409, "state", "closed"},
	}
	for _, c := range cases {
		code, env := callJSON(t, "POST", s.URL+"/admin/incidents/"+c.id+"/ack", c.body)
		if code != c.code || env.Error.Field != c.field || !strings.Contains(env.Error.Message, c.text) {
			t.Errorf("ack %s %s: %d %+v, want %d naming %s", c.id, c.body, code, env.Error, c.code, c.field)
		}
	}
	if inc, _ := in.Recorder.Get(t.Context(), in.Open); inc.AckedBy != "" {
		t.Fatalf("a refused ack acknowledged: %q", inc.AckedBy)
	}
}

func TestTickByTextAndPosition(t *testing.T) {
	s, in := seeded(t)
	url := s.URL + "/admin/incidents/" + in.Outage + "/checklist"
	code, env := callJSON(t, "POST", url, `{"checklist":"post_rollback_review","item":"root cause IDENTIFIED","by":"alice"}`)
	c := decodeResult[incident.Checklist](t, env)
	if code != 200 || c.Name != incident.PostRollbackReview || !c.Items[1].Done || c.Items[1].By != "alice" {
		t.Fatalf("tick by text: %d %s", code, env.Result)
	}
	code, env = callJSON(t, "POST", url, `{"checklist":"post_rollback_review","item":3,"by":"bob"}`)
	if c := decodeResult[incident.Checklist](t, env); code != 200 || c.Items[2].Text != "Fixes implemented" || c.Items[2].By != "bob" {
		t.Fatalf("tick by position: %d %s", code, env.Result)
	}
	code, env = callJSON(t, "POST", url, `{"checklist":"post_rollback_review","item":2,"by":"carol"}`)
	if code != 409 || env.Error.Field != "item" || !strings.Contains(env.Error.Message, "by alice") {
		t.Fatalf("tick again: %d %+v, want 409 saying alice did it", code, env.Error)
	}
}

func TestTickRefusals(t *testing.T) {
	s, in := seeded(t)
	url := s.URL + "/admin/incidents/" + in.Outage + "/checklist"
	cases := []struct {
		body  string
		code  int
		field string
	}{
		{`{"checklist":"post_rollback_review","item":"Buy snacks","by":"a"}`, 404, "item"},
		{`{"checklist":"post_rollback_review","item":11,"by":"a"}`, 404, "item"},
		{`{"checklist":"post_rollback_review","item":0,"by":"a"}`, 400, "item"},
		{`{"checklist":"post_rollback_review","item":true,"by":"a"}`, 400, "item"},
		{`{"checklist":"post_rollback_review","by":"a"}`, 400, "item"},
		{`{"checklist":"pre_flight","item":1,"by":"a"}`, 400, "checklist"},
		{`{"item":1,"by":"a"}`, 400, "checklist"},
		{`{"checklist":"post_rollback_review","item":1}`, 400, "by"},
		{`{"checklist":"post_rollback_review","item":1,"by":"a","extra":1}`, 400, "extra"},
	}
	for _, c := range cases {
		code, env := callJSON(t, "POST", url, c.body)
		if code != c.code || env.Error.Field != c.field {
			t.Errorf("tick %s: %d %+v, want %d naming %s", c.body, code, env.Error, c.code, c.field)
		}
	}
}

func TestIncidentCallsWithoutEscalationAre404(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{NoEngine: true})
	for _, p := range []string{"/admin/incidents", "/admin/incidents/INC-1", "/admin/incidents/INC-1/report",
		"/admin/incidents/INC-1/chart.svg", "/admin/analyze?start=2026-01-01T00:00:00Z&end=2026-01-01T01:00:00Z"} {
		code, env := callJSON(t, "GET", s.URL+p, "")
		if code != 404 || env.Error.Message != "incidents: are disabled (escalation is off)" {
			t.Errorf("GET %s: %d %+v", p, code, env.Error)
		}
	}
}

func TestIncidentCallsNeedTheToken(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{Incidents: true, Token: "t0ken"})
	id := s.Incidents.Outage
	for _, p := range []string{"/admin/incidents", "/admin/incidents/" + id + "/report", "/admin/incidents/" + id + "/chart.svg", "/admin/diagnostics"} {
		if code, env := callJSON(t, "GET", s.URL+p, ""); code != 401 || env.Error.Code != "UNAUTHENTICATED" {
			t.Errorf("GET %s without the token: %d %+v", p, code, env.Error)
		}
	}
	if code, _, _ := do(t, "GET", s.URL+"/admin/incidents/"+id+"/chart.svg", "", "Authorization", "Bearer t0ken"); code != 200 {
		t.Fatalf("chart with the token: %d", code)
	}
}
