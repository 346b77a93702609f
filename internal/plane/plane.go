// Package plane assembles the data plane from configuration: both
// upstreams with their TLS, health checks and the drills' fault
// injector, the fallback side (journal, translation), and the gateway
// over them with its configured guards. The app builds one Plane and
// hands its parts to the escalation, the admin API and the listeners.
package plane

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/cache"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fallback"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/journal"
	"github.com/lifeboat-sre/lifeboat/internal/metrics"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/tlsconf"
)

// Upstream is one service the gateway fronts: its configuration, its
// parsed address and its active health check.
type Upstream struct {
	Name  string
	Cfg   config.Upstream
	URL   *url.URL
	Check *health.Checker
}

// Deps is what the data plane needs from the app.
type Deps struct {
	Registry prometheus.Registerer
	Events   event.Sink
	Log      *slog.Logger
	// Now stamps the journal's records (see app.Options).
	Now func() time.Time
	// Certificates turns certificate reloads into events.
	Certificates tlsconf.Announcer
	// OnHealth hears each upstream's health change first, before the
	// journal's drain is rung and the change is emitted.
	OnHealth func(health.Change)
	// Note records a person's note on an incident, for the held journals.
	Note func(ctx context.Context, id, by, msg string, fields map[string]any) error
	// Shared is the journal's shared log in a cluster, nil otherwise.
	Shared journal.Shared
	// DataDir makes the data directory safe before the journal opens it.
	DataDir func(dir string) error
}

// Plane is the data plane.
type Plane struct {
	Gateway *proxy.Gateway
	Routes  *route.Table
	Stats   *stats.Recorder
	// Primary and Fallback are the upstreams with their health checks.
	Primary, Fallback Upstream
	// Faults injects drills' faults toward the primary.
	Faults *fault.Injector
	// Side is the fallback side, journal to fallback, with the journal's
	// drain loop and the journals held aside when the journal is on.
	Side *fallback.Side
	// TLS is each https upstream's TLS configuration, with the reloaders
	// of their client certificates.
	TLS *tlsconf.Upstreams

	cfg config.Config
	d   Deps
	// transports reach the upstreams; CloseIdle closes their idle
	// connections.
	transports []*http.Transport
}

// New builds the data plane; on an error it closes the fallback side it
// may have opened.
func New(c config.Config, d Deps) (*Plane, error) {
	p := &Plane{cfg: c, d: d}
	for _, step := range []func() error{p.buildUpstreams, p.buildGateway, p.applyGuards} {
		if err := step(); err != nil {
			p.Close()
			return nil, err
		}
	}
	return p, nil
}

// Close closes the journal, which the side may hold open; the goroutines
// writing it have stopped with the app's context.
func (p *Plane) Close() {
	if p == nil || p.Side == nil {
		return
	}
	if err := p.Side.Close(); err != nil {
		p.d.Log.Warn("closing the journal", "err", err)
	}
}

// buildUpstreams parses both upstreams, prepares their TLS, the drills'
// fault injector and their health checks.
func (p *Plane) buildUpstreams() error {
	pr, err := parseUpstream(proxy.TargetNames[0], p.cfg.Upstreams.Primary)
	if err != nil {
		return err
	}
	f, err := parseUpstream(proxy.TargetNames[1], p.cfg.Upstreams.Fallback)
	if err != nil {
		return err
	}
	if err := p.buildUpstreamTLS(pr, f); err != nil {
		return err
	}
	// Drills inject faults toward the primary in front of both the
	// gateway's transport and the health checks', as a real fault is seen.
	p.Faults = fault.New(fault.Options{Primary: pr.URL, Transport: p.Transport(p.cfg.Transport.FromFile()), Events: p.d.Events})
	pr.Check, f.Check = p.checker(pr), p.checker(f)
	p.Primary, p.Fallback = pr, f
	return nil
}

func parseUpstream(name string, c config.Upstream) (Upstream, error) {
	u, err := url.Parse(c.URL)
	if err != nil {
		return Upstream{}, fmt.Errorf("app: upstream %s: %w", name, err)
	}
	return Upstream{Name: name, Cfg: c, URL: u}, nil
}

