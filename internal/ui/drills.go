package ui

import "github.com/lifeboat-sre/lifeboat/internal/drill"

// listed is how many drills the page lists, the last ones.
const listed = 50

// listDrills is the history as the page lists it: the last 50, oldest first.
func listDrills(recs []drill.Record) []Drill {
	recs = recs[max(0, len(recs)-listed):]
	out := make([]Drill, 0, len(recs))
	for _, r := range recs {
		d := Drill{ID: r.ID, Scenario: r.Scenario, Ended: r.Ended.UnixMilli(), Verdict: r.Verdict}
		for _, f := range r.Figures {
			d.Figures = append(d.Figures, Figure{Name: f.Name, Text: f.Text, Value: f.Value,
				Target: f.Target, Pass: f.Pass, Status: f.Status})
		}
		out = append(out, d)
	}
	return out
}
