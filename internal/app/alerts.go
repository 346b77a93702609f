package app

import (
	"fmt"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/alert"
)

// buildAlerts creates the escalation chain from configuration. Delivery
// results land on the incident timeline as notify.sent and notify.failed
// events.
func (a *App) buildAlerts() error {
	al, err := alert.New(a.alertOptions())
	if err != nil {
		return fmt.Errorf("app: %w", err)
	}
	a.alerts = al
	return nil
}

// alertOptions are the chain's options from configuration, with the
// paging state in the data directory.
func (a *App) alertOptions() alert.Options {
	n := a.cfg.Notify
	o := alert.Options{Cadence: n.Cadence, AckTimeout: n.AckTimeout, Attempts: n.Attempts, Backoff: n.Backoff,
		Timeout: n.Timeout, Dir: a.cfg.Escalation.DataDir, Source: "lifeboat@" + a.cfg.Listen,
		DryRun: a.cfg.Escalation.DryRun, Manual: a.manual, Events: a.sink, Now: a.now,
		OnLedgerError: func(err error) { a.log.Warn("cannot keep the paging state", "err", err) }}
	for _, nc := range n.Notifiers {
		o.Notifiers = append(o.Notifiers, alert.Notifier(nc))
	}
	for _, t := range n.Tiers {
		o.Tiers = append(o.Tiers, alert.Tier(t))
	}
	return o
}

// TickAlerts does the escalation chain's work due at now: it pages the
// tiers whose delay has passed, repeats at the level's cadence and
// re-triggers acknowledged incidents whose acknowledgement timed out.
// Deliveries happen in the background. Under ManualEscalation the chain
// has no clock of its own and moves only when this is called, as the
// engine moves only on Engine().Step; otherwise it also ticks every second
// by itself. It does nothing when escalation is disabled.
func (a *App) TickAlerts(now time.Time) {
	al := a.alerts
	if a.clu != nil {
		al = a.clu.alerts.Load() // the decider's chain, nil while following
	}
	if al != nil {
		al.Tick(now)
	}
}
