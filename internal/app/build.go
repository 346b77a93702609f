package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"go.yaml.in/yaml/v3"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
)

// upstream is one service the gateway fronts: its configuration, its
// parsed address and its active health check.
type upstream struct {
	name  string
	cfg   config.Upstream
	url   *url.URL
	check *health.Checker
}

// build creates the engines and connects them, in the order each needs
// the ones before it.
func (a *App) build(version string) error {
	steps := []func() error{
		a.joinCluster, a.buildUpstreams, a.buildGateway, a.applyGuards,
		a.buildEscalation,
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

// buildUpstreams parses both upstreams, prepares their TLS, the drills'
// fault injector and their health checks.
func (a *App) buildUpstreams() error {
	p, err := parseUpstream(proxy.TargetNames[0], a.cfg.Upstreams.Primary)
	if err != nil {
		return err
	}
	f, err := parseUpstream(proxy.TargetNames[1], a.cfg.Upstreams.Fallback)
	if err != nil {
		return err
	}
	if err := a.buildUpstreamTLS(p, f); err != nil {
		return err
	}
	// Drills inject faults toward the primary in front of both the
	// gateway's transport and the health checks', as a real fault is seen.
	a.faults = fault.New(fault.Options{Primary: p.url, Transport: a.transport(a.cfg.Transport.FromFile()), Events: a.sink})
	p.check, f.check = a.checker(p), a.checker(f)
	a.primary, a.fallback = p, f
	return nil
}

func parseUpstream(name string, c config.Upstream) (upstream, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return upstream{}, fmt.Errorf("app: upstream %s: %w", name, err)
	}
	return upstream{name: name, cfg: c, url: u}, nil
}

// buildGateway opens the fallback side and builds the data plane over
// both upstreams.
func (a *App) buildGateway() error {
	c := a.cfg
	a.routes = route.New(c.Routes)
	a.stats = stats.NewRecorder(proxy.TargetNames, a.routes.Names(), c.Stats)
	traffic, err := metrics.NewTraffic(a.reg, proxy.TargetNames, a.routes.Names())
	if err != nil {
		return fmt.Errorf("app: metrics: %w", err)
	}
	mode, err := proxy.ParseMode(c.Routing.Mode)
	if err != nil {
		return err
	}
	side, pin, err := a.buildStandby(a.fallback.url)
	if err != nil {
		return err
	}
	a.gateway = proxy.New(proxy.Options{
		Primary: a.primary.url, Fallback: a.fallback.url,
		Transport: a.side.Primary(a.faults), FallbackTransport: side, Pin: pin,
		Routes: a.routes, Stats: a.stats, Observer: traffic, Events: a.sink,
		Health:           [2]proxy.HealthSource{a.primary.check, a.fallback.check},
		Routing:          proxy.Routing{Mode: mode, PrimaryWeight: c.Routing.PrimaryWeight},
		RequestTimeout:   c.Transport.RequestTimeout,
		StreamIdle:       c.Transport.StreamIdleTimeout,
		StreamMax:        c.Transport.StreamMaxDuration,
		HeaderTimeout:    c.Transport.ResponseHeaderTimeout,
		RetryBodyLimit:   c.Routing.RetryBodyLimit,
		InternalPrefixes: c.Routing.InternalPrefixes,
		Cache:            newCache(c.Cache),
		CacheEnabled:     c.Cache.Enabled,
	})
	return nil
}

func newCache(c config.Cache) *cache.Cache {
	cs := c.Settings
	// The file's list is the whole list: "tenant_headers: null" means none,
	// where a nil cache.Settings.TenantHeaders would mean the cache's own.
	cs.TenantHeaders = append([]string{}, cs.TenantHeaders...)
	cc := cache.New(cs)
	cc.SetAggressive(c.Aggressive, c.AggressiveTTL)
	return cc
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
		Gateway:      a.gateway,
		Defaults:     a.operations().Defaults,
		Token:        c.AdminToken().Reveal(),
		MaxBodyBytes: c.Admin.MaxBodyBytes,
		Events:       a.sink,
		Status:       a.status(version),
		Metrics:      promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}),
		Incidents:    a.incidentRecords(),
		Faults:       a.faults,
		Held:         a.side.Held(),
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
		Gateway: a.gateway, Stats: a.stats, Targets: proxy.TargetNames, Routes: a.routes.Names(),
		KeyRoutes: a.routes.Keys(), Events: a.events, Started: a.started, Version: version, Journal: a.side.Stats(),
		Cluster: a.clusterStatus(),
		Upstreams: [2]admin.Upstream{
			{Name: a.primary.name, URL: a.primary.cfg.URL, Health: a.primary.check, Warning: notes[0]},
			{Name: a.fallback.name, URL: a.fallback.cfg.URL, Health: a.fallback.check, Warning: notes[1]},
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
		a.primary.name:  func() bool { return a.primary.check.State().Usable() },
		a.fallback.name: func() bool { return a.fallback.check.State().Usable() },
	}
	for _, err := range []error{metrics.RegisterGateway(a.reg, a.gateway, ups), a.side.Register(a.reg),
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

// applyGuards installs the configured breaker and queue.
func (a *App) applyGuards() error {
	c := a.cfg
	if c.Breaker.Enabled {
		if err := a.gateway.EnableBreaker(breakerSettings(c.Breaker)); err != nil {
			return err
		}
	}
	if c.Queue.Enabled {
		return a.gateway.EnableQueue(queueSettings(c.Queue))
	}
	return nil
}

// checker builds the active health check of one upstream. Its client has
// its own small connection pool, so probes never wait behind client traffic.
func (a *App) checker(u upstream) *health.Checker {
	client := &http.Client{Transport: a.faults.Wrap(a.transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2}))}
	target := strings.TrimSuffix(u.cfg.URL, "/") + u.cfg.Health.Path
	hs := u.cfg.Health.Settings.Normalize()
	return health.NewChecker(u.name, health.NewHTTPProber(client, target, hs), hs, health.Hooks{
		OnChange: func(ch health.Change) { a.onHealthChange(ch) },
	})
}

func (a *App) onHealthChange(ch health.Change) {
	a.reportHealth(ch)
	if e := a.esc.Engine(); e != nil {
		e.Poke()
	}
	a.side.Wake()
	sev := event.Info
	if ch.To == health.Down {
		sev = event.Warning
	}
	a.sink.Emit(event.Event{Time: ch.At, Kind: event.HealthChanged, Source: "health", Severity: sev,
		Message: fmt.Sprintf("%s %s -> %s (%s)", ch.Name, ch.From, ch.To, ch.Result.Reason),
		Fields: map[string]any{"upstream": ch.Name, "from": ch.From.String(), "to": ch.To.String(),
			"reason": ch.Result.Reason, "status_code": ch.Result.StatusCode}})
}

// transport makes an upstream transport that Stop will close, so a
// stopped app leaves no connections (nor their goroutines) behind: an
// upstream draining itself would otherwise wait for connections dialled but
// never used.
func (a *App) transport(s proxy.TransportSettings) *http.Transport {
	s.TLSFor = a.upstreamTLS.For
	t := proxy.NewTransport(s)
	a.transports = append(a.transports, t)
	return t
}
