package fallback

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
)

// Register exports the journal's counters to reg, read at scrape time.
func (j *Journal) Register(reg prometheus.Registerer) error {
	stat := func(f func(journal.Stats) int) func() float64 {
		return func() float64 { return float64(f(j.Log.Stats())) }
	}
	broken := func() float64 {
		if j.Log.Stats().Broken {
			return 1
		}
		return 0
	}
	for _, err := range []error{
		metrics.Gauge(reg, "lifeboat_journal_pending", "Journaled writes not yet replayed to the primary.", nil,
			stat(func(s journal.Stats) int { return s.Pending })),
		metrics.Counter(reg, "lifeboat_journal_appended_total", "Writes acknowledged from the journal.", nil,
			stat(func(s journal.Stats) int { return s.Appended })),
		metrics.Counter(reg, "lifeboat_journal_replayed_total", "Journaled writes the primary now holds.", nil,
			stat(func(s journal.Stats) int { return s.Replayed + s.Already })),
		metrics.Counter(reg, "lifeboat_journal_lost_total", "Journaled writes the primary refused: lost.", nil,
			stat(func(s journal.Stats) int { return s.Failed })),
		metrics.Gauge(reg, "lifeboat_journal_broken", "1 when a journal write or fsync failed and writes are refused.", nil, broken),
	} {
		if err != nil {
			return err
		}
	}
	return nil
}

// DataLoss is an incident's data-loss source with the journal on: the
// writes its replays lost, of all they moved, as recorded on its
// timeline (journal.KindReplayed).
func DataLoss(inc incident.Incident) (lost, total int, ok bool) {
	for _, e := range inc.Timeline {
		if e.Kind != journal.KindReplayed {
			continue
		}
		l, good := intField(e.Fields, "lost"), intField(e.Fields, "replayed")+intField(e.Fields, "already")
		lost, total = lost+l, total+l+good
	}
	return lost, total, true
}

// intField reads a count from an entry's fields, which hold float64 once
// read back from the database and int before.
func intField(f map[string]any, key string) int {
	switch v := f[key].(type) {
	case float64:
		return int(v)
	case int:
		return v
	}
	return 0
}
