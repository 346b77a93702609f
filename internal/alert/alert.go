package alert

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	"github.com/lifeboat-sre/lifeboat/internal/event"
	"github.com/lifeboat-sre/lifeboat/internal/fact"
	"github.com/lifeboat-sre/lifeboat/internal/incident"
	"github.com/lifeboat-sre/lifeboat/internal/notify"
)

// LedgerFile is the paging state's file in Options.Dir.
const LedgerFile = "notify.json"

// Options configure Alerts.
type Options struct {
	// Notifiers are the places alerts go. Default none.
	Notifiers []Notifier
	// Tiers page people in order. At least one is required.
	Tiers []Tier
	// Cadence repeats alerts per level while unacknowledged. Default
	// none: no repeats.
	Cadence map[string]time.Duration
	// AckTimeout re-triggers an acknowledged incident still open after
	// this long. Default 0: notify's default, 30m.
	AckTimeout time.Duration
	// Attempts is how many times an alert is tried. Default 0: once.
	Attempts int
	// Backoff is the first pause between attempts; it doubles, up to 32
	// times itself. Default 0: no pause.
	Backoff time.Duration
	// Timeout bounds one attempt. Default 0: no bound.
	Timeout time.Duration
	// Dir holds the paging state (LedgerFile), next to the level state,
	// so a restart pages no tier twice for the same state of an incident.
	// Required unless Ledger is given.
	Dir string
	// Ledger keeps the paging state. Default nil: a notify.FileLedger at
	// LedgerFile in Dir.
	Ledger notify.Ledger
	// Source names the gateway on every notice ("lifeboat@addr"). Default
	// "": not shown.
	Source string
	// DryRun marks every notice: the engine only records its decisions.
	// Default false.
	DryRun bool
	// Manual leaves the chain without a clock of its own: it moves only
	// when Tick is called. Default false: Run ticks it every second.
	Manual bool
	// Events receive every delivery's result. It must not block.
	// Required.
	Events event.Sink
	// OnLedgerError is told when the paging state cannot be written;
	// paging goes on from memory. Default nil: nobody is told.
	OnLedgerError func(error)
	// Now stamps the results. Default nil: time.Now.
	Now func() time.Time
}

// Alerts turns incident changes into notices for the escalation chain.
type Alerts struct {
	dispatcher *notify.Dispatcher
	chain      *notify.Chain
	source     string
	dryRun     bool
	manual     bool
}

// New creates the notifiers, the dispatcher and the chain. Delivery
// results reach o.Events as notify.sent and notify.failed facts.
func New(o Options) (*Alerts, error) {
	d := notify.New(notify.Options{OnResult: func(r notify.Result) { o.Events.Emit(resultEvent(r)) }, Now: o.Now})
	if o.Ledger == nil {
		o.Ledger = notify.FileLedger{Path: filepath.Join(o.Dir, LedgerFile)}
	}
	chain, err := notify.NewChain(notify.ChainSettings{Tiers: tiers(o), Cadence: o.Cadence, AckTimeout: o.AckTimeout,
		Ledger: o.Ledger, OnLedgerError: o.OnLedgerError}, d)
	if err != nil {
		return nil, fmt.Errorf("alert: %w", err)
	}
	return &Alerts{dispatcher: d, chain: chain, source: o.Source, dryRun: o.DryRun, manual: o.Manual}, nil
}

// Run delivers notices and, unless Options.Manual, ticks the chain, until
// ctx ends; it returns once both have stopped.
func (a *Alerts) Run(ctx context.Context) {
	var wg sync.WaitGroup
	wg.Go(func() { a.dispatcher.Run(ctx) })
	if !a.manual {
		wg.Go(func() { a.chain.Run(ctx) })
	}
	wg.Wait()
}

// Stop delivers what is queued, such as the resolved notice of an
// incident that just closed, within ctx's bound. Call it before ending
// Run's context.
func (a *Alerts) Stop(ctx context.Context) error { return a.dispatcher.Stop(ctx) }

// Tick does the chain's work due at now: it pages the tiers whose delay
// has passed, repeats at the level's cadence and re-triggers acknowledged
// incidents whose acknowledgement timed out.
func (a *Alerts) Tick(now time.Time) { a.chain.Tick(now) }

// Change routes one incident change to the chain.
func (a *Alerts) Change(ch incident.Change) {
	inc := ch.Incident
	n := a.notice(inc, ch.Entry.Time)
	switch ch.Kind {
	case incident.Opened:
		a.chain.Open(inc.ID, n)
	case incident.Updated:
		a.chain.Update(inc.ID, n)
	case incident.Acked:
		a.chain.Ack(inc.ID, inc.AckedBy, inc.AckedAt)
	case incident.Resolved:
		n.Summary = fmt.Sprintf("Lifeboat: incident %s resolved, back at L0", inc.ID)
		n.Severity = notify.SeverityInfo
		a.chain.Resolve(inc.ID, n)
	}
}

// Resume picks up the paging of an incident left open by the previous
// run. It keeps paging from where it is, but an acknowledgement still
// holds, with its timeout counted from when it was given: otherwise a
// restart would page the later tiers of an incident someone has taken on.
func (a *Alerts) Resume(inc incident.Incident) {
	a.chain.Open(inc.ID, a.notice(inc, inc.OpenedAt))
	if inc.AckedBy != "" {
		a.chain.Ack(inc.ID, inc.AckedBy, inc.AckedAt)
	}
}

// notice describes an incident in one line, with its evidence.
func (a *Alerts) notice(inc incident.Incident, at time.Time) notify.Notice {
	summary := fmt.Sprintf("Lifeboat %s: incident %s", inc.Level, inc.ID)
	if inc.Trigger != "" {
		summary += ", trigger " + inc.Trigger
	}
	if inc.Rollback != "" {
		summary += " — " + inc.Rollback
	}
	return notify.Notice{
		DedupKey: inc.ID, Summary: summary, Severity: severity(inc.Level), Level: inc.Level,
		Source: a.source, Time: at, DryRun: a.dryRun,
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
