package incident

import (
	"fmt"
	"time"
)

// Units a Metric's Value is in.
const (
	UnitSeconds = "seconds"
	UnitRatio   = "ratio"
	UnitYesNo   = "yes/no"
)

// Statuses of a Metric.
const (
	StatusPass       = "pass"
	StatusFail       = "fail"
	StatusNotReached = "not reached" // the stage was needed but never happened
	StatusNotNeeded  = "not needed"  // the incident never went far enough to need it
	StatusInProgress = "in progress" // the incident is still open
	StatusUnmeasured = "not measured"
)

// Metric is one of the plan's success metrics for one incident.
//
// Pass is true when the target was met, and also when the stage was not
// needed: an incident that ended at L2 never had to isolate the primary,
// so it did not miss the containment target. A stage that was needed but
// not reached, a metric not measured and an incident still in progress
// do not pass. Status says which case applies.
type Metric struct {
	Name string `json:"name"`
	Unit string `json:"unit"`
	// Value is in Unit: seconds, a fraction between 0 and 1, or 1 for yes
	// and 0 for no. Zero when not measured.
	Value float64 `json:"value"`
	// Text is Value for people ("1m12.5s", "0.40% (2 of 500)", "no").
	Text     string `json:"text"`
	Measured bool   `json:"measured"`
	// Target is the plan's target for people ("< 30s"); Limit is the same
	// bound in Unit.
	Target string  `json:"target"`
	Limit  float64 `json:"limit"`
	Pass   bool    `json:"pass"`
	Status string  `json:"status"`
	Note   string  `json:"note,omitempty"`
	// FromEvidence is the same duration measured from the first evidence,
	// the first reading a trigger judged bad, for comparison with the
	// judged figure, which runs from the onset. Empty when not measured
	// or when the two agree.
	FromEvidence string `json:"from_evidence,omitempty"`
}

// Verdict reads the metric's status for people: a stage that was not
// needed passes, one never reached fails, and the rest say why there is no
// verdict yet. failed tells a caller that marks failures (bold, colour)
// which ones to mark; the text is the same for every reader.
func (m Metric) Verdict() (text string, failed bool) {
	switch {
	case m.Status == StatusPass:
		return "pass", false
	case m.Pass:
		return "pass (" + m.Status + ")", false
	case m.Status == StatusFail:
		return "FAIL", true
	case m.Status == StatusNotReached:
		return "FAIL (not reached)", true
	}
	return m.Status, false
}

// Duration returns Value as a duration for metrics in seconds.
func (m Metric) Duration() time.Duration {
	return time.Duration(m.Value * float64(time.Second))
}

// Metrics are the plan's success metrics, measured from the timeline.
type Metrics struct {
	// Onset is when the problem began, which the durations are judged
	// from; OnsetFrom says what it is ("fault injected", "onset seen by
	// trigger latency"). Zero when nothing on the timeline tells.
	Onset     time.Time `json:"onset,omitzero"`
	OnsetFrom string    `json:"onset_from,omitempty"`
	// FirstEvidence is the first reading a firing trigger judged bad.
	FirstEvidence time.Time `json:"first_evidence,omitzero"`

	Detection   Metric `json:"detection"`
	Containment Metric `json:"containment"`
	Recovery    Metric `json:"recovery"`
	Restore     Metric `json:"restore"`
	Downtime    Metric `json:"downtime"`
	DataLoss    Metric `json:"data_loss"`
	Manual      Metric `json:"manual_intervention"`
}

// All lists the metrics in the order reports show them.
func (m Metrics) All() []Metric {
	return []Metric{m.Detection, m.Containment, m.Recovery, m.Restore, m.Downtime, m.DataLoss, m.Manual}
}

// Passed reports whether every metric passed.
func (m Metrics) Passed() bool {
	for _, x := range m.All() {
		if !x.Pass {
			return false
		}
	}
	return true
}

// The plan's targets ("Success Metrics").
const (
	targetDetection   = 30 * time.Second
	targetContainment = 2 * time.Minute
	targetRecovery    = 5 * time.Minute
	targetRestore     = 10 * time.Minute
	targetDowntime    = 30 * time.Second
	targetDataLoss    = 0.01
)

// durationMetric measures d against a strict upper bound.
func durationMetric(name string, d, limit time.Duration, note string) Metric {
	d = max(d, 0)
	pass := d < limit
	return Metric{Name: name, Unit: UnitSeconds, Value: d.Seconds(), Text: d.Round(time.Millisecond).String(),
		Measured: true, Target: "< " + shortDuration(limit), Limit: limit.Seconds(),
		Pass: pass, Status: passStatus(pass), Note: note}
}

// unmeasured is a metric without a value; pass is true only for stages
// that were not needed.
func unmeasured(name, unit string, limit float64, target, status, note string) Metric {
	return Metric{Name: name, Unit: unit, Text: status, Target: target, Limit: limit,
		Pass: status == StatusNotNeeded, Status: status, Note: note}
}

func unmeasuredDuration(name string, limit time.Duration, status, note string) Metric {
	return unmeasured(name, UnitSeconds, limit.Seconds(), "< "+shortDuration(limit), status, note)
}

func ratioMetric(name string, lost, total int) Metric {
	r := 0.0
	if total > 0 {
		r = float64(lost) / float64(total)
	}
	pass := r < targetDataLoss
	return Metric{Name: name, Unit: UnitRatio, Value: r, Text: fmt.Sprintf("%.2f%% (%d of %d)", r*100, lost, total),
		Measured: true, Target: "< 1%", Limit: targetDataLoss, Pass: pass, Status: passStatus(pass)}
}

func yesNoMetric(name string, yes bool, note string) Metric {
	m := Metric{Name: name, Unit: UnitYesNo, Text: "no", Measured: true, Target: "no", Pass: !yes, Note: note}
	if yes {
		m.Value, m.Text = 1, "yes"
	}
	m.Status = passStatus(m.Pass)
	return m
}

func passStatus(pass bool) string {
	if pass {
		return StatusPass
	}
	return StatusFail
}

// shortDuration writes 2m rather than 2m0s.
func shortDuration(d time.Duration) string {
	if d%time.Minute == 0 {
		return fmt.Sprintf("%dm", int(d/time.Minute))
	}
	return d.String()
}
