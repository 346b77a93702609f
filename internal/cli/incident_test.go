package cli

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client/clienttest"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/report"
)

// seeded serves the admin API over a real incident store and history; see
// clienttest.Incidents for the two incidents in it.
func seeded(t *testing.T) (*clienttest.Server, *clienttest.Incidents) {
	t.Helper()
	s := clienttest.Start(t, clienttest.Options{Incidents: true})
	return s, s.Incidents
}

func wantAll(t *testing.T, what, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, out)
		}
	}
}

func TestIncidentList(t *testing.T) {
	s, in := seeded(t)
	code, out, errs := run(t, []string{"incident", "list", "--addr", s.URL})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	wantAll(t, "list", out, "ID", "STATUS", "ACKED BY", in.Open, "open for", in.Outage, "closed after 5m50s",
		"2000-01-01 00:05:10 UTC", "primary_down", "error_rate")
	if strings.Index(out, in.Open) > strings.Index(out, in.Outage) {
		t.Fatalf("the newest incident is not first:\n%s", out)
	}
	_, out, _ = run(t, []string{"incident", "list", "--limit", "1", "--json", "--addr", s.URL})
	var list []incident.Incident
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list) != 1 || list[0].ID != in.Open {
		t.Fatalf("--limit 1 --json: %v %s", err, out)
	}
}

func TestIncidentShow(t *testing.T) {
	s, in := seeded(t)
	code, out, errs := run(t, []string{"incident", "show", in.Outage, "--addr", s.URL})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	wantAll(t, "show", out, "incident:", in.Outage, "closed after 5m50s", "L0 (highest L3)", "trigger:", "primary_down",
		"ROLLBACK SUCCESSFUL", "1 of 7 success criteria not met",
		"METRIC", "detection", "10s", "< 30s", "pass", "downtime", "20s", "data loss", "not measured",
		"emergency_rollback (9 of 10 done)", "[x] OpenViking traffic isolated  (automation, entry #4)",
		"[ ] Root cause analysis started", "post_rollback_review (1 of 10 done)", "[ ] Root cause identified",
		"artifacts:", "redis_bgsave", "timeline (last 10 of 12 entries):", "#12", "level.changed", "L3 -> L0")
	if strings.Contains(out, "#2 ") {
		t.Fatalf("show prints more than the last 10 entries:\n%s", out)
	}
	_, out, _ = run(t, []string{"incident", "show", "--last", "0", in.Outage, "--addr", s.URL})
	wantAll(t, "show --last 0", out, "timeline (last 12 of 12 entries):", "#1 ")
	code, _, errs = run(t, []string{"incident", "show", "INC-nope", "--addr", s.URL})
	if code != 1 || !strings.Contains(errs, "NOT_FOUND") {
		t.Fatalf("unknown incident: exit %d %q", code, errs)
	}
}

func TestIncidentReportToStdout(t *testing.T) {
	s, in := seeded(t)
	code, out, errs := run(t, []string{"incident", "report", in.Outage, "--addr", s.URL})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	wantAll(t, "report", out, "# Incident report "+in.Outage, "](chart.svg)", "| Trigger level | L3 |")
	_, out, _ = run(t, []string{"incident", "report", in.Outage, "--format", "json", "--addr", s.URL})
	var r report.Report
	if err := json.Unmarshal([]byte(out), &r); err != nil || r.ID != in.Outage || r.TriggerLevel != "L3" {
		t.Fatalf("--format json: %v %+v", err, r.ID)
	}
	if code, _, errs := run(t, []string{"incident", "report", in.Outage, "--format", "pdf", "--addr", s.URL}); code != 2 || !strings.Contains(errs, "md or json") {
		t.Fatalf("--format pdf: exit %d %q", code, errs)
	}
}

