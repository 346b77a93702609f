package deploy_test

import (
	"bytes"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
	"github.com/lifeboat-sre/lifeboat/internal/testtool"
)

// The rules load, and their unit tests (stuck at L3, rollback failed,
// notifications failing, journal not draining…) pass.
func TestAlertRulesPassPromtool(t *testing.T) {
	bin := testtool.Need(t, "promtool")
	promtool(t, bin, "check", "rules", "prometheus/lifeboat-rules.yml")
	out := promtool(t, bin, "test", "rules", "prometheus/lifeboat-rules.test.yml")
	if !strings.Contains(out, "SUCCESS") {
		t.Fatalf("promtool test rules did not report success:\n%s", out)
	}
}

func promtool(t *testing.T, bin string, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("promtool %v: %v\n%s", args, err, out.String())
	}
	return out.String()
}

// Every query of the dashboard and every rule names only series a real
// gateway exports, so neither shows "no data" because of a typo or a
// rename.
func TestDashboardAndRulesNameExportedSeries(t *testing.T) {
	exported := gatewaySeries(t)
	exprs := dashboardExprs(t)
	rules, err := os.ReadFile("prometheus/lifeboat-rules.yml")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`(?m)^\s*expr: (.*(?:\n\s{10}.*)*)`).FindAllStringSubmatch(string(rules), -1) {
		exprs = append(exprs, m[1])
	}
	if len(exprs) < 20 {
		t.Fatalf("found only %d queries: the test no longer reads the files right", len(exprs))
	}
	name := regexp.MustCompile(`\blifeboat_[a-z_]+`)
	for _, e := range exprs {
		names := name.FindAllString(e, -1)
		if len(names) == 0 && !strings.Contains(e, `up{job="lifeboat"}`) {
			t.Errorf("query names no Lifeboat series: %s", e)
		}
		for _, n := range names {
			if !exported[strings.TrimSuffix(n, "_bucket")] {
				t.Errorf("query %s names %s, which the gateway does not export", e, n)
			}
		}
	}
}

// dashboardExprs reads every panel's and annotation's query.
func dashboardExprs(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("grafana/lifeboat-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var d struct {
		UID    string `json:"uid"`
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Annotations struct {
			List []struct {
				Expr string `json:"expr"`
			} `json:"list"`
		} `json:"annotations"`
	}
	if err := json.Unmarshal(data, &d); err != nil {
		t.Fatalf("the dashboard is not JSON Grafana can import: %v", err)
	}
	if d.UID == "" || len(d.Panels) == 0 {
		t.Fatalf("dashboard has uid %q and %d panels", d.UID, len(d.Panels))
	}
	var out []string
	for _, p := range d.Panels {
		if len(p.Targets) == 0 {
			t.Errorf("panel %q has no query", p.Title)
		}
		for _, tg := range p.Targets {
			out = append(out, tg.Expr)
		}
	}
	for _, a := range d.Annotations.List {
		out = append(out, a.Expr)
	}
	return out
}

// gatewaySeries runs a gateway in front of both simulators, with a
// notifier, actions and one drill in its history, and returns the metric
// names its /metrics lists (a histogram's name without suffix).
func gatewaySeries(t *testing.T) map[string]bool {
	t.Helper()
	ov, lr := startSim(t, sim.NewOpenViking(sim.OpenVikingOptions{})), startSim(t, sim.NewLightRAG(sim.LightRAGOptions{}))
	c := config.Default()
	c.Listen = "127.0.0.1:0"
	c.Upstreams.Primary.URL, c.Upstreams.Fallback.URL = ov.URL(), lr.URL()
	c.Escalation.DataDir = t.TempDir()
	c.Notify.Notifiers = []config.NotifierConfig{{Name: "oncall", Type: "webhook", URL: "http://127.0.0.1:9/hook"}}
	drill := `{"id":"drill-1","ended":"2026-05-01T12:00:00Z","figures":[{"name":"recovery","unit":"seconds","value":42,"measured":true,"pass":true},{"name":"data_loss","unit":"ratio","value":0,"measured":true,"pass":true}]}` + "\n"
	if err := os.WriteFile(c.Escalation.DataDir+"/drills.jsonl", []byte(drill), 0o600); err != nil {
		t.Fatal(err)
	}
	a := testtool.StartApp(t, c)
	// Trigger values appear with the first evaluation's readings, so the
	// scrape is repeated, within a bound, until every family is there.
	want := []string{"lifeboat_level", "lifeboat_trigger_value", "lifeboat_action_runs_total",
		"lifeboat_notifications_total", "lifeboat_drill_last_timestamp_seconds"}
	deadline := time.Now().Add(10 * time.Second)
	for {
		out := families(t, "http://"+a.Addr()+"/metrics")
		missing := slices.DeleteFunc(slices.Clone(want), func(n string) bool { return out[n] })
		if len(missing) == 0 {
			return out
		}
		if time.Now().After(deadline) {
			t.Fatalf("the gateway does not export %v within 10s; it exports %v", missing, slices.Sorted(maps.Keys(out)))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// families scrapes url and returns the metric family names it lists.
func families(t *testing.T, url string) map[string]bool {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	out := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^# TYPE (\S+) `).FindAllStringSubmatch(string(body), -1) {
		out[m[1]] = true
	}
	return out
}

// startSim runs a simulator on a free loopback port for the test.
var startSim = testtool.StartSim
