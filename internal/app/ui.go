package app

import (
	"path/filepath"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/ui"
)

// buildUI creates the operations page. It reads /status through the admin
// API, built after it, so the page and /status never disagree.
func (a *App) buildUI() *ui.Page {
	a.drills = &drillLog{path: filepath.Join(a.cfg.Escalation.DataDir, drillsFile)}
	o := ui.Options{
		Status: func(now time.Time) map[string]any { return a.admin.StatusDocument(now) },
		Sample: a.sample,
		Drills: a.drills.page,
		// The same token the admin API checks.
		TokenRequired: a.cfg.AdminToken() != "",
	}
	if a.inc != nil {
		o.OpenIncident = func() string { id, _ := a.inc.recorder.Current(); return id }
	}
	a.ui = ui.New(o)
	return a.ui
}

// sample is one point of the page's history.
func (a *App) sample(now time.Time) ui.Point {
	client, _ := a.stats.UpstreamIndex("client") // what clients saw, whoever answered
	s := a.stats.Upstream(client, a.routes.Keys(), now)
	p := ui.Point{T: now.UnixMilli(), Share: primaryShare(a.gateway.Routing()), ErrorRate: s.ErrorRate,
		P50MS: float64(s.P50.Microseconds()) / 1000, P99MS: float64(s.P99.Microseconds()) / 1000}
	if w := s.Window.Seconds(); w > 0 {
		p.RPS = float64(s.Requests) / w
	}
	if a.engine == nil {
		return p
	}
	st := a.engine.Status(now)
	p.Level = int(st.Level)
	p.Triggers = make(map[string]float64, len(st.Triggers))
	for _, ev := range st.Triggers {
		if ev.Valid {
			p.Triggers[ev.Trigger] = ev.Value
		}
	}
	return p
}

// markUI puts the decisions the charts show as lines on the page, and
// wakes its streams for every other event, so a change shows at once.
func (a *App) markUI(e event.Event) {
	if a.ui == nil {
		return
	}
	switch e.Typed().(type) {
	case fact.LevelChanged:
		a.ui.Mark(e.Time, "level", e.Message)
	case fact.RollbackResult:
		a.ui.Mark(e.Time, "rollback", e.Message)
	case fact.RestoreStep, fact.RestoreCompleted, fact.RestoreFailed:
		a.ui.Mark(e.Time, "restore", e.Message)
	default:
		a.ui.Changed()
	}
}