func TestIncidentReportSavesTheChartNextToIt(t *testing.T) {
	s, in := seeded(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "outage.md")
	code, stdout, errs := run(t, []string{"incident", "report", in.Outage, "--out", out, "--addr", s.URL})
	if code != 0 || !strings.Contains(stdout, "outage.svg") {
		t.Fatalf("exit %d %q %s", code, stdout, errs)
	}
	md, err1 := os.ReadFile(out)
	svg, err2 := os.ReadFile(filepath.Join(dir, "outage.svg"))
	if err1 != nil || err2 != nil || !bytes.Contains(md, []byte("](outage.svg)")) || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("report %v, chart %v: the report must show the chart saved next to it", err1, err2)
	}
	jsonOut := filepath.Join(dir, "outage.json")
	if code, _, errs := run(t, []string{"incident", "report", in.Outage, "--format", "json", "--out", jsonOut, "--addr", s.URL}); code != 0 {
		t.Fatalf("json --out: exit %d %s", code, errs)
	}
	var r report.Report
	if raw, err := os.ReadFile(jsonOut); err != nil || json.Unmarshal(raw, &r) != nil || len(r.Samples) == 0 {
		t.Fatalf("saved JSON report: %v, %d samples", err, len(r.Samples))
	}
}

func TestChartFileFor(t *testing.T) {
	for out, want := range map[string]string{
		"incident.md": "incident.svg", "/tmp/reports/INC-1.md": "INC-1.svg", "report": "report.svg",
		"x.svg": "x.chart.svg", "my report.md": "chart.svg", ".md": "chart.svg", "a..b.md": "chart.svg",
	} {
		if got := chartFileFor(out); got != want {
			t.Errorf("chartFileFor(%q) = %q, want %q", out, got, want)
		}
	}
}

func TestIncidentAck(t *testing.T) {
	s, in := seeded(t)
	code, _, errs := run(t, []string{"incident", "ack", in.Open, "--addr", s.URL})
	if code != 2 || !strings.Contains(errs, "--by is required") {
		t.Fatalf("ack without --by: exit %d %q", code, errs)
	}
	code, out, errs := run(t, []string{"incident", "ack", in.Open, "--by", "alice", "--addr", s.URL})
	if code != 0 || !strings.Contains(out, "acknowledged by alice") {
		t.Fatalf("ack: exit %d %q %s", code, out, errs)
	}
	if inc, err := in.Recorder.Get(t.Context(), in.Open); err != nil || inc.AckedBy != "alice" {
		t.Fatalf("stored ack: %q %v", inc.AckedBy, err)
	}
	code, _, errs = run(t, []string{"incident", "ack", in.Outage, "--by", "alice", "--addr", s.URL})
	if code != 1 || !strings.Contains(errs, "is closed") || !strings.Contains(errs, "FAILED_PRECONDITION") {
		t.Fatalf("ack a closed incident: exit %d %q", code, errs)
	}
}

func TestIncidentTick(t *testing.T) {
	s, in := seeded(t)
	args := []string{"incident", "tick", in.Outage, "--checklist", "post_rollback_review", "--by", "bob", "--addr", s.URL}
	code, out, errs := run(t, append(args, "--item", "2"))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	wantAll(t, "tick", out, "ticked by bob", "post_rollback_review (2 of 10 done)", "2. [x] Root cause identified  (bob, ")
	code, _, errs = run(t, append(args, "--item", "root cause identified"))
	if code != 1 || !strings.Contains(errs, "already ticked") {
		t.Fatalf("tick twice: exit %d %q", code, errs)
	}
	if code, _, errs := run(t, args); code != 2 || !strings.Contains(errs, "--item is required") {
		t.Fatalf("tick without --item: exit %d %q", code, errs)
	}
	if code, _, errs := run(t, []string{"incident", "tick", "--addr", s.URL}); code != 2 || !strings.Contains(errs, "one incident ID") {
		t.Fatalf("tick without an ID: exit %d %q", code, errs)
	}
}

func TestIncidentUsage(t *testing.T) {
	for _, args := range [][]string{{"incident"}, {"incident", "close"}} {
		code, _, errs := run(t, args)
		if code != 2 || !strings.Contains(errs, "tick ID --checklist NAME") {
			t.Errorf("%v: exit %d %q", args, code, errs)
		}
	}
}

