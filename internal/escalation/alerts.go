package escalation

import (
	"fmt"

	"github.com/lifeboat-sre/lifeboat/internal/alert"
	"github.com/lifeboat-sre/lifeboat/internal/notify"
)

// alertOptions are the chain's options from configuration, with the
// paging state in the data directory. Delivery results land on the
// incident timeline as notify.sent and notify.failed events.
func (e *Escalation) alertOptions() alert.Options {
	c := e.cfg
	n := c.Notify
	o := alert.Options{Cadence: n.Cadence, AckTimeout: n.AckTimeout, Attempts: n.Attempts, Backoff: n.Backoff,
		Timeout: n.Timeout, Dir: c.Escalation.DataDir, Source: "lifeboat@" + c.Listen,
		DryRun: c.Escalation.DryRun, Manual: e.d.Manual, Events: e.d.Events, Now: e.d.Now,
		OnLedgerError: func(err error) { e.d.Log.Warn("cannot keep the paging state", "err", err) }}
	for _, nc := range n.Notifiers {
		o.Notifiers = append(o.Notifiers, alert.Notifier(nc))
	}
	for _, t := range n.Tiers {
		o.Tiers = append(o.Tiers, alert.Tier(t))
	}
	return o
}

// Chain builds a decider's term's escalation chain on ledger, the paging
// ledger in etcd: a chain reads its ledger only when made, so each term
// makes its own.
func (e *Escalation) Chain(ledger notify.Ledger) (*alert.Alerts, error) {
	o := e.alertOptions()
	o.Ledger = ledger
	al, err := alert.New(o)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	return al, nil
}
