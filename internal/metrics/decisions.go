package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Outcomes of a notification or an action run, as label values.
const (
	Success = "success"
	Failure = "failure"
)

// Decision is the escalation engine's state at one scrape, in the terms
// the series export. Escalation.Read reads it from the engine and the
// incident record; tests build it by hand.
type Decision struct {
	Level int
	Phase string
	// Triggers are every configured trigger, in configuration order.
	Triggers []TriggerReading
	// IncidentOpen is true while an incident is open.
	IncidentOpen bool
	// Rollback is 1 when the last Level 3 verification succeeded, 0 when
	// it failed and -1 when none ran in this incident.
	Rollback float64
	// RestoreStep is the current restore step, counted from 1, or 0 when
	// no restore is under way.
	RestoreStep int
	// Paused is true while a person has paused the automation.
	Paused bool
}

// TriggerReading is one trigger's latest reading against its threshold.
type TriggerReading struct {
	Name      string
	Value     float64
	Threshold float64
	// Valid is false when the latest reading could not be judged; the
	// value series is then left out rather than reported as zero.
	Valid  bool
	Firing bool
}

// Decisions exports what the escalation engine decided: the level, the
// phase, every trigger against its threshold, the incident and the
// rollback, and counts of notifications and action runs.
//
// The gauges are read at scrape time from one Decision, so a scrape never
// sees the level of one moment beside the phase of another.
type Decisions struct {
	read          func() Decision
	phases        []string
	level         *prometheus.Desc
	phase         *prometheus.Desc
	value         *prometheus.Desc
	threshold     *prometheus.Desc
	firing        *prometheus.Desc
	open          *prometheus.Desc
	rollback      *prometheus.Desc
	step          *prometheus.Desc
	paused        *prometheus.Desc
	notifications *prometheus.CounterVec
	actions       *prometheus.CounterVec
}

// NewDecisions registers the decision series on reg. phases lists every
// phase the engine knows, so lifeboat_phase is a complete state set (one
// series per phase, 1 for the current one) and a query for a phase never
// finds nothing. channels are the configured notifiers and actions the
// configured actions, whose counters start at zero so a rate over them is
// defined before the first page or run.
func NewDecisions(reg prometheus.Registerer, phases, channels, actions []string, read func() Decision) (*Decisions, error) {
	d := &Decisions{read: read, phases: phases,
		level:     desc("lifeboat_level", "Escalation level of the operations plan, 0 to 3."),
		phase:     desc("lifeboat_phase", "1 for the escalation engine's current phase, 0 for the others.", "phase"),
		value:     desc("lifeboat_trigger_value", "A trigger's latest reading, absent while it cannot be judged.", "trigger"),
		threshold: desc("lifeboat_trigger_threshold", "A trigger's threshold in force (lowered at Level 2 for scalable triggers).", "trigger"),
		firing:    desc("lifeboat_trigger_firing", "1 while a trigger is firing or resolving, 0 otherwise.", "trigger"),
		open:      desc("lifeboat_incident_open", "1 while an incident is open."),
		rollback:  desc("lifeboat_rollback_verified", "1 when the last Level 3 verification succeeded, 0 when it failed, -1 when none ran in this incident."),
		step:      desc("lifeboat_restore_step", "Restore step under way, counted from 1; 0 when not restoring."),
		paused:    desc("lifeboat_automation_paused", "1 while a person has paused the automation."),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lifeboat_notifications_total",
			Help: "Notification deliveries by channel (notifier name) and outcome (success, failure)."}, []string{"channel", "outcome"}),
		actions: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "lifeboat_action_runs_total",
			Help: "Action runs by action name and outcome (success, failure)."}, []string{"action", "outcome"}),
	}
	for _, ch := range channels {
		d.notifications.WithLabelValues(ch, Success)
		d.notifications.WithLabelValues(ch, Failure)
	}
	for _, a := range actions {
		d.actions.WithLabelValues(a, Success)
		d.actions.WithLabelValues(a, Failure)
	}
	for _, c := range []prometheus.Collector{d, d.notifications, d.actions} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return d, nil
}

func desc(name, help string, labels ...string) *prometheus.Desc {
	return prometheus.NewDesc(name, help, labels, nil)
}

// Notified counts one delivery to channel.
func (d *Decisions) Notified(channel string, ok bool) {
	d.notifications.WithLabelValues(channel, outcome(ok)).Inc()
}

// ActionRan counts one run of action.
func (d *Decisions) ActionRan(action string, ok bool) {
	d.actions.WithLabelValues(action, outcome(ok)).Inc()
}

func outcome(ok bool) string {
	if ok {
		return Success
	}
	return Failure
}

// Describe implements prometheus.Collector.
func (d *Decisions) Describe(ch chan<- *prometheus.Desc) {
	for _, de := range []*prometheus.Desc{d.level, d.phase, d.value, d.threshold, d.firing, d.open, d.rollback, d.step, d.paused} {
		ch <- de
	}
}

// Collect implements prometheus.Collector.
func (d *Decisions) Collect(ch chan<- prometheus.Metric) {
	s := d.read()
	gauge := func(de *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(de, prometheus.GaugeValue, v, labels...)
	}
	gauge(d.level, float64(s.Level))
	for _, p := range d.phases {
		gauge(d.phase, boolf(p == s.Phase), p)
	}
	for _, t := range s.Triggers {
		if t.Valid {
			gauge(d.value, t.Value, t.Name)
		}
		gauge(d.threshold, t.Threshold, t.Name)
		gauge(d.firing, boolf(t.Firing), t.Name)
	}
	gauge(d.open, boolf(s.IncidentOpen))
	gauge(d.rollback, s.Rollback)
	gauge(d.step, float64(s.RestoreStep))
	gauge(d.paused, boolf(s.Paused))
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
