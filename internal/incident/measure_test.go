package incident

import (
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
)

// entry turns an event into a timeline entry as it reads back.
func entry(seq int, e event.Event) Entry {
	return Entry{Seq: seq, Time: e.Time, Kind: e.Kind, Source: e.Source, Severity: string(e.Severity), Message: e.Message, Fields: norm(e.Fields)}
}

func timeline(evs ...event.Event) []Entry {
	out := make([]Entry, len(evs))
	for i, e := range evs {
		out[i] = entry(i+1, e)
	}
	return out
}

// A slow, failed rollback that a person had to take over: every target
// missed.
func TestMetricsFailingRollback(t *testing.T) {
	inc := Incident{ID: "INC-x", OpenedAt: at(45 * time.Second), Open: true, MaxLevel: "L3", Timeline: timeline(
		fired(at(45*time.Second), "error_rate", t0),
		fired(at(50*time.Second), "latency", at(-10*time.Second)), // an earlier bad signal, seen later
		levelChange(at(45*time.Second), "L0", "L3"),
		routing(at(3*time.Minute), "primary", "fallback"),
		// As the engine reports a failed verification: the verdict in the
		// message, the error in the fields.
		ev(at(4*time.Minute), fact.KindRollback, "level", event.Critical, "MANUAL INTERVENTION REQUIRED: search returned 500",
			map[string]any{"error": "search returned 500"}),
		ev(at(5*time.Minute), fact.KindControl, "level", event.Warning, "set level L2 by carol", map[string]any{"by": "carol"}),
		ev(at(6*time.Minute), fact.KindControl, "level", event.Warning, "pause by carol", map[string]any{"by": "carol"}),
	)}
	var asked [2]time.Time
	m := measure(inc, at(20*time.Minute), sources{
		downtime: func(a, b time.Time) (time.Duration, bool) { asked = [2]time.Time{a, b}; return 31 * time.Second, true },
		dataLoss: func(inc Incident) (int, int, bool) { return 2, 100, inc.ID == "INC-x" },
	})
	check := func(m Metric, status string, d time.Duration) {
		t.Helper()
		if m.Status != status || m.Pass || (d != 0 && m.Duration() != d) {
			t.Errorf("%s = %+v, want %s %s", m.Name, m, status, d)
		}
	}
	check(m.Detection, StatusFail, 55*time.Second) // first firing 45s, earliest bad signal -10s
	check(m.Containment, StatusFail, 190*time.Second)
	check(m.Recovery, StatusNotReached, 0)
	check(m.Restore, StatusInProgress, 0)
	check(m.Downtime, StatusFail, 31*time.Second)
	check(m.Manual, StatusFail, 0)
	if m.Recovery.Note != "rollback verification: MANUAL INTERVENTION REQUIRED" {
		t.Errorf("recovery note %q", m.Recovery.Note)
	}
	if asked != [2]time.Time{at(-10 * time.Second), at(20 * time.Minute)} {
		t.Errorf("downtime window %v, want [earliest bad signal, now]", asked)
	}
	if m.DataLoss.Status != StatusFail || m.DataLoss.Value != 0.02 || m.DataLoss.Text != "2.00% (2 of 100)" {
		t.Errorf("data loss = %+v", m.DataLoss)
	}
	if m.Manual.Text != "yes" || m.Manual.Note != "by carol" {
		t.Errorf("manual = %+v", m.Manual)
	}
}

// An incident that ended at L2 never needed the rollback stages.
func TestMetricsNotNeededBelowL3(t *testing.T) {
	inc := Incident{OpenedAt: at(20 * time.Second), ClosedAt: at(3 * time.Minute), MaxLevel: "L2", Timeline: timeline(
		fired(at(20*time.Second), "latency", t0),
		levelChange(at(20*time.Second), "L0", "L2"),
		routing(at(20*time.Second), "primary", "backup"),
		levelChange(at(3*time.Minute), "L2", "L0"),
	)}
	m := measure(inc, at(time.Hour), sources{dataLoss: func(Incident) (int, int, bool) { return 0, 0, true }})
	for _, x := range []Metric{m.Containment, m.Recovery} {
		if x.Status != StatusNotNeeded || !x.Pass || x.Measured {
			t.Errorf("%s = %+v, want not needed and passing", x.Name, x)
		}
	}
	if m.Restore.Duration() != 3*time.Minute || !m.Restore.Pass || m.Detection.Duration() != 20*time.Second {
		t.Errorf("restore %+v detection %+v", m.Restore, m.Detection)
	}
	if m.DataLoss.Status != StatusPass || m.DataLoss.Value != 0 {
		t.Errorf("no writes = %+v, want 0%% passing", m.DataLoss)
	}
	if m.Downtime.Status != StatusUnmeasured || m.Downtime.Pass {
		t.Errorf("downtime without a source = %+v", m.Downtime)
	}
}

// A person escalating by hand: no detection, times from the opening.
func TestMetricsManualEscalation(t *testing.T) {
	inc := Incident{OpenedAt: t0, ClosedAt: at(9 * time.Minute), MaxLevel: "L3", Timeline: timeline(
		levelChange(t0, "L0", "L3"),
		ev(t0, fact.KindControl, "level", event.Warning, "set level L3 by erin", map[string]any{"by": "erin"}),
		routing(at(time.Minute), "primary", "fallback"),
		simple(at(2*time.Minute), fact.KindRollback, string(fact.RollbackSuccessful)),
		levelChange(at(9*time.Minute), "L3", "L0"),
	)}
	m := measure(inc, at(time.Hour), sources{})
	if m.Detection.Status != StatusNotReached || m.Detection.Pass {
		t.Errorf("detection = %+v, want not reached", m.Detection)
	}
	if m.Containment.Duration() != time.Minute || m.Recovery.Duration() != 2*time.Minute || m.Restore.Duration() != 9*time.Minute {
		t.Errorf("containment %v recovery %v restore %v", m.Containment.Duration(), m.Recovery.Duration(), m.Restore.Duration())
	}
	if m.Containment.Note == "" || !m.Restore.Pass {
		t.Errorf("containment note %q, restore %+v", m.Containment.Note, m.Restore)
	}
	if m.Manual.Status != StatusFail || m.Manual.Note != "by erin" {
		t.Errorf("manual = %+v", m.Manual)
	}
}

// Targets are strict upper bounds, as the plan writes them ("< 30 seconds").
func TestMetricTargetsAreStrict(t *testing.T) {
	if m := durationMetric("detection", targetDetection, targetDetection, ""); m.Pass {
		t.Errorf("exactly the target passed: %+v", m)
	}
	if m := durationMetric("detection", targetDetection-time.Millisecond, targetDetection, ""); !m.Pass || m.Text != "29.999s" {
		t.Errorf("just under the target: %+v", m)
	}
	if m := ratioMetric("data_loss", 1, 100); m.Pass {
		t.Errorf("1%% passed: %+v", m)
	}
	if m := durationMetric("restore", -time.Second, targetRestore, ""); m.Value != 0 {
		t.Errorf("negative duration kept: %+v", m)
	}
}

func TestDetectionWithoutBadSince(t *testing.T) {
	inc := Incident{OpenedAt: t0, Timeline: timeline(fired(t0, "x", time.Time{}), levelChange(t0, "L0", "L1"))}
	if m := measure(inc, t0, sources{}); m.Detection.Status != StatusUnmeasured {
		t.Fatalf("detection = %+v, want not measured", m.Detection)
	}
}
