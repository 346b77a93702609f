package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/prometheus/client_golang/prometheus/collectors"
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

// build creates the engines and connects them.
func (a *App) build(version string) error {
	c := a.cfg
	if err := a.joinCluster(); err != nil {
		return err
	}
	routes := route.New(c.Routes)
	recorder := stats.NewRecorder(proxy.TargetNames, routes.Names(), c.Stats)
	a.routes, a.stats = routes, recorder
	traffic, err := metrics.NewTraffic(a.reg, proxy.TargetNames, routes.Names())
	if err != nil {
		return fmt.Errorf("app: metrics: %w", err)
	}
	ups := [2]config.Upstream{c.Upstreams.Primary, c.Upstreams.Fallback}
	var urls [2]*url.URL
	for i, u := range ups {
		if urls[i], err = url.Parse(u.URL); err != nil {
			return fmt.Errorf("app: upstream %s: %w", proxy.TargetNames[i], err)
		}
	}
	if err := a.buildUpstreamTLS(ups, urls); err != nil {
		return err
	}
	// Drills inject faults toward the primary in front of both the
	// gateway's transport and the health checks', as a real fault is seen.
	a.faults = fault.New(fault.Options{Primary: urls[0], Transport: a.transport(c.Transport.FromFile()), Events: a.sink})
	for i, u := range ups {
		a.checkers[i] = a.checker(proxy.TargetNames[i], u)
	}
	mode, err := proxy.ParseMode(c.Routing.Mode)
	if err != nil {
		return err
	}
	standbyTransport, pin, err := a.buildStandby(urls[1])
	if err != nil {
		return err
	}
	cs := c.Cache.Settings
	// The file's list is the whole list: "tenant_headers: null" means none,
	// where a nil cache.Settings.TenantHeaders would mean the cache's own.
	cs.TenantHeaders = append([]string{}, cs.TenantHeaders...)
	cc := cache.New(cs)
	cc.SetAggressive(c.Cache.Aggressive, c.Cache.AggressiveTTL)
	a.gateway = proxy.New(proxy.Options{
		Primary: urls[0], Fallback: urls[1],
		Transport:         a.side.Primary(a.faults),
		FallbackTransport: standbyTransport,
		Pin:               pin,
		Routes:            routes,
		Stats:             recorder,
		Health:            [2]proxy.HealthSource{a.checkers[0], a.checkers[1]},
		Observer:          traffic,
		Events:            a.sink,
		Routing:           proxy.Routing{Mode: mode, PrimaryWeight: c.Routing.PrimaryWeight},
		RequestTimeout:    c.Transport.RequestTimeout,
		StreamIdle:        c.Transport.StreamIdleTimeout,
		StreamMax:         c.Transport.StreamMaxDuration,
		HeaderTimeout:     c.Transport.ResponseHeaderTimeout,
		RetryBodyLimit:    c.Routing.RetryBodyLimit,
		InternalPrefixes:  c.Routing.InternalPrefixes,
		Cache:             cc,
		CacheEnabled:      c.Cache.Enabled,
	})
	if err := a.applyGuards(); err != nil {
		return err
	}
	// The recorder exists before the engine, so the engine's resume after
	// a restart (its decision and the routing it re-applies) lands on the
	// incident that is still open.
	if c.Escalation.Enabled {
		if err := a.buildIncidents(context.Background()); err != nil {
			return err
		}
	}
	if err := a.buildEscalation(context.Background()); err != nil {
		return err
	}
	status := &admin.Status{
		Gateway: a.gateway, Stats: recorder, Targets: proxy.TargetNames, Routes: routes.Names(),
		KeyRoutes: routes.Keys(), Events: a.events, Started: a.started, Version: version, Journal: a.side.Stats(),
		Cluster: a.clusterStatus(),
		Upstreams: [2]admin.Upstream{
			{Name: "primary", URL: ups[0].URL, Health: a.checkers[0], Warning: a.insecureNotes()[0]},
			{Name: "fallback", URL: ups[1].URL, Health: a.checkers[1], Warning: a.insecureNotes()[1]},
		},
	}
	var levels admin.Levels
	if a.engine != nil {
		levels = a.engine // only a non-nil engine: a typed nil would look enabled
	}
	var incidents *admin.Incidents
	if a.book != nil {
		incidents = &admin.Incidents{Records: a.book.Recorder, History: a.book.History}
	}
	effective, err := yaml.Marshal(c) // config.Secret marshals redacted
	if err != nil {
		return fmt.Errorf("app: effective configuration: %w", err)
	}
	a.admin = admin.New(admin.Options{
		Levels:       levels,
		Gateway:      a.gateway,
		Defaults:     admin.Defaults{Breaker: breakerSettings(c.Breaker), Queue: queueSettings(c.Queue), AggressiveTTL: c.Cache.AggressiveTTL},
		Token:        c.AdminToken().Reveal(),
		MaxBodyBytes: c.Admin.MaxBodyBytes,
		Events:       a.sink,
		Status:       status,
		Metrics:      promhttp.HandlerFor(a.reg, promhttp.HandlerOpts{}),
		Incidents:    incidents,
		Faults:       a.faults,
		Held:         a.side.Held(),
		Config:       effective,
		Secrets:      notifierSecrets(c),
		Now:          a.now,
		UI:           a.buildUI(),
	})
	if err := firstErr(a.registerGauges(), a.side.Register(a.reg), a.registerDecisions(), a.registerAdminMetrics()); err != nil {
		return fmt.Errorf("app: metrics: %w", err)
	}
	if err := a.buildServers(); err != nil {
		return err
	}
	a.servers.RegisterOnShutdown(a.ui.Close) // streams never go idle: Shutdown would wait for them
	return nil
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
func (a *App) checker(name string, u config.Upstream) *health.Checker {
	client := &http.Client{Transport: a.faults.Wrap(a.transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2}))}
	target := strings.TrimSuffix(u.URL, "/") + u.Health.Path
	hs := u.Health.Settings.Normalize()
	return health.NewChecker(name, health.NewHTTPProber(client, target, hs), hs, health.Hooks{
		OnChange: func(ch health.Change) { a.onHealthChange(ch) },
	})
}

