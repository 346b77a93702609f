package report

import (
	"testing"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

func TestResultReadsEveryStatus(t *testing.T) {
	cases := []struct {
		m    incident.Metric
		want string
	}{
		{incident.Metric{Status: incident.StatusPass, Pass: true}, "pass"},
		{incident.Metric{Status: incident.StatusNotNeeded, Pass: true}, "pass (not needed)"},
		{incident.Metric{Status: incident.StatusFail}, "**FAIL**"},
		{incident.Metric{Status: incident.StatusNotReached}, "**FAIL** (not reached)"},
		{incident.Metric{Status: incident.StatusInProgress}, "in progress"},
		{incident.Metric{Status: incident.StatusUnmeasured}, "not measured"},
	}
	for _, c := range cases {
		if got := result(c.m); got != c.want {
			t.Errorf("%s: %q, want %q", c.m.Status, got, c.want)
		}
	}
}

func TestCellKeepsTablesIntact(t *testing.T) {
	if got := cell("exit 1 | tail\nsecond line"); got != `exit 1 \| tail<br>second line` {
		t.Errorf("cell = %q", got)
	}
}

func TestLabels(t *testing.T) {
	if metricLabel("downtime") != "User-visible downtime" || metricLabel("new_thing") != "New thing" {
		t.Error("metric labels")
	}
	if figureLabel("cpu") != "CPU (mean)" || figureLabel("p99_latency") != "P99 latency" {
		t.Error("figure labels")
	}
	if offset(at(10), at(70)) != "T-1m0s" || offset(at(70), at(10)) != "T+1m0s" {
		t.Error("offsets")
	}
}
