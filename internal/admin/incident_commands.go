package admin

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/lifeboat-sre/lifeboat/internal/incident"
)

// The calls below are what people do to an incident: take it on, and tick
// the checklist items automation could not. Each names who did it.

type ackRequest struct {
	By *string `json:"by"`
}

// ackIncident takes an incident on, {"by": "alice"}, which stops its
// escalation chain. It answers with the incident's summary.
func (a *API) ackIncident(r *http.Request) (any, error) {
	if a.o.Incidents == nil {
		return nil, errIncidentsOff
	}
	id, err := idOf(r)
	if err != nil {
		return nil, err
	}
	var in ackRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	by, err := nameOf("by", in.By)
	if err != nil {
		return nil, err
	}
	ctx, cancel := a.incidentCtx(r, true)
	defer cancel()
	if err := a.o.Incidents.Records.Ack(ctx, id, by); err != nil {
		return nil, incidentErr(err, id)
	}
	a.changed(r, "incident "+id+" acknowledged by "+by, map[string]any{"incident": id, "by": by})
	inc, err := a.o.Incidents.Records.Get(ctx, id)
	return summaryOf(inc), incidentErr(err, id)
}

type tickRequest struct {
	Checklist *string         `json:"checklist"`
	Item      json.RawMessage `json:"item"`
	By        *string         `json:"by"`
}

// tickItem ticks a checklist item done by a person:
// {"checklist": "post_rollback_review", "item": "Root cause identified" or 2,
// "by": "alice"}. It answers with the checklist after the tick.
func (a *API) tickItem(r *http.Request) (any, error) {
	if a.o.Incidents == nil {
		return nil, errIncidentsOff
	}
	var in tickRequest
	if err := decode(r, &in, a.o.MaxBodyBytes); err != nil {
		return nil, err
	}
	name, ref, by, err := tickInput(in)
	if err != nil {
		return nil, err
	}
	ctx, cancel := a.incidentCtx(r, true)
	defer cancel()
	// Reading first tells an unknown incident from an unknown item.
	inc, err := a.lookup(ctx, r)
	if err != nil {
		return nil, err
	}
	if err := a.o.Incidents.Records.Tick(ctx, inc.ID, name, ref, by); err != nil {
		return nil, itemErr(err, ref)
	}
	a.changed(r, fmt.Sprintf("incident %s: %s ticked %s item %s", inc.ID, by, name, ref),
		map[string]any{"incident": inc.ID, "checklist": name, "item": ref, "by": by})
	if inc, err = a.o.Incidents.Records.Get(ctx, inc.ID); err != nil {
		return nil, incidentErr(err, inc.ID)
	}
	return checklistOf(inc, name), nil
}

func tickInput(in tickRequest) (name, ref, by string, err error) {
	if in.Checklist == nil {
		return "", "", "", bad("checklist", "is required (%s or %s)", incident.EmergencyRollback, incident.PostRollbackReview)
	}
	if name = *in.Checklist; name != incident.EmergencyRollback && name != incident.PostRollbackReview {
		return "", "", "", bad("checklist", "must be %s or %s, got %q", incident.EmergencyRollback, incident.PostRollbackReview, name)
	}
	if ref, err = itemRef(in.Item); err != nil {
		return "", "", "", err
	}
	by, err = nameOf("by", in.By)
	return name, ref, by, err
}

func checklistOf(inc incident.Incident, name string) incident.Checklist {
	for _, c := range inc.Checklists {
		if c.Name == name {
			return c
		}
	}
	return incident.Checklist{Name: name}
}

// itemErr maps a refused tick, whose incident is known to exist.
func itemErr(err error, ref string) error {
	switch {
	case errors.Is(err, incident.ErrNotFound):
		return &callError{status: http.StatusNotFound, code: "NOT_FOUND", field: "item", msg: fmt.Sprintf("no item %q in this checklist", ref)}
	case errors.Is(err, incident.ErrDone):
		detail := err.Error()
		if _, after, ok := strings.Cut(detail, incident.ErrDone.Error()+": "); ok {
			detail = after
		}
		return &callError{status: http.StatusConflict, code: "FAILED_PRECONDITION", field: "item", msg: "is already ticked: " + detail}
	}
	return incidentErr(err, "")
}
