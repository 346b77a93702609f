package admin

import (
	"bytes"
	"net/http"
	"strings"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/report"
)

// defaultChartFile is the name the Markdown report gives the chart when
// the caller names none: the file `GET .../chart.svg` is saved as.
const defaultChartFile = "chart.svg"

// incidentReport is the plan's generate_incident_report:
// ?format=md (default) or json, and for Markdown ?chart=NAME, the relative
// path or URL the report shows the chart from (default chart.svg).
func (a *API) incidentReport(w http.ResponseWriter, r *http.Request) error {
	q, err := query(r, "format", "chart")
	if err != nil {
		return err
	}
	format, chart, err := reportFormat(q["format"], q["chart"])
	if err != nil {
		return err
	}
	inc, samples, err := a.incidentHistory(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	ctype := "application/json"
	if format == "json" {
		err = report.JSON(&buf, inc, samples)
	} else {
		ctype = "text/markdown; charset=utf-8"
		err = report.Markdown(&buf, inc, samples, chart)
	}
	if err != nil {
		return err
	}
	return writeDocument(w, ctype, buf.Bytes())
}

// reportFormat checks ?format and ?chart.
func reportFormat(format, chart string) (string, string, error) {
	switch format {
	case "", "md", "markdown":
		format = "md"
	case "json":
		if chart != "" {
			return "", "", bad("chart", "is only allowed with format md")
		}
	default:
		return "", "", bad("format", "must be md or json, got %q", format)
	}
	if chart == "" {
		return format, defaultChartFile, nil
	}
	return format, chart, chartName(chart)
}

// chartName refuses what would break the Markdown image link or point
// outside the report's directory: the name is written into the document.
func chartName(name string) error {
	if len(name) > maxByLength || strings.HasPrefix(name, "/") || strings.Contains(name, "..") {
		return bad("chart", "must be a relative file name of at most %d bytes, got %q", maxByLength, name)
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._-/", c)) {
			return bad("chart", "may hold only letters, digits and . _ - /, got %q", name)
		}
	}
	return nil
}

// incidentChart draws the client's latency and error rate across the
// incident's window, with its level changes, rollback and restore marked.
func (a *API) incidentChart(w http.ResponseWriter, r *http.Request) error {
	if _, err := query(r); err != nil {
		return err
	}
	inc, samples, err := a.incidentHistory(r)
	if err != nil {
		return err
	}
	start, end := a.reportWindow(inc)
	var buf bytes.Buffer
	if err := report.Chart(&buf, samples, start, end, report.Marks(inc)); err != nil {
		return err
	}
	return writeDocument(w, "image/svg+xml", buf.Bytes())
}

// incidentHistory reads the incident the path names and the history of
// its window.
func (a *API) incidentHistory(r *http.Request) (incident.Incident, []history.Sample, error) {
	ctx, cancel := a.incidentCtx(r, false)
	defer cancel()
	inc, err := a.lookup(ctx, r)
	if err != nil {
		return inc, nil, err
	}
	start, end := a.reportWindow(inc)
	samples, err := a.o.Incidents.History.Range(ctx, start, end)
	return inc, samples, incidentErr(err, inc.ID)
}

// reportWindow is report.Window, cut to the last maxSpan of an incident
// that lasted longer, so one call never reads more than a week of history.
func (a *API) reportWindow(inc incident.Incident) (time.Time, time.Time) {
	start, end := report.Window(inc, a.o.Now())
	if limit := end.Add(-maxSpan); start.Before(limit) {
		start = limit
	}
	return start, end
}

func writeDocument(w http.ResponseWriter, ctype string, body []byte) error {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body) // a client that hung up gets no answer either way
	return nil
}