func (a *App) onHealthChange(ch health.Change) {
	a.reportHealth(ch)
	if a.engine != nil {
		a.engine.Poke()
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

// registerGauges exports live engine state read at scrape time.
func (a *App) registerGauges() error {
	g := a.gateway
	a.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for i, c := range a.checkers {
		if err := metrics.Gauge(a.reg, "lifeboat_upstream_up", "1 when active checks say the upstream is usable.",
			map[string]string{"upstream": proxy.TargetNames[i]}, func() float64 { return boolf(c.State().Usable()) }); err != nil {
			return err
		}
	}
	return firstErr(
		metrics.Gauge(a.reg, "lifeboat_breaker_state", "Primary breaker: 0 closed, 1 half-open, 2 open, -1 disabled.", nil, func() float64 {
			if b := g.Breaker(); b != nil {
				return breakerValue(b.State().String())
			}
			return -1
		}),
		metrics.Gauge(a.reg, "lifeboat_queue_waiting", "Requests waiting for the primary.", nil, func() float64 {
			if q := g.Queue(); q != nil {
				return float64(q.Snapshot().Waiting)
			}
			return 0
		}),
		metrics.Gauge(a.reg, "lifeboat_cache_entries", "Responses held by the cache.", nil, func() float64 {
			return float64(g.CacheStore().Snapshot().Entries)
		}),
		metrics.Counter(a.reg, "lifeboat_cache_hits_total", "Requests answered from the cache.", nil, func() float64 {
			s := g.CacheStore().Snapshot()
			return float64(s.Hits + s.StaleServed + s.Revalidated)
		}),
		metrics.Counter(a.reg, "lifeboat_cache_misses_total", "Cache lookups that found nothing usable.", nil, func() float64 {
			return float64(g.CacheStore().Snapshot().Misses)
		}),
		metrics.Gauge(a.reg, "lifeboat_routing_primary_share", "Share of new requests sent to the primary first (0 to 1).", nil, func() float64 {
			return primaryShare(g.Routing())
		}),
	)
}

func breakerValue(state string) float64 {
	switch state {
	case "open":
		return 2
	case "half-open":
		return 1
	}
	return 0
}

func primaryShare(r proxy.Routing) float64 {
	switch r.Mode {
	case proxy.ModeFallback:
		return 0
	case proxy.ModeSplit:
		return float64(r.PrimaryWeight) / 100
	}
	return 1
}

func boolf(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
