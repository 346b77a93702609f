package report

import (
	"fmt"
	"io"
)

// Markdown writes the analysis as a heading, the two spans and a table of
// figures.
func (a Analysis) Markdown(w io.Writer) error {
	var b md
	b.line("# Performance analysis\n")
	b.line("- Window: %s", a.Window.describe())
	b.line("- Baseline: %s", a.Baseline.describe())
	b.line("- Verdict: %s\n", a.verdict())
	b.row("Target", "Figure", "Window", "Baseline", "Ratio", "Verdict")
	b.row("---", "---", "---", "---", "---", "---")
	for _, f := range a.Figures {
		b.row(f.Target, figureLabel(f.Name), f.value(f.Window), f.value(f.Baseline), f.ratio(), f.Verdict)
	}
	return b.flush(w)
}

// JSON writes the analysis as one indented JSON object.
func (a Analysis) JSON(w io.Writer) error { return writeJSON(w, a) }

func (s Span) describe() string {
	if s.Samples == 0 {
		return "no samples"
	}
	return fmt.Sprintf("%s to %s (%d samples covering %s)", stamp(s.Start), stamp(s.End), s.Samples, s.Covered)
}

func (a Analysis) verdict() string {
	if n, _ := a.counts(); n > 0 {
		return fmt.Sprintf("**degraded**: %d of %d figures", n, len(a.Figures))
	}
	return a.Verdict()
}

func (f Figure) value(v float64) string {
	if !f.Known && v == 0 {
		return "—"
	}
	return fmt.Sprintf("%.2f %s", v, f.Unit)
}

func (f Figure) ratio() string {
	if f.Ratio == nil {
		return "—"
	}
	return fmt.Sprintf("%.2fx", *f.Ratio)
}

// figureLabels name the figures titleCase would get wrong.
var figureLabels = map[string]string{"cpu": "CPU (mean)", "memory": "Memory (mean)"}

func figureLabel(name string) string {
	if l, ok := figureLabels[name]; ok {
		return l
	}
	return titleCase(name)
}
