package app

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/config"
	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/notify"
)

// alerts turns incident changes into notices for the escalation chain.
type alerts struct {
	dispatcher *notify.Dispatcher
	chain      *notify.Chain
	source     string
	// dryRun marks every notice: the engine only records its decisions.
	dryRun bool
}

// buildAlerts creates the notifiers, the dispatcher and the chain from
// configuration. Delivery results land on the incident timeline as
// notify.sent and notify.failed events.
func (a *App) buildAlerts() error {
	n := a.cfg.Notify
	client := &http.Client{Timeout: n.Timeout}
	byName := make(map[string]notify.Notifier, len(n.Notifiers))
	for _, nc := range n.Notifiers {
		byName[nc.Name] = notify.Retry(notifier(nc, client), n.Attempts, n.Backoff, 32*n.Backoff)
	}
	var tiers []notify.Tier
	for _, t := range n.Tiers {
		tier := notify.Tier{Name: t.Name, After: t.After}
		for _, name := range t.Notifiers {
			tier.Notifiers = append(tier.Notifiers, byName[name])
		}
		tiers = append(tiers, tier)
	}
	d := notify.New(notify.Options{OnResult: a.onAlertResult, Now: a.now})
	// The paging state lives next to the level state, so a restart pages
	// no tier twice for the same state of an incident.
	chain, err := notify.NewChain(notify.ChainSettings{Tiers: tiers, Cadence: n.Cadence, AckTimeout: n.AckTimeout,
		Ledger:        notify.FileLedger{Path: filepath.Join(a.cfg.Escalation.DataDir, "notify.json")},
		OnLedgerError: func(err error) { a.log.Warn("cannot keep the paging state", "err", err) },
	}, d)
	if err != nil {
		return fmt.Errorf("app: notify: %w", err)
	}
	a.alerts = &alerts{dispatcher: d, chain: chain, source: "lifeboat@" + a.cfg.Listen, dryRun: a.cfg.Escalation.DryRun}
	return nil
}

func notifier(nc config.NotifierConfig, client *http.Client) notify.Notifier {
	switch nc.Type {
	case "slack":
		return &notify.Slack{WebhookURL: nc.URL.Reveal(), Client: client, Label: nc.Name}
	case "pagerduty":
		return &notify.PagerDuty{RoutingKey: nc.RoutingKey.Reveal(), URL: nc.URL.Reveal(), Client: client, Label: nc.Name}
	}
	headers := make(map[string]string, len(nc.Headers))
	for k, v := range nc.Headers {
		headers[k] = v.Reveal()
	}
	return &notify.Webhook{URL: nc.URL.Reveal(), Headers: headers, Client: client, Label: nc.Name}
}

// run starts delivery and, unless the caller drives it through
// TickAlerts, the chain's clock under the app's context.
func (al *alerts) run(a *App, ctx context.Context) {
	a.wg.Go(func() { al.dispatcher.Run(ctx) })
	if !a.manual {
		a.wg.Go(func() { al.chain.Run(ctx) })
	}
}

// TickAlerts does the escalation chain's work due at now: it pages the
// tiers whose delay has passed, repeats at the level's cadence and
// re-triggers acknowledged incidents whose acknowledgement timed out.
// Deliveries happen in the background. Under ManualEscalation the chain
// has no clock of its own and moves only when this is called, as the
// engine moves only on Engine().Step; otherwise it also ticks every second
// by itself. It does nothing when escalation is disabled.
func (a *App) TickAlerts(now time.Time) {
	if a.alerts != nil {
		a.alerts.chain.Tick(now)
	}
}

// stop delivers what is queued, such as the resolved notice of an
// incident that just closed, within ctx's bound.
func (al *alerts) stop(ctx context.Context) error { return al.dispatcher.Stop(ctx) }

// change routes one incident change to the chain.
func (al *alerts) change(ch incident.Change) {
	inc := ch.Incident
	n := al.notice(inc, ch.Entry.Time)
	switch ch.Kind {
	case incident.Opened:
		al.chain.Open(inc.ID, n)
	case incident.Updated:
		al.chain.Update(inc.ID, n)
	case incident.Acked:
		al.chain.Ack(inc.ID, inc.AckedBy, inc.AckedAt)
	case incident.Resolved:
		n.Summary = fmt.Sprintf("Lifeboat: incident %s resolved, back at L0", inc.ID)
		n.Severity = notify.SeverityInfo
		al.chain.Resolve(inc.ID, n)
	}
}

// notice describes an incident in one line, with its evidence.
func (al *alerts) notice(inc incident.Incident, at time.Time) notify.Notice {
	summary := fmt.Sprintf("Lifeboat %s: incident %s", inc.Level, inc.ID)
	if inc.Trigger != "" {
		summary += ", trigger " + inc.Trigger
	}
	if inc.Rollback != "" {
		summary += " — " + inc.Rollback
	}
	return notify.Notice{
		DedupKey: inc.ID, Summary: summary, Severity: severity(inc.Level), Level: inc.Level,
		Source: al.source, Time: at, DryRun: al.dryRun,
		Details: map[string]any{"max_level": inc.MaxLevel, "rollback": inc.Rollback, "opened_at": inc.OpenedAt,
			"manual": inc.Manual, "metrics": inc.Metrics},
	}
}

func severity(level string) notify.Severity {
	switch fact.Level(level) {
	case fact.L3:
		return notify.SeverityCritical
	case fact.L2:
		return notify.SeverityError
	}
	return notify.SeverityWarning
}

// onAlertResult puts every delivery on the timeline; the first success
// ticks the checklist's "Stakeholders notified".
func (a *App) onAlertResult(r notify.Result) {
	d := fact.Delivery{Notifier: r.Notifier, Tier: r.Notice.Tier, Action: string(r.Notice.Action),
		Attempts: r.Attempts, Incident: r.Notice.DedupKey, Repeat: r.Notice.Repeat}
	var f fact.Fact = fact.NotifySent{Delivery: d}
	sev, msg := event.Info, "alert sent"
	if r.Err != nil {
		f, sev, msg = fact.NotifyFailed{Delivery: d, Error: r.Err.Error()}, event.Warning, "alert failed"
	}
	what := string(r.Notice.Action)
	if r.Notice.Repeat {
		what = "repeat of the " + what // the same state told again, not a new page
	}
	a.sink.Emit(event.Of(r.At, "notify", sev, fmt.Sprintf("%s: %s to %s (%s)", msg, what, r.Notifier, r.Notice.Tier), f))
}
