package app

import (
	"context"
	"fmt"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/escalation"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/plane"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
)

// build creates the engines and connects them, in the order each needs
// the ones before it.
func (a *App) build(version string) error {
	steps := []func() error{
		a.joinCluster, a.buildPlane, a.buildEscalation,
		func() error { return a.buildAdmin(version) },
		a.registerMetrics, a.buildServers,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	a.servers.RegisterOnShutdown(a.ui.Close) // streams never go idle: Shutdown would wait for them
	return nil
}

// buildPlane builds the data plane.
func (a *App) buildPlane() error {
	p, err := plane.New(a.cfg, plane.Deps{Registry: a.reg, Events: a.sink, Log: a.log, Now: a.now,
		Certificates: a.announcer(), OnHealth: a.onHealth, Note: a.noteIncident, Shared: a.journalShared(),
		DataDir: escalation.EnsureDataDir})
	if err != nil {
		return err
	}
	a.plane = p
	return nil
}

// noteIncident records a person's note on an incident, when incidents are
// recorded; the journal is built before the escalation.
func (a *App) noteIncident(ctx context.Context, id, by, msg string, fields map[string]any) error {
	return a.esc.Note(ctx, id, by, msg, fields)
}

// buildAdmin builds the control plane's API over everything built so far.
func (a *App) buildAdmin(version string) error {
	c := a.cfg
	effective, err := yaml.Marshal(c) // secrets marshal redacted
	if err != nil {
		return fmt.Errorf("app: effective configuration: %w", err)
	}
	a.admin = admin.New(admin.Options{
		Levels:       a.levels(),
		Gateway:      a.plane.Gateway,
		Defaults:     a.plane.Operations().Defaults,
		Token:        c.AdminToken().Reveal(),
		MaxBodyBytes: c.Admin.MaxBodyBytes,
		Events:       a.sink,
		Status:       a.status(version),
		Metrics:      promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}),
		Incidents:    a.incidentRecords(),
		Faults:       a.plane.Faults,
		Held:         a.plane.Side.Held(),
		Config:       effective,
		Secrets:      notifierSecrets(c),
		Now:          a.now,
		UI:           a.buildUI(),
	})
	return nil
}

// status is what /status reports.
func (a *App) status(version string) *admin.Status {
	notes := a.insecureNotes()
	return &admin.Status{
		Gateway: a.plane.Gateway, Stats: a.plane.Stats, Targets: proxy.TargetNames, Routes: a.plane.Routes.Names(),
		KeyRoutes: a.plane.Routes.Keys(), Events: a.events, Started: a.started, Version: version, Journal: a.plane.Side.Stats(),
		Cluster: a.clusterStatus(),
		Upstreams: [2]admin.Upstream{
			{Name: a.plane.Primary.Name, URL: a.plane.Primary.Cfg.URL, Health: a.plane.Primary.Check, Warning: notes[0]},
			{Name: a.plane.Fallback.Name, URL: a.plane.Fallback.Cfg.URL, Health: a.plane.Fallback.Check, Warning: notes[1]},
		},
	}
}

// levels is the level engine for the admin API, nil when escalation is
// off: a typed nil would look enabled.
func (a *App) levels() admin.Levels {
	if a.esc == nil {
		return nil
	}
	return a.esc.Engine()
}

// incidentRecords are the incident records for the admin API, nil when
// escalation is off.
func (a *App) incidentRecords() *admin.Incidents {
	if a.esc == nil {
		return nil
	}
	rec, hist := a.esc.Incidents()
	return &admin.Incidents{Records: rec, History: hist}
}

// registerMetrics exports the live state read at scrape time.
func (a *App) registerMetrics() error {
	ups := map[string]metrics.Usable{
		a.plane.Primary.Name:  func() bool { return a.plane.Primary.Check.State().Usable() },
		a.plane.Fallback.Name: func() bool { return a.plane.Fallback.Check.State().Usable() },
	}
	for _, err := range []error{metrics.RegisterGateway(a.reg, a.plane.Gateway, ups), a.plane.Side.Register(a.reg),
		a.registerDrills(), a.registerAdminMetrics()} {
		if err != nil {
			return fmt.Errorf("app: metrics: %w", err)
		}
	}
	return nil
}

// registerDrills exports the last drill's figures, when escalation is
// enabled; the escalation exports its own decisions.
func (a *App) registerDrills() error {
	if a.esc == nil {
		return nil
	}
	return metrics.NewDrills(a.reg, a.drills.Last)
}

// notifierSecrets are the notifiers' URLs, keys and headers, which the
// diagnostics bundle scrubs from events that quote them.
func notifierSecrets(c config.Config) []string {
	var out []string
	for _, n := range c.Notify.Notifiers {
		out = append(out, n.URL.Reveal(), n.RoutingKey.Reveal())
		for _, h := range n.Headers {
			out = append(out, h.Reveal())
		}
	}
	return out
}

// onHealth is what the app does on an upstream's health change, before
// the plane rings the journal's drain and emits the change: the cluster
// hears this replica's verdict and the engine looks again.
func (a *App) onHealth(ch health.Change) {
	a.reportHealth(ch)
	if e := a.esc.Engine(); e != nil {
		e.Poke()
	}
}
