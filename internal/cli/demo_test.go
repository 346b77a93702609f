package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// The one-command demo on the tests' timeline: it exits 0 and tells the
// story in order, from the fault to the restore, then the report and the
// figures; the pager hears of the incident opening and closing.
func TestDemoNarratesAnOutageAndExitsZero(t *testing.T) {
	t.Parallel()
	report := filepath.Join(t.TempDir(), "incident.md")
	code, out, errs := run(t, []string{"demo", "--fast", "--report", report})
	if code != 0 {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
	story := []string{
		`primary   OpenViking simulator  http://127\.0\.0\.1:\d+`,
		`\+\s*\d+\.\d\ds  drill     steady load: 4 workers`,
		`drill     FAULT injected into the primary for 2s: outage \(connections refused\)`,
		`level     L0 -> L3: immediate trigger fired`,
		`routing   routing backup -> fallback`,
		`rollback  ROLLBACK SUCCESSFUL`,
		`drill     fault reverted`,
		`restore   primary healthy; hold-down of 1s started`,
		`restore   restore step 5/5: 100% to the primary`,
		`level     L3 -> L0: restore completed`,
		`# Incident report INC-`,
		`## Figures measured by the drill`,
		`data loss\s+0\.00% \(0 of \d+\)`,
		`\(outage\): PASSED, every measured target met`,
		`everything it started is stopped`,
	}
	tellsInOrder(t, out, story)
	// Alerts are delivered in the background, so they interleave freely.
	for _, want := range []string{"alert     alert sent: trigger to pager (on-call)", "alert     alert sent: resolve to pager (on-call)"} {
		if !strings.Contains(out, want) {
			t.Errorf("the demo does not say %q", want)
		}
	}
	md, err := os.ReadFile(report)
	svg, serr := os.ReadFile(strings.TrimSuffix(report, ".md") + ".svg")
	if err != nil || serr != nil || !strings.Contains(string(md), "![latency and error rate](incident.svg)") || !strings.Contains(string(svg), "<svg") {
		t.Fatalf("saved report: %v, %v", err, serr)
	}
}

// tellsInOrder fails t unless out matches every pattern of story, each
// after the one before.
func tellsInOrder(t *testing.T, out string, story []string) {
	t.Helper()
	at := 0
	for _, pat := range story {
		loc := regexp.MustCompile(pat).FindStringIndex(out[at:])
		if loc == nil {
			t.Fatalf("after offset %d the demo does not say %q:\n%s", at, pat, out)
		}
		at += loc[1]
	}
}