// buildUpstreamTLS prepares each https upstream's TLS configuration, which
// every transport the plane makes dials through.
func (p *Plane) buildUpstreamTLS(ups ...Upstream) error {
	list := make([]tlsconf.Upstream, len(ups))
	for i, u := range ups {
		list[i] = tlsconf.Upstream{Name: u.Name, URL: u.URL, TLS: u.Cfg.TLS}
	}
	u, err := tlsconf.NewUpstreams(list, p.d.Certificates)
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	p.TLS = u
	return nil
}

// buildGateway opens the fallback side and builds the data plane over
// both upstreams.
func (p *Plane) buildGateway() error {
	c := p.cfg
	p.Routes = route.New(c.Routes)
	p.Stats = stats.NewRecorder(proxy.TargetNames, p.Routes.Names(), c.Stats)
	traffic, err := metrics.NewTraffic(p.d.Registry, proxy.TargetNames, p.Routes.Names())
	if err != nil {
		return fmt.Errorf("app: metrics: %w", err)
	}
	mode, err := proxy.ParseMode(c.Routing.Mode)
	if err != nil {
		return err
	}
	side, pin, err := p.buildStandby(p.Fallback.URL)
	if err != nil {
		return err
	}
	p.Gateway = proxy.New(proxy.Options{
		Primary: p.Primary.URL, Fallback: p.Fallback.URL,
		Transport: p.Side.Primary(p.Faults), FallbackTransport: side, Pin: pin,
		Routes: p.Routes, Stats: p.Stats, Observer: traffic, Events: p.d.Events,
		Health:           [2]proxy.HealthSource{p.Primary.Check, p.Fallback.Check},
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

// applyGuards installs the configured breaker and queue.
func (p *Plane) applyGuards() error {
	c := p.cfg
	if c.Breaker.Enabled {
		if err := p.Gateway.EnableBreaker(breakerSettings(c.Breaker)); err != nil {
			return err
		}
	}
	if c.Queue.Enabled {
		return p.Gateway.EnableQueue(queueSettings(c.Queue))
	}
	return nil
}

// checker builds the active health check of one upstream. Its client has
// its own small connection pool, so probes never wait behind client traffic.
func (p *Plane) checker(u Upstream) *health.Checker {
	client := &http.Client{Transport: p.Faults.Wrap(p.Transport(proxy.TransportSettings{MaxIdleConnsPerHost: 2}))}
	target := strings.TrimSuffix(u.Cfg.URL, "/") + u.Cfg.Health.Path
	hs := u.Cfg.Health.Settings.Normalize()
	return health.NewChecker(u.Name, health.NewHTTPProber(client, target, hs), hs, health.Hooks{
		OnChange: p.onHealthChange,
	})
}

func (p *Plane) onHealthChange(ch health.Change) {
	p.d.OnHealth(ch)
	p.Side.Wake()
	sev := event.Info
	if ch.To == health.Down {
		sev = event.Warning
	}
	p.d.Events.Emit(event.Event{Time: ch.At, Kind: event.HealthChanged, Source: "health", Severity: sev,
		Message: fmt.Sprintf("%s %s -> %s (%s)", ch.Name, ch.From, ch.To, ch.Result.Reason),
		Fields: map[string]any{"upstream": ch.Name, "from": ch.From.String(), "to": ch.To.String(),
			"reason": ch.Result.Reason, "status_code": ch.Result.StatusCode}})
}

// Transport makes an upstream transport that CloseIdle will close, so a
// stopped app leaves no connections (nor their goroutines) behind: an
// upstream draining itself would otherwise wait for connections dialled but
// never used.
func (p *Plane) Transport(s proxy.TransportSettings) *http.Transport {
	s.TLSFor = p.TLS.For
	t := proxy.NewTransport(s)
	p.transports = append(p.transports, t)
	return t
}

// CloseIdle closes the idle connections of every transport the plane
// made.
func (p *Plane) CloseIdle() {
	for _, t := range p.transports {
		t.CloseIdleConnections()
	}
}
