package drill

import (
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/load"
)

// Result is what one drill did, measured and judged.
type Result struct {
	// ID names the drill in the history: drill-YYYYMMDD-HHMMSS.mmm.
	ID       string `json:"id"`
	Scenario string `json:"scenario"`
	// Fault is what was injected, DurationMS included.
	Fault   Fault  `json:"fault"`
	DryRun  bool   `json:"dry_run"`
	Gateway string `json:"gateway"`
	// Started is when the load started; Injected and Reverted bracket the
	// fault; Ended is when the figures were taken.
	Started  time.Time `json:"started"`
	Injected time.Time `json:"injected,omitzero"`
	Reverted time.Time `json:"reverted,omitzero"`
	Ended    time.Time `json:"ended,omitzero"`
	// Incident is the incident the gateway opened, "" when none did;
	// Trigger is the first trigger that fired in it, MaxLevel and Verdict
	// its highest level and rollback verdict.
	Incident string `json:"incident,omitempty"`
	Trigger  string `json:"trigger,omitempty"`
	MaxLevel string `json:"max_level,omitempty"`
	Verdict  string `json:"verdict,omitempty"`
	// Figures are the plan's success metrics in report order: detection,
	// containment, recovery, restore, downtime (the gateway's, from its
	// client error history), client_downtime (the drill's load), data_loss
	// (the drill's acknowledged writes), manual_intervention.
	Figures []incident.Metric `json:"figures"`
	// Load summarises the drill's traffic.
	Load LoadSummary `json:"load"`
	// Aborted is the steady-state guard's reason, "" when it did not act.
	Aborted string `json:"aborted,omitempty"`
	// Interrupted is set when the caller's context ended the drill.
	Interrupted bool `json:"interrupted,omitempty"`
}

// LoadSummary is the drill's traffic as its clients saw it.
type LoadSummary struct {
	Requests int64 `json:"requests"`
	Failed   int64 `json:"failed"`
	// Seconds is how long the load ran, FailingSeconds how many of those
	// seconds saw at least one failed request.
	Seconds        int     `json:"seconds"`
	FailingSeconds int     `json:"failing_seconds"`
	Throughput     float64 `json:"throughput"`
	// Acked is how many session writes the gateway acknowledged.
	Acked int `json:"acked"`
}

func summarize(r load.Result) LoadSummary {
	s := LoadSummary{Requests: r.Total, Failed: r.Failed(), Seconds: len(r.Seconds), Throughput: r.Throughput, Acked: len(r.Acked)}
	for _, sec := range r.Seconds {
		if sec.Failed > 0 {
			s.FailingSeconds++
		}
	}
	return s
}

// Passed reports whether the drill met the plan: it ran to the end, and no
// figure missed its target or stopped short of a stage it needed. Figures
// that could not be measured (no sessions API, a dry run's traffic
// figures) do not fail it.
func (r Result) Passed() bool {
	return r.Aborted == "" && !r.Interrupted && len(r.Figures) > 0 && len(r.Missed()) == 0
}

// Missed lists the figures that failed the drill.
func (r Result) Missed() []incident.Metric {
	var out []incident.Metric
	for _, f := range r.Figures {
		if missed(f) {
			out = append(out, f)
		}
	}
	return out
}

func missed(f incident.Metric) bool {
	switch f.Status {
	case incident.StatusFail, incident.StatusNotReached, incident.StatusInProgress:
		return true
	}
	return f.Measured && !f.Pass
}

// Figure returns the figure called name.
func (r Result) Figure(name string) (incident.Metric, bool) {
	for _, f := range r.Figures {
		if f.Name == name {
			return f, true
		}
	}
	return incident.Metric{}, false
}

// newID names a drill by when it started, to the millisecond.
func newID(t time.Time) string {
	t = t.UTC()
	return fmt.Sprintf("drill-%s.%03d", t.Format("20060102-150405"), t.Nanosecond()/int(time.Millisecond))
}
