// Package app wires Lifeboat's engines into one embeddable gateway:
// New builds it from configuration, Start listens, Addr tells where, and
// Stop drains it. Tests run the whole gateway in-process this way.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/escalation"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fault"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/plane"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/replica"
	"github.com/lifeboat-sre/lifeboat/internal/server"
	"github.com/lifeboat-sre/lifeboat/internal/ui"
)

// ErrUnsafeAdmin means the admin API would be reachable from other hosts
// without a token.
var ErrUnsafeAdmin = errors.New("app: admin API on a non-loopback address needs admin.token")

// Options configures an App.
type Options struct {
	// Config is the validated configuration. Use config.Default() for the
	// built-in defaults.
	Config config.Config
	// Logger receives events and server errors. Nil discards them.
	Logger *slog.Logger
	// Registry receives the metrics. Nil means a fresh registry.
	Registry *prometheus.Registry
	// Version is reported by /status.
	Version string
	// ManualEscalation leaves the level engine's evaluations to the caller
	// (Engine().Step), and the escalation chain's to TickAlerts, so tests
	// can drive the plan's 15- and 30-minute timelines with their own
	// clock. Default false: both run by themselves.
	ManualEscalation bool
	// Now is the clock for what the app stamps itself: acknowledgements,
	// checklist ticks, artifacts, alert results and the windows of open
	// incidents' reports. Nil means time.Now. A test that steps the engine
	// and the chain with its own times passes the same clock here, so that
	// an acknowledgement lands on the chain's timeline and not before it.
	Now func() time.Time
}

// App is a running (or ready to run) Lifeboat gateway. Its parts are
// grouped by what they are to the app: the data plane, the decision path
// and the cluster membership are each a type of their own; env, control
// and life are embedded, so the wiring names their parts directly.
type App struct {
	env
	// plane is the data plane: the gateway, the upstreams, the fallback
	// side.
	plane *plane.Plane
	control
	// esc is the decision path, nil when escalation is disabled.
	esc *escalation.Escalation
	// clu is this replica's cluster membership, nil in a single process.
	clu *replica.Replica
	life
}

// env is what the app was given, and where its events go.
type env struct {
	cfg     config.Config
	log     *slog.Logger
	reg     *prometheus.Registry
	events  *event.Ring
	sink    event.Sink
	now     func() time.Time
	manual  bool
	started time.Time
}

// control is what operators reach: the admin API, the page, the drills'
// history, and the listeners that serve them with the gateway.
type control struct {
	admin  *admin.API
	ui     *ui.Page
	drills *drill.History
	// servers are the client listener and, with admin.listen, the admin
	// API's, with their certificates' reloaders.
	servers *server.Set
}

// life is the app's run: its context's cancel, set by Start, and the
// goroutines it owns.
type life struct {
	mu       sync.Mutex
	cancel   context.CancelFunc
	wg       sync.WaitGroup
	stopOnce sync.Once
	stopErr  error
}

// New builds the gateway from configuration without listening yet.
func New(o Options) (*App, error) {
	if err := o.Config.Validate(); err != nil {
		return nil, err
	}
	if err := checkAdminExposure(o.Config); err != nil {
		return nil, err
	}
	a := &App{env: env{cfg: o.Config, log: o.Logger, reg: o.Registry, events: event.NewRing(256), started: time.Now(),
		manual: o.ManualEscalation, now: o.Now}}
	if a.now == nil {
		a.now = time.Now
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.reg == nil {
		a.reg = prometheus.NewRegistry()
	}
	// The escalation and the page are built later: look them up per event
	// (both ignore events while nil).
	a.sink = event.Fanout{a.events, event.Log{Logger: a.log}, event.SinkFunc(a.onEvent),
		event.SinkFunc(func(e event.Event) { a.ui.Emit(e) })}
	if err := a.build(o.Version); err != nil {
		a.closeStores() // the database and the journal may be open already
		a.closeCluster()
		return nil, err
	}
	return a, nil
}

// Start listens on the configured addresses and serves until Stop. It
// returns once the listeners are open, so Addr and AdminAddr are valid
// afterwards.
func (a *App) Start(ctx context.Context) error {
	if err := a.servers.Listen(ctx); err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.advertiseAdmin()
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	a.mu.Lock()
	a.cancel = cancel
	a.mu.Unlock()
	a.wg.Go(func() { a.plane.TLS.Run(runCtx) })
	if a.esc != nil {
		a.esc.Start(runCtx) // in a cluster the replica's terms take over what is open
	}
	for _, c := range []*health.Checker{a.plane.Primary.Check, a.plane.Fallback.Check} {
		a.wg.Go(func() { c.Run(runCtx) })
	}
	a.startDeciding(runCtx)
	a.wg.Go(func() { a.ui.Run(runCtx.Done()) })
	a.wg.Go(func() { a.servers.Serve(runCtx) })
	a.log.Info("lifeboat listening", "addr", a.Addr(), "tls", a.cfg.TLS.Enabled(), "admin_addr", a.AdminAddr(),
		"primary", a.cfg.Upstreams.Primary.URL, "fallback", a.cfg.Upstreams.Fallback.URL,
		"mode", a.plane.Gateway.Routing().Mode.String())
	a.announcer().Insecure(proxy.TargetNames, a.insecureNotes())
	return nil
}

// Addr is the address the gateway listens on for clients, empty before
// Start.
func (a *App) Addr() string { return a.servers.Addr() }

// Stop stops accepting, lets requests in flight finish until ctx ends,
// then stops the health checks and waits for every goroutine. It is safe
// to call more than once; later calls return the first call's result.
func (a *App) Stop(ctx context.Context) error {
	a.stopOnce.Do(func() {
		a.plane.Faults.Stop() // first: no fault outlives the app, and hung requests drain
		a.mu.Lock()
		cancel := a.cancel
		a.mu.Unlock()
		if cancel == nil {
			a.closeStores() // built but never started
			a.closeCluster()
			return
		}
		if err := a.servers.Shutdown(ctx); err != nil {
			a.stopErr = fmt.Errorf("app: %w", err)
		}
		a.esc.Drain(ctx)
		cancel()
		a.wg.Wait()
		a.plane.CloseIdle()
		a.closeStores()  // the escalation saves its baseline here
		a.closeCluster() // last: the journal and the engine's store use it
	})
	return a.stopErr
}

// Gateway exposes the data plane's live controls, for tests and automation.
func (a *App) Gateway() *proxy.Gateway { return a.plane.Gateway }

// Faults exposes the fault injector drills drive.
func (a *App) Faults() *fault.Injector { return a.plane.Faults }

// Events exposes the recent events.
func (a *App) Events() *event.Ring { return a.events }

// checkAdminExposure refuses an admin API that other hosts could reach
// without a token, or over plain HTTP unless the operator allowed it.
func checkAdminExposure(c config.Config) error {
	addr, field, t := c.Listen, "listen", c.TLS
	if c.Admin.Listen != "" {
		addr, field, t = server.Loopback(c.Admin.Listen), "admin.listen", c.Admin.TLS
	}
	host, _, _ := net.SplitHostPort(addr)
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	if c.AdminToken() == "" {
		return fmt.Errorf("%w (%s %q)", ErrUnsafeAdmin, field, addr)
	}
	if !t.Enabled() && !c.Admin.AllowPlaintext {
		return fmt.Errorf("%w (%s %q)", ErrPlaintextAdmin, field, addr)
	}
	return nil
}
