package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// drills exports lifeboat_drill_last_*: the figures of the last drill in
// the history, so a dashboard can show the recovery trend and an alert can
// say the drills have stopped.
type drills struct {
	read                          func() (drill.Record, bool)
	ended, seconds, ratio, passed *prometheus.Desc
}

// NewDrills registers the last drill's series on reg. read reports false
// while no drill has been recorded; the series are then absent.
func NewDrills(reg prometheus.Registerer, read func() (drill.Record, bool)) error {
	return reg.Register(&drills{read: read,
		ended:   desc("lifeboat_drill_last_timestamp_seconds", "When the last drill's figures were taken, in Unix seconds."),
		seconds: desc("lifeboat_drill_last_duration_seconds", "The last drill's measured durations by figure (detection, containment, recovery, restore, downtime…).", "figure"),
		ratio:   desc("lifeboat_drill_last_ratio", "The last drill's measured ratios and yes/no figures (1 yes) by figure.", "figure"),
		passed:  desc("lifeboat_drill_last_target_met", "1 when the last drill met the plan's target for the figure, 0 when not.", "figure"),
	})
}

func (d *drills) Describe(ch chan<- *prometheus.Desc) {
	ch <- d.ended
	ch <- d.seconds
	ch <- d.ratio
	ch <- d.passed
}

func (d *drills) Collect(ch chan<- prometheus.Metric) {
	last, ok := d.read()
	if !ok {
		return
	}
	gauge := func(de *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(de, prometheus.GaugeValue, v, labels...)
	}
	gauge(d.ended, float64(last.Ended.UnixMilli())/1000)
	for _, f := range last.Figures {
		if !f.Measured {
			continue
		}
		if f.Unit == incident.UnitSeconds { // durations; the rest are ratios and yes (1) / no (0)
			gauge(d.seconds, f.Value, f.Name)
		} else {
			gauge(d.ratio, f.Value, f.Name)
		}
		gauge(d.passed, boolf(f.Pass), f.Name)
	}
}
