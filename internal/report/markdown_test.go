package report

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

func renderMarkdown(t *testing.T, inc incident.Incident, chartFile string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Markdown(&buf, inc, outage(600), chartFile); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("REPORT_CHART_DIR"); dir != "" {
		_ = os.WriteFile(dir+"/report.md", buf.Bytes(), 0o644)
	}
	return buf.String()
}

func TestMarkdownHasEverySection(t *testing.T) {
	doc := renderMarkdown(t, sampleIncident(), "inc-20260203-1402.svg")
	for _, want := range []string{
		"# Incident report inc-20260203-1402",
		"| Trigger level | L3 |",
		"| First trigger | error_rate |",
		"| Rollback time | 2026-02-03 14:03:20Z (T+1m15s): traffic moved to the fallback |",
		"| Verdict | ROLLBACK SUCCESSFUL |",
		"| Acknowledged | by alice at 2026-02-03 14:05:00Z |",
		"| All success criteria met | no |",
		"| Detection time | 5s | < 30s | pass |  |",
		"| User-visible downtime | 1m19s | < 30s | **FAIL** |  |",
		"| Data loss | not measured | < 1% | not measured | no write journal |",
		"![latency and error rate](inc-20260203-1402.svg)",
		"| 3 | 2026-02-03 14:02:40Z | T+35s | level.changed | level | warning | L1 -> L3: immediate \\| critical |",
		"## Checklist: Emergency rollback",
		"- [x] System status assessed — automation, 2026-02-03 14:02:05Z (event #2: trigger.fired)",
		"- [x] Stakeholders notified — bob, 2026-02-03 14:06:40Z\n",
		"- [ ] Root cause analysis started\n",
		"## Checklist: Post rollback review",
		"| redis | /var/lib/lifeboat/redis.rdb | 2026-02-03 14:03:25Z | #5 |",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Index(doc, "## Success metrics") > strings.Index(doc, "## Timeline") {
		t.Error("metrics come after the timeline")
	}
}

func TestMarkdownOfAnOpenIncidentWithoutHistory(t *testing.T) {
	inc := incident.Incident{ID: "x", Open: true, OpenedAt: at(0), MaxLevel: "L1"}
	var buf bytes.Buffer
	if err := Markdown(&buf, inc, nil, ""); err != nil {
		t.Fatal(err)
	}
	doc := buf.String()
	for _, want := range []string{
		"| Status | open |", "| Closed | still open |", "traffic never moved to the fallback",
		"none: escalated by hand", "No traffic history covers the incident.", "No chart was rendered.",
		"No events were recorded.", "No state was preserved.",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteFailuresAreReported(t *testing.T) {
	inc := sampleIncident()
	if err := Markdown(failingWriter{}, inc, nil, "c.svg"); !errors.Is(err, ErrWrite) {
		t.Errorf("Markdown: %v, want ErrWrite", err)
	}
	if err := JSON(failingWriter{}, inc, nil); !errors.Is(err, ErrWrite) {
		t.Errorf("JSON: %v, want ErrWrite", err)
	}
	if err := Chart(failingWriter{}, nil, at(0), at(1), nil); !errors.Is(err, ErrWrite) {
		t.Errorf("Chart: %v, want ErrWrite", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	inc := sampleIncident()
	samples := outage(600)
	var buf bytes.Buffer
	if err := JSON(&buf, inc, samples); err != nil {
		t.Fatal(err)
	}
	var got Report
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	want := Build(inc, samples)
	if got.ID != want.ID || got.TriggerLevel != "L3" || !got.RollbackTime.Equal(at(200)) || got.Verdict != want.Verdict {
		t.Errorf("header fields %+v", got)
	}
	if !reflect.DeepEqual(got.Metrics, want.Metrics) || !reflect.DeepEqual(got.Checklists, want.Checklists) {
		t.Error("metrics or checklists differ after the round trip")
	}
	if len(got.Timeline) != 7 || len(got.Samples) != 600 || len(got.Marks) != 6 || got.Traffic.Samples != 600 {
		t.Errorf("timeline %d, samples %d, marks %d, traffic %d", len(got.Timeline), len(got.Samples), len(got.Marks), got.Traffic.Samples)
	}
	var raw map[string]any
	_ = json.Unmarshal(buf.Bytes(), &raw)
	for _, key := range []string{"id", "trigger_level", "first_trigger", "rollback_time", "verdict", "metrics", "timeline", "checklists", "artifacts", "marks", "samples"} {
		if _, ok := raw[key]; !ok {
			t.Errorf("no %q in the JSON", key)
		}
	}
}

func TestMarksAndWindow(t *testing.T) {
	inc := sampleIncident()
	want := []Mark{
		{Time: at(125), Until: at(560), Shade: true, Label: "incident inc-20260203-1402"},
		{Time: at(125), Label: "L0 → L1"}, {Time: at(125), Label: "first trigger: trigger error_rate fired: 25 % > 20 %"},
		{Time: at(160), Label: "L1 → L3"}, {Time: at(200), Label: "rollback: traffic to fallback"}, {Time: at(560), Label: "restored: L0"},
	}
	if got := Marks(inc); !reflect.DeepEqual(got, want) {
		t.Errorf("marks %v, want %v", got, want)
	}
	start, end := Window(inc, at(9999))
	if !start.Equal(at(5)) || !end.Equal(at(680)) {
		t.Errorf("window %v to %v, want 2m either side of 125s-560s", start, end)
	}
	inc.Open = true
	if _, end := Window(inc, at(700)); !end.Equal(at(700).Add(2 * time.Minute)) {
		t.Errorf("an open incident's window ends at %v, want now + 2m", end)
	}
}
