package report

import (
	"fmt"
	"strings"
	"time"
)

// stamp formats an instant for reports: UTC to the second, or a dash.
func stamp(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// offset is t relative to the incident's opening ("T+1m12s").
func offset(t, opened time.Time) string {
	d := t.Sub(opened).Round(time.Second)
	if d < 0 {
		return "T-" + (-d).String()
	}
	return "T+" + d.String()
}

// millis formats a latency in milliseconds.
func millis(d time.Duration) string { return fmt.Sprintf("%.1f ms", ms(d)) }

// percent formats a fraction in [0, 1] as a percentage.
func percent(f float64) string { return fmt.Sprintf("%.2f%%", 100*f) }

// cell makes text safe inside a Markdown table cell: pipes would end the
// cell and newlines the row.
func cell(s string) string {
	return strings.NewReplacer("|", `\|`, "\r\n", "<br>", "\n", "<br>").Replace(s)
}

// titleCase turns "emergency_rollback" into "Emergency rollback".
func titleCase(name string) string {
	s := strings.ReplaceAll(name, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// metricLabels name the success metrics for people.
var metricLabels = map[string]string{
	"detection":           "Detection time",
	"containment":         "Containment time",
	"recovery":            "Recovery time (fallback serving)",
	"restore":             "Restore time (back to L0)",
	"downtime":            "User-visible downtime",
	"data_loss":           "Data loss",
	"manual_intervention": "Manual intervention",
}

func metricLabel(name string) string {
	if l, ok := metricLabels[name]; ok {
		return l
	}
	return titleCase(name)
}
