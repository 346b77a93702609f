package drill

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// record is a stored drill whose recovery took rec (0: not measured).
func record(id string, rec time.Duration) Record {
	r := Record{ID: id, Scenario: "outage", Started: time.Date(2026, 2, 3, 14, 0, 0, 0, time.UTC)}
	f := incident.Metric{Name: "recovery", Unit: incident.UnitSeconds, Status: incident.StatusNotReached}
	if rec > 0 {
		f.Value, f.Measured, f.Pass, f.Status = rec.Seconds(), true, true, incident.StatusPass
	}
	r.Figures = []incident.Metric{f}
	return r
}

func TestStoreAppendsAndLoadsInOrder(t *testing.T) {
	s := NewStore(t.TempDir() + "/nested")
	if recs, err := s.Load(); err != nil || len(recs) != 0 {
		t.Fatalf("empty history: %v, %v", recs, err)
	}
	for i, d := range []time.Duration{3 * time.Minute, 2 * time.Minute} {
		if err := s.Append(record("drill-"+string(rune('a'+i)), d)); err != nil {
			t.Fatal(err)
		}
	}
	recs, err := s.Load()
	if err != nil || len(recs) != 2 || recs[0].ID != "drill-a" || recs[1].ID != "drill-b" {
		t.Fatalf("loaded %+v, %v", recs, err)
	}
	if d, ok := recs[1].recovery(); !ok || d != 2*time.Minute {
		t.Fatalf("recovery read back as %s, %v", d, ok)
	}
}

// A crash mid-write leaves a partial last line, which is skipped; damage
// anywhere else is an error naming the line.
func TestStoreSkipsATornLastLineOnly(t *testing.T) {
	s := NewStore(t.TempDir())
	if err := s.Append(record("drill-a", time.Minute)); err != nil {
		t.Fatal(err)
	}
	f, _ := os.OpenFile(s.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString(`{"id":"drill-b","scen`)
	f.Close()
	if recs, err := s.Load(); err != nil || len(recs) != 1 {
		t.Fatalf("torn last line: %+v, %v", recs, err)
	}
	f, _ = os.OpenFile(s.Path(), os.O_APPEND|os.O_WRONLY, 0)
	f.WriteString("\n")
	f.Close()
	if err := s.Append(record("drill-c", time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Load(); !errors.Is(err, ErrStore) || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("damaged middle line: %v, want ErrStore naming line 2", err)
	}
}

func TestTrendDirections(t *testing.T) {
	recs := func(secs ...int) []Record {
		var out []Record
		for i, s := range secs {
			out = append(out, record(string(rune('a'+i)), time.Duration(s)*time.Second))
		}
		return out
	}
	for _, c := range []struct {
		name string
		recs []Record
		last int
		want Direction
	}{
		{"falling", recs(240, 200, 170, 150), 5, Improving},
		{"rising", recs(120, 150, 200, 260), 5, Worsening},
		{"flat with noise", recs(150, 152, 149, 151), 5, Steady},
		{"only the last drills count", recs(400, 100, 100, 101, 100), 4, Steady},
		{"one drill", recs(150), 5, Unknown},
		{"unmeasured drills are left out", append(recs(200), record("x", 0), record("y", 0)), 5, Unknown},
	} {
		tr := Analyze(c.recs, 180*time.Second, 300*time.Second, c.last)
		if tr.Direction != c.want {
			t.Errorf("%s: %s (slope %s, mean %s), want %s", c.name, tr.Direction, tr.Slope, tr.Mean, c.want)
		}
	}
}

func TestTrendJudgesEachDrill(t *testing.T) {
	tr := Analyze([]Record{record("a", 250*time.Second), record("b", 0), record("c", 320*time.Second), record("d", 150*time.Second)},
		180*time.Second, 300*time.Second, 0)
	if len(tr.Points) != 4 || tr.Window != 3 {
		t.Fatalf("%d points, window %d", len(tr.Points), tr.Window)
	}
	a, b, c, d := tr.Points[0], tr.Points[1], tr.Points[2], tr.Points[3]
	if !a.Measured || a.VsBaseline != 70*time.Second || !a.MetTarget {
		t.Errorf("250s: %+v", a)
	}
	if b.Measured || b.MetTarget {
		t.Errorf("unmeasured: %+v", b)
	}
	if c.MetTarget || c.VsBaseline != 140*time.Second {
		t.Errorf("320s against a 300s target: %+v", c)
	}
	if d.VsBaseline != -30*time.Second || !d.MetTarget {
		t.Errorf("150s: %+v", d)
	}
	// 250, 320, 150 s: the least-squares slope is -50 s per drill.
	if tr.Slope != -50*time.Second || tr.Mean != 240*time.Second || tr.Direction != Improving {
		t.Errorf("slope %s, mean %s, %s", tr.Slope, tr.Mean, tr.Direction)
	}
}
