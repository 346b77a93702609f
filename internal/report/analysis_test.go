package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/history"
)

func figure(t *testing.T, a Analysis, target, name string) Figure {
	t.Helper()
	for _, f := range a.Figures {
		if f.Target == target && f.Name == name {
			return f
		}
	}
	t.Fatalf("no figure %s/%s", target, name)
	return Figure{}
}

// steadySamples returns n one-second client samples ending at from+n.
func steadySamples(from, n int, req, fail int64, avg, p99 time.Duration, cpu float64) []history.Sample {
	var out []history.Sample
	for i := 1; i <= n; i++ {
		smp := sample(at(from+i), req, fail, avg, p99)
		c := cpu
		smp.CPU = &c
		out = append(out, smp)
	}
	return out
}

func TestAnalyzeRatiosAndVerdicts(t *testing.T) {
	base := steadySamples(0, 60, 20, 0, 50*time.Millisecond, 100*time.Millisecond, 30)
	win := steadySamples(60, 60, 8, 2, 150*time.Millisecond, 450*time.Millisecond, 95)
	a := Analyze(win, base)

	cases := []struct {
		name       string
		ratio      float64
		degraded   bool
		verdictHas string
	}{
		{"avg_latency", 3, true, "3.00x"},
		{"p95_latency", 300.0 / 75, true, "degraded"},
		{"p99_latency", 4.5, true, "degraded"},
		{"throughput", 0.4, true, "dropped"},
	}
	for _, c := range cases {
		f := figure(t, a, history.Client, c.name)
		if f.Ratio == nil || math.Abs(*f.Ratio-c.ratio) > 1e-9 || f.Degraded != c.degraded || !strings.Contains(f.Verdict, c.verdictHas) {
			t.Errorf("%s: ratio %v degraded %v verdict %q; want %v, %v, %q", c.name, deref(f.Ratio), f.Degraded, f.Verdict, c.ratio, c.degraded, c.verdictHas)
		}
	}
	e := figure(t, a, history.Client, "error_rate")
	if e.Window != 25 || e.Baseline != 0 || e.Ratio != nil || !e.Degraded || !strings.Contains(e.Verdict, "20%") {
		t.Errorf("error rate %+v, want 25%% against 0, no ratio, degraded past the plan's 20%%", e)
	}
	cpu := figure(t, a, "resources", "cpu")
	if !cpu.Degraded || cpu.Window != 95 || !strings.Contains(cpu.Verdict, "90%") {
		t.Errorf("cpu %+v, want degraded above 90%%", cpu)
	}
	if mem := figure(t, a, "resources", "memory"); mem.Known || mem.Degraded {
		t.Errorf("memory %+v, want unknown: no sample carried it", mem)
	}
	if p := figure(t, a, history.Primary, "avg_latency"); p.Known {
		t.Errorf("primary %+v, want unknown: no primary samples", p)
	}
	if !a.Degraded || a.Window.Samples != 60 || a.Baseline.Covered != time.Minute {
		t.Errorf("analysis %+v", a)
	}
}

func TestAnalyzeSteadyTrafficIsNormal(t *testing.T) {
	base := steadySamples(0, 30, 20, 0, 50*time.Millisecond, 100*time.Millisecond, 30)
	win := steadySamples(30, 30, 21, 0, 55*time.Millisecond, 105*time.Millisecond, 32)
	a := Analyze(win, base)
	if a.Degraded {
		for _, f := range a.Figures {
			if f.Degraded {
				t.Errorf("%s/%s degraded: %s", f.Target, f.Name, f.Verdict)
			}
		}
	}
	if f := figure(t, a, history.Client, "avg_latency"); !strings.HasPrefix(f.Verdict, "normal") {
		t.Errorf("10%% slower reads %q, want normal", f.Verdict)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestBaselineWindow(t *testing.T) {
	s, e := BaselineWindow(at(1800), at(3600))
	if !s.Equal(at(0)) || !e.Equal(at(1800)) {
		t.Errorf("baseline %v to %v, want the 30 minutes before", s, e)
	}
}

func TestAnalysisRendersAndRoundTrips(t *testing.T) {
	a := Analyze(outage(300)[120:200], outage(120))
	var md bytes.Buffer
	if err := a.Markdown(&md); err != nil {
		t.Fatal(err)
	}
	doc := md.String()
	for _, want := range []string{"# Performance analysis", "| Target | Figure | Window | Baseline | Ratio | Verdict |",
		"| client | Avg latency |", "**degraded**", "| resources | Memory (mean) | — | — | — | no data"} {
		if !strings.Contains(doc, want) {
			t.Errorf("analysis lacks %q:\n%s", want, doc)
		}
	}
	var js bytes.Buffer
	if err := a.JSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Analysis
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Figures) != len(a.Figures) || *back.Figures[0].Ratio != *a.Figures[0].Ratio || back.Degraded != a.Degraded {
		t.Errorf("round trip changed the analysis: %+v", back)
	}
}

// A baseline window without data compares nothing: the verdict says it
// cannot judge, not that no figure is degraded. Figures missing on one
// side are counted, not taken as healthy.
func TestAnalysisCannotJudgeWithoutABaseline(t *testing.T) {
	if got := Analyze(outage(100), nil).Verdict(); got != "cannot judge: the baseline window has no data" {
		t.Errorf("verdict without a baseline %q", got)
	}
	noCPU := outage(100)
	for i := range noCPU {
		noCPU[i].CPU = nil
	}
	// The samples carry the client alone and no memory: the primary's
	// four traffic figures and memory cannot be judged, and CPU neither
	// once the baseline lacks it.
	if got := Analyze(outage(100), outage(100)).Verdict(); got != "no judged figure is degraded; 5 of 12 figures had no data to judge" {
		t.Errorf("verdict of equal windows %q", got)
	}
	if got := Analyze(outage(100), noCPU).Verdict(); got != "no judged figure is degraded; 6 of 12 figures had no data to judge" {
		t.Errorf("verdict with no CPU in the baseline %q", got)
	}
}
