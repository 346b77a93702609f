package app

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/ui"
)

// drillsFile is the drill history's file in the data directory. The drill
// package, which owns it, depends on this one, so the name is repeated
// here and drillRecord decodes only the fields the views need.
const drillsFile = "drills.jsonl"

// drillRecord is the part of a drill's history line the views show.
type drillRecord struct {
	ID       string            `json:"id"`
	Scenario string            `json:"scenario"`
	Ended    time.Time         `json:"ended"`
	Verdict  string            `json:"verdict"`
	Figures  []incident.Metric `json:"figures"`
}

// drillLog reads the drill history again only when the file changed,
// since scrapes and the page ask every few seconds and drills are rare.
type drillLog struct {
	path string

	mu    sync.Mutex
	stamp time.Time
	size  int64
	recs  []drillRecord
}

// records returns the history, oldest first; nil when there is none.
func (l *drillLog) records() []drillRecord {
	l.mu.Lock()
	defer l.mu.Unlock()
	fi, err := os.Stat(l.path)
	if err != nil {
		return nil
	}
	if !fi.ModTime().Equal(l.stamp) || fi.Size() != l.size {
		l.stamp, l.size = fi.ModTime(), fi.Size()
		l.recs = parseDrills(l.path)
	}
	return l.recs
}

// parseDrills decodes every whole line; a line cut short by a crash is
// skipped, as the drill package does.
func parseDrills(path string) []drillRecord {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	var out []drillRecord
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var r drillRecord
		if json.Unmarshal(sc.Bytes(), &r) == nil {
			out = append(out, r)
		}
	}
	return out
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
