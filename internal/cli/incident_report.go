package cli

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/client"
)

// defaultChart is the file the Markdown report shows the chart from when
// the report is printed rather than saved.
const defaultChart = "chart.svg"

// runIncidentReport is the plan's generate_incident_report. Printed, the
// Markdown refers to chart.svg; saved with --out, the chart is saved next
// to the report under the report's name with .svg, and the report refers
// to that.
func runIncidentReport(ctx context.Context, env Env, args []string) error {
	fs := flagSet(env, "incident report")
	r := remoteFlags(fs, env, false)
	format := fs.String("format", "md", "md (Markdown with an SVG chart) or json")
	out := fs.String("out", "", "write the report to this file instead of standard output")
	id, err := incidentArgs(fs, env, args)
	if err != nil {
		return err
	}
	if *format != "md" && *format != "json" {
		fmt.Fprintf(env.Stderr, "--format must be md or json, got %q\n\n%s\n", *format, incidentUsage)
		return errUsage
	}
	c := r.client()
	if *out == "" {
		doc, err := c.Report(ctx, id, *format)
		if err != nil {
			return apiError(err)
		}
		_, err = env.Stdout.Write(doc)
		return err
	}
	if *format == "json" {
		return saveJSONReport(ctx, env, c, id, *out)
	}
	return saveMarkdownReport(ctx, env, c, id, *out)
}

func saveJSONReport(ctx context.Context, env Env, c *client.Client, id, out string) error {
	doc, err := c.Report(ctx, id, "json")
	if err != nil {
		return apiError(err)
	}
	if err := os.WriteFile(out, doc, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s\n", out)
	return nil
}

// saveMarkdownReport writes the chart first, so a report on disk never
// refers to a chart that is missing.
func saveMarkdownReport(ctx context.Context, env Env, c *client.Client, id, out string) error {
	name := chartFileFor(out)
	svg, err := c.Chart(ctx, id)
	if err != nil {
		return apiError(err)
	}
	doc, err := c.MarkdownReport(ctx, id, name)
	if err != nil {
		return apiError(err)
	}
	chartPath := filepath.Join(filepath.Dir(out), name)
	if err := os.WriteFile(chartPath, svg, 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(out, doc, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "wrote %s and its chart %s\n", out, chartPath)
	return nil
}

// chartFileFor names the chart of a report saved as out: the report's
// name with .svg ("incident.md" gives "incident.svg"). A name the API
// would refuse to write into the document (it allows letters, digits and
// . _ -) falls back to chart.svg.
func chartFileFor(out string) string {
	base := filepath.Base(out)
	name := strings.TrimSuffix(base, filepath.Ext(base)) + ".svg"
	if name == base { // the report itself ends in .svg
		name = strings.TrimSuffix(base, ".svg") + ".chart.svg"
	}
	if strings.HasPrefix(name, ".") || strings.Contains(name, "..") || strings.IndexFunc(name, unsafeChartRune) >= 0 {
		return defaultChart
	}
	return name
}

func unsafeChartRune(c rune) bool {
	return !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-", c))
}
