package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/lab"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// startDrillLab runs simulators and a gateway on the tests' timeline, with
// a control listener on the primary as `lifeboat sim --control` opens.
func startDrillLab(t *testing.T, edit func(*config.Config)) *lab.Lab {
	t.Helper()
	l, err := lab.Start(t.Context(), lab.Options{Timings: lab.TestTimings(), Edit: edit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = l.Stop(ctx)
	})
	if err := l.Primary.StartControl("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	return l
}

// drillArgs drill lab l through its primary simulator's control listener.
func drillArgs(l *lab.Lab, dir string, extra ...string) []string {
	return append([]string{"drill", "--addr", l.URL(), "--primary-sim", l.Primary.ControlURL(), "--duration", "2s",
		"--warmup", "1s", "--concurrent", "4", "--pace", "5ms", "--data-dir", dir}, extra...)
}

// A drill against a gateway in another process, as an operator runs it:
// narrated, judged, kept, and listed by drill history.
func TestDrillCommandAgainstARunningGateway(t *testing.T) {
	t.Parallel()
	l := startDrillLab(t, nil)
	dir := t.TempDir()
	code, out, errs := run(t, drillArgs(l, dir, "--scenario", "outage"))
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, out, errs)
	}
	for _, want := range []string{"drill     FAULT injected into the primary for 2s: outage", "level     L0 -> L3",
		"routing   routing backup -> fallback", "restore   restore completed", "fault reverted",
		"FIGURE", "detection", "downtime (gateway)", "downtime (clients)", "data loss", "0.00% (0 of ",
		"each holds exactly the acknowledged messages, in order", "(outage): PASSED, every measured target met"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if f := l.Primary.Fault(); f != (sim.Fault{}) {
		t.Fatalf("fault left behind: %+v", f)
	}
	code, out, _ = run(t, []string{"drill", "history", "--data-dir", dir, "--baseline", "180s", "--target", "300s"})
	if code != 0 || !strings.Contains(out, "outage") || !strings.Contains(out, "passed") || !strings.Contains(out, "met") ||
		!strings.Contains(out, "VS BASELINE 3m0s") || !strings.Contains(out, "not enough drills") {
		t.Fatalf("history exit %d:\n%s", code, out)
	}
}

// Without --primary-sim the gateway injects the fault itself; the
// primary is never touched.
func TestDrillCommandThroughTheGatewaysFaults(t *testing.T) {
	t.Parallel()
	l := startDrillLab(t, nil)
	args := []string{"drill", "--addr", l.URL(), "--scenario", "error_spike", "--duration", "2s", "--warmup", "1s",
		"--concurrent", "4", "--pace", "5ms", "--data-dir", t.TempDir()}
	code, out, errs := run(t, args)
	if code != 0 || !strings.Contains(out, "fault     fault injected toward the primary") || !strings.Contains(out, "PASSED") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
	if st := l.App.Faults().Status(); st.Active || l.Primary.Stats().InjectedErrors != 0 {
		t.Fatalf("gateway fault %+v, primary injected %d errors", st, l.Primary.Stats().InjectedErrors)
	}
	args = []string{"drill", "--addr", l.URL(), "--scenario", "resource_exhaustion", "--warmup", "10ms", "--data-dir", t.TempDir()}
	if code, _, errs := run(t, args); code != 1 || !strings.Contains(errs, "cannot fake resource pressure") {
		t.Fatalf("resource pressure through the gateway: exit %d, %s", code, errs)
	}
}

// A target missed is exit 1 with the figures that missed: here a CPU
// trigger that waits a minute never sees a two-second fault.
func TestDrillCommandExitsOneOnAMissedTarget(t *testing.T) {
	slowCPU := func(c *config.Config) {
		for i := range c.Triggers {
			if c.Triggers[i].Signal.Type == "metrics_scrape" {
				c.Triggers[i].For = time.Minute
			}
		}
	}
	t.Parallel()
	l := startDrillLab(t, slowCPU)
	code, out, errs := run(t, drillArgs(l, t.TempDir(), "--scenario", "resource_exhaustion"))
	if code != 1 || !strings.Contains(out, "FAILED, missed detection, containment, recovery, restore") ||
		!strings.Contains(errs, "4 of 8 targets missed") || !strings.Contains(out, "the gateway never left L0") {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
}

func TestDrillCommandRefusals(t *testing.T) {
	t.Parallel()
	l := startDrillLab(t, func(c *config.Config) { c.Triggers = c.Triggers[:1] })
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{[]string{"drill", "--addr", l.URL()}, 2, "--scenario is required"},
		{drillArgs(l, t.TempDir(), "--scenario", "meltdown"), 1, `unknown scenario: "meltdown"`},
		{drillArgs(l, t.TempDir(), "--scenario", "data_corruption"), 1, "needs an integrity trigger"},
		{drillArgs(l, t.TempDir(), "--scenario", "outage", "--dry-run"), 1, "escalation.dry_run is false"},
	} {
		code, _, errs := run(t, c.args)
		if code != c.code || !strings.Contains(errs, c.says) {
			t.Errorf("%v: exit %d, %q; want %d saying %q", c.args[1:], code, errs, c.code, c.says)
		}
	}
}

