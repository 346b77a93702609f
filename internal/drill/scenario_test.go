package drill_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/lab"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// Every scenario, on the test timeline in a lab of its own: the gateway
// detects the fault with the trigger the plan names, rolls back, restores
// to L0, and every figure meets the plan's target.
func TestEveryScenarioMeetsThePlansTargets(t *testing.T) {
	// The triggers that can see each fault first. The integrity probe
	// reads the primary directly, so it also fails on a refused connection
	// or an injected 503 before the traffic triggers have their volume.
	triggers := map[string][]string{
		"performance_degradation": {"response_time"},
		"outage":                  {"health_checks", "search_integrity"},
		"error_spike":             {"error_rate", "health_checks", "search_integrity"},
		"resource_exhaustion":     {"cpu", "memory"},
		"data_corruption":         {"search_integrity"},
	}
	for _, sc := range drill.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			l := startLab(t, lab.Options{})
			res, tr, err := drillLab(t, l, sc.Name, nil)
			if err != nil {
				t.Fatal(err)
			}
			if !res.Passed() {
				t.Fatalf("missed targets: %+v", res.Missed())
			}
			checkFigures(t, res)
			checkDetection(t, sc.Name, res)
			if !slices.Contains(triggers[sc.Name], res.Trigger) || !tr.has("trigger", "trigger "+res.Trigger+" fired") {
				t.Errorf("first trigger %q, want one of %v, narrated", res.Trigger, triggers[sc.Name])
			}
			if res.MaxLevel != "L3" || res.Verdict != level.RollbackSuccessful || res.Incident == "" {
				t.Errorf("incident %q reached %s with %q, want L3 and a successful rollback", res.Incident, res.MaxLevel, res.Verdict)
			}
			if f := l.Primary.Fault(); f != (sim.Fault{}) {
				t.Errorf("fault left behind: %+v", f)
			}
		})
	}
}

// checkFigures asserts that every figure the drill reports is measured and
// passes, data loss counted over real writes.
func checkFigures(t *testing.T, res drill.Result) {
	t.Helper()
	want := []string{"detection", "containment", "recovery", "restore", "downtime", "client_downtime", "data_loss", "manual_intervention"}
	if len(res.Figures) != len(want) {
		t.Fatalf("%d figures, want %d", len(res.Figures), len(want))
	}
	for i, f := range res.Figures {
		if f.Name != want[i] || !f.Measured || !f.Pass || f.Status != incident.StatusPass {
			t.Errorf("figure %d: %+v, want %s measured and passing", i, f, want[i])
		}
	}
	loss, _ := res.Figure("data_loss")
	if res.Load.Acked == 0 || loss.Value != 0 {
		t.Errorf("data loss %s over %d acknowledged writes, want 0 over some", loss.Text, res.Load.Acked)
	}
	// The sessions written during the outage were journaled and replayed:
	// each must hold the acknowledged messages exactly, in order, once.
	if !strings.Contains(loss.Note, "each holds exactly the acknowledged messages, in order") {
		t.Errorf("data loss note %q: the sessions read back differ from what was acknowledged", loss.Note)
	}
	if rec, _ := res.Figure("recovery"); rec.Duration() <= 0 {
		t.Errorf("recovery %s, want a positive time", rec.Text)
	}
}

// checkDetection asserts that detection runs from the drill's injection:
// the latency drill's first slow answer takes the fault's latency, and its
// trigger then waits its "for", so detection is at least both; a figure
// from the trigger's first bad reading would be about the "for" alone.
func checkDetection(t *testing.T, scenario string, res drill.Result) {
	t.Helper()
	det, _ := res.Figure("detection")
	if !strings.Contains(det.Note, "fault injected by the drill") {
		t.Errorf("detection note %q, want it measured from the drill's injection", det.Note)
	}
	if scenario != "performance_degradation" {
		return
	}
	tt := lab.TestTimings()
	if least := time.Duration(lab.FaultFor(drill.Scenario{Fault: drill.Fault{LatencyMS: 1}}).LatencyMS)*time.Millisecond + tt.TriggerFor; det.Duration() < least {
		t.Errorf("performance detection %s, want at least %s: the first slow answer, then the trigger's for", det.Text, least)
	}
}
