package report

import (
	"fmt"
	"strconv"

	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/words"
)

// traffic summarises what clients saw over the samples.
func (r Report) traffic(b *md) {
	b.section("Client traffic")
	if r.Traffic.Samples == 0 {
		b.line("No traffic history covers the incident.")
		return
	}
	c := r.Traffic.Target(history.Client)
	b.line("From %s to %s (%d samples): %d requests, %d failed (%s); average latency %s, p99 %s, worst p99 %s.",
		stamp(r.Traffic.Start), stamp(r.Traffic.End), r.Traffic.Samples, c.Requests, c.Failures,
		percent(c.ErrorRate), millis(c.AvgLatency), millis(c.P99), millis(c.MaxP99))
}

func chart(b *md, chartFile string) {
	b.section("Latency and error rate")
	if chartFile == "" {
		b.line("No chart was rendered.")
		return
	}
	b.line("![latency and error rate](%s)", chartFile)
}

func (r Report) timeline(b *md) {
	b.section("Timeline")
	if len(r.Timeline) == 0 {
		b.line("No events were recorded.")
		return
	}
	b.row("#", "Time", "Since opening", "Kind", "Source", "Severity", "Message")
	b.row("---", "---", "---", "---", "---", "---", "---")
	for _, e := range rows(r.Timeline, r.Onset, r.OnsetFrom) {
		b.row(e.seq, stamp(e.at), offset(e.at, r.OpenedAt), e.kind, e.source, e.sev, e.message)
	}
}

func (r Report) checklists(b *md) {
	for _, c := range r.Checklists {
		b.section("Checklist: " + titleCase(c.Name))
		for _, it := range c.Items {
			b.line("- %s %s%s", box(it.Done), it.Text, r.tickedBy(it))
		}
	}
}

func box(done bool) string {
	if done {
		return "[x]"
	}
	return "[ ]"
}

// tickedBy says who ticked an item, when, and for automation which
// timeline entry did it.
func (r Report) tickedBy(it incident.Item) string {
	if !it.Done {
		return ""
	}
	s := " — " + words.OrNone(it.By, "unknown") + ", " + stamp(it.At)
	if it.Event > 0 {
		s += fmt.Sprintf(" (event #%d%s)", it.Event, r.kindOf(it.Event))
	}
	return s
}

func (r Report) kindOf(seq int) string {
	for _, e := range r.Timeline {
		if e.Seq == seq {
			return ": " + e.Kind
		}
	}
	return ""
}

func (r Report) artifacts(b *md) {
	b.section("Artifacts")
	if len(r.Artifacts) == 0 {
		b.line("No state was preserved.")
		return
	}
	b.row("Name", "Location", "Time", "Event")
	b.row("---", "---", "---", "---")
	for _, a := range r.Artifacts {
		b.row(a.Name, a.Location, stamp(a.Time), "#"+strconv.Itoa(a.Seq))
	}
}
