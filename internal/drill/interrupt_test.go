package drill_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/client"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/lab"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// cancelOnFault cancels the drill a little after its fault is injected.
func cancelOnFault(cancel context.CancelFunc, tr *transcript) func(drill.Note) {
	return func(n drill.Note) {
		tr.add(n)
		if n.Tag == "drill" && strings.HasPrefix(n.Text, "FAULT") {
			time.AfterFunc(300*time.Millisecond, cancel)
		}
	}
}

// An interrupted drill leaves no fault behind: the outage is reverted at
// once, not when its duration would have ended it.
func TestInterruptedDrillLeavesNoFault(t *testing.T) {
	l := startLab(t, lab.Options{})
	o, _ := l.Options("outage")
	o.Duration = time.Minute
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	tr := &transcript{}
	o.OnNote = cancelOnFault(cancel, tr)
	res, err := drill.Run(ctx, o)
	if !errors.Is(err, drill.ErrInterrupted) || !errors.Is(err, context.Canceled) || !res.Interrupted || res.Passed() {
		t.Fatalf("Run: %v, interrupted %v, passed %v; want ErrInterrupted", err, res.Interrupted, res.Passed())
	}
	if f := l.Primary.Fault(); f != (sim.Fault{}) || !l.Primary.Stats().Listening {
		t.Fatalf("after the interruption the primary has fault %+v, listening %v", f, l.Primary.Stats().Listening)
	}
	if res.Injected.IsZero() || res.Reverted.Sub(res.Injected) > 10*time.Second || !tr.has("drill", "fault reverted") {
		t.Fatalf("injected %s, reverted %s; narration:\n%s", res.Injected, res.Reverted, tr)
	}
}

