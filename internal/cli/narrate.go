package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// narrator prints a drill's notes as they come, one line each, with the
// time since start: `  +3.21s  level     L0 -> L3: immediate trigger fired`.
type narrator struct {
	w     io.Writer
	start time.Time
	mu    sync.Mutex
}

func newNarrator(w io.Writer, start time.Time) *narrator { return &narrator{w: w, start: start} }

func (n *narrator) note(x drill.Note) {
	n.mu.Lock()
	defer n.mu.Unlock()
	fmt.Fprintf(n.w, "%+8.2fs  %-8s  %s\n", x.At.Sub(n.start).Seconds(), x.Tag, x.Text)
}

// figureLabel names a drill's figure for people.
func figureLabel(name string) string {
	switch name {
	case "downtime":
		return "downtime (gateway)"
	case "client_downtime":
		return "downtime (clients)"
	}
	return strings.ReplaceAll(name, "_", " ")
}

// printFigures writes the figures against the plan's targets, then the
// notes that explain them and a verdict line.
func printFigures(w io.Writer, res drill.Result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "FIGURE\tFROM ONSET\tFROM FIRST EVIDENCE\tTARGET\tRESULT")
	var notes []string
	for _, f := range res.Figures {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", figureLabel(f.Name), f.Text, orDash(f.FromEvidence), f.Target, verdictWord(f))
		if f.Note != "" {
			notes = append(notes, fmt.Sprintf("  %s: %s", figureLabel(f.Name), f.Note))
		}
	}
	tw.Flush()
	if len(notes) > 0 {
		fmt.Fprintf(w, "\n%s\n", strings.Join(notes, "\n"))
	}
	fmt.Fprintf(w, "\n%s\n", drillVerdict(res))
}

func verdictWord(f incident.Metric) string {
	switch {
	case f.Status == incident.StatusPass:
		return "pass"
	case f.Status == incident.StatusFail:
		return "FAIL"
	case f.Status == incident.StatusNotReached || f.Status == incident.StatusInProgress:
		return "FAIL (" + f.Status + ")"
	}
	return f.Status
}

// drillVerdict is the drill's one-line outcome.
func drillVerdict(res drill.Result) string {
	head := fmt.Sprintf("drill %s (%s", res.ID, res.Scenario)
	if res.DryRun {
		head += ", dry run"
	}
	head += ")"
	switch {
	case res.Aborted != "":
		return head + ": ABORTED by the steady-state guard: " + res.Aborted
	case res.Interrupted:
		return head + ": INTERRUPTED"
	case res.Passed():
		return head + ": PASSED, every measured target met"
	}
	var names []string
	for _, f := range res.Missed() {
		names = append(names, figureLabel(f.Name))
	}
	return head + ": FAILED, missed " + strings.Join(names, ", ")
}
