package app_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/testtool"
)

// The decision series follow the engine through an outage: L0 with no
// incident, then L3 on the fallback with the incident open, the rollback
// verified and the trigger firing; promtool accepts the exposition.
func TestDecisionSeriesFollowTheEngine(t *testing.T) {
	r := newRig(t, []config.Trigger{planTrigger(t, "health_checks")}, func(c *config.Config) {
		c.Escalation.Actions.L3 = []action.Spec{
			{Name: "queue_on", Type: "builtin", Builtin: "enable_queue", Params: map[string]any{"max_queue_size": 500}},
			{Name: "always_fails", Type: "command", Command: []string{"false"}},
		}
	})
	r.stepNow()
	at0 := scrape(t, r.base)
	want(t, at0, "lifeboat_level", nil, 0)
	want(t, at0, "lifeboat_phase", map[string]string{"phase": "normal"}, 1)
	want(t, at0, "lifeboat_phase", map[string]string{"phase": "on_fallback"}, 0)
	want(t, at0, "lifeboat_incident_open", nil, 0)
	want(t, at0, "lifeboat_rollback_verified", nil, -1)
	want(t, at0, "lifeboat_trigger_threshold", map[string]string{"trigger": "health_checks"}, 3)
	want(t, at0, "lifeboat_trigger_firing", map[string]string{"trigger": "health_checks"}, 0)

	r.toFallback()
	// The recorder opens the incident from the engine's events, which it
	// takes in order but apart from the engine: wait for it, boundedly.
	eventually(t, "the incident opened", func() bool {
		v, _ := value(scrape(t, r.base), "lifeboat_incident_open", nil)
		return v == 1
	})
	at3 := scrape(t, r.base)
	want(t, at3, "lifeboat_level", nil, 3)
	want(t, at3, "lifeboat_phase", map[string]string{"phase": "on_fallback"}, 1)
	want(t, at3, "lifeboat_phase", map[string]string{"phase": "normal"}, 0)
	want(t, at3, "lifeboat_incident_open", nil, 1)
	want(t, at3, "lifeboat_rollback_verified", nil, 1)
	want(t, at3, "lifeboat_restore_step", nil, 0)
	want(t, at3, "lifeboat_trigger_firing", map[string]string{"trigger": "health_checks"}, 1)
	if v, ok := value(at3, "lifeboat_trigger_value", map[string]string{"trigger": "health_checks"}); !ok || v <= 3 {
		t.Errorf("lifeboat_trigger_value{trigger=health_checks} = %v (present %v), want more than 3", v, ok)
	}
	want(t, at3, "lifeboat_action_runs_total", map[string]string{"action": "queue_on", "outcome": "success"}, 1)
	want(t, at3, "lifeboat_action_runs_total", map[string]string{"action": "always_fails", "outcome": "failure"}, 1)
	promtoolCheckMetrics(t, r.base)
}

// The last drill of the history is exported, figure by figure.
func TestDrillSeriesReadTheHistory(t *testing.T) {
	r := newRig(t, nil, nil)
	if _, ok := scrape(t, r.base)["lifeboat_drill_last_timestamp_seconds"]; ok {
		t.Fatal("drill series exported before any drill ran")
	}
	ended := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	line := func(recovery float64) string {
		b, _ := json.Marshal(map[string]any{"id": "d", "ended": ended, "figures": []incident.Metric{
			{Name: "recovery", Unit: incident.UnitSeconds, Value: recovery, Measured: true, Pass: recovery < 300},
			{Name: "data_loss", Unit: incident.UnitRatio, Value: 0, Measured: true, Pass: true},
			{Name: "restore", Unit: incident.UnitSeconds, Measured: false},
		}})
		return string(b) + "\n"
	}
	history := line(400) + line(42) + `{"id":"cut sh` // the last line cut short by a crash
	if err := os.WriteFile(filepath.Join(r.cfg.Escalation.DataDir, "drills.jsonl"), []byte(history), 0o600); err != nil {
		t.Fatal(err)
	}
	got := scrape(t, r.base)
	want(t, got, "lifeboat_drill_last_timestamp_seconds", nil, float64(ended.Unix()))
	want(t, got, "lifeboat_drill_last_duration_seconds", map[string]string{"figure": "recovery"}, 42)
	want(t, got, "lifeboat_drill_last_target_met", map[string]string{"figure": "recovery"}, 1)
	want(t, got, "lifeboat_drill_last_ratio", map[string]string{"figure": "data_loss"}, 0)
	if _, ok := value(got, "lifeboat_drill_last_duration_seconds", map[string]string{"figure": "restore"}); ok {
		t.Error("an unmeasured figure is exported")
	}
}

// scrape reads the gateway's /metrics into families by name.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	_, body := get(t, base+"/metrics")
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	return fams
}

// value finds the sample of name whose labels include labels.
func value(fams map[string]*dto.MetricFamily, name string, labels map[string]string) (float64, bool) {
	for _, m := range fams[name].GetMetric() {
		have := map[string]string{}
		for _, lp := range m.GetLabel() {
			have[lp.GetName()] = lp.GetValue()
		}
		match := true
		for k, v := range labels {
			match = match && have[k] == v
		}
		if match {
			if g := m.GetGauge(); g != nil {
				return g.GetValue(), true
			}
			return m.GetCounter().GetValue(), true
		}
	}
	return 0, false
}

func want(t *testing.T, fams map[string]*dto.MetricFamily, name string, labels map[string]string, v float64) {
	t.Helper()
	got, ok := value(fams, name, labels)
	if !ok || got != v {
		t.Errorf("%s%v = %v (present %v), want %v", name, labels, got, ok, v)
	}
}

// promtoolCheckMetrics runs `promtool check metrics` on a scrape, which
// lints names, units, help texts and counter suffixes.
func promtoolCheckMetrics(t *testing.T, base string) {
	t.Helper()
	bin := testtool.Need(t, "promtool")
	_, body := get(t, base+"/metrics")
	cmd := exec.Command(bin, "check", "metrics")
	cmd.Stdin = strings.NewReader(body)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out.String())
	}
}
