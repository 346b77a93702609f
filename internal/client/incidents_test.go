package client_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/client/clienttest"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/report"
)

func seeded(t *testing.T) (*client.Client, *clienttest.Incidents) {
	t.Helper()
	s := clienttest.Start(t, clienttest.Options{Incidents: true, Token: "tk"})
	return client.New(s.URL, "tk", nil), s.Incidents
}

func TestIncidentsAndIncident(t *testing.T) {
	c, in := seeded(t)
	list, err := c.Incidents(t.Context(), 0)
	if err != nil || len(list) != 2 || list[0].ID != in.Open || !list[0].Open || list[1].MaxLevel != "L3" {
		t.Fatalf("Incidents: %+v %v", list, err)
	}
	if list, err := c.Incidents(t.Context(), 1); err != nil || len(list) != 1 {
		t.Fatalf("Incidents(1): %d %v", len(list), err)
	}
	inc, err := c.Incident(t.Context(), in.Outage)
	if err != nil || len(inc.Timeline) != 12 || inc.Metrics.Detection.Duration() != 10*time.Second || !inc.Metrics.Downtime.Measured {
		t.Fatalf("Incident: %+v %v", inc.Summary(), err)
	}
	_, err = c.Incident(t.Context(), "INC-missing/../x")
	if ae := apiErr(t, err); ae.StatusCode != 404 || ae.Field != "id" {
		t.Fatalf("unknown incident: %+v", ae)
	}
}

func TestReportsAndChart(t *testing.T) {
	c, in := seeded(t)
	md, err := c.Report(t.Context(), in.Outage, "md")
	if err != nil || !strings.Contains(string(md), "# Incident report "+in.Outage) || !strings.Contains(string(md), "](chart.svg)") {
		t.Fatalf("Report md: %v\n%s", err, md)
	}
	md, err = c.MarkdownReport(t.Context(), in.Outage, "outage.svg")
	if err != nil || !strings.Contains(string(md), "](outage.svg)") {
		t.Fatalf("MarkdownReport: %v", err)
	}
	raw, err := c.Report(t.Context(), in.Outage, "json")
	var r report.Report
	if err != nil || json.Unmarshal(raw, &r) != nil || r.ID != in.Outage || len(r.Samples) == 0 {
		t.Fatalf("Report json: %v, id %q, %d samples", err, r.ID, len(r.Samples))
	}
	_, err = c.Report(t.Context(), in.Outage, "pdf")
	if ae := apiErr(t, err); ae.StatusCode != 400 || ae.Field != "format" {
		t.Fatalf("Report pdf: %+v", ae)
	}
	svg, err := c.Chart(t.Context(), in.Outage)
	if err != nil || !bytes.HasPrefix(svg, []byte("<?xml")) || !bytes.Contains(svg, []byte("</svg>")) {
		t.Fatalf("Chart: %v, %d bytes", err, len(svg))
	}
}

func TestAckAndTick(t *testing.T) {
	c, in := seeded(t)
	sum, err := c.Ack(t.Context(), in.Open, "alice")
	if err != nil || sum.AckedBy != "alice" || sum.ID != in.Open {
		t.Fatalf("Ack: %+v %v", sum, err)
	}
	_, err = c.Ack(t.Context(), in.Outage, "alice")
	if ae := apiErr(t, err); ae.StatusCode != 409 || ae.Code != "FAILED_PRECONDITION" {
		t.Fatalf("Ack a closed incident: %+v", ae)
	}
	cl, err := c.Tick(t.Context(), in.Outage, incident.PostRollbackReview, "2", "bob")
	if err != nil || !cl.Items[1].Done || cl.Items[1].By != "bob" {
		t.Fatalf("Tick: %+v %v", cl, err)
	}
	_, err = c.Tick(t.Context(), in.Outage, incident.PostRollbackReview, "Root cause identified", "carol")
	if ae := apiErr(t, err); ae.StatusCode != 409 || ae.Field != "item" {
		t.Fatalf("Tick twice: %+v", ae)
	}
	_, err = c.Tick(t.Context(), in.Outage, incident.PostRollbackReview, "Order pizza", "carol")
	if ae := apiErr(t, err); ae.StatusCode != 404 || ae.Field != "item" {
		t.Fatalf("Tick an unknown item: %+v", ae)
	}
}

func TestAnalyze(t *testing.T) {
	c, in := seeded(t)
	a, err := c.Analyze(t.Context(), in.Start.Add(5*time.Minute), in.Start.Add(5*time.Minute+20*time.Second))
	if err != nil || !a.Degraded || a.Window.Samples != 4 {
		t.Fatalf("Analyze the outage: %+v %v", a.Window, err)
	}
	a, err = c.AnalyzeAgainst(t.Context(), in.Start.Add(2*time.Minute), in.Start.Add(3*time.Minute),
		in.Start.Add(20*time.Minute), in.Start.Add(21*time.Minute))
	if err != nil || a.Degraded || a.Baseline.Samples != 12 {
		t.Fatalf("AnalyzeAgainst: degraded %v baseline %+v %v", a.Degraded, a.Baseline, err)
	}
	_, err = c.Analyze(t.Context(), in.Start, in.Start)
	if ae := apiErr(t, err); ae.StatusCode != 400 || ae.Field != "end" {
		t.Fatalf("Analyze an empty span: %+v", ae)
	}
}

func TestDiagnosticsStreamsTheArchive(t *testing.T) {
	c, _ := seeded(t)
	var buf bytes.Buffer
	if err := c.Diagnostics(t.Context(), &buf); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	hdr, err := tar.NewReader(zr).Next()
	if err != nil || !strings.HasSuffix(hdr.Name, "/manifest.json") {
		t.Fatalf("first entry %+v: %v", hdr, err)
	}
}

func TestDocumentErrors(t *testing.T) {
	off := clienttest.Start(t, clienttest.Options{NoEngine: true})
	_, err := client.New(off.URL, "", nil).Chart(t.Context(), "INC-1")
	if ae := apiErr(t, err); ae.StatusCode != 404 || ae.Field != "incidents" {
		t.Fatalf("Chart without escalation: %+v", ae)
	}
	s := clienttest.Start(t, clienttest.Options{Incidents: true, Token: "right"})
	_, err = client.New(s.URL, "wrong", nil).Report(t.Context(), s.Incidents.Outage, "md")
	if ae := apiErr(t, err); ae.StatusCode != 401 || ae.Code != "UNAUTHENTICATED" {
		t.Fatalf("Report with a wrong token: %+v", ae)
	}
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>a login page</html>"))
	}))
	t.Cleanup(page.Close)
	var buf bytes.Buffer
	err = client.New(page.URL, "", nil).Diagnostics(t.Context(), &buf)
	if ae := apiErr(t, err); ae.Code != "HTTP_200" || buf.Len() != 0 || !strings.Contains(ae.Message, "login page") {
		t.Fatalf("a page that is not the API: %+v, %d bytes written", ae, buf.Len())
	}
}
