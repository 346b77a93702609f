package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/words"
)

// Markdown writes the plan's incident report for inc: a header with the
// trigger level, first trigger, rollback time and verdict, the success
// metrics against their targets, client traffic over the samples, the
// chart stored at chartFile (a path or URL relative to the report; empty
// means there is none), the timeline, both checklists and the artifacts.
func Markdown(w io.Writer, inc incident.Incident, samples []history.Sample, chartFile string) error {
	r := Build(inc, samples)
	var b md
	r.header(&b)
	r.metrics(&b)
	r.traffic(&b)
	chart(&b, chartFile)
	r.timeline(&b)
	r.checklists(&b)
	r.artifacts(&b)
	return b.flush(w)
}

// md accumulates a document, so it reaches the writer whole.
type md struct{ strings.Builder }

func (b *md) line(format string, args ...any) {
	fmt.Fprintf(b, format, args...)
	b.WriteByte('\n')
}

func (b *md) section(title string) { b.line("\n## %s\n", title) }

func (b *md) row(cells ...string) {
	for i := range cells {
		cells[i] = cell(cells[i])
	}
	b.line("| %s |", strings.Join(cells, " | "))
}

func (b *md) flush(w io.Writer) error {
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}

func (r Report) header(b *md) {
	b.line("# Incident report %s\n", r.ID)
	b.row("Field", "Value")
	b.row("---", "---")
	b.row("Status", r.status())
	b.row("Opened", stamp(r.OpenedAt))
	b.row("Closed", r.closed())
	b.row("Trigger level", r.TriggerLevel)
	b.row("First trigger", words.OrNone(r.FirstTrigger, "none: escalated by hand"))
	b.row("Rollback time", r.rollback())
	b.row("Verdict", words.OrNone(r.Verdict, "no rollback verification"))
	b.row("Acknowledged", r.acked())
	b.row("All success criteria met", words.YesNo(r.Passed))
}

func (r Report) status() string {
	if r.Open {
		return "open"
	}
	return "closed"
}

func (r Report) closed() string {
	if r.Open || r.ClosedAt.IsZero() {
		return "still open"
	}
	return fmt.Sprintf("%s (%s after opening)", stamp(r.ClosedAt), r.ClosedAt.Sub(r.OpenedAt).Round(1e9))
}

func (r Report) rollback() string {
	if r.RollbackTime.IsZero() {
		return "traffic never moved to the fallback"
	}
	return fmt.Sprintf("%s (%s): traffic moved to the fallback", stamp(r.RollbackTime), offset(r.RollbackTime, r.OpenedAt))
}

func (r Report) acked() string {
	if r.AckedBy == "" {
		return "no"
	}
	return fmt.Sprintf("by %s at %s", r.AckedBy, stamp(r.AckedAt))
}

func (r Report) metrics(b *md) {
	b.section("Success metrics")
	b.row("Metric", "Measured", "Target", "Result", "Note")
	b.row("---", "---", "---", "---", "---")
	for _, m := range r.Metrics {
		b.row(metricLabel(m.Name), m.Text, m.Target, result(m), m.Note)
	}
}

// result is a metric's verdict with its failures in bold, so they stand
// out in a rendered report.
func result(m incident.Metric) string {
	text, failed := m.Verdict()
	if failed {
		return strings.Replace(text, "FAIL", "**FAIL**", 1)
	}
	return text
}
