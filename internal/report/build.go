package report

import (
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// Report is the plan's incident report: everything Markdown prints and
// JSON encodes, derived once so that both formats say the same.
type Report struct {
	ID       string    `json:"id"`
	Open     bool      `json:"open"`
	OpenedAt time.Time `json:"opened_at"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// TriggerLevel is the highest level the incident reached.
	TriggerLevel string `json:"trigger_level"`
	// FirstTrigger is the first trigger that fired; empty when a person
	// escalated.
	FirstTrigger string `json:"first_trigger,omitempty"`
	// RollbackTime is when traffic moved to the fallback; zero when it
	// never did.
	RollbackTime time.Time `json:"rollback_time,omitzero"`
	// Verdict is the last rollback verification's verdict, if any.
	Verdict string `json:"verdict,omitempty"`
	// Onset is when the problem began, which the metrics are judged from;
	// OnsetFrom says what it is. Zero when not known.
	Onset     time.Time `json:"onset,omitzero"`
	OnsetFrom string    `json:"onset_from,omitempty"`
	// Passed reports whether every success metric passed.
	Passed     bool                 `json:"passed"`
	AckedBy    string               `json:"acked_by,omitempty"`
	AckedAt    time.Time            `json:"acked_at,omitzero"`
	Metrics    []incident.Metric    `json:"metrics"`
	Timeline   []incident.Entry     `json:"timeline"`
	Checklists []incident.Checklist `json:"checklists"`
	Artifacts  []incident.Artifact  `json:"artifacts"`
	// Marks are the moments a chart of the incident shows.
	Marks []Mark `json:"marks"`
	// Traffic summarises the samples; Samples are the series behind the
	// chart, as given.
	Traffic history.Summary  `json:"traffic"`
	Samples []history.Sample `json:"samples"`
}

// Build derives the report of inc over samples, which are normally the
// history of the incident's window (see Window).
func Build(inc incident.Incident, samples []history.Sample) Report {
	return Report{
		ID: inc.ID, Open: inc.Open, OpenedAt: inc.OpenedAt, ClosedAt: inc.ClosedAt,
		TriggerLevel: inc.MaxLevel, FirstTrigger: inc.Trigger,
		RollbackTime: rollbackTime(inc.Timeline), Verdict: inc.Rollback,
		Onset: inc.Metrics.Onset, OnsetFrom: inc.Metrics.OnsetFrom,
		Passed: inc.Metrics.Passed(), AckedBy: inc.AckedBy, AckedAt: inc.AckedAt,
		Metrics: inc.Metrics.All(), Timeline: nonNil(inc.Timeline),
		Checklists: nonNil(inc.Checklists), Artifacts: nonNil(inc.Artifacts),
		Marks: Marks(inc), Traffic: history.Summarize(samples), Samples: nonNil(samples),
	}
}

// nonNil makes empty lists encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// rollbackTime is when routing first sent everything to the fallback.
func rollbackTime(tl []incident.Entry) time.Time {
	for _, e := range tl {
		if r, ok := e.Fact().(fact.RoutingChanged); ok && r.Isolates() {
			return e.Time
		}
	}
	return time.Time{}
}

// firedTrigger names the trigger of a trigger.fired entry, from its
// evidence, or its message.
func firedTrigger(e incident.Entry, f fact.TriggerFired) string {
	if name := f.Reading().Trigger; name != "" {
		return name
	}
	return e.Message
}

// Marks returns what a chart of inc shows: the incident's span shaded,
// the onset of the problem, the first trigger that fired, every level
// change (the last one to L0 being the restore), the rollback and each
// restore step.
func Marks(inc incident.Incident) []Mark {
	marks := []Mark{{Time: inc.OpenedAt, Until: inc.ClosedAt, Shade: true, Label: "incident " + inc.ID}}
	if m := inc.Metrics; !m.Onset.IsZero() {
		marks = append(marks, Mark{Time: m.Onset, Label: "onset (" + m.OnsetFrom + ")"})
	}
	fired := false
	for _, e := range inc.Timeline {
		if l, ok := markOf(e, &fired); ok {
			marks = append(marks, Mark{Time: e.Time, Label: l})
		}
	}
	return marks
}

// markOf labels the timeline entries a chart marks; fired keeps only the
// first trigger.
func markOf(e incident.Entry, fired *bool) (string, bool) {
	switch f := e.Fact().(type) {
	case fact.TriggerFired:
		if *fired {
			return "", false
		}
		*fired = true
		return "first trigger: " + firedTrigger(e, f), true
	case fact.LevelChanged:
		if f.Ends() {
			return "restored: " + string(fact.L0), true
		}
		return string(f.From) + " → " + string(f.To), true
	case fact.RoutingChanged:
		return "rollback: traffic to fallback", f.Isolates()
	case fact.RestoreStep:
		return fmt.Sprintf("restore step %d: %d%%", f.Step, f.Weight), true
	}
	return "", false
}

// chartMargin pads an incident's window so the chart shows the traffic
// before the trouble and after the end.
const chartMargin = 2 * time.Minute

// Window is the span to chart and read history for: the incident from its
// opening to its close (or now while it is open), with two minutes either
// side.
func Window(inc incident.Incident, now time.Time) (start, end time.Time) {
	end = inc.ClosedAt
	if inc.Open || end.IsZero() {
		end = now
	}
	return inc.OpenedAt.Add(-chartMargin), end.Add(chartMargin)
}
