package app

import (
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/ui"
)

// buildUI creates the operations page. It reads /status through the admin
// API, built after it, so the page and /status never disagree.
func (a *App) buildUI() *ui.Page {
	a.drills = drill.NewHistory(a.cfg.Escalation.DataDir)
	sampler := ui.Sampler{Stats: a.plane.Stats, Keys: a.plane.Routes.Keys(),
		Share: func() float64 { return metrics.PrimaryShare(a.plane.Gateway.Routing()) }}
	if e := a.esc.Engine(); e != nil {
		sampler.Engine = e // only a non-nil engine: a typed nil would look enabled
	}
	o := ui.Options{
		Status: func(now time.Time) map[string]any { return a.admin.StatusDocument(now) },
		Sample: sampler.Sample,
		Drills: a.drills.Records,
		// The same token the admin API checks.
		TokenRequired: a.cfg.AdminToken() != "",
	}
	if rec, _ := a.esc.Incidents(); rec != nil {
		o.OpenIncident = func() string { id, _ := rec.Current(); return id }
	}
	a.ui = ui.New(o)
	return a.ui
}
