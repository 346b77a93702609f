package admin

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/history"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// IncidentRecords is the incident store as people use it: read incidents,
// acknowledge one, tick a checklist item. *incident.Recorder is one.
type IncidentRecords interface {
	List(ctx context.Context, limit int) ([]incident.Incident, error)
	Get(ctx context.Context, id string) (incident.Incident, error)
	Ack(ctx context.Context, id, by string) error
	Tick(ctx context.Context, id, checklist, item, by string) error
}

// MetricHistory is the per-interval traffic history behind reports,
// charts and analysis. *history.Sampler is one.
type MetricHistory interface {
	Range(ctx context.Context, start, end time.Time) ([]history.Sample, error)
}

// Incidents is what the incident calls read and change.
type Incidents struct {
	// Records holds the incidents. Required.
	Records IncidentRecords
	// History holds the traffic figures. Required.
	History MetricHistory
}

// Bounds of the incident calls' input.
const (
	defaultListLimit = 50
	maxListLimit     = 1000
	maxIDLength      = 100
	// maxSpan bounds the history one call reads: an analysed window, its
	// baseline, or the window of a report. A week is the default retention.
	maxSpan = 7 * 24 * time.Hour
)

// errIncidentsOff answers every incident call when escalation is off.
var errIncidentsOff = &callError{status: http.StatusNotFound, code: "NOT_FOUND", field: "incidents",
	msg: "are disabled (escalation is off)"}

func (a *API) incidentRoutes() {
	a.handle("GET /admin/incidents", a.listIncidents)
	a.handle("GET /admin/incidents/{id}", a.getIncident)
	a.handle("POST /admin/incidents/{id}/ack", a.ackIncident)
	a.handle("POST /admin/incidents/{id}/checklist", a.tickItem)
	a.handleDocument("GET /admin/incidents/{id}/report", a.incidentReport)
	a.handleDocument("GET /admin/incidents/{id}/chart.svg", a.incidentChart)
	a.handle("GET /admin/analyze", a.analyze)
	a.handleDocument("GET /admin/diagnostics", a.diagnostics)
}

// incidentCtx bounds an incident call. Writes outlive a client that hangs
// up, so an acknowledgement that was sent is not lost halfway.
func (a *API) incidentCtx(r *http.Request, write bool) (context.Context, context.CancelFunc) {
	ctx := r.Context()
	if write {
		ctx = context.WithoutCancel(ctx)
	}
	return context.WithTimeout(ctx, a.o.IncidentTimeout)
}

// incidentSummary fixes the wire format of an incident in a list: List
// measures no metrics, so none are shown.
type incidentSummary struct {
	ID       string    `json:"id"`
	OpenedAt time.Time `json:"opened_at"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
	Open     bool      `json:"open"`
	Level    string    `json:"level"`
	MaxLevel string    `json:"max_level"`
	Trigger  string    `json:"trigger,omitempty"`
	Rollback string    `json:"rollback,omitempty"`
	Manual   bool      `json:"manual"`
	AckedBy  string    `json:"acked_by,omitempty"`
	AckedAt  time.Time `json:"acked_at,omitzero"`
}

func summaryOf(inc incident.Incident) incidentSummary {
	return incidentSummary{ID: inc.ID, OpenedAt: inc.OpenedAt, ClosedAt: inc.ClosedAt, Open: inc.Open,
		Level: inc.Level, MaxLevel: inc.MaxLevel, Trigger: inc.Trigger, Rollback: inc.Rollback,
		Manual: inc.Manual, AckedBy: inc.AckedBy, AckedAt: inc.AckedAt}
}

// listIncidents answers ?limit=N (1–1000, default 50), newest first.
func (a *API) listIncidents(r *http.Request) (any, error) {
	if a.o.Incidents == nil {
		return nil, errIncidentsOff
	}
	q, err := query(r, "limit")
	if err != nil {
		return nil, err
	}
	limit, err := intParam(q["limit"], "limit", defaultListLimit, 1, maxListLimit)
	if err != nil {
		return nil, err
	}
	ctx, cancel := a.incidentCtx(r, false)
	defer cancel()
	list, err := a.o.Incidents.Records.List(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]incidentSummary, len(list))
	for i, inc := range list {
		out[i] = summaryOf(inc)
	}
	return out, nil
}

func (a *API) getIncident(r *http.Request) (any, error) {
	if _, err := query(r); err != nil {
		return nil, err
	}
	ctx, cancel := a.incidentCtx(r, false)
	defer cancel()
	return a.lookup(ctx, r)
}

// lookup reads the incident the path names.
func (a *API) lookup(ctx context.Context, r *http.Request) (incident.Incident, error) {
	if a.o.Incidents == nil {
		return incident.Incident{}, errIncidentsOff
	}
	id, err := idOf(r)
	if err != nil {
		return incident.Incident{}, err
	}
	inc, err := a.o.Incidents.Records.Get(ctx, id)
	return inc, incidentErr(err, id)
}

// incidentErr maps the incident store's errors to HTTP answers.
func incidentErr(err error, id string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, incident.ErrNotFound):
		return &callError{status: http.StatusNotFound, code: "NOT_FOUND", field: "id", msg: "no incident " + id}
	case errors.Is(err, incident.ErrClosed):
		return &callError{status: http.StatusConflict, code: "FAILED_PRECONDITION", field: "state",
			msg: "incident " + id + " is closed: there is nothing left to acknowledge"}
	case errors.Is(err, context.DeadlineExceeded):
		return &callError{status: http.StatusServiceUnavailable, code: "UNAVAILABLE", field: "incidents",
			msg: "the incident store did not answer in time; try again"}
	}
	return err
}
