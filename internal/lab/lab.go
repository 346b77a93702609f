package lab

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/app"
	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/drill"
	"github.com/lifeboat-sre/lifeboat/internal/sim"
)

// Options configure a Lab.
type Options struct {
	// Timings compress the plan's timeline. Required: DemoTimings or
	// TestTimings.
	Timings Timings
	// DryRun starts the gateway with escalation.dry_run: decisions are
	// recorded, traffic never moves. Default false.
	DryRun bool
	// DataDir holds the gateway's state and incidents. Default "": a
	// temporary directory that Stop removes.
	DataDir string
	// Pager adds a webhook notifier, served by the lab itself, paged at
	// once for every incident, so alerts show in the narration. Default
	// false: no notifier.
	Pager bool
	// Logger receives the gateway's log. Default nil: discarded.
	Logger *slog.Logger
	// Edit adjusts the configuration before the gateway starts, such as
	// removing a trigger. Default nil: the timings' configuration as is.
	Edit func(*config.Config)
}

// Lab is both simulators and a gateway with escalation, in-process on free
// loopback ports: what `lifeboat demo` and the tests drill.
type Lab struct {
	// Primary is the OpenViking simulator, Fallback the LightRAG one.
	Primary, Fallback *sim.Server
	// App is the gateway; Config its configuration.
	App    *app.App
	Config config.Config

	timings Timings
	pager   *pager
	tmp     string // removed by Stop
}

// Start starts the simulators, the pager when asked, and the gateway.
// On error everything started is stopped again.
func Start(ctx context.Context, o Options) (_ *Lab, err error) {
	l := &Lab{timings: o.Timings}
	defer func() {
		if err != nil {
			l.Stop(context.WithoutCancel(ctx))
		}
	}()
	if err = l.startSims(); err != nil {
		return nil, err
	}
	dir := o.DataDir
	if dir == "" {
		if l.tmp, err = os.MkdirTemp("", "lifeboat-lab-"); err != nil {
			return nil, fmt.Errorf("lab: data directory: %w", err)
		}
		dir = l.tmp
	}
	l.Config = o.Timings.Config(l.Primary.URL(), l.Fallback.URL(), dir)
	l.Config.Escalation.DryRun = o.DryRun
	if o.Pager {
		if l.pager, err = startPager(); err != nil {
			return nil, err
		}
		l.pager.configure(&l.Config, o.Timings)
	}
	if o.Edit != nil {
		o.Edit(&l.Config)
	}
	if l.App, err = app.New(app.Options{Config: l.Config, Logger: o.Logger, Version: "lab"}); err != nil {
		return nil, fmt.Errorf("lab: gateway: %w", err)
	}
	if err = l.App.Start(ctx); err != nil {
		l.App = nil
		return nil, fmt.Errorf("lab: gateway: %w", err)
	}
	return l, nil
}

func (l *Lab) startSims() error {
	var err error
	l.Primary, l.Fallback, _, err = startSims()
	return err
}

// startSims starts the OpenViking and LightRAG simulators on free ports,
// and hands back OpenViking's store too, for a lab that checks what
// reached the primary. On error the caller stops whichever is not nil.
func startSims() (primary, fallback *sim.Server, ov *sim.OpenViking, err error) {
	ov = sim.NewOpenViking(sim.OpenVikingOptions{})
	primary = sim.NewServer(ov)
	fallback = sim.NewServer(sim.NewLightRAG(sim.LightRAGOptions{}))
	for _, s := range []*sim.Server{primary, fallback} {
		if err := s.Start("127.0.0.1:0"); err != nil {
			return primary, fallback, ov, fmt.Errorf("lab: simulator: %w", err)
		}
	}
	return primary, fallback, ov, nil
}

// URL is the gateway's base URL.
func (l *Lab) URL() string { return "http://" + l.App.Addr() }

// Faults injects into the primary simulator.
func (l *Lab) Faults() drill.Faults { return drill.SimFaults{Server: l.Primary} }

// Alerts is how many alerts the lab's pager received; 0 without one.
func (l *Lab) Alerts() int {
	if l.pager == nil {
		return 0
	}
	return l.pager.received()
}

// Pages are the deliveries the lab's pager received, in order; nil
// without one.
func (l *Lab) Pages() []Page {
	if l.pager == nil {
		return nil
	}
	return l.pager.all()
}

// Options are drill options for this lab: its gateway and primary, the
// scenario's fault sized for the lab's thresholds, lasting the timings'
// outage, and waits on the lab's timeline. The caller may change any.
func (l *Lab) Options(scenario string) (drill.Options, error) {
	sc, err := drill.Lookup(scenario)
	if err != nil {
		return drill.Options{}, err
	}
	t := l.timings
	f := FaultFor(sc)
	return drill.Options{
		Scenario: scenario, Duration: labDuration(sc, t), Gateway: l.URL(), Faults: l.Faults(), Fault: &f,
		PrimaryURL: l.Primary.URL(), Concurrency: 4, Pace: 5 * time.Millisecond, Warmup: t.Warmup, Poll: t.Poll,
		MaxWait: 20*t.StepHold + 4*t.HoldDown + 10*time.Second, HistoryWait: 3 * t.History,
		Guard: drill.Guard{For: 4 * t.StepHold}, DryRun: l.Config.Escalation.DryRun,
	}, nil
}

// labDuration is how long a scenario's fault lasts in a lab: the timings'
// outage, or for a latency fault long enough for slow requests to fill the
// statistics window the response-time trigger averages, and then for the
// trigger's "for" to pass.
func labDuration(sc drill.Scenario, t Timings) time.Duration {
	if sc.Fault.LatencyMS == 0 {
		return t.Outage
	}
	return max(t.Outage, 20*t.Bucket+t.TriggerFor+2*time.Second)
}

// Stop stops the gateway, the simulators and the pager within ctx's
// bound, and removes the temporary data directory. It is safe to call
// more than once.
func (l *Lab) Stop(ctx context.Context) error {
	var errs []error
	if l.App != nil {
		errs = append(errs, l.App.Stop(ctx))
	}
	errs = append(errs, stopRest(ctx, l.Primary, l.Fallback, l.pager, &l.tmp))
	return errors.Join(errs...)
}

// stopRest stops what a Lab and a Cluster both run besides gateways: the
// simulators and the pager, any of them nil, and removes *tmp, then
// empties it so a second Stop removes nothing.
func stopRest(ctx context.Context, primary, fallback *sim.Server, p *pager, tmp *string) error {
	var errs []error
	for _, s := range []*sim.Server{primary, fallback} {
		if s != nil {
			errs = append(errs, s.Stop(ctx))
		}
	}
	if p != nil {
		errs = append(errs, p.stop(ctx))
	}
	if *tmp != "" {
		errs = append(errs, os.RemoveAll(*tmp))
		*tmp = ""
	}
	return errors.Join(errs...)
}
