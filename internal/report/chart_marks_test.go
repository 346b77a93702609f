package report

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// The right axis reads in percent with round ticks (0.2 steps print as
// 0.6, not 0.6000000000000001), the incident's span is shaded so a spike
// after it reads as outside, and the onset, the first trigger and every
// restore step are marked.
func TestChartMarksOnsetStepsAndShadesTheIncident(t *testing.T) {
	inc := sampleIncident()
	inc.Metrics.Onset, inc.Metrics.OnsetFrom = at(118), "fault injected"
	step := incident.Entry{Seq: 8, Time: at(500), Kind: "restore.step", Message: "restore step 2/5",
		Fields: map[string]any{"step": 2.0, "weight": 25.0}}
	inc.Timeline = append(inc.Timeline[:6:6], step, inc.Timeline[6])
	quiet := outage(600)
	for i := range quiet { // errors below 1 %: an axis of 0.2 % steps
		if len(quiet[i].Targets) > 0 {
			quiet[i].Targets[0].ErrorRate = 0.001
		}
	}
	var buf bytes.Buffer
	if err := Chart(&buf, quiet, at(0), at(600), Marks(inc)); err != nil {
		t.Fatal(err)
	}
	els := parseSVG(t, buf.Bytes())
	var texts []string
	shaded := 0
	for _, e := range els {
		if e.name == "text" {
			texts = append(texts, strings.TrimSpace(e.text))
		}
		if e.name == "rect" && e.attrs["class"] == "incident" {
			shaded++
		}
	}
	for _, want := range []string{"0.6", "1.0", "error rate (%)", "onset (fault injected)",
		"first trigger: trigger error_rate fired: 25 % > 20 %", "restore step 2: 25%", "restored: L0"} {
		if !slices.Contains(texts, want) {
			t.Errorf("chart lacks text %q", want)
		}
	}
	for _, txt := range texts {
		if strings.Contains(txt, "0000") {
			t.Errorf("a tick prints float noise: %q", txt)
		}
	}
	if shaded != 1 {
		t.Errorf("%d shaded spans, want the incident's one", shaded)
	}
}
