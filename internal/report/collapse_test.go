package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// floodedIncident is the incident of the issue: 690 journal replays, one
// per session, and a health check flapping 40 times, around the handful
// of entries people need.
func floodedIncident() incident.Incident {
	inc := sampleIncident()
	tl := inc.Timeline[:6:6] // up to the rollback verdict
	seq := len(tl)
	add := func(sec int, kind, sev, msg string, f map[string]any) {
		seq++
		tl = append(tl, incident.Entry{Seq: seq, Time: at(sec), Kind: kind, Source: "x", Severity: sev, Message: msg, Fields: f})
	}
	for i := range 40 {
		to := []string{"up", "down"}[i%2]
		add(300+i, "health.changed", "warning", "primary -> "+to, map[string]any{"to": to})
	}
	add(400, "restore.step", "info", "restore step 1/5", nil)
	for i := range 690 {
		sev := "info"
		if i == 7 {
			sev = "warning"
		}
		add(401+i%100, "journal.replayed", sev, "replayed 1 journaled writes", map[string]any{"replayed": 2.0, "already": 0.0, "lost": float64(i % 2), "conflicts": 0.0})
	}
	add(560, "level.changed", "info", "L3 -> L0: restored", map[string]any{"from": "L3", "to": "L0"})
	inc.Timeline = tl
	inc.Metrics.Onset, inc.Metrics.OnsetFrom = at(110), "fault injected"
	return inc
}

// A flooded timeline reads in a page: one row per replay run with its
// totals, one for the flapping check with its count, the onset in its
// place; the JSON report keeps every entry.
func TestMarkdownCollapsesFloods(t *testing.T) {
	inc := floodedIncident()
	doc := renderMarkdown(t, inc, "")
	if n := strings.Count(doc, "\n"); n > 150 {
		t.Errorf("the report has %d lines, want a page", n)
	}
	for _, want := range []string{
		"| 7–46 | 2026-02-03 14:05:00Z | T+2m55s | health.changed | x | warning | 40× over 39s, the last: primary -> down (details in the JSON report) |",
		"journal.replayed | x | warning | 690 replay runs over 1m29s: 1380 writes applied, 0 already there, 345 lost, 0 conflicts (details in the JSON report) |",
		"| — | 2026-02-03 14:01:50Z | T-15s | onset | measure | critical | the problem began (fault injected); the plan's durations run from here |",
	} {
		if !strings.Contains(doc, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	if strings.Index(doc, "| onset |") > strings.Index(doc, "L0 -> L1") {
		t.Error("the onset row is not before the first level change")
	}
	var buf bytes.Buffer
	if err := JSON(&buf, inc, nil); err != nil {
		t.Fatal(err)
	}
	var r Report
	if err := json.Unmarshal(buf.Bytes(), &r); err != nil || len(r.Timeline) != len(inc.Timeline) {
		t.Fatalf("JSON report holds %d entries (%v), want all %d", len(r.Timeline), err, len(inc.Timeline))
	}
}