// --local drills simulators and a gateway of its own, and keeps the
// result like any drill.
func TestDrillCommandLocal(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	code, out, errs := run(t, []string{"drill", "--local", "--scenario", "data_corruption", "--duration", "1s",
		"--warmup", "500ms", "--data-dir", dir, "--json"})
	var res drill.Result
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil {
		t.Fatalf("exit %d, %v:\n%s\n%s", code, err, out, errs)
	}
	if !res.Passed() || res.Trigger != "search_integrity" || res.Fault.DurationMS != 1000 || !strings.Contains(errs, "drill     FAULT injected") {
		t.Fatalf("result %+v; narration on stderr:\n%s", res, errs)
	}
	if recs, err := drill.NewStore(dir).Load(); err != nil || len(recs) != 1 || recs[0].ID != res.ID {
		t.Fatalf("kept %+v, %v", recs, err)
	}
}

// history reads what drills kept and says where recovery time is heading.
func TestDrillHistoryTrend(t *testing.T) {
	dir := t.TempDir()
	store := drill.NewStore(dir)
	for i, secs := range []float64{250, 220, 200, 170} {
		r := drill.Record{ID: "drill-" + string(rune('a'+i)), Scenario: "outage", Started: time.Date(2026, 2, 3+i, 14, 0, 0, 0, time.UTC)}
		r.Figures = append(r.Figures, recoveryFigure(secs))
		if err := store.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ := run(t, []string{"drill", "history", "--data-dir", dir, "--baseline", "180s", "--target", "300s", "--last", "3"})
	for _, want := range []string{"drill-a", "2026-02-06 14:00 UTC", "4m10s", "+1m10s", "-10s", "met",
		"trend of outage over the last 3 drills: recovery time improving, 25s faster per drill (mean 3m17s; baseline 3m0s, target 5m0s)"} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if code, out, _ := run(t, []string{"drill", "history", "--data-dir", filepath.Join(dir, "none")}); code != 0 || !strings.Contains(out, "no drills kept") {
		t.Fatalf("empty history: exit %d, %s", code, out)
	}
	os.WriteFile(store.Path(), []byte("{broken\n{}\n"), 0o600)
	if code, _, errs := run(t, []string{"drill", "history", "--data-dir", dir}); code != 1 || !strings.Contains(errs, "line 1") {
		t.Fatalf("damaged history: exit %d, %s", code, errs)
	}
}

// Scenarios recover on their own timelines: each has its own trend by
// default, and --scenario shows one; an unknown name is refused.
func TestDrillHistoryPerScenario(t *testing.T) {
	dir := t.TempDir()
	store := drill.NewStore(dir)
	for i, c := range []struct {
		scenario string
		secs     float64
	}{{"outage", 60}, {"performance_degradation", 250}, {"outage", 50}, {"performance_degradation", 240}, {"outage", 40}} {
		r := drill.Record{ID: fmt.Sprintf("drill-%d", i), Scenario: c.scenario, Started: time.Date(2026, 2, 3+i, 14, 0, 0, 0, time.UTC)}
		r.Figures = append(r.Figures, recoveryFigure(c.secs))
		if err := store.Append(r); err != nil {
			t.Fatal(err)
		}
	}
	code, out, _ := run(t, []string{"drill", "history", "--data-dir", dir})
	for _, want := range []string{"## outage", "## performance_degradation",
		"trend of outage over the last 3 drills: recovery time improving, 10s faster per drill (mean 50s",
		"trend of performance_degradation over the last 2 drills: recovery time steady"} {
		if !strings.Contains(out, want) || code != 0 {
			t.Errorf("history (exit %d) lacks %q:\n%s", code, want, out)
		}
	}
	_, out, _ = run(t, []string{"drill", "history", "--data-dir", dir, "--scenario", "outage"})
	if strings.Contains(out, "performance_degradation") || !strings.Contains(out, "drill-4") {
		t.Errorf("--scenario outage shows other scenarios or misses its own:\n%s", out)
	}
	if code, _, errs := run(t, []string{"drill", "history", "--data-dir", dir, "--scenario", "meltdown"}); code != 2 || !strings.Contains(errs, "meltdown") {
		t.Errorf("unknown scenario: exit %d, %s", code, errs)
	}
}

func recoveryFigure(secs float64) incident.Metric {
	return incident.Metric{Name: "recovery", Unit: incident.UnitSeconds, Value: secs, Measured: true, Pass: true, Status: incident.StatusPass}
}
