package client

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/report"
)

// The incident calls. An APIError with StatusCode 404 and Field "id" means
// no such incident; 404 with Field "incidents" means the gateway runs
// without escalation, and so keeps no incidents.

// maxDocumentBytes bounds a report or chart. A report carries the samples
// of its window, which for a long incident run to megabytes.
const maxDocumentBytes = 256 << 20

// Incidents returns up to limit incidents, newest first, without
// timelines, checklists or metrics; limit 0 means the gateway's default
// (50).
func (c *Client) Incidents(ctx context.Context, limit int) ([]incident.Incident, error) {
	path := "/admin/incidents"
	if limit != 0 {
		path += "?limit=" + strconv.Itoa(limit)
	}
	var out []incident.Incident
	err := c.call(ctx, http.MethodGet, path, nil, &out)
	return out, err
}

// Incident returns an incident with its timeline, checklists, artifacts
// and metrics.
func (c *Client) Incident(ctx context.Context, id string) (incident.Incident, error) {
	var inc incident.Incident
	err := c.call(ctx, http.MethodGet, incidentPath(id, ""), nil, &inc)
	return inc, err
}

// Report returns the incident report in format "md" or "json". The
// Markdown shows the chart from chart.svg, the file Chart is saved as.
func (c *Client) Report(ctx context.Context, id, format string) ([]byte, error) {
	want := "text/markdown"
	if format == "json" {
		want = "application/json"
	}
	return c.document(ctx, incidentPath(id, "/report?format="+url.QueryEscape(format)), want)
}

// MarkdownReport returns the Markdown report showing the chart from
// chartFile, a path relative to where the report is saved.
func (c *Client) MarkdownReport(ctx context.Context, id, chartFile string) ([]byte, error) {
	return c.document(ctx, incidentPath(id, "/report?format=md&chart="+url.QueryEscape(chartFile)), "text/markdown")
}

// Chart returns the SVG chart of the client's latency and error rate
// across the incident.
func (c *Client) Chart(ctx context.Context, id string) ([]byte, error) {
	return c.document(ctx, incidentPath(id, "/chart.svg"), "image/svg+xml")
}

// Ack records that by has taken the incident on, which stops its
// escalation chain, and returns the incident's summary. A closed incident
// answers 409.
func (c *Client) Ack(ctx context.Context, id, by string) (incident.Incident, error) {
	var inc incident.Incident
	err := c.call(ctx, http.MethodPost, incidentPath(id, "/ack"), map[string]string{"by": by}, &inc)
	return inc, err
}

// Tick marks a checklist item done by by. item is the item's text (any
// case) or its 1-based position, such as "2". It returns the checklist
// afterwards; an item already ticked answers 409, an unknown one 404.
func (c *Client) Tick(ctx context.Context, id, checklist, item, by string) (incident.Checklist, error) {
	var out incident.Checklist
	in := map[string]string{"checklist": checklist, "item": item, "by": by}
	err := c.call(ctx, http.MethodPost, incidentPath(id, "/checklist"), in, &out)
	return out, err
}

// Analyze compares [start, end) with the span of the same length just
// before it.
func (c *Client) Analyze(ctx context.Context, start, end time.Time) (report.Analysis, error) {
	return c.analyze(ctx, url.Values{"start": {stamp(start)}, "end": {stamp(end)}})
}

// AnalyzeAgainst compares [start, end) with [baselineStart, baselineEnd).
func (c *Client) AnalyzeAgainst(ctx context.Context, start, end, baselineStart, baselineEnd time.Time) (report.Analysis, error) {
	return c.analyze(ctx, url.Values{"start": {stamp(start)}, "end": {stamp(end)},
		"baseline_start": {stamp(baselineStart)}, "baseline_end": {stamp(baselineEnd)}})
}

func (c *Client) analyze(ctx context.Context, q url.Values) (report.Analysis, error) {
	var a report.Analysis
	err := c.call(ctx, http.MethodGet, "/admin/analyze?"+q.Encode(), nil, &a)
	return a, err
}

func stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Diagnostics streams the gateway's diagnostics bundle, a tar.gz, to w.
// On an error after the first byte, w holds a truncated archive.
func (c *Client) Diagnostics(ctx context.Context, w io.Writer) error {
	return c.stream(ctx, "/admin/diagnostics", "application/gzip", w, -1)
}

func incidentPath(id, rest string) string {
	return "/admin/incidents/" + url.PathEscape(id) + rest
}