// The same through a simulator's control listener over HTTP, the way
// `lifeboat drill --primary-sim` reaches a simulator in another process.
func TestInterruptedDrillRevertsOverHTTP(t *testing.T) {
	l := startLab(t, lab.Options{})
	if err := l.Primary.StartControl("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	o, _ := l.Options("error_spike")
	o.Duration, o.Faults = time.Minute, drill.HTTPFaults{URL: l.Primary.ControlURL()}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	o.OnNote = cancelOnFault(cancel, &transcript{})
	if _, err := drill.Run(ctx, o); !errors.Is(err, drill.ErrInterrupted) {
		t.Fatalf("Run: %v, want ErrInterrupted", err)
	}
	if f := l.Primary.Fault(); f != (sim.Fault{}) {
		t.Fatalf("fault left behind: %+v", f)
	}
}

// breakBoth is a fault source that also takes the fallback down: the
// drill's fault spreading where it must not.
type breakBoth struct{ primary, fallback *sim.Server }

func (b breakBoth) Set(ctx context.Context, f drill.Fault) error {
	if err := (drill.SimFaults{Server: b.fallback}).Set(ctx, drill.Fault{ErrorRate: 1, ErrorStatus: 500}); err != nil {
		return err
	}
	return drill.SimFaults{Server: b.primary}.Set(ctx, f)
}

func (b breakBoth) Clear(ctx context.Context) error {
	return errors.Join(drill.SimFaults{Server: b.primary}.Clear(ctx), drill.SimFaults{Server: b.fallback}.Clear(ctx))
}

// The steady-state guard aborts a drill whose fallback is hurt too, and
// everything is reverted; the aborted drill is kept as a failure.
func TestGuardAbortsWhenTheFallbackIsHurt(t *testing.T) {
	l := startLab(t, lab.Options{})
	store := drill.NewStore(t.TempDir())
	res, tr, err := drillLab(t, l, "outage", func(o *drill.Options) {
		o.Duration, o.Faults, o.Store = time.Minute, breakBoth{l.Primary, l.Fallback}, store
	})
	if !errors.Is(err, drill.ErrAborted) || !strings.Contains(res.Aborted, "fallback") || res.Passed() {
		t.Fatalf("Run: %v, aborted %q, passed %v; want the guard's abort", err, res.Aborted, res.Passed())
	}
	if res.Reverted.Sub(res.Injected) > 30*time.Second || !tr.has("drill", "ABORT") {
		t.Fatalf("reverted %s after injection", res.Reverted.Sub(res.Injected))
	}
	for _, s := range []*sim.Server{l.Primary, l.Fallback} {
		if f := s.Fault(); f != (sim.Fault{}) {
			t.Errorf("%s keeps fault %+v", s.Service().Name(), f)
		}
	}
	if recs, err := store.Load(); err != nil || len(recs) != 1 || recs[0].Aborted == "" || recs[0].Passed() {
		t.Fatalf("stored %+v, %v; want the aborted drill", recs, err)
	}
}

// A dry run walks the decisions without moving traffic: the gateway goes
// to L3 and back while routing stays on the primary, and the figures that
// need moved traffic are not judged.
func TestDryRunWalksDecisionsWithoutMovingTraffic(t *testing.T) {
	l := startLab(t, lab.Options{DryRun: true, Pager: true})
	res, tr, err := drillLab(t, l, "outage", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Passed() || !res.DryRun || res.MaxLevel != "L3" {
		t.Fatalf("passed %v, dry run %v, max level %s; missed %+v", res.Passed(), res.DryRun, res.MaxLevel, res.Missed())
	}
	if !tr.has("level", "dry run: would route fallback") || tr.has("routing", "-> fallback") {
		t.Fatalf("want decisions recorded and no routing change; narration:\n%s", tr)
	}
	for _, name := range []string{"containment", "recovery", "downtime", "client_downtime"} {
		if f, _ := res.Figure(name); f.Measured || !strings.HasPrefix(f.Note, "dry run") {
			t.Errorf("%s in a dry run: %+v, want not judged", name, f)
		}
	}
	for _, name := range []string{"detection", "restore", "data_loss"} {
		if f, _ := res.Figure(name); !f.Measured || !f.Pass {
			t.Errorf("%s in a dry run: %+v, want measured and passing", name, f)
		}
	}
	// Nobody is paged for real by a rehearsal: every alert says dry run
	// and none is more than a warning.
	pages := l.Pages()
	if len(pages) == 0 {
		t.Fatal("the dry run sent no alert at all; the test needs some")
	}
	for _, p := range pages {
		if !p.Details.DryRun || !strings.HasPrefix(p.Summary, "[DRY RUN] ") || p.Severity == "critical" || p.Severity == "error" {
			t.Errorf("a dry run's alert %+v, want it marked and at most a warning", p)
		}
	}
}

// Run refuses gateways it cannot drill, and says why, before any fault.
func TestRunRefusesGatewaysItCannotDrill(t *testing.T) {
	noIntegrity := func(c *config.Config) {
		c.Triggers = slices.DeleteFunc(c.Triggers, func(tr config.Trigger) bool { return tr.Name == "search_integrity" })
	}
	l := startLab(t, lab.Options{Edit: noIntegrity})
	// A check in the integrity unit that cannot see an empty search index.
	blind := startLab(t, lab.Options{Edit: func(c *config.Config) {
		noIntegrity(c)
		c.Triggers = append(c.Triggers, config.Trigger{Name: "process_alive", Kind: "immediate", Op: ">",
			Signal: config.Signal{Type: "command_check", Command: []string{"true"}}})
	}})
	paused := startLab(t, lab.Options{})
	if _, err := client.New(paused.URL(), "", nil).Pause(t.Context(), "test"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		lab      *lab.Lab
		scenario string
		edit     func(*drill.Options)
		want     error
		says     string
	}{
		{l, "data_corruption", nil, drill.ErrUnsupported, "integrity"},
		{blind, "data_corruption", nil, drill.ErrUnsupported, "functional_probe"},
		{l, "outage", func(o *drill.Options) { o.DryRun = true }, drill.ErrNotReady, "dry_run"},
		{paused, "outage", nil, drill.ErrNotReady, "paused"},
		{l, "outage", func(o *drill.Options) { o.Gateway = "http://127.0.0.1:1"; o.ReadyWait = time.Millisecond }, drill.ErrNotReady, "unreachable"},
		{l, "meltdown", nil, drill.ErrScenario, "meltdown"},
		{l, "outage", func(o *drill.Options) { o.Faults = nil }, drill.ErrOptions, "fault source"},
	} {
		o, _ := c.lab.Options("outage")
		o.Scenario = c.scenario
		if c.edit != nil {
			c.edit(&o)
		}
		_, err := drill.Run(t.Context(), o)
		if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want %v saying %q", c.scenario, err, c.want, c.says)
		}
	}
	for _, lab := range []*lab.Lab{l, blind} {
		if f := lab.Primary.Fault(); f != (sim.Fault{}) {
			t.Fatalf("a refused drill injected %+v", f)
		}
	}
}

// The integrity probe sees the gateway's own injected corruption, as
// clients do: the data-corruption drill through the gateway's faults is
// detected by search_integrity and rolled back, the primary untouched.
func TestGatewayFaultsDataCorruption(t *testing.T) {
	l := startLab(t, lab.Options{})
	gw := drill.GatewayFaults{Client: client.New(l.URL(), "", nil), By: "drill test"}
	res, _, err := drillLab(t, l, "data_corruption", func(o *drill.Options) { o.Faults = gw })
	if err != nil || !res.Passed() || res.Trigger != "search_integrity" {
		t.Fatalf("Run: %v, first trigger %q, missed %+v", err, res.Trigger, res.Missed())
	}
	if l.Primary.Fault() != (sim.Fault{}) {
		t.Fatalf("the primary was touched: %+v", l.Primary.Fault())
	}
}

// HTTPFaults reports a simulator's refusal with its answer.
func TestHTTPFaultsReportsRefusals(t *testing.T) {
	l := startLab(t, lab.Options{})
	h := drill.HTTPFaults{URL: l.Primary.URL(), Client: &http.Client{Timeout: time.Second}}
	err := h.Set(t.Context(), drill.Fault{ErrorRate: 2})
	if !errors.Is(err, drill.ErrFault) || !strings.Contains(err.Error(), "400") || !strings.Contains(err.Error(), "error_rate") {
		t.Fatalf("invalid fault: %v", err)
	}
	if err := h.Set(t.Context(), drill.Fault{LatencyMS: 5}); err != nil || l.Primary.Fault().LatencyMS != 5 {
		t.Fatalf("set: %v, fault %+v", err, l.Primary.Fault())
	}
	if err := h.Clear(t.Context()); err != nil || l.Primary.Fault() != (sim.Fault{}) {
		t.Fatalf("clear: %v, fault %+v", err, l.Primary.Fault())
	}
}

// The gateway's own fault injection drives a drill against a primary that
// is never touched, and an interrupted one leaves no fault in the gateway.
func TestGatewayFaultsDrill(t *testing.T) {
	l := startLab(t, lab.Options{})
	gw := drill.GatewayFaults{Client: client.New(l.URL(), "", nil), By: "drill test"}
	res, tr, err := drillLab(t, l, "outage", func(o *drill.Options) { o.Faults = gw })
	if err != nil || !res.Passed() {
		t.Fatalf("Run: %v, missed %+v", err, res.Missed())
	}
	if !tr.has("fault", "") || l.Primary.Stats().Dropped != 0 || l.App.Faults().Status().Active {
		t.Fatalf("fault events narrated %v, primary touched %d, gateway fault %+v", tr.has("fault", ""),
			l.Primary.Stats().Dropped, l.App.Faults().Status())
	}
	o, _ := l.Options("error_spike")
	o.Duration, o.Faults = time.Minute, gw
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	o.OnNote = cancelOnFault(cancel, &transcript{})
	if _, err := drill.Run(ctx, o); !errors.Is(err, drill.ErrInterrupted) || l.App.Faults().Status().Active {
		t.Fatalf("interrupted: %v, gateway fault %+v", err, l.App.Faults().Status())
	}
	if err := gw.Set(t.Context(), drill.Fault{CPUPercent: 95, DurationMS: 1000}); !errors.Is(err, drill.ErrFault) || !strings.Contains(err.Error(), "simulator") {
		t.Fatalf("resource pressure through the gateway: %v", err)
	}
}
