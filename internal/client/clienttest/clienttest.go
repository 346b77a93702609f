// Package clienttest serves the real admin API, over a real gateway and a
// real escalation engine, on loopback, so the client and the command line
// are tested the way people use them. Only the engine's senses are stubs:
// triggers report fixed evidence and the verifier answers as told.
package clienttest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/action"
	"github.com/lifeboat-sre/lifeboat/internal/admin"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/health"
	"github.com/lifeboat-sre/lifeboat/internal/level"
	"github.com/lifeboat-sre/lifeboat/internal/proxy"
	"github.com/lifeboat-sre/lifeboat/internal/route"
	"github.com/lifeboat-sre/lifeboat/internal/stats"
	"github.com/lifeboat-sre/lifeboat/internal/trigger"
)

// Options shape the server.
type Options struct {
	// Token is the admin token. Default none.
	Token string
	// Triggers is the evidence the engine reports. Default Evidence().
	Triggers []trigger.Evidence
	// NoEngine serves the admin API without escalation. Default false.
	NoEngine bool
	// Incidents serves the incident calls over a real incident store and
	// metric history in SQLite, seeded with two incidents (see
	// Incidents). Needs a *testing.T. Default false.
	Incidents bool
	// Config is the configuration the diagnostics bundle carries. Default
	// none.
	Config []byte
	// Secrets are scrubbed from the diagnostics bundle. Default none.
	Secrets []string
}

// Server is a running admin API. Its servers stop when the test ends.
type Server struct {
	URL      string
	Gateway  *proxy.Gateway
	Engine   *level.Engine // nil with NoEngine
	Verifier *Verifier
	Events   *event.Ring
	// Incidents is the seeded store and history; nil without
	// Options.Incidents.
	Incidents *Incidents
}

// Start serves the admin API with /status on loopback.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	gw, routes := gateway(t)
	s := &Server{Gateway: gw, Verifier: &Verifier{}, Events: event.NewRing(64)}
	ao := admin.Options{Gateway: gw, Token: o.Token, Events: s.Events, Status: status(gw, routes, s.Events),
		Config: o.Config, Secrets: o.Secrets}
	if !o.NoEngine {
		s.Engine = engine(t, gw, s.Verifier, s.Events, o.Triggers)
		ao.Levels = s.Engine
	}
	if o.Incidents {
		s.Incidents = seedIncidents(t)
		ao.Incidents = &admin.Incidents{Records: s.Incidents.Recorder, History: s.Incidents.History}
		ao.Now = s.Incidents.clock
	}
	srv := httptest.NewServer(admin.New(ao))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

// Evidence is two healthy readings, a pending one whose threshold Level 2
// halved, and an unreadable one.
func Evidence() []trigger.Evidence {
	since := time.Now().Add(-12 * time.Second).UTC().Round(time.Second)
	return []trigger.Evidence{
		{Trigger: "health_checks", Kind: string(trigger.Immediate), State: trigger.Inactive,
			Valid: true, Value: 0, Op: ">", Threshold: 3, Unit: "count", Detail: "0 consecutive failures"},
		{Trigger: "response_time", Kind: string(trigger.Immediate), State: trigger.Inactive,
			Valid: true, Value: 812.3456, Op: ">", Threshold: 5000, Unit: "ms", Detail: "60s window, 143 requests"},
		{Trigger: "error_rate", Kind: string(trigger.Immediate), State: trigger.Pending, Since: since, BadSince: since,
			Valid: true, Value: 0.31, Op: ">", Threshold: 0.1, Scale: 0.5, Unit: "ratio", Detail: "60s window, 143 requests",
			For: 2 * time.Second, ClearFor: time.Minute},
		{Trigger: "cpu", Kind: string(trigger.Immediate), State: trigger.Inactive,
			Op: ">", Threshold: 90, Unit: "percent", Error: "scrape failed: connection refused"},
	}
}

func gateway(t testing.TB) (*proxy.Gateway, *route.Table) {
	up := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(up.Close)
	u, _ := url.Parse(up.URL)
	routes := route.New(config.DefaultRoutes())
	gw := proxy.New(proxy.Options{Primary: u, Fallback: u, Routes: routes,
		Stats:   stats.NewRecorder(proxy.TargetNames, routes.Names(), stats.WindowSettings{}),
		Routing: proxy.Routing{Mode: proxy.ModePrimary, PrimaryWeight: 100}, CacheEnabled: true})
	return gw, routes
}

func status(gw *proxy.Gateway, routes *route.Table, ring *event.Ring) *admin.Status {
	up := fixedHealth{health.Status{State: health.Up}}
	return &admin.Status{Gateway: gw, Upstreams: [2]admin.Upstream{{Name: "primary", Health: up}, {Name: "fallback", Health: up}},
		Stats:   stats.NewRecorder(proxy.TargetNames, routes.Names(), stats.WindowSettings{}),
		Targets: proxy.TargetNames, Routes: routes.Names(), Events: ring, Started: time.Now(), Version: "test"}
}

func engine(t testing.TB, gw *proxy.Gateway, v *Verifier, ring *event.Ring, evs []trigger.Evidence) *level.Engine {
	if evs == nil {
		evs = Evidence()
	}
	e, err := level.New(context.Background(), level.Options{Triggers: &triggers{evs: evs}, Router: gw,
		Actions: noActions{}, Verifier: v, Store: &level.MemStore{}, Events: ring})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

type fixedHealth struct{ st health.Status }

func (f fixedHealth) Status() health.Status { return f.st }

// triggers reports fixed evidence.
type triggers struct{ evs []trigger.Evidence }

func (s *triggers) Evaluate(context.Context, time.Time, float64) []trigger.Transition { return nil }
func (s *triggers) Reset()                                                            {}
func (s *triggers) Status() []trigger.Evidence                                        { return append([]trigger.Evidence(nil), s.evs...) }

func (s *triggers) Firing(kind trigger.Kind) []trigger.Evidence {
	var out []trigger.Evidence
	for _, ev := range s.evs {
		if ev.State == trigger.Firing && ev.Kind == string(kind) {
			out = append(out, ev)
		}
	}
	return out
}

// noActions runs nothing.
type noActions struct{}

func (noActions) RunAll(context.Context, []action.Spec, action.Context) []action.Result { return nil }

// Verifier passes the fallback and the end-to-end check; the primary is
// unhealthy until SetPrimaryHealthy(true).
type Verifier struct {
	mu        sync.Mutex
	primaryOK bool
}

// SetPrimaryHealthy decides what PrimaryHealthy answers.
func (v *Verifier) SetPrimaryHealthy(ok bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.primaryOK = ok
}

// Fallback passes.
func (v *Verifier) Fallback(context.Context) error { return nil }

// EndToEnd passes.
func (v *Verifier) EndToEnd(context.Context) error { return nil }

// PrimaryHealthy answers as set.
func (v *Verifier) PrimaryHealthy(context.Context) (bool, string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.primaryOK {
		return false, "health checks failing"
	}
	return true, ""
}

// JudgeStep passes.
func (v *Verifier) JudgeStep(context.Context, time.Time, time.Time) (bool, string) { return true, "" }
