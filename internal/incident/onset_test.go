package incident

import (
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
)

// firedWithOnset is a trigger.fired whose window saw the problem begin
// before its first bad reading.
func firedWithOnset(when time.Time, name string, badSince, onset time.Time) event.Event {
	e := fired(when, name, badSince)
	ev := evidenceFor(name, badSince)
	ev.Onset = onset
	e.Fields["evidence"] = ev
	return e
}

// The performance drill as it ran: latency injected at +10.02s, the
// window's average crossed at +20s, the trigger fired at +21.97s. The
// old measure said 1.97s; detection runs from the onset the window saw,
// and the first-evidence figure is kept beside it.
func TestDetectionFromTriggerOnset(t *testing.T) {
	inc := Incident{OpenedAt: at(21970 * time.Millisecond), MaxLevel: "L3", Timeline: timeline(
		firedWithOnset(at(21970*time.Millisecond), "latency", at(20*time.Second), at(10*time.Second)),
		levelChange(at(21970*time.Millisecond), "L0", "L3"),
		routing(at(23*time.Second), "primary", "fallback"),
	)}
	m := measure(inc, at(time.Minute), sources{})
	if got := m.Detection.Duration(); got != 11970*time.Millisecond {
		t.Errorf("detection = %s, want 11.97s from the onset", got)
	}
	if m.Detection.FromEvidence != "1.97s" || m.Containment.FromEvidence != "3s" {
		t.Errorf("from evidence: detection %q containment %q, want 1.97s and 3s", m.Detection.FromEvidence, m.Containment.FromEvidence)
	}
	if !m.Onset.Equal(at(10*time.Second)) || !m.FirstEvidence.Equal(at(20*time.Second)) || m.OnsetFrom != "onset seen by trigger latency" {
		t.Errorf("onset %v from %q, first evidence %v", m.Onset.Sub(t0), m.OnsetFrom, m.FirstEvidence.Sub(t0))
	}
}

// A fault injected through the gateway before the incident opened is
// held, put on the timeline and taken as the onset; one injected after
// the first firing is not its cause.
func TestDetectionFromInjectedFault(t *testing.T) {
	_, _, s := tempDB(t)
	clk := &clock{t: t0}
	r := start(t, s, Options{Now: clk.Now})
	inject := ev(at(-3*time.Minute), fault.KindSet, "fault", event.Warning, "fault injected toward the primary", nil)
	for _, e := range []event.Event{
		inject,
		fired(at(5*time.Second), "cpu", at(-2*time.Minute)), // a "for 5m" trigger would fire later still
		levelChange(at(5*time.Second), "L0", "L3"),
		ev(at(6*time.Second), fault.KindSet, "fault", event.Warning, "a second fault", nil),
	} {
		r.Emit(e)
	}
	flush(t, r.Recorder)
	inc := get(t, r.Recorder, current(t, r.Recorder))
	if inc.Timeline[0].Kind != fault.KindSet {
		t.Fatalf("timeline starts %v, want the injected fault first", kinds(inc.Timeline))
	}
	if got := inc.Metrics.Detection.Duration(); got != 3*time.Minute+5*time.Second {
		t.Errorf("detection = %s, want 3m5s from the injection", got)
	}
	if inc.Metrics.OnsetFrom != "fault injected" || inc.Metrics.Detection.FromEvidence != "2m5s" {
		t.Errorf("onset from %q, detection from evidence %q", inc.Metrics.OnsetFrom, inc.Metrics.Detection.FromEvidence)
	}
}

// A drill knows its injection time better than the timeline; MeasureFrom
// judges from it, and ignores an onset after the first firing.
func TestMeasureFromDrillInjection(t *testing.T) {
	inc := Incident{OpenedAt: at(20 * time.Second), ClosedAt: at(5 * time.Minute), MaxLevel: "L3", Timeline: timeline(
		fired(at(20*time.Second), "latency", at(18*time.Second)),
		levelChange(at(20*time.Second), "L0", "L3"),
		routing(at(21*time.Second), "primary", "fallback"),
		levelChange(at(5*time.Minute), "L3", "L0"),
	)}
	inc.Metrics = measure(inc, at(time.Hour), sources{})
	inc.Metrics.Downtime.Text = "kept"
	m := MeasureFrom(inc, at(10*time.Second), "fault injected by the drill", at(time.Hour))
	if m.Detection.Duration() != 10*time.Second || m.Containment.Duration() != 11*time.Second || m.Downtime.Text != "kept" {
		t.Errorf("detection %s containment %s downtime %q", m.Detection.Duration(), m.Containment.Duration(), m.Downtime.Text)
	}
	if later := MeasureFrom(inc, at(30*time.Second), "late", at(time.Hour)); later.Detection.Duration() != 2*time.Second {
		t.Errorf("onset after the firing changed detection to %s", later.Detection.Duration())
	}
}
