package app

import (
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/ui"
)

// drillsFile is the drill history's file in the data directory, which
// the drill package owns and reads.
const drillsFile = drill.StoreFile

// drillLog reads the drill history again only when the file changed,
// since scrapes and the page ask every few seconds and drills are rare.
type drillLog struct {
	path string

	mu    sync.Mutex
	stamp time.Time
	size  int64
	recs  []drill.Record
}

// records returns the history, oldest first; nil when there is none. A
// history that cannot be read keeps the records last read: the views are
// a summary, and the drill command reports the damage.
func (l *drillLog) records() []drill.Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	fi, err := os.Stat(l.path)
	if err != nil {
		return nil
	}
	if !fi.ModTime().Equal(l.stamp) || fi.Size() != l.size {
		recs, err := drill.NewStore(filepath.Dir(l.path)).Load()
		if err != nil {
			return l.recs
		}
		l.stamp, l.size, l.recs = fi.ModTime(), fi.Size(), recs
	}
	return l.recs
}

// last is the last drill for the lifeboat_drill_last_* series.
func (l *drillLog) last() (metrics.Drill, bool) {
	recs := l.records()
	if len(recs) == 0 {
		return metrics.Drill{}, false
	}
	r := recs[len(recs)-1]
	d := metrics.Drill{Ended: r.Ended}
	for _, f := range r.Figures {
		d.Figures = append(d.Figures, metrics.DrillFigure{Name: f.Name, Seconds: f.Unit == incident.UnitSeconds,
			Value: f.Value, Measured: f.Measured, Pass: f.Pass})
	}
	return d, true
}

// page is the history as the operations page lists it, the last 50.
func (l *drillLog) page() []ui.Drill {
	recs := l.records()
	recs = recs[max(0, len(recs)-50):]
	out := make([]ui.Drill, 0, len(recs))
	for _, r := range recs {
		d := ui.Drill{ID: r.ID, Scenario: r.Scenario, Ended: r.Ended.UnixMilli(), Verdict: r.Verdict}
		for _, f := range r.Figures {
			d.Figures = append(d.Figures, ui.Figure{Name: f.Name, Text: f.Text, Value: f.Value,
				Target: f.Target, Pass: f.Pass, Status: f.Status})
		}
		out = append(out, d)
	}
	return out
}
