package report

import (
	"fmt"
	"strconv"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// The Markdown timeline is for people: a journal replay that ran once per
// session, or a health check flapping for minutes, would bury the level
// changes and the rollback under hundreds of rows. Entries of the kinds
// below that fall between two other entries collapse into one row per
// kind with a count (and, for replays, the totals); the JSON report keeps
// every entry.
var collapsible = map[string]bool{
	"journal.replayed": true, "journal.conflict": true, "journal.replay_failed": true,
	fact.KindHealthChanged: true, fact.KindBreakerChanged: true,
	fact.KindNotifySent: true, fact.KindNotifyFailed: true,
	fact.KindTriggerCleared: true, fact.KindRestoreWaiting: true,
}

// row is one line of the Markdown timeline: an entry, or several of one
// kind collapsed.
type row struct {
	seq               string
	at                time.Time
	kind, source, sev string
	message           string
}

// rows collapses tl for the Markdown timeline and adds the onset, when the
// metrics know one, as a row of its own at its time.
func rows(tl []incident.Entry, onset time.Time, onsetFrom string) []row {
	var out []row
	var open []*group
	byKind := map[string]*group{}
	flush := func() {
		for _, g := range open {
			out = append(out, g.row())
		}
		open, byKind = nil, map[string]*group{}
	}
	for _, e := range tl {
		if !collapsible[e.Kind] {
			flush()
			out = append(out, single(e))
			continue
		}
		g := byKind[e.Kind]
		if g == nil {
			g = &group{}
			byKind[e.Kind] = g
			open = append(open, g)
		}
		g.add(e)
	}
	flush()
	return withOnset(out, onset, onsetFrom)
}

func single(e incident.Entry) row {
	return row{seq: strconv.Itoa(e.Seq), at: e.Time, kind: e.Kind, source: e.Source, sev: e.Severity, message: e.Message}
}

// withOnset inserts the onset row before the first row after it.
func withOnset(rs []row, onset time.Time, from string) []row {
	if onset.IsZero() {
		return rs
	}
	on := row{seq: "—", at: onset, kind: "onset", source: "measure", sev: "critical",
		message: "the problem began (" + from + "); the plan's durations run from here"}
	for i, r := range rs {
		if r.at.After(onset) {
			return append(rs[:i], append([]row{on}, rs[i:]...)...)
		}
	}
	return append(rs, on)
}

// group is a run of entries of one collapsible kind.
type group struct {
	entries []incident.Entry
}

func (g *group) add(e incident.Entry) { g.entries = append(g.entries, e) }

func (g *group) row() row {
	first, last := g.entries[0], g.entries[len(g.entries)-1]
	if len(g.entries) == 1 {
		return single(first)
	}
	r := single(first)
	r.seq = fmt.Sprintf("%d–%d", first.Seq, last.Seq)
	r.sev = worst(g.entries)
	r.message = g.summary(last)
	return r
}

// summary describes the run: replays by their totals, anything else by
// its count and its last message.
func (g *group) summary(last incident.Entry) string {
	span := last.Time.Sub(g.entries[0].Time).Round(time.Second)
	if last.Kind == "journal.replayed" {
		var t [4]float64
		for _, e := range g.entries {
			for i, k := range []string{"replayed", "already", "lost", "conflicts"} {
				f, _ := e.Fields[k].(float64)
				t[i] += f
			}
		}
		return fmt.Sprintf("%d replay runs over %s: %.0f writes applied, %.0f already there, %.0f lost, %.0f conflicts (details in the JSON report)",
			len(g.entries), span, t[0], t[1], t[2], t[3])
	}
	return fmt.Sprintf("%d× over %s, the last: %s (details in the JSON report)", len(g.entries), span, last.Message)
}

// worst is the highest severity among entries.
func worst(entries []incident.Entry) string {
	rank := map[string]int{string(event.Info): 1, string(event.Warning): 2, string(event.Critical): 3}
	best := entries[0].Severity
	for _, e := range entries {
		if rank[e.Severity] > rank[best] {
			best = e.Severity
		}
	}
	return best
}
