package admin_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/report"
)

func TestMarkdownReportReferencesTheChart(t *testing.T) {
	s, in := seeded(t)
	base := s.URL + "/admin/incidents/" + in.Outage + "/report"
	code, ctype, body := do(t, "GET", base, "")
	md := string(body)
	if code != 200 || ctype != "text/markdown; charset=utf-8" {
		t.Fatalf("report: %d %q %s", code, ctype, body)
	}
	for _, want := range []string{"# Incident report " + in.Outage, "| Trigger level | L3 |", "| First trigger | primary_down |",
		"![latency and error rate](chart.svg)", "ROLLBACK SUCCESSFUL", "User-visible downtime", "redis_bgsave",
		"- [x] OpenViking traffic isolated", "- [ ] Root cause identified", "requests, 16 failed"} {
		if !strings.Contains(md, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	_, _, body = do(t, "GET", base+"?format=md&chart=incident-42.svg", "")
	if !strings.Contains(string(body), "](incident-42.svg)") {
		t.Fatalf("report with chart=incident-42.svg does not show it:\n%s", body)
	}
}

func TestJSONReport(t *testing.T) {
	s, in := seeded(t)
	code, ctype, body := do(t, "GET", s.URL+"/admin/incidents/"+in.Outage+"/report?format=json", "")
	var r report.Report
	if err := json.Unmarshal(body, &r); err != nil || code != 200 || ctype != "application/json" {
		t.Fatalf("json report: %d %q %v", code, ctype, err)
	}
	// The incident (opened at +5m10s, closed at +11m) and 2m either side.
	wantSamples := int((11*time.Minute - 5*time.Minute - 10*time.Second + 4*time.Minute) / (5 * time.Second))
	if r.ID != in.Outage || r.TriggerLevel != "L3" || !r.RollbackTime.Equal(in.Start.Add(5*time.Minute+20*time.Second)) ||
		len(r.Metrics) != 7 || len(r.Timeline) != 12 || len(r.Samples) != wantSamples {
		t.Fatalf("report %s: level %s rollback %v, %d metrics, %d entries, %d samples (want %d)",
			r.ID, r.TriggerLevel, r.RollbackTime, len(r.Metrics), len(r.Timeline), len(r.Samples), wantSamples)
	}
	if c := r.Traffic.Target("client"); c.Failures != 16 {
		t.Fatalf("client failures over the window: %d, want 16 (4 samples of 4)", c.Failures)
	}
}

func TestReportBadQueryNamesTheParameter(t *testing.T) {
	s, in := seeded(t)
	base := s.URL + "/admin/incidents/" + in.Outage + "/report?"
	for query, field := range map[string]string{"format=pdf": "format", "format=json&chart=c.svg": "chart",
		"chart=../../etc/passwd": "chart", "chart=/tmp/c.svg": "chart", "chart=a%29b.svg": "chart", "lang=en": "lang"} {
		code, env := callJSON(t, "GET", base+query, "")
		if code != 400 || env.Error.Field != field {
			t.Errorf("?%s: %d %+v, want 400 naming %s", query, code, env.Error, field)
		}
	}
}

func TestChartIsSVGWithTheIncidentMarks(t *testing.T) {
	s, in := seeded(t)
	code, ctype, body := do(t, "GET", s.URL+"/admin/incidents/"+in.Outage+"/chart.svg", "")
	if code != 200 || ctype != "image/svg+xml" {
		t.Fatalf("chart: %d %q", code, ctype)
	}
	if err := wellFormed(string(body)); err != nil {
		t.Fatalf("chart is not well-formed XML: %v", err)
	}
	for _, want := range []string{"<svg", "L0 → L3", "rollback: traffic to fallback", "restored: L0"} {
		if !strings.Contains(string(body), want) {
			t.Errorf("chart lacks %q", want)
		}
	}
}

func wellFormed(doc string) error {
	dec := xml.NewDecoder(strings.NewReader(doc))
	for {
		if _, err := dec.Token(); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
	}
}

func TestAnalyzeFindsTheOutageDegraded(t *testing.T) {
	s, in := seeded(t)
	start, end := in.Start.Add(5*time.Minute), in.Start.Add(5*time.Minute+20*time.Second)
	q := "start=" + start.Format(time.RFC3339) + "&end=" + end.Format(time.RFC3339)
	code, env := callJSON(t, "GET", s.URL+"/admin/analyze?"+q, "")
	a := decodeResult[report.Analysis](t, env)
	if code != 200 || !a.Degraded || a.Window.Samples != 4 || a.Baseline.Samples != 4 {
		t.Fatalf("analyze the outage: %d degraded=%v window %+v baseline %+v", code, a.Degraded, a.Window, a.Baseline)
	}
	if f := figure(a, "client", "error_rate"); !f.Degraded || f.Window != 40 || f.Baseline != 0 {
		t.Fatalf("client error rate: %+v, want 40%% against 0%%, degraded", f)
	}
	calm := "start=" + in.Start.Add(2*time.Minute).Format(time.RFC3339) + "&end=" + in.Start.Add(3*time.Minute).Format(time.RFC3339)
	bl := "&baseline_start=" + in.Start.Add(20*time.Minute).Format(time.RFC3339) + "&baseline_end=" + in.Start.Add(21*time.Minute).Format(time.RFC3339)
	_, env = callJSON(t, "GET", s.URL+"/admin/analyze?"+calm+bl, "")
	if a := decodeResult[report.Analysis](t, env); a.Degraded || !a.Baseline.Start.Equal(in.Start.Add(20*time.Minute)) {
		t.Fatalf("a calm minute against a calm baseline: degraded=%v baseline %+v", a.Degraded, a.Baseline)
	}
}

func figure(a report.Analysis, target, name string) report.Figure {
	for _, f := range a.Figures {
		if f.Target == target && f.Name == name {
			return f
		}
	}
	return report.Figure{}
}

func TestAnalyzeBadTimesNameTheField(t *testing.T) {
	s, _ := seeded(t)
	cases := map[string]string{
		"":                           "start",
		"end=2026-02-03T14:00:00Z":   "start",
		"start=2026-02-03T14:00:00Z": "end",
		"start=yesterday&end=2026-02-03T14:00:00Z":                                                "start",
		"start=2026-02-03T14:00:00Z&end=2026-02-03%2015:00":                                       "end",
		"start=2026-02-03T14:00:00Z&end=2026-02-03T14:00:00Z":                                     "end",
		"start=2026-02-03T14:00:00Z&end=2026-02-03T13:00:00Z":                                     "end",
		"start=2026-02-01T00:00:00Z&end=2026-02-09T00:00:00Z":                                     "end",
		"start=2026-02-03T14:00:00Z&end=2026-02-03T15:00:00Z&baseline_start=2026-02-03T13:00:00Z": "baseline_end",
		"start=2026-02-03T14:00:00Z&end=2026-02-03T15:00:00Z&baseline_end=2026-02-03T13:00:00Z":   "baseline_start",
		"start=2026-02-03T14:00:00Z&end=2026-02-03T15:00:00Z&window=1h":                           "window",
	}
	for q, field := range cases {
		code, env := callJSON(t, "GET", s.URL+"/admin/analyze?"+q, "")
		if code != 400 || env.Error.Code != "INVALID_ARGUMENT" || env.Error.Field != field {
			t.Errorf("?%s: %d %+v, want 400 naming %s", q, code, env.Error, field)
		}
	}
}