func TestAnalyze(t *testing.T) {
	s, in := seeded(t)
	start, end := in.Start.Add(5*time.Minute).Format(time.RFC3339), in.Start.Add(5*time.Minute+20*time.Second).Format(time.RFC3339)
	code, out, errs := run(t, []string{"analyze", "--start", start, "--end", end, "--addr", s.URL})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	wantAll(t, "analyze", out, "window:    2000-01-01 00:05:00 UTC to 2000-01-01 00:05:20 UTC (4 samples", "TARGET",
		"client", "error rate", "40.00 %", "0.00 %", "degraded", "verdict: DEGRADED")
	_, out, _ = run(t, []string{"analyze", "--json", "--start", start, "--end", end, "--addr", s.URL})
	var a report.Analysis
	if err := json.Unmarshal([]byte(out), &a); err != nil || !a.Degraded {
		t.Fatalf("--json: %v %s", err, out)
	}
	// Relative times are taken from now, decades after the seeded history.
	if code, out, errs := run(t, []string{"analyze", "--start", "-30m", "--addr", s.URL}); code != 0 || !strings.Contains(out, "window:    no samples") {
		t.Fatalf("--start -30m: exit %d %q %s", code, out, errs)
	}
}

func TestAnalyzeBadFlags(t *testing.T) {
	s, _ := seeded(t)
	for _, args := range [][]string{{}, {"--start", "yesterday"}, {"--start", "30m"}, {"--start", "-1h", "--end", "later"},
		{"--start", "-1h", "--baseline-start", "-3h"}} {
		code, _, errs := run(t, append([]string{"analyze", "--addr", s.URL}, args...))
		if code != 2 || !strings.Contains(errs, "usage: lifeboat analyze") {
			t.Errorf("analyze %v: exit %d %q", args, code, errs)
		}
	}
	code, _, errs := run(t, []string{"analyze", "--addr", s.URL, "--start", "-1h", "--end", "-2h"})
	if code != 1 || !strings.Contains(errs, "end: must be after start") {
		t.Fatalf("end before start: exit %d %q", code, errs)
	}
}

func TestParseWhen(t *testing.T) {
	now := time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Time{
		"now": now, "-30m": now.Add(-30 * time.Minute), "+1h": now.Add(time.Hour), "-1h30m": now.Add(-90 * time.Minute),
		"2026-02-03T13:00:00Z": now.Add(-time.Hour), "2026-02-03T15:00:00+02:00": now.Add(-time.Hour),
	} {
		if got, err := parseWhen(in, now); err != nil || !got.Equal(want) {
			t.Errorf("parseWhen(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "30m", "-3 days", "2026-02-03"} {
		if _, err := parseWhen(in, now); err == nil {
			t.Errorf("parseWhen(%q) accepted", in)
		}
	}
}

func TestDiagnosticsSavesTheArchive(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{Incidents: true, Token: "tk"})
	dir := t.TempDir()
	out := filepath.Join(dir, "diag.tar.gz")
	code, stdout, errs := run(t, []string{"diagnostics", "--out", out, "--addr", s.URL, "--token", "tk"})
	if code != 0 || !strings.Contains(stdout, "wrote "+out) {
		t.Fatalf("exit %d %q %s", code, stdout, errs)
	}
	f, err := os.Open(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for tr := tar.NewReader(zr); ; n++ {
		if _, err := tr.Next(); err != nil {
			break
		}
	}
	if entries, _ := os.ReadDir(dir); n != 6 || len(entries) != 1 {
		t.Fatalf("%d archive entries (want 6: no config was given), %d files in the directory (want only the archive)", n, len(entries))
	}
}

func TestDiagnosticsFailureLeavesNoFile(t *testing.T) {
	s := clienttest.Start(t, clienttest.Options{Token: "tk"})
	dir := t.TempDir()
	code, _, errs := run(t, []string{"diagnostics", "--out", filepath.Join(dir, "d.tar.gz"), "--addr", s.URL})
	if entries, _ := os.ReadDir(dir); code != 1 || !strings.Contains(errs, "UNAUTHENTICATED") || len(entries) != 0 {
		t.Fatalf("without the token: exit %d %q, %d files left", code, errs, len(entries))
	}
	if code, _, errs := run(t, []string{"diagnostics", "--addr", s.URL}); code != 2 || !strings.Contains(errs, "--out") {
		t.Fatalf("without --out: exit %d %q", code, errs)
	}
}
