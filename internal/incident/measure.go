package incident

import (
	"slices"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
)

// sources supply what the timeline cannot tell: user-visible downtime and
// lost writes. Either may be nil, leaving its metric unmeasured.
type sources struct {
	downtime func(start, end time.Time) (time.Duration, bool)
	dataLoss func(inc Incident) (lost, total int, ok bool)
}

// milestones are the moments the metrics are measured between, read from
// the timeline.
type milestones struct {
	onset     time.Time    // when the problem began (see onset.go)
	onsetFrom string       // what onset is, for people
	firstBad  time.Time    // earliest bad_since among the triggers that fired: the first evidence
	injected  time.Time    // the last fault injected before the first firing
	fired     time.Time    // first trigger.fired
	contained time.Time    // first routing to the fallback
	recovered time.Time    // first successful rollback verdict
	verdict   fact.Verdict // last rollback verdict, for the note on failure
	people    []string     // who took control, in order
}

func scan(tl []Entry) milestones {
	var m milestones
	for _, e := range tl {
		switch f := e.Fact().(type) {
		case fact.TriggerFired:
			m.fired = earliest(m.fired, e.Time)
			m.firstBad = earliest(m.firstBad, f.Reading().BadSince)
			m.noteOnset(f.Reading())
		case fact.FaultSet:
			m.noteInjection(e)
		case fact.RoutingChanged:
			if f.Isolates() {
				m.contained = earliest(m.contained, e.Time)
			}
		case fact.RollbackResult:
			m.verdict = f.Verdict
			if f.Succeeded() {
				m.recovered = earliest(m.recovered, e.Time)
			}
		case fact.Control:
			m.people = appendPerson(m.people, f.By)
		}
	}
	m.settle()
	return m
}

// earliest keeps the first non-zero time.
func earliest(cur, t time.Time) time.Time {
	if t.IsZero() || (!cur.IsZero() && !t.Before(cur)) {
		return cur
	}
	return t
}

func appendPerson(people []string, by string) []string {
	if by == "" {
		by = "unknown"
	}
	if slices.Contains(people, by) {
		return people
	}
	return append(people, by)
}

// measure computes inc's metrics at now from its timeline. Durations run
// from the onset of the problem (see onset.go): a fault injected just
// before, or the earliest onset the firing triggers saw; when no trigger
// carried one (a person escalated), from the incident's opening.
func measure(inc Incident, now time.Time, src sources) Metrics {
	return measureFrom(inc, scan(inc.Timeline), now, src)
}

func measureFrom(inc Incident, m milestones, now time.Time, src sources) Metrics {
	start, note := m.onset, ""
	if start.IsZero() {
		start, note = inc.OpenedAt, "measured from the incident opening: no trigger reported a first bad signal"
	}
	l3 := inc.MaxLevel == string(fact.L3)
	out := Metrics{
		Onset: m.onset, OnsetFrom: m.onsetFrom, FirstEvidence: m.firstBad,
		Detection:   detection(m),
		Containment: stage("containment", start, m.contained, targetContainment, l3, note, "the primary was never isolated"),
		Recovery:    stage("recovery", start, m.recovered, targetRecovery, l3, note, recoveryMiss(m)),
		Restore:     restore(inc, start, note),
		Downtime:    downtime(inc, start, now, src.downtime),
		DataLoss:    dataLoss(inc, src.dataLoss),
		Manual:      yesNoMetric("manual_intervention", len(m.people) > 0, byNote(m.people)),
	}
	out.fromEvidence(m)
	return out
}

// detection runs from the onset to the first firing. Every incident
// needs it: one that no trigger detected was found by a person.
func detection(m milestones) Metric {
	switch {
	case m.fired.IsZero():
		return unmeasuredDuration("detection", targetDetection, StatusNotReached, "no trigger fired: a person escalated")
	case m.onset.IsZero():
		return unmeasuredDuration("detection", targetDetection, StatusUnmeasured, "the trigger reported no first bad signal")
	}
	return durationMetric("detection", m.fired.Sub(m.onset), targetDetection, "from "+m.onsetFrom)
}

// stage measures a step of the Level 3 rollback. Only incidents that
// reached L3 need it; the others pass it as not needed.
func stage(name string, start, at time.Time, limit time.Duration, needed bool, note, miss string) Metric {
	switch {
	case !at.IsZero():
		return durationMetric(name, at.Sub(start), limit, note)
	case !needed:
		return unmeasuredDuration(name, limit, StatusNotNeeded, "the incident never reached L3")
	}
	return unmeasuredDuration(name, limit, StatusNotReached, miss)
}

func recoveryMiss(m milestones) string {
	if m.verdict != "" && m.verdict != fact.RollbackSuccessful {
		return "rollback verification: " + string(m.verdict)
	}
	return "the fallback was never verified serving everything"
}

// restore runs to the incident's close. Every incident needs it.
func restore(inc Incident, start time.Time, note string) Metric {
	if inc.Open {
		return unmeasuredDuration("restore", targetRestore, StatusInProgress, "the incident is open")
	}
	return durationMetric("restore", inc.ClosedAt.Sub(start), targetRestore, note)
}

// downtime asks the traffic history over the incident, up to now while
// it is open.
func downtime(inc Incident, start, now time.Time, f func(start, end time.Time) (time.Duration, bool)) Metric {
	end, note := inc.ClosedAt, ""
	if inc.Open {
		end, note = now, "so far: the incident is open"
	}
	if f == nil {
		return unmeasuredDuration("downtime", targetDowntime, StatusUnmeasured, "no client error history")
	}
	d, ok := f(start, end)
	if !ok {
		return unmeasuredDuration("downtime", targetDowntime, StatusUnmeasured, "no client error history for the incident window")
	}
	return durationMetric("downtime", d, targetDowntime, note)
}

func dataLoss(inc Incident, f func(inc Incident) (lost, total int, ok bool)) Metric {
	miss := unmeasured("data_loss", UnitRatio, targetDataLoss, "< 1%", StatusUnmeasured, "no write journal")
	if f == nil {
		return miss
	}
	lost, total, ok := f(inc)
	if !ok {
		return miss
	}
	return ratioMetric("data_loss", lost, total)
}

func byNote(people []string) string {
	if len(people) == 0 {
		return ""
	}
	return "by " + strings.Join(people, ", ")
}
